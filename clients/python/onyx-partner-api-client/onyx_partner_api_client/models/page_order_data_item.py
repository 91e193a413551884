from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.environment import Environment
from ..models.order_state import OrderState
from ..models.order_type import OrderType
from ..models.sandbox_scenario import SandboxScenario
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.compliance import Compliance
  from ..models.order_item import OrderItem
  from ..models.page_order_data_item_metadata import PageOrderDataItemMetadata





T = TypeVar("T", bound="PageOrderDataItem")



@_attrs_define
class PageOrderDataItem:
    """ 
        Attributes:
            id (str):  Example: ord_3kT9mQ2xLr8vWc1ZpN0bHs4y.
            type_ (OrderType): The four order types.
            state (OrderState):
            environment (Environment): The two isolated environments of every partner.
            customer_reference (str):  Example: booking-48151623.
            metadata (PageOrderDataItemMetadata):
            items (list[OrderItem]):
            total_minor (int): Sum of the item prices, in minor units. Example: 2400.
            compliance (Compliance):  Example: {'identity_verified': True}.
            attempt (int): 1 for the first attempt; each retry adds one.
            retryable (bool): Whether Onyx marked the failure as retryable.
            retry_allowed (bool): Whether `POST /v1/orders/{order_id}/retry` is accepted now.
            next_step (str): What Onyx asks you to do now.
            created_at (datetime.datetime):
            updated_at (datetime.datetime):
            service_id (None | str | Unset): The subscription this order created or applies to.
            currency (None | str | Unset): Null for orders without items. Example: EUR.
            sandbox_scenario (None | SandboxScenario | Unset):
            failure_code (None | str | Unset): Why the order failed (when `state` is `failed`).
            failure_message (None | str | Unset):
            completed_at (datetime.datetime | None | Unset):
     """

    id: str
    type_: OrderType
    state: OrderState
    environment: Environment
    customer_reference: str
    metadata: PageOrderDataItemMetadata
    items: list[OrderItem]
    total_minor: int
    compliance: Compliance
    attempt: int
    retryable: bool
    retry_allowed: bool
    next_step: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    service_id: None | str | Unset = UNSET
    currency: None | str | Unset = UNSET
    sandbox_scenario: None | SandboxScenario | Unset = UNSET
    failure_code: None | str | Unset = UNSET
    failure_message: None | str | Unset = UNSET
    completed_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.compliance import Compliance # noqa: PLC0415
        from ..models.order_item import OrderItem # noqa: PLC0415
        from ..models.page_order_data_item_metadata import PageOrderDataItemMetadata # noqa: PLC0415
        id = self.id

        type_ = self.type_.value

        state = self.state.value

        environment = self.environment.value

        customer_reference = self.customer_reference

        metadata = self.metadata.to_dict()

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)



        total_minor = self.total_minor

        compliance = self.compliance.to_dict()

        attempt = self.attempt

        retryable = self.retryable

        retry_allowed = self.retry_allowed

        next_step = self.next_step

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        service_id: None | str | Unset
        if isinstance(self.service_id, Unset):
            service_id = UNSET
        else:
            service_id = self.service_id

        currency: None | str | Unset
        if isinstance(self.currency, Unset):
            currency = UNSET
        else:
            currency = self.currency

        sandbox_scenario: None | str | Unset
        if isinstance(self.sandbox_scenario, Unset):
            sandbox_scenario = UNSET
        elif isinstance(self.sandbox_scenario, SandboxScenario):
            sandbox_scenario = self.sandbox_scenario.value
        else:
            sandbox_scenario = self.sandbox_scenario

        failure_code: None | str | Unset
        if isinstance(self.failure_code, Unset):
            failure_code = UNSET
        else:
            failure_code = self.failure_code

        failure_message: None | str | Unset
        if isinstance(self.failure_message, Unset):
            failure_message = UNSET
        else:
            failure_message = self.failure_message

        completed_at: None | str | Unset
        if isinstance(self.completed_at, Unset):
            completed_at = UNSET
        elif isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "type": type_,
            "state": state,
            "environment": environment,
            "customer_reference": customer_reference,
            "metadata": metadata,
            "items": items,
            "total_minor": total_minor,
            "compliance": compliance,
            "attempt": attempt,
            "retryable": retryable,
            "retry_allowed": retry_allowed,
            "next_step": next_step,
            "created_at": created_at,
            "updated_at": updated_at,
        })
        if service_id is not UNSET:
            field_dict["service_id"] = service_id
        if currency is not UNSET:
            field_dict["currency"] = currency
        if sandbox_scenario is not UNSET:
            field_dict["sandbox_scenario"] = sandbox_scenario
        if failure_code is not UNSET:
            field_dict["failure_code"] = failure_code
        if failure_message is not UNSET:
            field_dict["failure_message"] = failure_message
        if completed_at is not UNSET:
            field_dict["completed_at"] = completed_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.compliance import Compliance # noqa: PLC0415
        from ..models.order_item import OrderItem # noqa: PLC0415
        from ..models.page_order_data_item_metadata import PageOrderDataItemMetadata # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        type_ = OrderType(d.pop("type"))




        state = OrderState(d.pop("state"))




        environment = Environment(d.pop("environment"))




        customer_reference = d.pop("customer_reference")

        metadata = PageOrderDataItemMetadata.from_dict(d.pop("metadata"))




        items = []
        _items = d.pop("items")
        for items_item_data in (_items):
            items_item = OrderItem.from_dict(items_item_data)



            items.append(items_item)


        total_minor = d.pop("total_minor")

        compliance = Compliance.from_dict(d.pop("compliance"))




        attempt = d.pop("attempt")

        retryable = d.pop("retryable")

        retry_allowed = d.pop("retry_allowed")

        next_step = d.pop("next_step")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))




        def _parse_service_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        service_id = _parse_service_id(d.pop("service_id", UNSET))


        def _parse_currency(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        currency = _parse_currency(d.pop("currency", UNSET))


        def _parse_sandbox_scenario(data: object) -> None | SandboxScenario | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sandbox_scenario_type_1 = SandboxScenario(data)



                return sandbox_scenario_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SandboxScenario | Unset, data)

        sandbox_scenario = _parse_sandbox_scenario(d.pop("sandbox_scenario", UNSET))


        def _parse_failure_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        failure_code = _parse_failure_code(d.pop("failure_code", UNSET))


        def _parse_failure_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        failure_message = _parse_failure_message(d.pop("failure_message", UNSET))


        def _parse_completed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                completed_at_type_0 = datetime.datetime.fromisoformat(data)



                return completed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        completed_at = _parse_completed_at(d.pop("completed_at", UNSET))


        page_order_data_item = cls(
            id=id,
            type_=type_,
            state=state,
            environment=environment,
            customer_reference=customer_reference,
            metadata=metadata,
            items=items,
            total_minor=total_minor,
            compliance=compliance,
            attempt=attempt,
            retryable=retryable,
            retry_allowed=retry_allowed,
            next_step=next_step,
            created_at=created_at,
            updated_at=updated_at,
            service_id=service_id,
            currency=currency,
            sandbox_scenario=sandbox_scenario,
            failure_code=failure_code,
            failure_message=failure_message,
            completed_at=completed_at,
        )


        page_order_data_item.additional_properties = d
        return page_order_data_item

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
