from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.environment import Environment
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="LoginRequest")



@_attrs_define
class LoginRequest:
    """ 
        Attributes:
            email (str):  Example: owner@demo-partner.example.
            password (str):  Example: a long passphrase you keep secret.
            environment (Environment | None | Unset):
            partner_id (None | str | Unset): The partner to sign in to. Needed only when this email and password open the
                teams of
                several partners: without it such a sign-in answers 409 `partner_choice_required`
                listing them. Example: ptr_8Jd2kQ0vXn4LmT7sWc1aZp9e.
     """

    email: str
    password: str
    environment: Environment | None | Unset = UNSET
    partner_id: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        email = self.email

        password = self.password

        environment: None | str | Unset
        if isinstance(self.environment, Unset):
            environment = UNSET
        elif isinstance(self.environment, Environment):
            environment = self.environment.value
        else:
            environment = self.environment

        partner_id: None | str | Unset
        if isinstance(self.partner_id, Unset):
            partner_id = UNSET
        else:
            partner_id = self.partner_id


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "email": email,
            "password": password,
        })
        if environment is not UNSET:
            field_dict["environment"] = environment
        if partner_id is not UNSET:
            field_dict["partner_id"] = partner_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email")

        password = d.pop("password")

        def _parse_environment(data: object) -> Environment | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                environment_type_1 = Environment(data)



                return environment_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Environment | None | Unset, data)

        environment = _parse_environment(d.pop("environment", UNSET))


        def _parse_partner_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        partner_id = _parse_partner_id(d.pop("partner_id", UNSET))


        login_request = cls(
            email=email,
            password=password,
            environment=environment,
            partner_id=partner_id,
        )

        return login_request

