from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.role import Role
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="PageMemberDataItem")



@_attrs_define
class PageMemberDataItem:
    """ 
        Attributes:
            id (str):  Example: mem_Vb1Mk3Jd9rQ2n8sLw0Zx5Tc7.
            email (str):  Example: dev@wanderlust.example.
            name (str):  Example: Integration Developer.
            role (Role): Team roles (see the role matrix in the API description).
            created_at (datetime.datetime):
            last_login_at (datetime.datetime | None | Unset):
     """

    id: str
    email: str
    name: str
    role: Role
    created_at: datetime.datetime
    last_login_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        email = self.email

        name = self.name

        role = self.role.value

        created_at = self.created_at.isoformat()

        last_login_at: None | str | Unset
        if isinstance(self.last_login_at, Unset):
            last_login_at = UNSET
        elif isinstance(self.last_login_at, datetime.datetime):
            last_login_at = self.last_login_at.isoformat()
        else:
            last_login_at = self.last_login_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "email": email,
            "name": name,
            "role": role,
            "created_at": created_at,
        })
        if last_login_at is not UNSET:
            field_dict["last_login_at"] = last_login_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        email = d.pop("email")

        name = d.pop("name")

        role = Role(d.pop("role"))




        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        def _parse_last_login_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_login_at_type_0 = datetime.datetime.fromisoformat(data)



                return last_login_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        last_login_at = _parse_last_login_at(d.pop("last_login_at", UNSET))


        page_member_data_item = cls(
            id=id,
            email=email,
            name=name,
            role=role,
            created_at=created_at,
            last_login_at=last_login_at,
        )


        page_member_data_item.additional_properties = d
        return page_member_data_item

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
