from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="WalletCheck")



@_attrs_define
class WalletCheck:
    """ A wallet beside its ledger.

        Attributes:
            wallet_id (str):
            available (int):
            reserved (int):
            ledger_available (int):
            ledger_reserved (int):
     """

    wallet_id: str
    available: int
    reserved: int
    ledger_available: int
    ledger_reserved: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        wallet_id = self.wallet_id

        available = self.available

        reserved = self.reserved

        ledger_available = self.ledger_available

        ledger_reserved = self.ledger_reserved


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "wallet_id": wallet_id,
            "available": available,
            "reserved": reserved,
            "ledger_available": ledger_available,
            "ledger_reserved": ledger_reserved,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        wallet_id = d.pop("wallet_id")

        available = d.pop("available")

        reserved = d.pop("reserved")

        ledger_available = d.pop("ledger_available")

        ledger_reserved = d.pop("ledger_reserved")

        wallet_check = cls(
            wallet_id=wallet_id,
            available=available,
            reserved=reserved,
            ledger_available=ledger_available,
            ledger_reserved=ledger_reserved,
        )


        wallet_check.additional_properties = d
        return wallet_check

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
