from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.role import Role






T = TypeVar("T", bound="CreateInvitation")



@_attrs_define
class CreateInvitation:
    """ 
        Attributes:
            email (str): The person's work email; they sign in with it. Example: dev@wanderlust.example.
            role (Role): Team roles (see the role matrix in the API description).
     """

    email: str
    role: Role





    def to_dict(self) -> dict[str, Any]:
        email = self.email

        role = self.role.value


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "email": email,
            "role": role,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email")

        role = Role(d.pop("role"))




        create_invitation = cls(
            email=email,
            role=role,
        )

        return create_invitation

