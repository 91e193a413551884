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
  from ..models.order_snapshot import OrderSnapshot
  from ..models.service_snapshot import ServiceSnapshot





T = TypeVar("T", bound="CaseState")



@_attrs_define
class CaseState:
    """ The state of what a case references, filled in by the service.

        Attributes:
            as_of (datetime.datetime): When this state was read.
            order (None | OrderSnapshot | Unset):
            service (None | ServiceSnapshot | Unset):
     """

    as_of: datetime.datetime
    order: None | OrderSnapshot | Unset = UNSET
    service: None | ServiceSnapshot | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.order_snapshot import OrderSnapshot # noqa: PLC0415
        from ..models.service_snapshot import ServiceSnapshot # noqa: PLC0415
        as_of = self.as_of.isoformat()

        order: dict[str, Any] | None | Unset
        if isinstance(self.order, Unset):
            order = UNSET
        elif isinstance(self.order, OrderSnapshot):
            order = self.order.to_dict()
        else:
            order = self.order

        service: dict[str, Any] | None | Unset
        if isinstance(self.service, Unset):
            service = UNSET
        elif isinstance(self.service, ServiceSnapshot):
            service = self.service.to_dict()
        else:
            service = self.service


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "as_of": as_of,
        })
        if order is not UNSET:
            field_dict["order"] = order
        if service is not UNSET:
            field_dict["service"] = service

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.order_snapshot import OrderSnapshot # noqa: PLC0415
        from ..models.service_snapshot import ServiceSnapshot # noqa: PLC0415
        d = dict(src_dict)
        as_of = datetime.datetime.fromisoformat(d.pop("as_of"))




        def _parse_order(data: object) -> None | OrderSnapshot | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                order_type_1 = OrderSnapshot.from_dict(data)



                return order_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OrderSnapshot | Unset, data)

        order = _parse_order(d.pop("order", UNSET))


        def _parse_service(data: object) -> None | ServiceSnapshot | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                service_type_1 = ServiceSnapshot.from_dict(data)



                return service_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ServiceSnapshot | Unset, data)

        service = _parse_service(d.pop("service", UNSET))


        case_state = cls(
            as_of=as_of,
            order=order,
            service=service,
        )


        case_state.additional_properties = d
        return case_state

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
