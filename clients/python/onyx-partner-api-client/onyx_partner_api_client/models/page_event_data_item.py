from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.environment import Environment
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.page_event_data_item_data import PageEventDataItemData





T = TypeVar("T", bound="PageEventDataItem")



@_attrs_define
class PageEventDataItem:
    """ An event as the API and webhooks present it (the webhook body is exactly this).

        Attributes:
            id (str):  Example: evt_0mhx2k9q1002a7f3kq9zt0bw.
            type_ (str):  Example: order.completed.
            api_version (str):  Example: 2026-11-01.
            environment (Environment): The two isolated environments of every partner.
            created_at (datetime.datetime): When it happened (real time).
            data (PageEventDataItemData):
            test_clock_time (datetime.datetime | None | Unset): Sandbox only, while the partner's sandbox test clock is
                moved forward: the test time
                at which it happened (`created_at` stays the real time). Absent otherwise.
     """

    id: str
    type_: str
    api_version: str
    environment: Environment
    created_at: datetime.datetime
    data: PageEventDataItemData
    test_clock_time: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.page_event_data_item_data import PageEventDataItemData # noqa: PLC0415
        id = self.id

        type_ = self.type_

        api_version = self.api_version

        environment = self.environment.value

        created_at = self.created_at.isoformat()

        data = self.data.to_dict()

        test_clock_time: None | str | Unset
        if isinstance(self.test_clock_time, Unset):
            test_clock_time = UNSET
        elif isinstance(self.test_clock_time, datetime.datetime):
            test_clock_time = self.test_clock_time.isoformat()
        else:
            test_clock_time = self.test_clock_time


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "type": type_,
            "api_version": api_version,
            "environment": environment,
            "created_at": created_at,
            "data": data,
        })
        if test_clock_time is not UNSET:
            field_dict["test_clock_time"] = test_clock_time

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.page_event_data_item_data import PageEventDataItemData # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        type_ = d.pop("type")

        api_version = d.pop("api_version")

        environment = Environment(d.pop("environment"))




        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        data = PageEventDataItemData.from_dict(d.pop("data"))




        def _parse_test_clock_time(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                test_clock_time_type_0 = datetime.datetime.fromisoformat(data)



                return test_clock_time_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        test_clock_time = _parse_test_clock_time(d.pop("test_clock_time", UNSET))


        page_event_data_item = cls(
            id=id,
            type_=type_,
            api_version=api_version,
            environment=environment,
            created_at=created_at,
            data=data,
            test_clock_time=test_clock_time,
        )


        page_event_data_item.additional_properties = d
        return page_event_data_item

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
