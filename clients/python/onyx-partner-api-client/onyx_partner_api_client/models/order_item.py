from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.package_kind import PackageKind
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="OrderItem")



@_attrs_define
class OrderItem:
    """ 
        Attributes:
            package_id (str):
            kind (PackageKind): What a package is.
            price_minor (int): Price at the time of the order, in minor units.
            currency (str):
            voice_type (None | str | Unset):
     """

    package_id: str
    kind: PackageKind
    price_minor: int
    currency: str
    voice_type: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        package_id = self.package_id

        kind = self.kind.value

        price_minor = self.price_minor

        currency = self.currency

        voice_type: None | str | Unset
        if isinstance(self.voice_type, Unset):
            voice_type = UNSET
        else:
            voice_type = self.voice_type


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "package_id": package_id,
            "kind": kind,
            "price_minor": price_minor,
            "currency": currency,
        })
        if voice_type is not UNSET:
            field_dict["voice_type"] = voice_type

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        package_id = d.pop("package_id")

        kind = PackageKind(d.pop("kind"))




        price_minor = d.pop("price_minor")

        currency = d.pop("currency")

        def _parse_voice_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        voice_type = _parse_voice_type(d.pop("voice_type", UNSET))


        order_item = cls(
            package_id=package_id,
            kind=kind,
            price_minor=price_minor,
            currency=currency,
            voice_type=voice_type,
        )


        order_item.additional_properties = d
        return order_item

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
