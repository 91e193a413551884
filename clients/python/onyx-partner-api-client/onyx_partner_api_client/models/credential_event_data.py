from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.credential_status import CredentialStatus
from ..models.environment import Environment
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="CredentialEventData")



@_attrs_define
class CredentialEventData:
    """ `credential.created`, `credential.rotated`, `credential.revoked`: the credential (never its
    secret). A rotation also names the replacement and when the old credential stops working.

        Attributes:
            id (str):  Example: cred_Zx5Tc7Vb1Mk3Jd9rQ2n8sLw0.
            name (str):  Example: Booking backend.
            client_id (str):  Example: onyx_ci_test_8sLw0Zx5Tc7Vb1Mk3Jd9.
            environment (Environment): The two isolated environments of every partner.
            status (CredentialStatus):
            replaced_by (None | str | Unset): `credential.rotated` only: the new credential.
            expires_at (datetime.datetime | None | Unset): `credential.rotated` only: when the old credential stops working.
     """

    id: str
    name: str
    client_id: str
    environment: Environment
    status: CredentialStatus
    replaced_by: None | str | Unset = UNSET
    expires_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        client_id = self.client_id

        environment = self.environment.value

        status = self.status.value

        replaced_by: None | str | Unset
        if isinstance(self.replaced_by, Unset):
            replaced_by = UNSET
        else:
            replaced_by = self.replaced_by

        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        elif isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "name": name,
            "client_id": client_id,
            "environment": environment,
            "status": status,
        })
        if replaced_by is not UNSET:
            field_dict["replaced_by"] = replaced_by
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        client_id = d.pop("client_id")

        environment = Environment(d.pop("environment"))




        status = CredentialStatus(d.pop("status"))




        def _parse_replaced_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        replaced_by = _parse_replaced_by(d.pop("replaced_by", UNSET))


        def _parse_expires_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)



                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        expires_at = _parse_expires_at(d.pop("expires_at", UNSET))


        credential_event_data = cls(
            id=id,
            name=name,
            client_id=client_id,
            environment=environment,
            status=status,
            replaced_by=replaced_by,
            expires_at=expires_at,
        )


        credential_event_data.additional_properties = d
        return credential_event_data

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
