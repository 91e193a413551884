from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.environment import Environment
from ..models.refund_reason import RefundReason
from ..models.refund_status import RefundStatus
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="Refund")



@_attrs_define
class Refund:
    """ A refund request.

        Attributes:
            id (str):  Example: rfd_0mhx2k9q1002a7f3kq9zt0bw.
            environment (Environment): The two isolated environments of every partner.
            order_id (str):  Example: ord_3kT9mQ2xLr8vWc1ZpN0bHs4y.
            currency (str):  Example: EUR.
            amount_minor (int):  Example: 1300.
            reason (RefundReason): Why a refund is asked for.
            status (RefundStatus):
            created_at (datetime.datetime):
            updated_at (datetime.datetime):
            note (None | str | Unset):
            decided_by (None | str | Unset): Who decided: `sandbox_rule`, `operator` or `unused_subscription_rule`. Example:
                operator.
            decision_reason (None | str | Unset): Why it was approved or declined.
            ledger_entry_id (None | str | Unset): The `refund` ledger entry of an approved refund.
            decided_at (datetime.datetime | None | Unset):
     """

    id: str
    environment: Environment
    order_id: str
    currency: str
    amount_minor: int
    reason: RefundReason
    status: RefundStatus
    created_at: datetime.datetime
    updated_at: datetime.datetime
    note: None | str | Unset = UNSET
    decided_by: None | str | Unset = UNSET
    decision_reason: None | str | Unset = UNSET
    ledger_entry_id: None | str | Unset = UNSET
    decided_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        environment = self.environment.value

        order_id = self.order_id

        currency = self.currency

        amount_minor = self.amount_minor

        reason = self.reason.value

        status = self.status.value

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        decided_by: None | str | Unset
        if isinstance(self.decided_by, Unset):
            decided_by = UNSET
        else:
            decided_by = self.decided_by

        decision_reason: None | str | Unset
        if isinstance(self.decision_reason, Unset):
            decision_reason = UNSET
        else:
            decision_reason = self.decision_reason

        ledger_entry_id: None | str | Unset
        if isinstance(self.ledger_entry_id, Unset):
            ledger_entry_id = UNSET
        else:
            ledger_entry_id = self.ledger_entry_id

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
            "environment": environment,
            "order_id": order_id,
            "currency": currency,
            "amount_minor": amount_minor,
            "reason": reason,
            "status": status,
            "created_at": created_at,
            "updated_at": updated_at,
        })
        if note is not UNSET:
            field_dict["note"] = note
        if decided_by is not UNSET:
            field_dict["decided_by"] = decided_by
        if decision_reason is not UNSET:
            field_dict["decision_reason"] = decision_reason
        if ledger_entry_id is not UNSET:
            field_dict["ledger_entry_id"] = ledger_entry_id
        if decided_at is not UNSET:
            field_dict["decided_at"] = decided_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        environment = Environment(d.pop("environment"))




        order_id = d.pop("order_id")

        currency = d.pop("currency")

        amount_minor = d.pop("amount_minor")

        reason = RefundReason(d.pop("reason"))




        status = RefundStatus(d.pop("status"))




        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))




        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))


        def _parse_decided_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        decided_by = _parse_decided_by(d.pop("decided_by", UNSET))


        def _parse_decision_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        decision_reason = _parse_decision_reason(d.pop("decision_reason", UNSET))


        def _parse_ledger_entry_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ledger_entry_id = _parse_ledger_entry_id(d.pop("ledger_entry_id", UNSET))


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


        refund = cls(
            id=id,
            environment=environment,
            order_id=order_id,
            currency=currency,
            amount_minor=amount_minor,
            reason=reason,
            status=status,
            created_at=created_at,
            updated_at=updated_at,
            note=note,
            decided_by=decided_by,
            decision_reason=decision_reason,
            ledger_entry_id=ledger_entry_id,
            decided_at=decided_at,
        )


        refund.additional_properties = d
        return refund

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
