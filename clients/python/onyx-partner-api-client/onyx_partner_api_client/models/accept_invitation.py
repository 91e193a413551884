from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="AcceptInvitation")



@_attrs_define
class AcceptInvitation:
    """ 
        Attributes:
            token (str): The invitation token. Example: onyx_inv_4fQk9LmZ2xW8cV1bN7rT3sYh6gJd0pAe5uKi.
            name (str): Your name as teammates see it. Example: Integration Developer.
            password (str): 12 to 128 characters. Example: a long passphrase you keep secret.
     """

    token: str
    name: str
    password: str





    def to_dict(self) -> dict[str, Any]:
        token = self.token

        name = self.name

        password = self.password


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "token": token,
            "name": name,
            "password": password,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        token = d.pop("token")

        name = d.pop("name")

        password = d.pop("password")

        accept_invitation = cls(
            token=token,
            name=name,
            password=password,
        )

        return accept_invitation

