from enum import StrEnum

class CoverageType(StrEnum):
    GLOBAL = "global"
    LOCAL = "local"
    REGIONAL = "regional"

    def __str__(self) -> str:
        return str(self.value)
