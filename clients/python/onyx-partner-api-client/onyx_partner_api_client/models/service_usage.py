from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.page_usage_snapshot import PageUsageSnapshot
  from ..models.usage_snapshot import UsageSnapshot





T = TypeVar("T", bound="ServiceUsage")



@_attrs_define
class ServiceUsage:
    """ 
        Attributes:
            service_id (str):
            data_unlimited (bool):
            history (PageUsageSnapshot): One page of a list.
            judged_at (datetime.datetime): The environment's time the freshness (`stale`) was judged at: the real time, or
                in a
                sandbox whose test clock was moved, the test time.
            data_allowance_bytes (int | None | Unset): Null when unlimited.
            expires_at (datetime.datetime | None | Unset):
            latest (None | Unset | UsageSnapshot):
     """

    service_id: str
    data_unlimited: bool
    history: PageUsageSnapshot
    judged_at: datetime.datetime
    data_allowance_bytes: int | None | Unset = UNSET
    expires_at: datetime.datetime | None | Unset = UNSET
    latest: None | Unset | UsageSnapshot = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.page_usage_snapshot import PageUsageSnapshot # noqa: PLC0415
        from ..models.usage_snapshot import UsageSnapshot # noqa: PLC0415
        service_id = self.service_id

        data_unlimited = self.data_unlimited

        history = self.history.to_dict()

        judged_at = self.judged_at.isoformat()

        data_allowance_bytes: int | None | Unset
        if isinstance(self.data_allowance_bytes, Unset):
            data_allowance_bytes = UNSET
        else:
            data_allowance_bytes = self.data_allowance_bytes

        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        elif isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        latest: dict[str, Any] | None | Unset
        if isinstance(self.latest, Unset):
            latest = UNSET
        elif isinstance(self.latest, UsageSnapshot):
            latest = self.latest.to_dict()
        else:
            latest = self.latest


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "service_id": service_id,
            "data_unlimited": data_unlimited,
            "history": history,
            "judged_at": judged_at,
        })
        if data_allowance_bytes is not UNSET:
            field_dict["data_allowance_bytes"] = data_allowance_bytes
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if latest is not UNSET:
            field_dict["latest"] = latest

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.page_usage_snapshot import PageUsageSnapshot # noqa: PLC0415
        from ..models.usage_snapshot import UsageSnapshot # noqa: PLC0415
        d = dict(src_dict)
        service_id = d.pop("service_id")

        data_unlimited = d.pop("data_unlimited")

        history = PageUsageSnapshot.from_dict(d.pop("history"))




        judged_at = datetime.datetime.fromisoformat(d.pop("judged_at"))




        def _parse_data_allowance_bytes(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        data_allowance_bytes = _parse_data_allowance_bytes(d.pop("data_allowance_bytes", UNSET))


        def _parse_expires_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)



                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        expires_at = _parse_expires_at(d.pop("expires_at", UNSET))


        def _parse_latest(data: object) -> None | Unset | UsageSnapshot:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                latest_type_1 = UsageSnapshot.from_dict(data)



                return latest_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UsageSnapshot, data)

        latest = _parse_latest(d.pop("latest", UNSET))


        service_usage = cls(
            service_id=service_id,
            data_unlimited=data_unlimited,
            history=history,
            judged_at=judged_at,
            data_allowance_bytes=data_allowance_bytes,
            expires_at=expires_at,
            latest=latest,
        )


        service_usage.additional_properties = d
        return service_usage

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
