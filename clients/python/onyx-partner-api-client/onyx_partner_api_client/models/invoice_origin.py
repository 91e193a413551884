from enum import StrEnum

class InvoiceOrigin(StrEnum):
    OPERATOR = "operator"
    PERIOD_CLOSE = "period_close"
    SANDBOX = "sandbox"

    def __str__(self) -> str:
        return str(self.value)
