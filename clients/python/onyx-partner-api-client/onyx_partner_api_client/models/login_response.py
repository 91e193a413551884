from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.environment import Environment
from typing import cast

if TYPE_CHECKING:
  from ..models.member import Member





T = TypeVar("T", bound="LoginResponse")



@_attrs_define
class LoginResponse:
    """ 
        Attributes:
            access_token (str):  Example: eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl.
            token_type (str):  Example: Bearer.
            expires_in (int):  Example: 900.
            environment (Environment): The two isolated environments of every partner.
            member (Member):
            partner_id (str):  Example: ptr_8Jd2kQ0vXn4LmT7sWc1aZp9e.
     """

    access_token: str
    token_type: str
    expires_in: int
    environment: Environment
    member: Member
    partner_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.member import Member # noqa: PLC0415
        access_token = self.access_token

        token_type = self.token_type

        expires_in = self.expires_in

        environment = self.environment.value

        member = self.member.to_dict()

        partner_id = self.partner_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "access_token": access_token,
            "token_type": token_type,
            "expires_in": expires_in,
            "environment": environment,
            "member": member,
            "partner_id": partner_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.member import Member # noqa: PLC0415
        d = dict(src_dict)
        access_token = d.pop("access_token")

        token_type = d.pop("token_type")

        expires_in = d.pop("expires_in")

        environment = Environment(d.pop("environment"))




        member = Member.from_dict(d.pop("member"))




        partner_id = d.pop("partner_id")

        login_response = cls(
            access_token=access_token,
            token_type=token_type,
            expires_in=expires_in,
            environment=environment,
            member=member,
            partner_id=partner_id,
        )


        login_response.additional_properties = d
        return login_response

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
