from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.evidence_details import EvidenceDetails





T = TypeVar("T", bound="Evidence")



@_attrs_define
class Evidence:
    """ One piece of evidence: an object of the partner's sandbox and when it counted.

        Attributes:
            object_ (str): What the id names: `credential`, `webhook_delivery`, `order`, `service` or `member`. Example:
                credential.
            id (str):  Example: cred_Zx5Tc7Vb1Mk3Jd9rQ2n8sLw0.
            at (datetime.datetime): When it happened (the token request, the delivery, the activation...).
            details (EvidenceDetails): More about it (non-secret: ids, status codes).
     """

    object_: str
    id: str
    at: datetime.datetime
    details: EvidenceDetails
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.evidence_details import EvidenceDetails # noqa: PLC0415
        object_ = self.object_

        id = self.id

        at = self.at.isoformat()

        details = self.details.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "object": object_,
            "id": id,
            "at": at,
            "details": details,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.evidence_details import EvidenceDetails # noqa: PLC0415
        d = dict(src_dict)
        object_ = d.pop("object")

        id = d.pop("id")

        at = datetime.datetime.fromisoformat(d.pop("at"))




        details = EvidenceDetails.from_dict(d.pop("details"))




        evidence = cls(
            object_=object_,
            id=id,
            at=at,
            details=details,
        )


        evidence.additional_properties = d
        return evidence

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
