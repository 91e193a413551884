from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.currency_reconciliation import CurrencyReconciliation





T = TypeVar("T", bound="Reconciliation")



@_attrs_define
class Reconciliation:
    """ The reconciliation of one period.

        Attributes:
            period (str):  Example: 2026-11.
            mismatch_count (int): Mismatches over every currency; 0 for a healthy account. Example: 0.
            currencies (list[CurrencyReconciliation]):
     """

    period: str
    mismatch_count: int
    currencies: list[CurrencyReconciliation]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.currency_reconciliation import CurrencyReconciliation # noqa: PLC0415
        period = self.period

        mismatch_count = self.mismatch_count

        currencies = []
        for currencies_item_data in self.currencies:
            currencies_item = currencies_item_data.to_dict()
            currencies.append(currencies_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "period": period,
            "mismatch_count": mismatch_count,
            "currencies": currencies,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.currency_reconciliation import CurrencyReconciliation # noqa: PLC0415
        d = dict(src_dict)
        period = d.pop("period")

        mismatch_count = d.pop("mismatch_count")

        currencies = []
        _currencies = d.pop("currencies")
        for currencies_item_data in (_currencies):
            currencies_item = CurrencyReconciliation.from_dict(currencies_item_data)



            currencies.append(currencies_item)


        reconciliation = cls(
            period=period,
            mismatch_count=mismatch_count,
            currencies=currencies,
        )


        reconciliation.additional_properties = d
        return reconciliation

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
