from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.invitation_status import InvitationStatus
from ..models.role import Role
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="PageInvitationDataItem")



@_attrs_define
class PageInvitationDataItem:
    """ 
        Attributes:
            id (str):  Example: inv_Q2n8sLw0Zx5Tc7Vb1Mk3Jd9r.
            email (str):  Example: dev@wanderlust.example.
            role (Role): Team roles (see the role matrix in the API description).
            status (InvitationStatus):
            expires_at (datetime.datetime):
            created_at (datetime.datetime):
            accepted_at (datetime.datetime | None | Unset):
     """

    id: str
    email: str
    role: Role
    status: InvitationStatus
    expires_at: datetime.datetime
    created_at: datetime.datetime
    accepted_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        email = self.email

        role = self.role.value

        status = self.status.value

        expires_at = self.expires_at.isoformat()

        created_at = self.created_at.isoformat()

        accepted_at: None | str | Unset
        if isinstance(self.accepted_at, Unset):
            accepted_at = UNSET
        elif isinstance(self.accepted_at, datetime.datetime):
            accepted_at = self.accepted_at.isoformat()
        else:
            accepted_at = self.accepted_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "email": email,
            "role": role,
            "status": status,
            "expires_at": expires_at,
            "created_at": created_at,
        })
        if accepted_at is not UNSET:
            field_dict["accepted_at"] = accepted_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        email = d.pop("email")

        role = Role(d.pop("role"))




        status = InvitationStatus(d.pop("status"))




        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))




        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        def _parse_accepted_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                accepted_at_type_0 = datetime.datetime.fromisoformat(data)



                return accepted_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        accepted_at = _parse_accepted_at(d.pop("accepted_at", UNSET))


        page_invitation_data_item = cls(
            id=id,
            email=email,
            role=role,
            status=status,
            expires_at=expires_at,
            created_at=created_at,
            accepted_at=accepted_at,
        )


        page_invitation_data_item.additional_properties = d
        return page_invitation_data_item

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
