from enum import StrEnum

class InvoiceStatus(StrEnum):
    DRAFT = "draft"
    ISSUED = "issued"
    PAID = "paid"
    VOID = "void"

    def __str__(self) -> str:
        return str(self.value)
