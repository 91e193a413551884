from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.invoice import Invoice





T = TypeVar("T", bound="ClosedPeriod")



@_attrs_define
class ClosedPeriod:
    """ The invoices a close made.

        Attributes:
            period (str): The period closed, `YYYY-MM`. Example: 2026-11.
            data (list[Invoice]): The invoices made (issued at once in sandbox), with their lines; empty when nothing
                was left to bill.
     """

    period: str
    data: list[Invoice]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.invoice import Invoice # noqa: PLC0415
        period = self.period

        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "period": period,
            "data": data,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.invoice import Invoice # noqa: PLC0415
        d = dict(src_dict)
        period = d.pop("period")

        data = []
        _data = d.pop("data")
        for data_item_data in (_data):
            data_item = Invoice.from_dict(data_item_data)



            data.append(data_item)


        closed_period = cls(
            period=period,
            data=data,
        )


        closed_period.additional_properties = d
        return closed_period

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
