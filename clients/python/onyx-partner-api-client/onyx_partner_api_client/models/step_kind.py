from enum import StrEnum

class StepKind(StrEnum):
    ENABLE_ROAMING = "enable_roaming"
    INSTALL_PROFILE = "install_profile"
    RESTART_DEVICE = "restart_device"
    SELECT_ACTIVE_LINE = "select_active_line"
    WAIT_FOR_NETWORK_REGISTRATION = "wait_for_network_registration"

    def __str__(self) -> str:
        return str(self.value)
