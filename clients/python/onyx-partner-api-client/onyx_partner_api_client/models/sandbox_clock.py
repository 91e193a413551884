from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="SandboxClock")



@_attrs_define
class SandboxClock:
    """ The sandbox clock of the caller's partner.

        Attributes:
            test_time (datetime.datetime): The sandbox environment's time: every time-based rule of this partner's sandbox
                follows it.
            real_time (datetime.datetime): The real time (access tokens, leases and `created_at` of records follow it).
            offset (str): How far the sandbox clock is ahead, as an ISO-8601 duration (`PT0S` until moved). Example: P27D.
            moved_at (datetime.datetime | None | Unset): When the clock was last moved (real time); null when never.
     """

    test_time: datetime.datetime
    real_time: datetime.datetime
    offset: str
    moved_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        test_time = self.test_time.isoformat()

        real_time = self.real_time.isoformat()

        offset = self.offset

        moved_at: None | str | Unset
        if isinstance(self.moved_at, Unset):
            moved_at = UNSET
        elif isinstance(self.moved_at, datetime.datetime):
            moved_at = self.moved_at.isoformat()
        else:
            moved_at = self.moved_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "test_time": test_time,
            "real_time": real_time,
            "offset": offset,
        })
        if moved_at is not UNSET:
            field_dict["moved_at"] = moved_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        test_time = datetime.datetime.fromisoformat(d.pop("test_time"))




        real_time = datetime.datetime.fromisoformat(d.pop("real_time"))




        offset = d.pop("offset")

        def _parse_moved_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                moved_at_type_0 = datetime.datetime.fromisoformat(data)



                return moved_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        moved_at = _parse_moved_at(d.pop("moved_at", UNSET))


        sandbox_clock = cls(
            test_time=test_time,
            real_time=real_time,
            offset=offset,
            moved_at=moved_at,
        )


        sandbox_clock.additional_properties = d
        return sandbox_clock

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
