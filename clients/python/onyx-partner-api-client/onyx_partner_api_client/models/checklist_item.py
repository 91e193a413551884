from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.evidence import Evidence





T = TypeVar("T", bound="ChecklistItem")



@_attrs_define
class ChecklistItem:
    """ One item of the checklist.

        Attributes:
            key (str): Stable key of the item. Example: sandbox_credential_used.
            title (str):  Example: A sandbox credential was used to get an access token.
            done (bool):
            evidence (list[Evidence]): What proves it (empty while not done).
            how_to_complete (str): What to do to complete it.
     """

    key: str
    title: str
    done: bool
    evidence: list[Evidence]
    how_to_complete: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.evidence import Evidence # noqa: PLC0415
        key = self.key

        title = self.title

        done = self.done

        evidence = []
        for evidence_item_data in self.evidence:
            evidence_item = evidence_item_data.to_dict()
            evidence.append(evidence_item)



        how_to_complete = self.how_to_complete


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "key": key,
            "title": title,
            "done": done,
            "evidence": evidence,
            "how_to_complete": how_to_complete,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.evidence import Evidence # noqa: PLC0415
        d = dict(src_dict)
        key = d.pop("key")

        title = d.pop("title")

        done = d.pop("done")

        evidence = []
        _evidence = d.pop("evidence")
        for evidence_item_data in (_evidence):
            evidence_item = Evidence.from_dict(evidence_item_data)



            evidence.append(evidence_item)


        how_to_complete = d.pop("how_to_complete")

        checklist_item = cls(
            key=key,
            title=title,
            done=done,
            evidence=evidence,
            how_to_complete=how_to_complete,
        )


        checklist_item.additional_properties = d
        return checklist_item

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
