from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.install_state import InstallState
from ..models.service_state import ServiceState
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.usage_snapshot import UsageSnapshot





T = TypeVar("T", bound="PageServiceDataItem")



@_attrs_define
class PageServiceDataItem:
    """ 
        Attributes:
            id (str):  Example: svc_Lw0Zx5Tc7Vb1Mk3Jd9rQ2n8s.
            customer_reference (str):  Example: booking-48151623.
            package_id (str): The plan the subscription runs on. Example: eu-10gb-30d.
            state (ServiceState):
            next_step (str): What Onyx asks you to do now.
            install_state (InstallState):
            data_unlimited (bool):
            created_at (datetime.datetime):
            updated_at (datetime.datetime):
            iccid (None | str | Unset): Assigned when the service is ready to install. Example: 8988247000012345678.
            data_allowance_bytes (int | None | Unset): Data included so far (plan plus top-ups); null when unlimited.
            activated_at (datetime.datetime | None | Unset):
            expires_at (datetime.datetime | None | Unset): When the service stops (set on activation, extended by top-ups).
            usage (None | Unset | UsageSnapshot):
     """

    id: str
    customer_reference: str
    package_id: str
    state: ServiceState
    next_step: str
    install_state: InstallState
    data_unlimited: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime
    iccid: None | str | Unset = UNSET
    data_allowance_bytes: int | None | Unset = UNSET
    activated_at: datetime.datetime | None | Unset = UNSET
    expires_at: datetime.datetime | None | Unset = UNSET
    usage: None | Unset | UsageSnapshot = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.usage_snapshot import UsageSnapshot # noqa: PLC0415
        id = self.id

        customer_reference = self.customer_reference

        package_id = self.package_id

        state = self.state.value

        next_step = self.next_step

        install_state = self.install_state.value

        data_unlimited = self.data_unlimited

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        iccid: None | str | Unset
        if isinstance(self.iccid, Unset):
            iccid = UNSET
        else:
            iccid = self.iccid

        data_allowance_bytes: int | None | Unset
        if isinstance(self.data_allowance_bytes, Unset):
            data_allowance_bytes = UNSET
        else:
            data_allowance_bytes = self.data_allowance_bytes

        activated_at: None | str | Unset
        if isinstance(self.activated_at, Unset):
            activated_at = UNSET
        elif isinstance(self.activated_at, datetime.datetime):
            activated_at = self.activated_at.isoformat()
        else:
            activated_at = self.activated_at

        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        elif isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        usage: dict[str, Any] | None | Unset
        if isinstance(self.usage, Unset):
            usage = UNSET
        elif isinstance(self.usage, UsageSnapshot):
            usage = self.usage.to_dict()
        else:
            usage = self.usage


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "customer_reference": customer_reference,
            "package_id": package_id,
            "state": state,
            "next_step": next_step,
            "install_state": install_state,
            "data_unlimited": data_unlimited,
            "created_at": created_at,
            "updated_at": updated_at,
        })
        if iccid is not UNSET:
            field_dict["iccid"] = iccid
        if data_allowance_bytes is not UNSET:
            field_dict["data_allowance_bytes"] = data_allowance_bytes
        if activated_at is not UNSET:
            field_dict["activated_at"] = activated_at
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if usage is not UNSET:
            field_dict["usage"] = usage

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.usage_snapshot import UsageSnapshot # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        customer_reference = d.pop("customer_reference")

        package_id = d.pop("package_id")

        state = ServiceState(d.pop("state"))




        next_step = d.pop("next_step")

        install_state = InstallState(d.pop("install_state"))




        data_unlimited = d.pop("data_unlimited")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))




        def _parse_iccid(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        iccid = _parse_iccid(d.pop("iccid", UNSET))


        def _parse_data_allowance_bytes(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        data_allowance_bytes = _parse_data_allowance_bytes(d.pop("data_allowance_bytes", UNSET))


        def _parse_activated_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                activated_at_type_0 = datetime.datetime.fromisoformat(data)



                return activated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        activated_at = _parse_activated_at(d.pop("activated_at", UNSET))


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


        def _parse_usage(data: object) -> None | Unset | UsageSnapshot:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                usage_type_1 = UsageSnapshot.from_dict(data)



                return usage_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UsageSnapshot, data)

        usage = _parse_usage(d.pop("usage", UNSET))


        page_service_data_item = cls(
            id=id,
            customer_reference=customer_reference,
            package_id=package_id,
            state=state,
            next_step=next_step,
            install_state=install_state,
            data_unlimited=data_unlimited,
            created_at=created_at,
            updated_at=updated_at,
            iccid=iccid,
            data_allowance_bytes=data_allowance_bytes,
            activated_at=activated_at,
            expires_at=expires_at,
            usage=usage,
        )


        page_service_data_item.additional_properties = d
        return page_service_data_item

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
