from enum import StrEnum

class OrderType(StrEnum):
    ACTIVATE_SUBSCRIPTION = "activate_subscription"
    CANCEL_SUBSCRIPTION = "cancel_subscription"
    SWAP_SIM = "swap_sim"
    TOP_UP_SUBSCRIPTION = "top_up_subscription"

    def __str__(self) -> str:
        return str(self.value)
