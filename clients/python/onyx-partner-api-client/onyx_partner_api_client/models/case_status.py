from enum import StrEnum

class CaseStatus(StrEnum):
    AWAITING_ONYX = "awaiting_onyx"
    AWAITING_PARTNER = "awaiting_partner"
    CLOSED = "closed"
    OPEN = "open"
    RESOLVED = "resolved"

    def __str__(self) -> str:
        return str(self.value)
