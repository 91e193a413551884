from enum import StrEnum

class InstallState(StrEnum):
    INSTALLED = "installed"
    NOT_INSTALLED = "not_installed"

    def __str__(self) -> str:
        return str(self.value)
