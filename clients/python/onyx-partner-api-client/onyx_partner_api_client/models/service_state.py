from enum import StrEnum

class ServiceState(StrEnum):
    ACTIVE = "active"
    CANCELLED = "cancelled"
    DELAYED = "delayed"
    EXPIRED = "expired"
    FAILED = "failed"
    PREPARING = "preparing"
    READY_TO_INSTALL = "ready_to_install"
    UNAVAILABLE = "unavailable"

    def __str__(self) -> str:
        return str(self.value)
