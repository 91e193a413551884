from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.platform import Platform
from typing import cast

if TYPE_CHECKING:
  from ..models.guidance_step import GuidanceStep





T = TypeVar("T", bound="InstallGuidance")



@_attrs_define
class InstallGuidance:
    """ 
        Attributes:
            service_id (str):
            platform (Platform):
            steps (list[GuidanceStep]):
     """

    service_id: str
    platform: Platform
    steps: list[GuidanceStep]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.guidance_step import GuidanceStep # noqa: PLC0415
        service_id = self.service_id

        platform = self.platform.value

        steps = []
        for steps_item_data in self.steps:
            steps_item = steps_item_data.to_dict()
            steps.append(steps_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "service_id": service_id,
            "platform": platform,
            "steps": steps,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.guidance_step import GuidanceStep # noqa: PLC0415
        d = dict(src_dict)
        service_id = d.pop("service_id")

        platform = Platform(d.pop("platform"))




        steps = []
        _steps = d.pop("steps")
        for steps_item_data in (_steps):
            steps_item = GuidanceStep.from_dict(steps_item_data)



            steps.append(steps_item)


        install_guidance = cls(
            service_id=service_id,
            platform=platform,
            steps=steps,
        )


        install_guidance.additional_properties = d
        return install_guidance

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
