from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.json_without_nul_type_5 import JsonWithoutNulType5





T = TypeVar("T", bound="TokenRequest")



@_attrs_define
class TokenRequest:
    """ OAuth 2.0 client-credentials request (RFC 6749 §4.4), form-encoded or JSON. The client
    may also authenticate with HTTP Basic (`client_id:client_secret`).

        Attributes:
            grant_type (str): Must be `client_credentials`. Example: client_credentials.
            client_id (str): Required here unless sent as HTTP Basic credentials (which then take precedence). Example:
                onyx_ci_test_8sLw0Zx5Tc7Vb1Mk3Jd9.
            client_secret (str): Required here unless sent as HTTP Basic credentials (which then take precedence). Example:
                onyx_sk_test_4fQk9LmZ2xW8cV1bN7rT3sYh6gJd0pAe5uKiWq2R.
     """

    grant_type: str
    client_id: str
    client_secret: str
    additional_properties: dict[str, bool | float | JsonWithoutNulType5 | list[bool | float | None | str] | None | str] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.json_without_nul_type_5 import JsonWithoutNulType5 # noqa: PLC0415
        grant_type = self.grant_type

        client_id = self.client_id

        client_secret = self.client_secret


        field_dict: dict[str, Any] = {}
        for prop_name, prop in self.additional_properties.items():
            
            if isinstance(prop, list):
                field_dict[prop_name] = []
                for componentsschemas_json_without_nul_type_4_item_data in prop:
                    componentsschemas_json_without_nul_type_4_item: bool | float | None | str
                    componentsschemas_json_without_nul_type_4_item = componentsschemas_json_without_nul_type_4_item_data
                    field_dict[prop_name].append(componentsschemas_json_without_nul_type_4_item)


            elif isinstance(prop, JsonWithoutNulType5):
                field_dict[prop_name] = prop.to_dict()
            else:
                field_dict[prop_name] = prop

        field_dict.update({
            "grant_type": grant_type,
            "client_id": client_id,
            "client_secret": client_secret,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.json_without_nul_type_5 import JsonWithoutNulType5 # noqa: PLC0415
        d = dict(src_dict)
        grant_type = d.pop("grant_type")

        client_id = d.pop("client_id")

        client_secret = d.pop("client_secret")

        token_request = cls(
            grant_type=grant_type,
            client_id=client_id,
            client_secret=client_secret,
        )


        additional_properties = {}
        for prop_name, prop_dict in d.items():
            def _parse_additional_property(data: object) -> bool | float | JsonWithoutNulType5 | list[bool | float | None | str] | None | str:
                if data is None:
                    return data
                try:
                    if not isinstance(data, list):
                        raise TypeError()
                    componentsschemas_json_without_nul_type_4 = []
                    _componentsschemas_json_without_nul_type_4 = data
                    for componentsschemas_json_without_nul_type_4_item_data in (_componentsschemas_json_without_nul_type_4):
                        def _parse_componentsschemas_json_without_nul_type_4_item(data: object) -> bool | float | None | str:
                            if data is None:
                                return data
                            return cast(bool | float | None | str, data)

                        componentsschemas_json_without_nul_type_4_item = _parse_componentsschemas_json_without_nul_type_4_item(componentsschemas_json_without_nul_type_4_item_data)

                        componentsschemas_json_without_nul_type_4.append(componentsschemas_json_without_nul_type_4_item)

                    return componentsschemas_json_without_nul_type_4
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_json_without_nul_type_5 = JsonWithoutNulType5.from_dict(data)



                    return componentsschemas_json_without_nul_type_5
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                return cast(bool | float | JsonWithoutNulType5 | list[bool | float | None | str] | None | str, data)

            additional_property = _parse_additional_property(prop_dict)

            additional_properties[prop_name] = additional_property

        token_request.additional_properties = additional_properties
        return token_request

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> bool | float | JsonWithoutNulType5 | list[bool | float | None | str] | None | str:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: bool | float | JsonWithoutNulType5 | list[bool | float | None | str] | None | str) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
