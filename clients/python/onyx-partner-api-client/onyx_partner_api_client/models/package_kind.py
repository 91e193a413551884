from enum import StrEnum

class PackageKind(StrEnum):
    DATA_ADDON = "data_addon"
    PLAN = "plan"
    VOICE_ADDON = "voice_addon"

    def __str__(self) -> str:
        return str(self.value)
