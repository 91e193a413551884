from enum import StrEnum

class Platform(StrEnum):
    ANDROID = "android"
    IOS = "ios"
    OTHER = "other"

    def __str__(self) -> str:
        return str(self.value)
