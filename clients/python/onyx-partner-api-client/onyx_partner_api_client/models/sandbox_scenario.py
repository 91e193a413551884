from enum import StrEnum

class SandboxScenario(StrEnum):
    DELAYED = "delayed"
    FAILED = "failed"
    FAILED_RETRYABLE = "failed_retryable"
    MANUAL = "manual"
    SUCCESS = "success"
    UNAVAILABLE = "unavailable"

    def __str__(self) -> str:
        return str(self.value)
