from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.invoice import Invoice





T = TypeVar("T", bound="InvoiceEventData")



@_attrs_define
class InvoiceEventData:
    """ `invoice.*`: the invoice without its lines (`lines` is null; read them with
    `GET /v1/invoices/{invoice_id}`).

        Attributes:
            invoice (Invoice): An invoice.
     """

    invoice: Invoice
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.invoice import Invoice # noqa: PLC0415
        invoice = self.invoice.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "invoice": invoice,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.invoice import Invoice # noqa: PLC0415
        d = dict(src_dict)
        invoice = Invoice.from_dict(d.pop("invoice"))




        invoice_event_data = cls(
            invoice=invoice,
        )


        invoice_event_data.additional_properties = d
        return invoice_event_data

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
