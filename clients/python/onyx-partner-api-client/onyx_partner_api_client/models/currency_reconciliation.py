from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.mismatch import Mismatch
  from ..models.wallet_check import WalletCheck





T = TypeVar("T", bound="CurrencyReconciliation")



@_attrs_define
class CurrencyReconciliation:
    """ One currency of the period.

        Attributes:
            currency (str):  Example: EUR.
            completed_orders (int): Orders completed in the period (with a price). Example: 12.
            completed_orders_minor (int): The sum of their totals. Example: 22800.
            captured_minor (int): Captures made in the period. Example: 22800.
            refunded_minor (int): Refunds made in the period. Example: 1300.
            invoiced_minor (int): The totals of the period's invoices that are not void. Example: 21500.
            mismatches (list[Mismatch]):
            wallet (None | Unset | WalletCheck):
     """

    currency: str
    completed_orders: int
    completed_orders_minor: int
    captured_minor: int
    refunded_minor: int
    invoiced_minor: int
    mismatches: list[Mismatch]
    wallet: None | Unset | WalletCheck = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.mismatch import Mismatch # noqa: PLC0415
        from ..models.wallet_check import WalletCheck # noqa: PLC0415
        currency = self.currency

        completed_orders = self.completed_orders

        completed_orders_minor = self.completed_orders_minor

        captured_minor = self.captured_minor

        refunded_minor = self.refunded_minor

        invoiced_minor = self.invoiced_minor

        mismatches = []
        for mismatches_item_data in self.mismatches:
            mismatches_item = mismatches_item_data.to_dict()
            mismatches.append(mismatches_item)



        wallet: dict[str, Any] | None | Unset
        if isinstance(self.wallet, Unset):
            wallet = UNSET
        elif isinstance(self.wallet, WalletCheck):
            wallet = self.wallet.to_dict()
        else:
            wallet = self.wallet


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "currency": currency,
            "completed_orders": completed_orders,
            "completed_orders_minor": completed_orders_minor,
            "captured_minor": captured_minor,
            "refunded_minor": refunded_minor,
            "invoiced_minor": invoiced_minor,
            "mismatches": mismatches,
        })
        if wallet is not UNSET:
            field_dict["wallet"] = wallet

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.mismatch import Mismatch # noqa: PLC0415
        from ..models.wallet_check import WalletCheck # noqa: PLC0415
        d = dict(src_dict)
        currency = d.pop("currency")

        completed_orders = d.pop("completed_orders")

        completed_orders_minor = d.pop("completed_orders_minor")

        captured_minor = d.pop("captured_minor")

        refunded_minor = d.pop("refunded_minor")

        invoiced_minor = d.pop("invoiced_minor")

        mismatches = []
        _mismatches = d.pop("mismatches")
        for mismatches_item_data in (_mismatches):
            mismatches_item = Mismatch.from_dict(mismatches_item_data)



            mismatches.append(mismatches_item)


        def _parse_wallet(data: object) -> None | Unset | WalletCheck:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                wallet_type_1 = WalletCheck.from_dict(data)



                return wallet_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | WalletCheck, data)

        wallet = _parse_wallet(d.pop("wallet", UNSET))


        currency_reconciliation = cls(
            currency=currency,
            completed_orders=completed_orders,
            completed_orders_minor=completed_orders_minor,
            captured_minor=captured_minor,
            refunded_minor=refunded_minor,
            invoiced_minor=invoiced_minor,
            mismatches=mismatches,
            wallet=wallet,
        )


        currency_reconciliation.additional_properties = d
        return currency_reconciliation

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
