from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.material_status import MaterialStatus
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.install_links import InstallLinks





T = TypeVar("T", bound="ActivationMaterials")



@_attrs_define
class ActivationMaterials:
    """ The secret materials, as served by `GET /v1/services/{service_id}/activation`.

        Attributes:
            id (str):  Example: act_0mhx2k9q1002a7f3kq9zt0bw.
            service_id (str):
            status (MaterialStatus):
            iccid (str):  Example: 8988247000012345678.
            activation_code (str): Give this to the device (or render it as the QR code). Example:
                LPA:1$smdp.onyx.example$K2M9Q-7XH3D-P8VN4-TR6WZ.
            smdp_address (str):  Example: smdp.onyx.example.
            matching_id (str):  Example: K2M9Q-7XH3D-P8VN4-TR6WZ.
            confirmation_code_required (bool): Whether the device will ask for `confirmation_code`.
            install_links (InstallLinks):
            issued_at (datetime.datetime):
            confirmation_code (None | str | Unset):
            retrieved_at (datetime.datetime | None | Unset):
            installed_at (datetime.datetime | None | Unset):
     """

    id: str
    service_id: str
    status: MaterialStatus
    iccid: str
    activation_code: str
    smdp_address: str
    matching_id: str
    confirmation_code_required: bool
    install_links: InstallLinks
    issued_at: datetime.datetime
    confirmation_code: None | str | Unset = UNSET
    retrieved_at: datetime.datetime | None | Unset = UNSET
    installed_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.install_links import InstallLinks # noqa: PLC0415
        id = self.id

        service_id = self.service_id

        status = self.status.value

        iccid = self.iccid

        activation_code = self.activation_code

        smdp_address = self.smdp_address

        matching_id = self.matching_id

        confirmation_code_required = self.confirmation_code_required

        install_links = self.install_links.to_dict()

        issued_at = self.issued_at.isoformat()

        confirmation_code: None | str | Unset
        if isinstance(self.confirmation_code, Unset):
            confirmation_code = UNSET
        else:
            confirmation_code = self.confirmation_code

        retrieved_at: None | str | Unset
        if isinstance(self.retrieved_at, Unset):
            retrieved_at = UNSET
        elif isinstance(self.retrieved_at, datetime.datetime):
            retrieved_at = self.retrieved_at.isoformat()
        else:
            retrieved_at = self.retrieved_at

        installed_at: None | str | Unset
        if isinstance(self.installed_at, Unset):
            installed_at = UNSET
        elif isinstance(self.installed_at, datetime.datetime):
            installed_at = self.installed_at.isoformat()
        else:
            installed_at = self.installed_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "service_id": service_id,
            "status": status,
            "iccid": iccid,
            "activation_code": activation_code,
            "smdp_address": smdp_address,
            "matching_id": matching_id,
            "confirmation_code_required": confirmation_code_required,
            "install_links": install_links,
            "issued_at": issued_at,
        })
        if confirmation_code is not UNSET:
            field_dict["confirmation_code"] = confirmation_code
        if retrieved_at is not UNSET:
            field_dict["retrieved_at"] = retrieved_at
        if installed_at is not UNSET:
            field_dict["installed_at"] = installed_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.install_links import InstallLinks # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        service_id = d.pop("service_id")

        status = MaterialStatus(d.pop("status"))




        iccid = d.pop("iccid")

        activation_code = d.pop("activation_code")

        smdp_address = d.pop("smdp_address")

        matching_id = d.pop("matching_id")

        confirmation_code_required = d.pop("confirmation_code_required")

        install_links = InstallLinks.from_dict(d.pop("install_links"))




        issued_at = datetime.datetime.fromisoformat(d.pop("issued_at"))




        def _parse_confirmation_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        confirmation_code = _parse_confirmation_code(d.pop("confirmation_code", UNSET))


        def _parse_retrieved_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                retrieved_at_type_0 = datetime.datetime.fromisoformat(data)



                return retrieved_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        retrieved_at = _parse_retrieved_at(d.pop("retrieved_at", UNSET))


        def _parse_installed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                installed_at_type_0 = datetime.datetime.fromisoformat(data)



                return installed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        installed_at = _parse_installed_at(d.pop("installed_at", UNSET))


        activation_materials = cls(
            id=id,
            service_id=service_id,
            status=status,
            iccid=iccid,
            activation_code=activation_code,
            smdp_address=smdp_address,
            matching_id=matching_id,
            confirmation_code_required=confirmation_code_required,
            install_links=install_links,
            issued_at=issued_at,
            confirmation_code=confirmation_code,
            retrieved_at=retrieved_at,
            installed_at=installed_at,
        )


        activation_materials.additional_properties = d
        return activation_materials

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
