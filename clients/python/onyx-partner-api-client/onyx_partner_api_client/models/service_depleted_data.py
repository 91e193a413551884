from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="ServiceDepletedData")



@_attrs_define
class ServiceDepletedData:
    """ `service.depleted`: the service used up its data allowance (once per allowance).

        Attributes:
            service_id (str):  Example: svc_0mhx2k9q1002a7f3kq9zt0bw.
            bytes_used (int):  Example: 5368709120.
            data_allowance_bytes (int):  Example: 5368709120.
            as_of (datetime.datetime): When the measurement was taken.
     """

    service_id: str
    bytes_used: int
    data_allowance_bytes: int
    as_of: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        service_id = self.service_id

        bytes_used = self.bytes_used

        data_allowance_bytes = self.data_allowance_bytes

        as_of = self.as_of.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "service_id": service_id,
            "bytes_used": bytes_used,
            "data_allowance_bytes": data_allowance_bytes,
            "as_of": as_of,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        service_id = d.pop("service_id")

        bytes_used = d.pop("bytes_used")

        data_allowance_bytes = d.pop("data_allowance_bytes")

        as_of = datetime.datetime.fromisoformat(d.pop("as_of"))




        service_depleted_data = cls(
            service_id=service_id,
            bytes_used=bytes_used,
            data_allowance_bytes=data_allowance_bytes,
            as_of=as_of,
        )


        service_depleted_data.additional_properties = d
        return service_depleted_data

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
