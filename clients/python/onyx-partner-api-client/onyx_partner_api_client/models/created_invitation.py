from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.role import Role
from typing import cast
import datetime






T = TypeVar("T", bound="CreatedInvitation")



@_attrs_define
class CreatedInvitation:
    """ A new invitation, with its token (shown only here).

        Attributes:
            id (str):  Example: inv_Q2n8sLw0Zx5Tc7Vb1Mk3Jd9r.
            email (str):  Example: dev@wanderlust.example.
            role (Role): Team roles (see the role matrix in the API description).
            expires_at (datetime.datetime):
            token (str): Single-use token for `POST /v1/invitations/accept`. Shown once; only a hash is kept. Example:
                onyx_inv_4fQk9LmZ2xW8cV1bN7rT3sYh6gJd0pAe5uKi.
     """

    id: str
    email: str
    role: Role
    expires_at: datetime.datetime
    token: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        email = self.email

        role = self.role.value

        expires_at = self.expires_at.isoformat()

        token = self.token


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "email": email,
            "role": role,
            "expires_at": expires_at,
            "token": token,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        email = d.pop("email")

        role = Role(d.pop("role"))




        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))




        token = d.pop("token")

        created_invitation = cls(
            id=id,
            email=email,
            role=role,
            expires_at=expires_at,
            token=token,
        )


        created_invitation.additional_properties = d
        return created_invitation

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
