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






T = TypeVar("T", bound="PageLedgerEntryDataItem")



@_attrs_define
class PageLedgerEntryDataItem:
    """ 
        Attributes:
            id (str):  Example: led_Mk3Jd9rQ2n8sLw0Zx5Tc7Vb1.
            wallet_id (str):
            entry_type (EntryType):
            currency (str):  Example: EUR.
            amount (int): Positive amount in minor units; the type says which way it moved. Example: 1900.
            description (str):  Example: Reserved for order ord_3kT9mQ2xLr8vWc1ZpN0bHs4y.
            created_at (datetime.datetime):
            order_id (None | str | Unset):
            invoice_id (None | str | Unset):
            available_after (int | None | Unset): Wallet balances right after this entry; absent where the caller may not
                read the
                wallet (an order's entries seen by a developer or support member).
            reserved_after (int | None | Unset):
     """

    id: str
    wallet_id: str
    entry_type: EntryType
    currency: str
    amount: int
    description: str
    created_at: datetime.datetime
    order_id: None | str | Unset = UNSET
    invoice_id: None | str | Unset = UNSET
    available_after: int | None | Unset = UNSET
    reserved_after: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        wallet_id = self.wallet_id

        entry_type = self.entry_type.value

        currency = self.currency

        amount = self.amount

        description = self.description

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

        available_after: int | None | Unset
        if isinstance(self.available_after, Unset):
            available_after = UNSET
        else:
            available_after = self.available_after

        reserved_after: int | None | Unset
        if isinstance(self.reserved_after, Unset):
            reserved_after = UNSET
        else:
            reserved_after = self.reserved_after


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "wallet_id": wallet_id,
            "entry_type": entry_type,
            "currency": currency,
            "amount": amount,
            "description": description,
            "created_at": created_at,
        })
        if order_id is not UNSET:
            field_dict["order_id"] = order_id
        if invoice_id is not UNSET:
            field_dict["invoice_id"] = invoice_id
        if available_after is not UNSET:
            field_dict["available_after"] = available_after
        if reserved_after is not UNSET:
            field_dict["reserved_after"] = reserved_after

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        wallet_id = d.pop("wallet_id")

        entry_type = EntryType(d.pop("entry_type"))




        currency = d.pop("currency")

        amount = d.pop("amount")

        description = d.pop("description")

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


        def _parse_available_after(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        available_after = _parse_available_after(d.pop("available_after", UNSET))


        def _parse_reserved_after(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        reserved_after = _parse_reserved_after(d.pop("reserved_after", UNSET))


        page_ledger_entry_data_item = cls(
            id=id,
            wallet_id=wallet_id,
            entry_type=entry_type,
            currency=currency,
            amount=amount,
            description=description,
            created_at=created_at,
            order_id=order_id,
            invoice_id=invoice_id,
            available_after=available_after,
            reserved_after=reserved_after,
        )


        page_ledger_entry_data_item.additional_properties = d
        return page_ledger_entry_data_item

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
