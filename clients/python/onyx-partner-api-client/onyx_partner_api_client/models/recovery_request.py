from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.device_state import DeviceState






T = TypeVar("T", bound="RecoveryRequest")



@_attrs_define
class RecoveryRequest:
    """ 
        Example:
            {'device_state': 'profile_deleted'}

        Attributes:
            device_state (DeviceState):
     """

    device_state: DeviceState





    def to_dict(self) -> dict[str, Any]:
        device_state = self.device_state.value


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "device_state": device_state,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        device_state = DeviceState(d.pop("device_state"))




        recovery_request = cls(
            device_state=device_state,
        )

        return recovery_request

