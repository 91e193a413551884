from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.case_status import CaseStatus
from ..models.category import Category
from ..models.environment import Environment
from ..models.priority import Priority
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.author import Author
  from ..models.case_state import CaseState





T = TypeVar("T", bound="SupportCase")



@_attrs_define
class SupportCase:
    """ A support case.

        Attributes:
            id (str):  Example: case_0mhx2k9q1002a7f3kq9zt0bw.
            environment (Environment): The two isolated environments of every partner.
            status (CaseStatus): Where a support case stands.
            subject (str):
            issue (str): The customer-facing issue.
            category (Category): What the case is about.
            priority (Priority): How urgent the case is for the partner.
            current_state (CaseState): The state of what a case references, filled in by the service.
            state_at_open (CaseState): The state of what a case references, filled in by the service.
            opened_by (Author): Who wrote a comment or opened a case.
            created_at (datetime.datetime):
            updated_at (datetime.datetime):
            order_id (None | str | Unset):
            service_id (None | str | Unset):
            package_id (None | str | Unset):
            customer_reference (None | str | Unset):
            resolved_at (datetime.datetime | None | Unset):
            reopen_until (datetime.datetime | None | Unset): While resolved: until when a comment reopens the case.
            closed_at (datetime.datetime | None | Unset):
     """

    id: str
    environment: Environment
    status: CaseStatus
    subject: str
    issue: str
    category: Category
    priority: Priority
    current_state: CaseState
    state_at_open: CaseState
    opened_by: Author
    created_at: datetime.datetime
    updated_at: datetime.datetime
    order_id: None | str | Unset = UNSET
    service_id: None | str | Unset = UNSET
    package_id: None | str | Unset = UNSET
    customer_reference: None | str | Unset = UNSET
    resolved_at: datetime.datetime | None | Unset = UNSET
    reopen_until: datetime.datetime | None | Unset = UNSET
    closed_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.author import Author # noqa: PLC0415
        from ..models.case_state import CaseState # noqa: PLC0415
        id = self.id

        environment = self.environment.value

        status = self.status.value

        subject = self.subject

        issue = self.issue

        category = self.category.value

        priority = self.priority.value

        current_state = self.current_state.to_dict()

        state_at_open = self.state_at_open.to_dict()

        opened_by = self.opened_by.to_dict()

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        order_id: None | str | Unset
        if isinstance(self.order_id, Unset):
            order_id = UNSET
        else:
            order_id = self.order_id

        service_id: None | str | Unset
        if isinstance(self.service_id, Unset):
            service_id = UNSET
        else:
            service_id = self.service_id

        package_id: None | str | Unset
        if isinstance(self.package_id, Unset):
            package_id = UNSET
        else:
            package_id = self.package_id

        customer_reference: None | str | Unset
        if isinstance(self.customer_reference, Unset):
            customer_reference = UNSET
        else:
            customer_reference = self.customer_reference

        resolved_at: None | str | Unset
        if isinstance(self.resolved_at, Unset):
            resolved_at = UNSET
        elif isinstance(self.resolved_at, datetime.datetime):
            resolved_at = self.resolved_at.isoformat()
        else:
            resolved_at = self.resolved_at

        reopen_until: None | str | Unset
        if isinstance(self.reopen_until, Unset):
            reopen_until = UNSET
        elif isinstance(self.reopen_until, datetime.datetime):
            reopen_until = self.reopen_until.isoformat()
        else:
            reopen_until = self.reopen_until

        closed_at: None | str | Unset
        if isinstance(self.closed_at, Unset):
            closed_at = UNSET
        elif isinstance(self.closed_at, datetime.datetime):
            closed_at = self.closed_at.isoformat()
        else:
            closed_at = self.closed_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "environment": environment,
            "status": status,
            "subject": subject,
            "issue": issue,
            "category": category,
            "priority": priority,
            "current_state": current_state,
            "state_at_open": state_at_open,
            "opened_by": opened_by,
            "created_at": created_at,
            "updated_at": updated_at,
        })
        if order_id is not UNSET:
            field_dict["order_id"] = order_id
        if service_id is not UNSET:
            field_dict["service_id"] = service_id
        if package_id is not UNSET:
            field_dict["package_id"] = package_id
        if customer_reference is not UNSET:
            field_dict["customer_reference"] = customer_reference
        if resolved_at is not UNSET:
            field_dict["resolved_at"] = resolved_at
        if reopen_until is not UNSET:
            field_dict["reopen_until"] = reopen_until
        if closed_at is not UNSET:
            field_dict["closed_at"] = closed_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.author import Author # noqa: PLC0415
        from ..models.case_state import CaseState # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        environment = Environment(d.pop("environment"))




        status = CaseStatus(d.pop("status"))




        subject = d.pop("subject")

        issue = d.pop("issue")

        category = Category(d.pop("category"))




        priority = Priority(d.pop("priority"))




        current_state = CaseState.from_dict(d.pop("current_state"))




        state_at_open = CaseState.from_dict(d.pop("state_at_open"))




        opened_by = Author.from_dict(d.pop("opened_by"))




        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))




        def _parse_order_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        order_id = _parse_order_id(d.pop("order_id", UNSET))


        def _parse_service_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        service_id = _parse_service_id(d.pop("service_id", UNSET))


        def _parse_package_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        package_id = _parse_package_id(d.pop("package_id", UNSET))


        def _parse_customer_reference(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        customer_reference = _parse_customer_reference(d.pop("customer_reference", UNSET))


        def _parse_resolved_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                resolved_at_type_0 = datetime.datetime.fromisoformat(data)



                return resolved_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        resolved_at = _parse_resolved_at(d.pop("resolved_at", UNSET))


        def _parse_reopen_until(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reopen_until_type_0 = datetime.datetime.fromisoformat(data)



                return reopen_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        reopen_until = _parse_reopen_until(d.pop("reopen_until", UNSET))


        def _parse_closed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                closed_at_type_0 = datetime.datetime.fromisoformat(data)



                return closed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        closed_at = _parse_closed_at(d.pop("closed_at", UNSET))


        support_case = cls(
            id=id,
            environment=environment,
            status=status,
            subject=subject,
            issue=issue,
            category=category,
            priority=priority,
            current_state=current_state,
            state_at_open=state_at_open,
            opened_by=opened_by,
            created_at=created_at,
            updated_at=updated_at,
            order_id=order_id,
            service_id=service_id,
            package_id=package_id,
            customer_reference=customer_reference,
            resolved_at=resolved_at,
            reopen_until=reopen_until,
            closed_at=closed_at,
        )


        support_case.additional_properties = d
        return support_case

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
