from enum import StrEnum

class Category(StrEnum):
    ACTIVATION = "activation"
    BILLING = "billing"
    CONNECTIVITY = "connectivity"
    ORDER = "order"
    OTHER = "other"
    USAGE = "usage"

    def __str__(self) -> str:
        return str(self.value)
