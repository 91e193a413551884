from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.service import Service





T = TypeVar("T", bound="ServiceExpiringData")



@_attrs_define
class ServiceExpiringData:
    """ `service.expiring`: the service's validity ends within one of the partner's lead times.

        Attributes:
            service_id (str):  Example: svc_0mhx2k9q1002a7f3kq9zt0bw.
            expires_at (datetime.datetime): When the validity ends.
            lead (str): The lead time this alert is for (ISO 8601), e.g. `P3D`. Example: P3D.
            service (Service):
     """

    service_id: str
    expires_at: datetime.datetime
    lead: str
    service: Service
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.service import Service # noqa: PLC0415
        service_id = self.service_id

        expires_at = self.expires_at.isoformat()

        lead = self.lead

        service = self.service.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "service_id": service_id,
            "expires_at": expires_at,
            "lead": lead,
            "service": service,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.service import Service # noqa: PLC0415
        d = dict(src_dict)
        service_id = d.pop("service_id")

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))




        lead = d.pop("lead")

        service = Service.from_dict(d.pop("service"))




        service_expiring_data = cls(
            service_id=service_id,
            expires_at=expires_at,
            lead=lead,
            service=service,
        )


        service_expiring_data.additional_properties = d
        return service_expiring_data

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
