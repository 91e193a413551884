from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.mismatch_kind import MismatchKind






T = TypeVar("T", bound="Mismatch")



@_attrs_define
class Mismatch:
    """ One mismatch.

        Attributes:
            kind (MismatchKind): What does not match.
            reference (str): The id of the object to look at (order, ledger entry, invoice line, wallet, invoice). Example:
                ord_3kT9mQ2xLr8vWc1ZpN0bHs4y.
            detail (str): What differs, with the amounts. Example: Completed order with total 1900 has no capture for
                attempt 1..
     """

    kind: MismatchKind
    reference: str
    detail: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        reference = self.reference

        detail = self.detail


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "kind": kind,
            "reference": reference,
            "detail": detail,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = MismatchKind(d.pop("kind"))




        reference = d.pop("reference")

        detail = d.pop("detail")

        mismatch = cls(
            kind=kind,
            reference=reference,
            detail=detail,
        )


        mismatch.additional_properties = d
        return mismatch

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
