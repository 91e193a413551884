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
  from ..models.partner_choice import PartnerChoice





T = TypeVar("T", bound="PartnerChoiceRequired")



@_attrs_define
class PartnerChoiceRequired:
    """ 409 `partner_choice_required`: a problem whose `partners` lists the partners this email
    and password sign in to (only those).

        Example:
            {'type': 'urn:onyx:problem:partner_choice_required', 'title': 'Conflict', 'status': 409, 'detail': 'This email
                and password sign in to the teams of several partners; send the login again with `partner_id` set to one of
                `partners`.', 'code': 'partner_choice_required', 'request_id': 'req_9f2c1d0b7a6e4c3f', 'partners':
                [{'partner_id': 'ptr_8Jd2kQ0vXn4LmT7sWc1aZp9e', 'name': 'Wanderlust Travel'}, {'partner_id':
                'ptr_2Lm8Qv0xTc4Jd9rK7sWn1aZp', 'name': 'Nomad Mobile'}]}

        Attributes:
            type_ (str): A URI naming the problem type: `urn:onyx:problem:<code>`.
            title (str): Short summary of the HTTP status.
            status (int): HTTP status code.
            detail (str): What happened and what to do about it.
            code (str): Stable machine-readable error code; every code with its status and meaning is listed
                in `docs/errors.md` (`onyx error-codes`).
            request_id (str): The request id (also in the `x-request-id` response header); quote it to support.
            partners (list[PartnerChoice]):
            errors (list[FieldError] | Unset): Field-level errors, present for validation failures.
     """

    type_: str
    title: str
    status: int
    detail: str
    code: str
    request_id: str
    partners: list[PartnerChoice]
    errors: list[FieldError] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.field_error import FieldError # noqa: PLC0415
        from ..models.partner_choice import PartnerChoice # noqa: PLC0415
        type_ = self.type_

        title = self.title

        status = self.status

        detail = self.detail

        code = self.code

        request_id = self.request_id

        partners = []
        for partners_item_data in self.partners:
            partners_item = partners_item_data.to_dict()
            partners.append(partners_item)



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
            "partners": partners,
        })
        if errors is not UNSET:
            field_dict["errors"] = errors

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.field_error import FieldError # noqa: PLC0415
        from ..models.partner_choice import PartnerChoice # noqa: PLC0415
        d = dict(src_dict)
        type_ = d.pop("type")

        title = d.pop("title")

        status = d.pop("status")

        detail = d.pop("detail")

        code = d.pop("code")

        request_id = d.pop("request_id")

        partners = []
        _partners = d.pop("partners")
        for partners_item_data in (_partners):
            partners_item = PartnerChoice.from_dict(partners_item_data)



            partners.append(partners_item)


        _errors = d.pop("errors", UNSET)
        errors: list[FieldError] | Unset = UNSET
        if _errors is not UNSET:
            errors = []
            for errors_item_data in _errors:
                errors_item = FieldError.from_dict(errors_item_data)



                errors.append(errors_item)


        partner_choice_required = cls(
            type_=type_,
            title=title,
            status=status,
            detail=detail,
            code=code,
            request_id=request_id,
            partners=partners,
            errors=errors,
        )


        partner_choice_required.additional_properties = d
        return partner_choice_required

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
