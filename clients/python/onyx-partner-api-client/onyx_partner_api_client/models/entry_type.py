from enum import StrEnum

class EntryType(StrEnum):
    CAPTURE = "capture"
    COMMITMENT_ADJUSTMENT = "commitment_adjustment"
    CREDIT = "credit"
    DEBIT = "debit"
    REFUND = "refund"
    RELEASE = "release"
    RESERVE = "reserve"

    def __str__(self) -> str:
        return str(self.value)
