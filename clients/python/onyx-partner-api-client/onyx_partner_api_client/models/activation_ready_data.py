from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="ActivationReadyData")



@_attrs_define
class ActivationReadyData:
    """ `activation.ready`: activation materials exist for the service. The event never carries
    them: read them with `GET /v1/services/{service_id}/activation`.

        Attributes:
            service_id (str):  Example: svc_0mhx2k9q1002a7f3kq9zt0bw.
            activation_id (str):  Example: act_0mhx2k9q1002a7f3kq9zt0bw.
            iccid (str):  Example: 8988247000001234567.
            confirmation_code_required (bool): The customer must type a confirmation code while installing.
     """

    service_id: str
    activation_id: str
    iccid: str
    confirmation_code_required: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        service_id = self.service_id

        activation_id = self.activation_id

        iccid = self.iccid

        confirmation_code_required = self.confirmation_code_required


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "service_id": service_id,
            "activation_id": activation_id,
            "iccid": iccid,
            "confirmation_code_required": confirmation_code_required,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        service_id = d.pop("service_id")

        activation_id = d.pop("activation_id")

        iccid = d.pop("iccid")

        confirmation_code_required = d.pop("confirmation_code_required")

        activation_ready_data = cls(
            service_id=service_id,
            activation_id=activation_id,
            iccid=iccid,
            confirmation_code_required=confirmation_code_required,
        )


        activation_ready_data.additional_properties = d
        return activation_ready_data

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
