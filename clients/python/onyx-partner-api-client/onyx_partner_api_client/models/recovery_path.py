from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.recovery_action import RecoveryAction
from typing import cast






T = TypeVar("T", bound="RecoveryPath")



@_attrs_define
class RecoveryPath:
    """ 
        Attributes:
            service_id (str):
            rule (str): The rule that decided: stable, for your own analytics. Example: materials_used_order_swap.
            action (RecoveryAction):
            summary (str):
            steps (list[str]):
            delete_profile_advised (bool): True only when the approved path needs a profile removed from the device.
     """

    service_id: str
    rule: str
    action: RecoveryAction
    summary: str
    steps: list[str]
    delete_profile_advised: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        service_id = self.service_id

        rule = self.rule

        action = self.action.value

        summary = self.summary

        steps = self.steps



        delete_profile_advised = self.delete_profile_advised


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "service_id": service_id,
            "rule": rule,
            "action": action,
            "summary": summary,
            "steps": steps,
            "delete_profile_advised": delete_profile_advised,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        service_id = d.pop("service_id")

        rule = d.pop("rule")

        action = RecoveryAction(d.pop("action"))




        summary = d.pop("summary")

        steps = cast(list[str], d.pop("steps"))


        delete_profile_advised = d.pop("delete_profile_advised")

        recovery_path = cls(
            service_id=service_id,
            rule=rule,
            action=action,
            summary=summary,
            steps=steps,
            delete_profile_advised=delete_profile_advised,
        )


        recovery_path.additional_properties = d
        return recovery_path

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
