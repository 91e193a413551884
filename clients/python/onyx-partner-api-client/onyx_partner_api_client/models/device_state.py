from enum import StrEnum

class DeviceState(StrEnum):
    INSTALLED_NO_NETWORK = "installed_no_network"
    INSTALL_INTERRUPTED = "install_interrupted"
    NEW_DEVICE = "new_device"
    PROFILE_DELETED = "profile_deleted"

    def __str__(self) -> str:
        return str(self.value)
