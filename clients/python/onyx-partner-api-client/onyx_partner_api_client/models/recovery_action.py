from enum import StrEnum

class RecoveryAction(StrEnum):
    CONTACT_SUPPORT = "contact_support"
    NEW_ORDER = "new_order"
    ORDER_SIM_SWAP = "order_sim_swap"
    REINSTALL_WITH_CURRENT_MATERIALS = "reinstall_with_current_materials"
    REPLACE_OLD_PROFILE = "replace_old_profile"
    TOP_UP = "top_up"
    TROUBLESHOOT_NETWORK = "troubleshoot_network"
    WAIT = "wait"

    def __str__(self) -> str:
        return str(self.value)
