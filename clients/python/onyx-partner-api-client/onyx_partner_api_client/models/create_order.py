from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.order_type import OrderType
from ..models.sandbox_scenario import SandboxScenario
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.compliance import Compliance
  from ..models.create_order_metadata_type_0 import CreateOrderMetadataType0
  from ..models.item_input import ItemInput





T = TypeVar("T", bound="CreateOrder")



@_attrs_define
class CreateOrder:
    """ A new order.

        Example:
            {'type': 'activate_subscription', 'customer_reference': 'booking-48151623', 'items': [{'package_id':
                'eu-10gb-30d'}, {'package_id': 'eu-addon-1gb'}], 'metadata': {'trip': 'Lisbon spring'}, 'sandbox_scenario':
                'success'}

        Attributes:
            type_ (OrderType): The four order types.
            customer_reference (str): Your customer's reference: 1–64 characters of letters, digits and `._:@-`. Example:
                booking-48151623.
            metadata (CreateOrderMetadataType0 | None | Unset): Your own key-value pairs: up to 20 keys of 1 to 40
                characters, each value a string of at most 500 characters.
            items (list[ItemInput] | Unset): Packages: required for activation (exactly one plan), optional for top-ups,
                absent for
                cancel and swap. At most 32.
            service_id (None | str | Unset): The subscription (service) a top-up, cancel or swap applies to: required for
                those,
                absent for an activation.
            sandbox_scenario (None | SandboxScenario | Unset):
            compliance (Compliance | None | Unset):
     """

    type_: OrderType
    customer_reference: str
    metadata: CreateOrderMetadataType0 | None | Unset = UNSET
    items: list[ItemInput] | Unset = UNSET
    service_id: None | str | Unset = UNSET
    sandbox_scenario: None | SandboxScenario | Unset = UNSET
    compliance: Compliance | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.compliance import Compliance # noqa: PLC0415
        from ..models.create_order_metadata_type_0 import CreateOrderMetadataType0 # noqa: PLC0415
        from ..models.item_input import ItemInput # noqa: PLC0415
        type_ = self.type_.value

        customer_reference = self.customer_reference

        metadata: dict[str, Any] | None | Unset
        if isinstance(self.metadata, Unset):
            metadata = UNSET
        elif isinstance(self.metadata, CreateOrderMetadataType0):
            metadata = self.metadata.to_dict()
        else:
            metadata = self.metadata

        items: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.items, Unset):
            items = []
            for items_item_data in self.items:
                items_item = items_item_data.to_dict()
                items.append(items_item)



        service_id: None | str | Unset
        if isinstance(self.service_id, Unset):
            service_id = UNSET
        else:
            service_id = self.service_id

        sandbox_scenario: None | str | Unset
        if isinstance(self.sandbox_scenario, Unset):
            sandbox_scenario = UNSET
        elif isinstance(self.sandbox_scenario, SandboxScenario):
            sandbox_scenario = self.sandbox_scenario.value
        else:
            sandbox_scenario = self.sandbox_scenario

        compliance: dict[str, Any] | None | Unset
        if isinstance(self.compliance, Unset):
            compliance = UNSET
        elif isinstance(self.compliance, Compliance):
            compliance = self.compliance.to_dict()
        else:
            compliance = self.compliance


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "type": type_,
            "customer_reference": customer_reference,
        })
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if items is not UNSET:
            field_dict["items"] = items
        if service_id is not UNSET:
            field_dict["service_id"] = service_id
        if sandbox_scenario is not UNSET:
            field_dict["sandbox_scenario"] = sandbox_scenario
        if compliance is not UNSET:
            field_dict["compliance"] = compliance

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.compliance import Compliance # noqa: PLC0415
        from ..models.create_order_metadata_type_0 import CreateOrderMetadataType0 # noqa: PLC0415
        from ..models.item_input import ItemInput # noqa: PLC0415
        d = dict(src_dict)
        type_ = OrderType(d.pop("type"))




        customer_reference = d.pop("customer_reference")

        def _parse_metadata(data: object) -> CreateOrderMetadataType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                metadata_type_0 = CreateOrderMetadataType0.from_dict(data)



                return metadata_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CreateOrderMetadataType0 | None | Unset, data)

        metadata = _parse_metadata(d.pop("metadata", UNSET))


        _items = d.pop("items", UNSET)
        items: list[ItemInput] | Unset = UNSET
        if _items is not UNSET:
            items = []
            for items_item_data in _items:
                items_item = ItemInput.from_dict(items_item_data)



                items.append(items_item)


        def _parse_service_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        service_id = _parse_service_id(d.pop("service_id", UNSET))


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


        def _parse_compliance(data: object) -> Compliance | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                compliance_type_1 = Compliance.from_dict(data)



                return compliance_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Compliance | None | Unset, data)

        compliance = _parse_compliance(d.pop("compliance", UNSET))


        create_order = cls(
            type_=type_,
            customer_reference=customer_reference,
            metadata=metadata,
            items=items,
            service_id=service_id,
            sandbox_scenario=sandbox_scenario,
            compliance=compliance,
        )

        return create_order

