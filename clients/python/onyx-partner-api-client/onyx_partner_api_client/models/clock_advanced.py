from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.sandbox_clock import SandboxClock





T = TypeVar("T", bound="ClockAdvanced")



@_attrs_define
class ClockAdvanced:
    """ The clock after a move, and what the move set off.

        Attributes:
            clock (SandboxClock): The sandbox clock of the caller's partner.
            moved_by (str): How far it moved this time (ISO-8601). Example: P3D.
            service_events (int): Service events (`service.expiring`, `service.expired`) the move made due and emitted.
            webhook_retries_moved (int): Pending webhook retries brought forward.
            invoices_issued (int): Sandbox invoices issued because the move passed a month's end (the billing period
                close on the sandbox clock).
     """

    clock: SandboxClock
    moved_by: str
    service_events: int
    webhook_retries_moved: int
    invoices_issued: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.sandbox_clock import SandboxClock # noqa: PLC0415
        clock = self.clock.to_dict()

        moved_by = self.moved_by

        service_events = self.service_events

        webhook_retries_moved = self.webhook_retries_moved

        invoices_issued = self.invoices_issued


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "clock": clock,
            "moved_by": moved_by,
            "service_events": service_events,
            "webhook_retries_moved": webhook_retries_moved,
            "invoices_issued": invoices_issued,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sandbox_clock import SandboxClock # noqa: PLC0415
        d = dict(src_dict)
        clock = SandboxClock.from_dict(d.pop("clock"))




        moved_by = d.pop("moved_by")

        service_events = d.pop("service_events")

        webhook_retries_moved = d.pop("webhook_retries_moved")

        invoices_issued = d.pop("invoices_issued")

        clock_advanced = cls(
            clock=clock,
            moved_by=moved_by,
            service_events=service_events,
            webhook_retries_moved=webhook_retries_moved,
            invoices_issued=invoices_issued,
        )


        clock_advanced.additional_properties = d
        return clock_advanced

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
