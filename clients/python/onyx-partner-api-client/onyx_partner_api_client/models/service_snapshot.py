from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.service_state import ServiceState






T = TypeVar("T", bound="ServiceSnapshot")



@_attrs_define
class ServiceSnapshot:
    """ The state of the referenced service, as Onyx knows it.

        Attributes:
            id (str):  Example: svc_Lw0Zx5Tc7Vb1Mk3Jd9rQ2n8s.
            state (ServiceState):
            install_state (str): `not_installed` or `installed`. Example: installed.
            next_step (str):
     """

    id: str
    state: ServiceState
    install_state: str
    next_step: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        state = self.state.value

        install_state = self.install_state

        next_step = self.next_step


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "state": state,
            "install_state": install_state,
            "next_step": next_step,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        state = ServiceState(d.pop("state"))




        install_state = d.pop("install_state")

        next_step = d.pop("next_step")

        service_snapshot = cls(
            id=id,
            state=state,
            install_state=install_state,
            next_step=next_step,
        )


        service_snapshot.additional_properties = d
        return service_snapshot

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
