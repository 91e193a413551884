from enum import StrEnum

class UsageSource(StrEnum):
    NETWORK = "network"
    OPERATOR = "operator"
    SANDBOX = "sandbox"

    def __str__(self) -> str:
        return str(self.value)
