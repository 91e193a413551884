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






T = TypeVar("T", bound="InvoiceLine")



@_attrs_define
class InvoiceLine:
    """ One line: one ledger entry.

        Attributes:
            id (str):  Example: inl_0mhx2k9q1002a7f3kq9zt0bw.
            position (int): 1-based position on the invoice (ledger order). Example: 1.
            ledger_entry_id (str): The ledger entry this line bills. Example: led_Mk3Jd9rQ2n8sLw0Zx5Tc7Vb1.
            entry_type (EntryType):
            description (str):  Example: Captured for order ord_3kT9mQ2xLr8vWc1ZpN0bHs4y.
            amount_minor (int): Signed: charged positive, refunded or credited negative. Example: 1900.
            created_at (datetime.datetime): When the ledger entry was made.
            order_id (None | str | Unset): The order the entry belongs to (captures, refunds).
     """

    id: str
    position: int
    ledger_entry_id: str
    entry_type: EntryType
    description: str
    amount_minor: int
    created_at: datetime.datetime
    order_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        position = self.position

        ledger_entry_id = self.ledger_entry_id

        entry_type = self.entry_type.value

        description = self.description

        amount_minor = self.amount_minor

        created_at = self.created_at.isoformat()

        order_id: None | str | Unset
        if isinstance(self.order_id, Unset):
            order_id = UNSET
        else:
            order_id = self.order_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "position": position,
            "ledger_entry_id": ledger_entry_id,
            "entry_type": entry_type,
            "description": description,
            "amount_minor": amount_minor,
            "created_at": created_at,
        })
        if order_id is not UNSET:
            field_dict["order_id"] = order_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        position = d.pop("position")

        ledger_entry_id = d.pop("ledger_entry_id")

        entry_type = EntryType(d.pop("entry_type"))




        description = d.pop("description")

        amount_minor = d.pop("amount_minor")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        def _parse_order_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        order_id = _parse_order_id(d.pop("order_id", UNSET))


        invoice_line = cls(
            id=id,
            position=position,
            ledger_entry_id=ledger_entry_id,
            entry_type=entry_type,
            description=description,
            amount_minor=amount_minor,
            created_at=created_at,
            order_id=order_id,
        )


        invoice_line.additional_properties = d
        return invoice_line

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
