from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.step_kind import StepKind
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="GuidanceStep")



@_attrs_define
class GuidanceStep:
    """ 
        Attributes:
            position (int): 1-based order.
            kind (StepKind):
            title (str):  Example: Install the eSIM profile.
            instructions (str):
            required (bool): False for steps only needed in the situation `condition` describes.
            condition (None | str | Unset):
     """

    position: int
    kind: StepKind
    title: str
    instructions: str
    required: bool
    condition: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        position = self.position

        kind = self.kind.value

        title = self.title

        instructions = self.instructions

        required = self.required

        condition: None | str | Unset
        if isinstance(self.condition, Unset):
            condition = UNSET
        else:
            condition = self.condition


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "position": position,
            "kind": kind,
            "title": title,
            "instructions": instructions,
            "required": required,
        })
        if condition is not UNSET:
            field_dict["condition"] = condition

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        position = d.pop("position")

        kind = StepKind(d.pop("kind"))




        title = d.pop("title")

        instructions = d.pop("instructions")

        required = d.pop("required")

        def _parse_condition(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        condition = _parse_condition(d.pop("condition", UNSET))


        guidance_step = cls(
            position=position,
            kind=kind,
            title=title,
            instructions=instructions,
            required=required,
            condition=condition,
        )


        guidance_step.additional_properties = d
        return guidance_step

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
