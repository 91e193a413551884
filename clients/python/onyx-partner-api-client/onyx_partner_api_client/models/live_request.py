from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.live_request_status import LiveRequestStatus
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.checklist_item import ChecklistItem





T = TypeVar("T", bound="LiveRequest")



@_attrs_define
class LiveRequest:
    """ A request for live access.

        Attributes:
            id (str):  Example: lvr_0mhx2k9q1002a7f3kq9zt0bw.
            partner_id (str):  Example: ptr_8Jd2kQ0vXn4LmT7sWc1aZp9e.
            status (LiveRequestStatus): Where a live-access request stands.
            requested_by_type (str): `member` (who asked). Example: member.
            checklist (list[ChecklistItem]): The checklist when the request was made.
            created_at (datetime.datetime):
            updated_at (datetime.datetime):
            requested_by_id (None | str | Unset):
            reason (None | str | Unset): The operator's reason (required when declined).
            decided_at (datetime.datetime | None | Unset):
     """

    id: str
    partner_id: str
    status: LiveRequestStatus
    requested_by_type: str
    checklist: list[ChecklistItem]
    created_at: datetime.datetime
    updated_at: datetime.datetime
    requested_by_id: None | str | Unset = UNSET
    reason: None | str | Unset = UNSET
    decided_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.checklist_item import ChecklistItem # noqa: PLC0415
        id = self.id

        partner_id = self.partner_id

        status = self.status.value

        requested_by_type = self.requested_by_type

        checklist = []
        for checklist_item_data in self.checklist:
            checklist_item = checklist_item_data.to_dict()
            checklist.append(checklist_item)



        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        requested_by_id: None | str | Unset
        if isinstance(self.requested_by_id, Unset):
            requested_by_id = UNSET
        else:
            requested_by_id = self.requested_by_id

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        decided_at: None | str | Unset
        if isinstance(self.decided_at, Unset):
            decided_at = UNSET
        elif isinstance(self.decided_at, datetime.datetime):
            decided_at = self.decided_at.isoformat()
        else:
            decided_at = self.decided_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "partner_id": partner_id,
            "status": status,
            "requested_by_type": requested_by_type,
            "checklist": checklist,
            "created_at": created_at,
            "updated_at": updated_at,
        })
        if requested_by_id is not UNSET:
            field_dict["requested_by_id"] = requested_by_id
        if reason is not UNSET:
            field_dict["reason"] = reason
        if decided_at is not UNSET:
            field_dict["decided_at"] = decided_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.checklist_item import ChecklistItem # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        partner_id = d.pop("partner_id")

        status = LiveRequestStatus(d.pop("status"))




        requested_by_type = d.pop("requested_by_type")

        checklist = []
        _checklist = d.pop("checklist")
        for checklist_item_data in (_checklist):
            checklist_item = ChecklistItem.from_dict(checklist_item_data)



            checklist.append(checklist_item)


        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))




        def _parse_requested_by_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        requested_by_id = _parse_requested_by_id(d.pop("requested_by_id", UNSET))


        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))


        def _parse_decided_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                decided_at_type_0 = datetime.datetime.fromisoformat(data)



                return decided_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        decided_at = _parse_decided_at(d.pop("decided_at", UNSET))


        live_request = cls(
            id=id,
            partner_id=partner_id,
            status=status,
            requested_by_type=requested_by_type,
            checklist=checklist,
            created_at=created_at,
            updated_at=updated_at,
            requested_by_id=requested_by_id,
            reason=reason,
            decided_at=decided_at,
        )


        live_request.additional_properties = d
        return live_request

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
