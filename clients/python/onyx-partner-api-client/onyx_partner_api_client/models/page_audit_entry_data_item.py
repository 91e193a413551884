from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.page_audit_entry_data_item_details import PageAuditEntryDataItemDetails





T = TypeVar("T", bound="PageAuditEntryDataItem")



@_attrs_define
class PageAuditEntryDataItem:
    """ One audit entry as partners see it.

        Attributes:
            id (str):  Example: aud_3kT9mQ2xLr8vWc1ZpN0bHs4y.
            actor_type (str): `member`, `credential`, `operator` or `anonymous`. Example: member.
            action (str): What happened, e.g. `credential.created`, `auth.login_failed`. Example: credential.created.
            details (PageAuditEntryDataItemDetails): Non-secret context.
            created_at (datetime.datetime):
            environment (None | str | Unset): `sandbox`, `live`, or null for actions not tied to one environment (team
                changes).
            actor_id (None | str | Unset):
            target_type (None | str | Unset):
            target_id (None | str | Unset):
     """

    id: str
    actor_type: str
    action: str
    details: PageAuditEntryDataItemDetails
    created_at: datetime.datetime
    environment: None | str | Unset = UNSET
    actor_id: None | str | Unset = UNSET
    target_type: None | str | Unset = UNSET
    target_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.page_audit_entry_data_item_details import PageAuditEntryDataItemDetails # noqa: PLC0415
        id = self.id

        actor_type = self.actor_type

        action = self.action

        details = self.details.to_dict()

        created_at = self.created_at.isoformat()

        environment: None | str | Unset
        if isinstance(self.environment, Unset):
            environment = UNSET
        else:
            environment = self.environment

        actor_id: None | str | Unset
        if isinstance(self.actor_id, Unset):
            actor_id = UNSET
        else:
            actor_id = self.actor_id

        target_type: None | str | Unset
        if isinstance(self.target_type, Unset):
            target_type = UNSET
        else:
            target_type = self.target_type

        target_id: None | str | Unset
        if isinstance(self.target_id, Unset):
            target_id = UNSET
        else:
            target_id = self.target_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "actor_type": actor_type,
            "action": action,
            "details": details,
            "created_at": created_at,
        })
        if environment is not UNSET:
            field_dict["environment"] = environment
        if actor_id is not UNSET:
            field_dict["actor_id"] = actor_id
        if target_type is not UNSET:
            field_dict["target_type"] = target_type
        if target_id is not UNSET:
            field_dict["target_id"] = target_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.page_audit_entry_data_item_details import PageAuditEntryDataItemDetails # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        actor_type = d.pop("actor_type")

        action = d.pop("action")

        details = PageAuditEntryDataItemDetails.from_dict(d.pop("details"))




        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        def _parse_environment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        environment = _parse_environment(d.pop("environment", UNSET))


        def _parse_actor_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        actor_id = _parse_actor_id(d.pop("actor_id", UNSET))


        def _parse_target_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        target_type = _parse_target_type(d.pop("target_type", UNSET))


        def _parse_target_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        target_id = _parse_target_id(d.pop("target_id", UNSET))


        page_audit_entry_data_item = cls(
            id=id,
            actor_type=actor_type,
            action=action,
            details=details,
            created_at=created_at,
            environment=environment,
            actor_id=actor_id,
            target_type=target_type,
            target_id=target_id,
        )


        page_audit_entry_data_item.additional_properties = d
        return page_audit_entry_data_item

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
