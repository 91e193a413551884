from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="AlertSettings")



@_attrs_define
class AlertSettings:
    """ A tenant's alert settings as the API shows them.

        Attributes:
            usage_thresholds (list[int]): Percentages of the data allowance; `usage.threshold_reached` fires once per
                threshold
                and allowance (a top-up re-arms them). Default `[80, 100]`. Example: [50, 90].
            expiry_lead_hours (list[int]): How long before `expires_at` a `service.expiring` event fires, in hours, longest
                first. Default `[72, 24]`. Example: [72, 24].
            expiry_lead_times (list[str]): The same lead times as ISO-8601 durations (what `service.expiring` carries as
                `lead`). Example: ['P3D', 'P1D'].
            default (bool): Whether these are the defaults (never set for this environment).
            updated_at (datetime.datetime | None | Unset):
     """

    usage_thresholds: list[int]
    expiry_lead_hours: list[int]
    expiry_lead_times: list[str]
    default: bool
    updated_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        usage_thresholds = self.usage_thresholds



        expiry_lead_hours = self.expiry_lead_hours



        expiry_lead_times = self.expiry_lead_times



        default = self.default

        updated_at: None | str | Unset
        if isinstance(self.updated_at, Unset):
            updated_at = UNSET
        elif isinstance(self.updated_at, datetime.datetime):
            updated_at = self.updated_at.isoformat()
        else:
            updated_at = self.updated_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "usage_thresholds": usage_thresholds,
            "expiry_lead_hours": expiry_lead_hours,
            "expiry_lead_times": expiry_lead_times,
            "default": default,
        })
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        usage_thresholds = cast(list[int], d.pop("usage_thresholds"))


        expiry_lead_hours = cast(list[int], d.pop("expiry_lead_hours"))


        expiry_lead_times = cast(list[str], d.pop("expiry_lead_times"))


        default = d.pop("default")

        def _parse_updated_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                updated_at_type_0 = datetime.datetime.fromisoformat(data)



                return updated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        updated_at = _parse_updated_at(d.pop("updated_at", UNSET))


        alert_settings = cls(
            usage_thresholds=usage_thresholds,
            expiry_lead_hours=expiry_lead_hours,
            expiry_lead_times=expiry_lead_times,
            default=default,
            updated_at=updated_at,
        )


        alert_settings.additional_properties = d
        return alert_settings

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
