from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="LowBalanceWallet")



@_attrs_define
class LowBalanceWallet:
    """ The wallet in a `wallet.low_balance` event.

        Attributes:
            id (str):  Example: wal_Jd9rQ2n8sLw0Zx5Tc7Vb1Mk3.
            currency (str):  Example: EUR.
            available (int): Spendable after the movement, in minor units. Example: 900.
            reserved (int):  Example: 1900.
            low_balance_threshold (int):  Example: 1000.
     """

    id: str
    currency: str
    available: int
    reserved: int
    low_balance_threshold: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        currency = self.currency

        available = self.available

        reserved = self.reserved

        low_balance_threshold = self.low_balance_threshold


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "currency": currency,
            "available": available,
            "reserved": reserved,
            "low_balance_threshold": low_balance_threshold,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        currency = d.pop("currency")

        available = d.pop("available")

        reserved = d.pop("reserved")

        low_balance_threshold = d.pop("low_balance_threshold")

        low_balance_wallet = cls(
            id=id,
            currency=currency,
            available=available,
            reserved=reserved,
            low_balance_threshold=low_balance_threshold,
        )


        low_balance_wallet.additional_properties = d
        return low_balance_wallet

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
