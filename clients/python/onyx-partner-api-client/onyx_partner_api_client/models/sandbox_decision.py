from enum import StrEnum

class SandboxDecision(StrEnum):
    APPROVE = "approve"
    DECLINE = "decline"
    MANUAL = "manual"

    def __str__(self) -> str:
        return str(self.value)
