from enum import StrEnum

class RequestedReason(StrEnum):
    COVERAGE_ISSUE = "coverage_issue"
    CUSTOMER_CANCELLED = "customer_cancelled"
    DUPLICATE_ORDER = "duplicate_order"
    INSTALLATION_FAILED = "installation_failed"
    OTHER = "other"
    SERVICE_NOT_WORKING = "service_not_working"

    def __str__(self) -> str:
        return str(self.value)
