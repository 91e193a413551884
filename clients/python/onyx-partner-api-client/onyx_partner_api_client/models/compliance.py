from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="Compliance")



@_attrs_define
class Compliance:
    """ 
        Example:
            {'identity_verified': True}

        Attributes:
            identity_verified (bool | Unset): You verified the end customer's identity (required by some packages).
     """

    identity_verified: bool | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        identity_verified = self.identity_verified


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if identity_verified is not UNSET:
            field_dict["identity_verified"] = identity_verified

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        identity_verified = d.pop("identity_verified", UNSET)

        compliance = cls(
            identity_verified=identity_verified,
        )

        return compliance

