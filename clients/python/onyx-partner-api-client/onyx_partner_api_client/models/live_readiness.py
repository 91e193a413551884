from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.checklist_item import ChecklistItem
  from ..models.live_request import LiveRequest





T = TypeVar("T", bound="LiveReadiness")



@_attrs_define
class LiveReadiness:
    """ The partner's readiness.

        Attributes:
            partner_id (str):  Example: ptr_8Jd2kQ0vXn4LmT7sWc1aZp9e.
            live_enabled (bool): Whether live access is enabled.
            ready (bool): Whether every item is done (a live request is then accepted).
            items (list[ChecklistItem]):
            missing (list[str]): Keys of the items not done yet. Example: ['webhook_delivery_succeeded', 'billing_member'].
            live_request (LiveRequest | None | Unset):
     """

    partner_id: str
    live_enabled: bool
    ready: bool
    items: list[ChecklistItem]
    missing: list[str]
    live_request: LiveRequest | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.checklist_item import ChecklistItem # noqa: PLC0415
        from ..models.live_request import LiveRequest # noqa: PLC0415
        partner_id = self.partner_id

        live_enabled = self.live_enabled

        ready = self.ready

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)



        missing = self.missing



        live_request: dict[str, Any] | None | Unset
        if isinstance(self.live_request, Unset):
            live_request = UNSET
        elif isinstance(self.live_request, LiveRequest):
            live_request = self.live_request.to_dict()
        else:
            live_request = self.live_request


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "partner_id": partner_id,
            "live_enabled": live_enabled,
            "ready": ready,
            "items": items,
            "missing": missing,
        })
        if live_request is not UNSET:
            field_dict["live_request"] = live_request

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.checklist_item import ChecklistItem # noqa: PLC0415
        from ..models.live_request import LiveRequest # noqa: PLC0415
        d = dict(src_dict)
        partner_id = d.pop("partner_id")

        live_enabled = d.pop("live_enabled")

        ready = d.pop("ready")

        items = []
        _items = d.pop("items")
        for items_item_data in (_items):
            items_item = ChecklistItem.from_dict(items_item_data)



            items.append(items_item)


        missing = cast(list[str], d.pop("missing"))


        def _parse_live_request(data: object) -> LiveRequest | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                live_request_type_1 = LiveRequest.from_dict(data)



                return live_request_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LiveRequest | None | Unset, data)

        live_request = _parse_live_request(d.pop("live_request", UNSET))


        live_readiness = cls(
            partner_id=partner_id,
            live_enabled=live_enabled,
            ready=ready,
            items=items,
            missing=missing,
            live_request=live_request,
        )


        live_readiness.additional_properties = d
        return live_readiness

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
