from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.low_balance_wallet import LowBalanceWallet





T = TypeVar("T", bound="LowBalanceData")



@_attrs_define
class LowBalanceData:
    """ `wallet.low_balance`: the available balance fell below the alert threshold (once per
    downward crossing).

        Attributes:
            wallet (LowBalanceWallet): The wallet in a `wallet.low_balance` event.
            ledger_entry_id (str): The ledger entry that crossed the threshold. Example: led_0mhx2k9q1002a7f3kq9zt0bw.
     """

    wallet: LowBalanceWallet
    ledger_entry_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.low_balance_wallet import LowBalanceWallet # noqa: PLC0415
        wallet = self.wallet.to_dict()

        ledger_entry_id = self.ledger_entry_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "wallet": wallet,
            "ledger_entry_id": ledger_entry_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.low_balance_wallet import LowBalanceWallet # noqa: PLC0415
        d = dict(src_dict)
        wallet = LowBalanceWallet.from_dict(d.pop("wallet"))




        ledger_entry_id = d.pop("ledger_entry_id")

        low_balance_data = cls(
            wallet=wallet,
            ledger_entry_id=ledger_entry_id,
        )


        low_balance_data.additional_properties = d
        return low_balance_data

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
