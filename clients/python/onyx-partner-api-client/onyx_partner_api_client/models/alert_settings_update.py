from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="AlertSettingsUpdate")



@_attrs_define
class AlertSettingsUpdate:
    """ New alert settings (both lists replace the current ones; they apply to existing services
    at once).

        Example:
            {'usage_thresholds': [50, 90], 'expiry_lead_hours': [72, 12]}

        Attributes:
            usage_thresholds (list[int]): 1 to 5 distinct whole percentages, each 1-100.
            expiry_lead_hours (list[int]): 1 to 5 distinct lead times in whole hours before `expires_at`, each 1-720 (30
                days).
     """

    usage_thresholds: list[int]
    expiry_lead_hours: list[int]





    def to_dict(self) -> dict[str, Any]:
        usage_thresholds = self.usage_thresholds



        expiry_lead_hours = self.expiry_lead_hours




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "usage_thresholds": usage_thresholds,
            "expiry_lead_hours": expiry_lead_hours,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        usage_thresholds = cast(list[int], d.pop("usage_thresholds"))


        expiry_lead_hours = cast(list[int], d.pop("expiry_lead_hours"))


        alert_settings_update = cls(
            usage_thresholds=usage_thresholds,
            expiry_lead_hours=expiry_lead_hours,
        )

        return alert_settings_update

