from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="AdvanceClock")



@_attrs_define
class AdvanceClock:
    """ Where to move the clock: exactly one of `to` and `by`.

        Example:
            {'by': 'P27D'}

        Attributes:
            to (datetime.datetime | None | Unset): The new test time (RFC 3339); after the current test time.
            by (None | str | Unset): How far to move (ISO-8601 duration of weeks, days, hours, minutes, seconds: `P3D`,
                `PT36H`, `P1DT12H`), more than zero. Example: P3D.
     """

    to: datetime.datetime | None | Unset = UNSET
    by: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        to: None | str | Unset
        if isinstance(self.to, Unset):
            to = UNSET
        elif isinstance(self.to, datetime.datetime):
            to = self.to.isoformat()
        else:
            to = self.to

        by: None | str | Unset
        if isinstance(self.by, Unset):
            by = UNSET
        else:
            by = self.by


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if to is not UNSET:
            field_dict["to"] = to
        if by is not UNSET:
            field_dict["by"] = by

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_to(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                to_type_0 = datetime.datetime.fromisoformat(data)



                return to_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        to = _parse_to(d.pop("to", UNSET))


        def _parse_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        by = _parse_by(d.pop("by", UNSET))


        advance_clock = cls(
            to=to,
            by=by,
        )

        return advance_clock

