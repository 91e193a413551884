from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.currency_code import CurrencyCode
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="LowBalanceAlert")



@_attrs_define
class LowBalanceAlert:
    """ A low-balance alert setting.

        Attributes:
            currency (CurrencyCode): An active ISO 4217 currency code, in upper case.
            threshold_minor (int | None | Unset): 1 to 100000000 minor units; null removes the alert. Example: 5000.
     """

    currency: CurrencyCode
    threshold_minor: int | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        currency = self.currency.value

        threshold_minor: int | None | Unset
        if isinstance(self.threshold_minor, Unset):
            threshold_minor = UNSET
        else:
            threshold_minor = self.threshold_minor


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "currency": currency,
        })
        if threshold_minor is not UNSET:
            field_dict["threshold_minor"] = threshold_minor

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        currency = CurrencyCode(d.pop("currency"))




        def _parse_threshold_minor(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        threshold_minor = _parse_threshold_minor(d.pop("threshold_minor", UNSET))


        low_balance_alert = cls(
            currency=currency,
            threshold_minor=threshold_minor,
        )

        return low_balance_alert

