from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.usage_source import UsageSource
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="PageUsageSnapshotDataItem")



@_attrs_define
class PageUsageSnapshotDataItem:
    """ 
        Attributes:
            bytes_used (int):  Example: 4294967296.
            as_of (datetime.datetime): When the network measured it.
            source (UsageSource):
            stale_after (datetime.datetime): When this snapshot stops being current (`as_of` + 6 hours): after it, usage may
                have
                moved on without a newer report.
            stale (bool): Whether `stale_after` had passed, on the environment's clock (a moved sandbox clock
                included), when this answer was made.
            bytes_remaining (int | None | Unset): Null for unlimited data. Example: 6442450944.
            minutes_used (int | None | Unset):
     """

    bytes_used: int
    as_of: datetime.datetime
    source: UsageSource
    stale_after: datetime.datetime
    stale: bool
    bytes_remaining: int | None | Unset = UNSET
    minutes_used: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        bytes_used = self.bytes_used

        as_of = self.as_of.isoformat()

        source = self.source.value

        stale_after = self.stale_after.isoformat()

        stale = self.stale

        bytes_remaining: int | None | Unset
        if isinstance(self.bytes_remaining, Unset):
            bytes_remaining = UNSET
        else:
            bytes_remaining = self.bytes_remaining

        minutes_used: int | None | Unset
        if isinstance(self.minutes_used, Unset):
            minutes_used = UNSET
        else:
            minutes_used = self.minutes_used


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "bytes_used": bytes_used,
            "as_of": as_of,
            "source": source,
            "stale_after": stale_after,
            "stale": stale,
        })
        if bytes_remaining is not UNSET:
            field_dict["bytes_remaining"] = bytes_remaining
        if minutes_used is not UNSET:
            field_dict["minutes_used"] = minutes_used

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        bytes_used = d.pop("bytes_used")

        as_of = datetime.datetime.fromisoformat(d.pop("as_of"))




        source = UsageSource(d.pop("source"))




        stale_after = datetime.datetime.fromisoformat(d.pop("stale_after"))




        stale = d.pop("stale")

        def _parse_bytes_remaining(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        bytes_remaining = _parse_bytes_remaining(d.pop("bytes_remaining", UNSET))


        def _parse_minutes_used(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        minutes_used = _parse_minutes_used(d.pop("minutes_used", UNSET))


        page_usage_snapshot_data_item = cls(
            bytes_used=bytes_used,
            as_of=as_of,
            source=source,
            stale_after=stale_after,
            stale=stale,
            bytes_remaining=bytes_remaining,
            minutes_used=minutes_used,
        )


        page_usage_snapshot_data_item.additional_properties = d
        return page_usage_snapshot_data_item

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
