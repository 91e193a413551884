from enum import StrEnum

class ComplianceRequirement(StrEnum):
    IDENTITY_VERIFICATION = "identity_verification"

    def __str__(self) -> str:
        return str(self.value)
