from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.entry_type import EntryType
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="PageBalancePointDataItem")



@_attrs_define
class PageBalancePointDataItem:
    """ One point of a wallet's balance history: the balances right after one ledger entry.

        Attributes:
            ledger_entry_id (str): The ledger entry that moved the balance. Example: led_Mk3Jd9rQ2n8sLw0Zx5Tc7Vb1.
            entry_type (EntryType):
            amount (int): The entry's amount (positive; `entry_type` says which way it moved). Example: 1900.
            available (int):  Example: 48100.
            reserved (int):  Example: 1900.
            balance (int): Available plus reserved: the running balance of the wallet. Example: 50000.
            created_at (datetime.datetime):
            order_id (None | str | Unset):
            invoice_id (None | str | Unset):
     """

    ledger_entry_id: str
    entry_type: EntryType
    amount: int
    available: int
    reserved: int
    balance: int
    created_at: datetime.datetime
    order_id: None | str | Unset = UNSET
    invoice_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        ledger_entry_id = self.ledger_entry_id

        entry_type = self.entry_type.value

        amount = self.amount

        available = self.available

        reserved = self.reserved

        balance = self.balance

        created_at = self.created_at.isoformat()

        order_id: None | str | Unset
        if isinstance(self.order_id, Unset):
            order_id = UNSET
        else:
            order_id = self.order_id

        invoice_id: None | str | Unset
        if isinstance(self.invoice_id, Unset):
            invoice_id = UNSET
        else:
            invoice_id = self.invoice_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "ledger_entry_id": ledger_entry_id,
            "entry_type": entry_type,
            "amount": amount,
            "available": available,
            "reserved": reserved,
            "balance": balance,
            "created_at": created_at,
        })
        if order_id is not UNSET:
            field_dict["order_id"] = order_id
        if invoice_id is not UNSET:
            field_dict["invoice_id"] = invoice_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        ledger_entry_id = d.pop("ledger_entry_id")

        entry_type = EntryType(d.pop("entry_type"))




        amount = d.pop("amount")

        available = d.pop("available")

        reserved = d.pop("reserved")

        balance = d.pop("balance")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        def _parse_order_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        order_id = _parse_order_id(d.pop("order_id", UNSET))


        def _parse_invoice_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        invoice_id = _parse_invoice_id(d.pop("invoice_id", UNSET))


        page_balance_point_data_item = cls(
            ledger_entry_id=ledger_entry_id,
            entry_type=entry_type,
            amount=amount,
            available=available,
            reserved=reserved,
            balance=balance,
            created_at=created_at,
            order_id=order_id,
            invoice_id=invoice_id,
        )


        page_balance_point_data_item.additional_properties = d
        return page_balance_point_data_item

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
