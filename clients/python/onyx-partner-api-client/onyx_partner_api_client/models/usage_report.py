from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="UsageReport")



@_attrs_define
class UsageReport:
    """ 
        Example:
            {'bytes_used': 4294967296, 'minutes_used': 12}

        Attributes:
            bytes_used (int): Data used since activation, in bytes. Example: 4294967296.
            minutes_used (int | None | Unset):
            as_of (datetime.datetime | None | Unset): When it was measured (default: now); not in the future.
     """

    bytes_used: int
    minutes_used: int | None | Unset = UNSET
    as_of: datetime.datetime | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        bytes_used = self.bytes_used

        minutes_used: int | None | Unset
        if isinstance(self.minutes_used, Unset):
            minutes_used = UNSET
        else:
            minutes_used = self.minutes_used

        as_of: None | str | Unset
        if isinstance(self.as_of, Unset):
            as_of = UNSET
        elif isinstance(self.as_of, datetime.datetime):
            as_of = self.as_of.isoformat()
        else:
            as_of = self.as_of


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "bytes_used": bytes_used,
        })
        if minutes_used is not UNSET:
            field_dict["minutes_used"] = minutes_used
        if as_of is not UNSET:
            field_dict["as_of"] = as_of

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        bytes_used = d.pop("bytes_used")

        def _parse_minutes_used(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        minutes_used = _parse_minutes_used(d.pop("minutes_used", UNSET))


        def _parse_as_of(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                as_of_type_0 = datetime.datetime.fromisoformat(data)



                return as_of_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        as_of = _parse_as_of(d.pop("as_of", UNSET))


        usage_report = cls(
            bytes_used=bytes_used,
            minutes_used=minutes_used,
            as_of=as_of,
        )

        return usage_report

