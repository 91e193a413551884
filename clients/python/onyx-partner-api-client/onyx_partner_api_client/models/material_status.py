from enum import StrEnum

class MaterialStatus(StrEnum):
    INSTALLED = "installed"
    ISSUED = "issued"
    RETRIEVED = "retrieved"
    REVOKED = "revoked"

    def __str__(self) -> str:
        return str(self.value)
