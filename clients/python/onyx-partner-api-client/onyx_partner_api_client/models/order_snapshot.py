from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.order_state import OrderState
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="OrderSnapshot")



@_attrs_define
class OrderSnapshot:
    """ The state of the referenced order, as Onyx knows it.

        Attributes:
            id (str):  Example: ord_3kT9mQ2xLr8vWc1ZpN0bHs4y.
            state (OrderState):
            retry_allowed (bool):
            next_step (str):
            failure_code (None | str | Unset):
     """

    id: str
    state: OrderState
    retry_allowed: bool
    next_step: str
    failure_code: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        state = self.state.value

        retry_allowed = self.retry_allowed

        next_step = self.next_step

        failure_code: None | str | Unset
        if isinstance(self.failure_code, Unset):
            failure_code = UNSET
        else:
            failure_code = self.failure_code


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "state": state,
            "retry_allowed": retry_allowed,
            "next_step": next_step,
        })
        if failure_code is not UNSET:
            field_dict["failure_code"] = failure_code

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        state = OrderState(d.pop("state"))




        retry_allowed = d.pop("retry_allowed")

        next_step = d.pop("next_step")

        def _parse_failure_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        failure_code = _parse_failure_code(d.pop("failure_code", UNSET))


        order_snapshot = cls(
            id=id,
            state=state,
            retry_allowed=retry_allowed,
            next_step=next_step,
            failure_code=failure_code,
        )


        order_snapshot.additional_properties = d
        return order_snapshot

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
