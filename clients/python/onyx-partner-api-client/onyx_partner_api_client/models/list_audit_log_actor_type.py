from enum import StrEnum

class ListAuditLogActorType(StrEnum):
    ANONYMOUS = "anonymous"
    CREDENTIAL = "credential"
    MEMBER = "member"
    OPERATOR = "operator"

    def __str__(self) -> str:
        return str(self.value)
