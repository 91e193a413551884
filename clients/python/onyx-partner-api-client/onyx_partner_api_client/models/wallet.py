from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="Wallet")



@_attrs_define
class Wallet:
    """ One wallet.

        Attributes:
            id (str):  Example: wal_Jd9rQ2n8sLw0Zx5Tc7Vb1Mk3.
            currency (str):  Example: EUR.
            available (int): Spendable now, in minor units. Example: 48100.
            reserved (int): Set aside for open orders. Example: 1900.
            spent_this_period (int): Captured less refunded in the current calendar month (UTC). Example: 3800.
            period_start (datetime.date): First day of the current period. Example: 2026-11-01.
            updated_at (datetime.datetime):
            low_balance_threshold (int | None | Unset): Below this available balance `wallet.low_balance` fires, once per
                downward crossing
                (re-armed when the balance is back at or above it); null: no alert. Example: 5000.
     """

    id: str
    currency: str
    available: int
    reserved: int
    spent_this_period: int
    period_start: datetime.date
    updated_at: datetime.datetime
    low_balance_threshold: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        currency = self.currency

        available = self.available

        reserved = self.reserved

        spent_this_period = self.spent_this_period

        period_start = self.period_start.isoformat()

        updated_at = self.updated_at.isoformat()

        low_balance_threshold: int | None | Unset
        if isinstance(self.low_balance_threshold, Unset):
            low_balance_threshold = UNSET
        else:
            low_balance_threshold = self.low_balance_threshold


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "currency": currency,
            "available": available,
            "reserved": reserved,
            "spent_this_period": spent_this_period,
            "period_start": period_start,
            "updated_at": updated_at,
        })
        if low_balance_threshold is not UNSET:
            field_dict["low_balance_threshold"] = low_balance_threshold

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        currency = d.pop("currency")

        available = d.pop("available")

        reserved = d.pop("reserved")

        spent_this_period = d.pop("spent_this_period")

        period_start = datetime.date.fromisoformat(d.pop("period_start"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))




        def _parse_low_balance_threshold(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        low_balance_threshold = _parse_low_balance_threshold(d.pop("low_balance_threshold", UNSET))


        wallet = cls(
            id=id,
            currency=currency,
            available=available,
            reserved=reserved,
            spent_this_period=spent_this_period,
            period_start=period_start,
            updated_at=updated_at,
            low_balance_threshold=low_balance_threshold,
        )


        wallet.additional_properties = d
        return wallet

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
