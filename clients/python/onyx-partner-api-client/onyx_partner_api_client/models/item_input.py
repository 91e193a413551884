from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="ItemInput")



@_attrs_define
class ItemInput:
    """ 
        Attributes:
            package_id (str):  Example: eu-10gb-30d.
     """

    package_id: str





    def to_dict(self) -> dict[str, Any]:
        package_id = self.package_id


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "package_id": package_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        package_id = d.pop("package_id")

        item_input = cls(
            package_id=package_id,
        )

        return item_input

