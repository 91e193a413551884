from enum import StrEnum

class MismatchKind(StrEnum):
    CAPTURE_WITHOUT_ORDER = "capture_without_order"
    INVOICE_TOTAL_MISMATCH = "invoice_total_mismatch"
    LINE_WITHOUT_LEDGER_ENTRY = "line_without_ledger_entry"
    ORDER_WITHOUT_CAPTURE = "order_without_capture"
    WALLET_LEDGER_MISMATCH = "wallet_ledger_mismatch"

    def __str__(self) -> str:
        return str(self.value)
