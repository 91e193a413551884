from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.requested_reason import RequestedReason
from ..models.sandbox_decision import SandboxDecision
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="CreateRefund")



@_attrs_define
class CreateRefund:
    """ A refund request as a partner sends it.

        Example:
            {'order_id': 'ord_3kT9mQ2xLr8vWc1ZpN0bHs4y', 'amount_minor': 1300, 'reason': 'service_not_working', 'note': 'No
                data in Lisbon for 2 days; case 4711.'}

        Attributes:
            order_id (str): A completed order of this environment.
            amount_minor (int): 1 to 100000000 minor units, at most what the order captured less earlier refunds.
            reason (RequestedReason): A reason a partner may give: every [`RefundReason`] except Onyx's own
                `unused_subscription`.
            note (None | str | Unset): What happened, for Onyx's decision: at most 500 characters, no secrets.
            sandbox_decision (None | SandboxDecision | Unset):
     """

    order_id: str
    amount_minor: int
    reason: RequestedReason
    note: None | str | Unset = UNSET
    sandbox_decision: None | SandboxDecision | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        order_id = self.order_id

        amount_minor = self.amount_minor

        reason = self.reason.value

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        sandbox_decision: None | str | Unset
        if isinstance(self.sandbox_decision, Unset):
            sandbox_decision = UNSET
        elif isinstance(self.sandbox_decision, SandboxDecision):
            sandbox_decision = self.sandbox_decision.value
        else:
            sandbox_decision = self.sandbox_decision


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "order_id": order_id,
            "amount_minor": amount_minor,
            "reason": reason,
        })
        if note is not UNSET:
            field_dict["note"] = note
        if sandbox_decision is not UNSET:
            field_dict["sandbox_decision"] = sandbox_decision

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        order_id = d.pop("order_id")

        amount_minor = d.pop("amount_minor")

        reason = RequestedReason(d.pop("reason"))




        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))


        def _parse_sandbox_decision(data: object) -> None | SandboxDecision | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sandbox_decision_type_1 = SandboxDecision(data)



                return sandbox_decision_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SandboxDecision | Unset, data)

        sandbox_decision = _parse_sandbox_decision(d.pop("sandbox_decision", UNSET))


        create_refund = cls(
            order_id=order_id,
            amount_minor=amount_minor,
            reason=reason,
            note=note,
            sandbox_decision=sandbox_decision,
        )

        return create_refund

