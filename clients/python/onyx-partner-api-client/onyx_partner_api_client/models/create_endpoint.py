from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.event_type import EventType
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="CreateEndpoint")



@_attrs_define
class CreateEndpoint:
    """ 
        Example:
            {'url': 'https://hooks.wanderlust.example/onyx', 'description': 'Booking backend', 'event_types':
                ['order.completed', 'order.failed']}

        Attributes:
            url (str): An https URL with a host name or an IPv4 address, or in sandbox http to loopback (`localhost`,
                `127.0.0.1`, `[::1]`) for a receiver on your machine; ASCII only (IDN hosts in their `xn--` form), no user name
                or password, at most 2048 characters. Live endpoints may not name loopback, private or link-local hosts.
            description (None | str | Unset):
            event_types (list[EventType] | Unset): Types to receive; leave out or empty for every type.
     """

    url: str
    description: None | str | Unset = UNSET
    event_types: list[EventType] | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        url = self.url

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        event_types: list[str] | Unset = UNSET
        if not isinstance(self.event_types, Unset):
            event_types = []
            for event_types_item_data in self.event_types:
                event_types_item = event_types_item_data.value
                event_types.append(event_types_item)




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "url": url,
        })
        if description is not UNSET:
            field_dict["description"] = description
        if event_types is not UNSET:
            field_dict["event_types"] = event_types

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        url = d.pop("url")

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))


        _event_types = d.pop("event_types", UNSET)
        event_types: list[EventType] | Unset = UNSET
        if _event_types is not UNSET:
            event_types = []
            for event_types_item_data in _event_types:
                event_types_item = EventType(event_types_item_data)



                event_types.append(event_types_item)


        create_endpoint = cls(
            url=url,
            description=description,
            event_types=event_types,
        )

        return create_endpoint

