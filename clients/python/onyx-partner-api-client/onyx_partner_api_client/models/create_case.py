from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.category import Category
from ..models.priority import Priority
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="CreateCase")



@_attrs_define
class CreateCase:
    """ A new support case.

        Example:
            {'subject': 'No data after install', 'issue': 'The customer installed the eSIM in Lisbon but has no data
                connection; roaming is on.', 'category': 'connectivity', 'priority': 'high', 'order_id':
                'ord_3kT9mQ2xLr8vWc1ZpN0bHs4y', 'customer_reference': 'booking-48151623'}

        Attributes:
            subject (str): A short title.
            issue (str): The customer-facing issue: what the customer sees and what you tried. Never include
                secrets, activation codes, payment data or identity documents (refused with 422
                `secret_in_text`).
            category (Category): What the case is about.
            priority (None | Priority | Unset):
            order_id (None | str | Unset): The order concerned (`ord_…`); its service is filled in when `service_id` is left
                out. Example: ord_3kT9mQ2xLr8vWc1ZpN0bHs4y.
            service_id (None | str | Unset): The service (subscription) concerned (`svc_…`). Example:
                svc_Lw0Zx5Tc7Vb1Mk3Jd9rQ2n8s.
            package_id (None | str | Unset): The package concerned; filled in from the service when left out. Example:
                eu-10gb-30d.
            customer_reference (None | str | Unset): Your customer's reference (1–64 characters of letters, digits and
                `._:@-`); filled in
                from the order or service when left out. Example: booking-48151623.
     """

    subject: str
    issue: str
    category: Category
    priority: None | Priority | Unset = UNSET
    order_id: None | str | Unset = UNSET
    service_id: None | str | Unset = UNSET
    package_id: None | str | Unset = UNSET
    customer_reference: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        subject = self.subject

        issue = self.issue

        category = self.category.value

        priority: None | str | Unset
        if isinstance(self.priority, Unset):
            priority = UNSET
        elif isinstance(self.priority, Priority):
            priority = self.priority.value
        else:
            priority = self.priority

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


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "subject": subject,
            "issue": issue,
            "category": category,
        })
        if priority is not UNSET:
            field_dict["priority"] = priority
        if order_id is not UNSET:
            field_dict["order_id"] = order_id
        if service_id is not UNSET:
            field_dict["service_id"] = service_id
        if package_id is not UNSET:
            field_dict["package_id"] = package_id
        if customer_reference is not UNSET:
            field_dict["customer_reference"] = customer_reference

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        subject = d.pop("subject")

        issue = d.pop("issue")

        category = Category(d.pop("category"))




        def _parse_priority(data: object) -> None | Priority | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                priority_type_1 = Priority(data)



                return priority_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Priority | Unset, data)

        priority = _parse_priority(d.pop("priority", UNSET))


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


        create_case = cls(
            subject=subject,
            issue=issue,
            category=category,
            priority=priority,
            order_id=order_id,
            service_id=service_id,
            package_id=package_id,
            customer_reference=customer_reference,
        )

        return create_case

