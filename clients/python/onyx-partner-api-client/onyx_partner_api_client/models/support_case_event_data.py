from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.case_status import CaseStatus
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="SupportCaseEventData")



@_attrs_define
class SupportCaseEventData:
    """ `support_case.updated`: a comment, an Onyx reply or a status change.

        Attributes:
            support_case_id (str):  Example: case_0mhx2k9q1002a7f3kq9zt0bw.
            change (str): `comment_added`, `reply_added` or `status_changed`. Example: reply_added.
            status (CaseStatus): Where a support case stands.
            previous_status (CaseStatus): Where a support case stands.
            reopened (bool): A comment reopened a resolved case.
            author_type (str): `member`, `credential` or `operator`. Example: operator.
            comment_id (None | str | Unset):
     """

    support_case_id: str
    change: str
    status: CaseStatus
    previous_status: CaseStatus
    reopened: bool
    author_type: str
    comment_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        support_case_id = self.support_case_id

        change = self.change

        status = self.status.value

        previous_status = self.previous_status.value

        reopened = self.reopened

        author_type = self.author_type

        comment_id: None | str | Unset
        if isinstance(self.comment_id, Unset):
            comment_id = UNSET
        else:
            comment_id = self.comment_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "support_case_id": support_case_id,
            "change": change,
            "status": status,
            "previous_status": previous_status,
            "reopened": reopened,
            "author_type": author_type,
        })
        if comment_id is not UNSET:
            field_dict["comment_id"] = comment_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        support_case_id = d.pop("support_case_id")

        change = d.pop("change")

        status = CaseStatus(d.pop("status"))




        previous_status = CaseStatus(d.pop("previous_status"))




        reopened = d.pop("reopened")

        author_type = d.pop("author_type")

        def _parse_comment_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        comment_id = _parse_comment_id(d.pop("comment_id", UNSET))


        support_case_event_data = cls(
            support_case_id=support_case_id,
            change=change,
            status=status,
            previous_status=previous_status,
            reopened=reopened,
            author_type=author_type,
            comment_id=comment_id,
        )


        support_case_event_data.additional_properties = d
        return support_case_event_data

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
