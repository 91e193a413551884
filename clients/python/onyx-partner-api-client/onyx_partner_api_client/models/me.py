from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.environment import Environment
from ..models.role import Role
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="Me")



@_attrs_define
class Me:
    """ 
        Attributes:
            partner_id (str):  Example: ptr_8Jd2kQ0vXn4LmT7sWc1aZp9e.
            environment (Environment): The two isolated environments of every partner.
            actor_type (str): `member` or `credential`. Example: credential.
            actor_id (str):  Example: cred_Zx5Tc7Vb1Mk3Jd9rQ2n8sLw0.
            role (None | Role | Unset):
     """

    partner_id: str
    environment: Environment
    actor_type: str
    actor_id: str
    role: None | Role | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        partner_id = self.partner_id

        environment = self.environment.value

        actor_type = self.actor_type

        actor_id = self.actor_id

        role: None | str | Unset
        if isinstance(self.role, Unset):
            role = UNSET
        elif isinstance(self.role, Role):
            role = self.role.value
        else:
            role = self.role


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "partner_id": partner_id,
            "environment": environment,
            "actor_type": actor_type,
            "actor_id": actor_id,
        })
        if role is not UNSET:
            field_dict["role"] = role

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        partner_id = d.pop("partner_id")

        environment = Environment(d.pop("environment"))




        actor_type = d.pop("actor_type")

        actor_id = d.pop("actor_id")

        def _parse_role(data: object) -> None | Role | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                role_type_1 = Role(data)



                return role_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Role | Unset, data)

        role = _parse_role(d.pop("role", UNSET))


        me = cls(
            partner_id=partner_id,
            environment=environment,
            actor_type=actor_type,
            actor_id=actor_id,
            role=role,
        )


        me.additional_properties = d
        return me

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
