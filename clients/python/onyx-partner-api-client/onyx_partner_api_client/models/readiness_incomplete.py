from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.field_error import FieldError





T = TypeVar("T", bound="ReadinessIncomplete")



@_attrs_define
class ReadinessIncomplete:
    """ 422 `readiness_incomplete`: a problem whose `missing` lists the checklist items not done.

        Example:
            {'type': 'urn:onyx:problem:readiness_incomplete', 'title': 'Unprocessable Entity', 'status': 422, 'detail':
                'Live access can be requested once every readiness item is done; `missing` lists the items still open (see GET
                /v1/readiness for how to complete each).', 'code': 'readiness_incomplete', 'request_id': 'req_9f2c1d0b7a6e4c3f',
                'missing': ['webhook_delivery_succeeded', 'billing_member']}

        Attributes:
            type_ (str): A URI naming the problem type: `urn:onyx:problem:<code>`.
            title (str): Short summary of the HTTP status.
            status (int): HTTP status code.
            detail (str): What happened and what to do about it.
            code (str): Stable machine-readable error code; every code with its status and meaning is listed
                in `docs/errors.md` (`onyx error-codes`).
            request_id (str): The request id (also in the `x-request-id` response header); quote it to support.
            missing (list[str]): Keys of the checklist items not done yet.
            errors (list[FieldError] | Unset): Field-level errors, present for validation failures.
     """

    type_: str
    title: str
    status: int
    detail: str
    code: str
    request_id: str
    missing: list[str]
    errors: list[FieldError] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.field_error import FieldError # noqa: PLC0415
        type_ = self.type_

        title = self.title

        status = self.status

        detail = self.detail

        code = self.code

        request_id = self.request_id

        missing = self.missing



        errors: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.errors, Unset):
            errors = []
            for errors_item_data in self.errors:
                errors_item = errors_item_data.to_dict()
                errors.append(errors_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "type": type_,
            "title": title,
            "status": status,
            "detail": detail,
            "code": code,
            "request_id": request_id,
            "missing": missing,
        })
        if errors is not UNSET:
            field_dict["errors"] = errors

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.field_error import FieldError # noqa: PLC0415
        d = dict(src_dict)
        type_ = d.pop("type")

        title = d.pop("title")

        status = d.pop("status")

        detail = d.pop("detail")

        code = d.pop("code")

        request_id = d.pop("request_id")

        missing = cast(list[str], d.pop("missing"))


        _errors = d.pop("errors", UNSET)
        errors: list[FieldError] | Unset = UNSET
        if _errors is not UNSET:
            errors = []
            for errors_item_data in _errors:
                errors_item = FieldError.from_dict(errors_item_data)



                errors.append(errors_item)


        readiness_incomplete = cls(
            type_=type_,
            title=title,
            status=status,
            detail=detail,
            code=code,
            request_id=request_id,
            missing=missing,
            errors=errors,
        )


        readiness_incomplete.additional_properties = d
        return readiness_incomplete

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
