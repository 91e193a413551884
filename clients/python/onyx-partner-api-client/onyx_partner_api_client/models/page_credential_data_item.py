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






T = TypeVar("T", bound="PageCredentialDataItem")



@_attrs_define
class PageCredentialDataItem:
    """ 
        Attributes:
            id (str):  Example: cred_Zx5Tc7Vb1Mk3Jd9rQ2n8sLw0.
            name (str):  Example: Booking backend.
            environment (Environment): The two isolated environments of every partner.
            client_id (str): Public identifier for `POST /v1/oauth/token`. Example: onyx_ci_test_8sLw0Zx5Tc7Vb1Mk3Jd9.
            status (CredentialStatus):
            secret_hint (str): Last four characters of the secret, to tell credentials apart. Example: …Jd9r.
            created_at (datetime.datetime):
            replaced_by (None | str | Unset): For a rotated credential: the credential that replaced it.
            expires_at (datetime.datetime | None | Unset): For a rotated credential: when it stops working.
            revoked_at (datetime.datetime | None | Unset):
            last_used_at (datetime.datetime | None | Unset):
     """

    id: str
    name: str
    environment: Environment
    client_id: str
    status: CredentialStatus
    secret_hint: str
    created_at: datetime.datetime
    replaced_by: None | str | Unset = UNSET
    expires_at: datetime.datetime | None | Unset = UNSET
    revoked_at: datetime.datetime | None | Unset = UNSET
    last_used_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        environment = self.environment.value

        client_id = self.client_id

        status = self.status.value

        secret_hint = self.secret_hint

        created_at = self.created_at.isoformat()

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

        revoked_at: None | str | Unset
        if isinstance(self.revoked_at, Unset):
            revoked_at = UNSET
        elif isinstance(self.revoked_at, datetime.datetime):
            revoked_at = self.revoked_at.isoformat()
        else:
            revoked_at = self.revoked_at

        last_used_at: None | str | Unset
        if isinstance(self.last_used_at, Unset):
            last_used_at = UNSET
        elif isinstance(self.last_used_at, datetime.datetime):
            last_used_at = self.last_used_at.isoformat()
        else:
            last_used_at = self.last_used_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "name": name,
            "environment": environment,
            "client_id": client_id,
            "status": status,
            "secret_hint": secret_hint,
            "created_at": created_at,
        })
        if replaced_by is not UNSET:
            field_dict["replaced_by"] = replaced_by
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if revoked_at is not UNSET:
            field_dict["revoked_at"] = revoked_at
        if last_used_at is not UNSET:
            field_dict["last_used_at"] = last_used_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        environment = Environment(d.pop("environment"))




        client_id = d.pop("client_id")

        status = CredentialStatus(d.pop("status"))




        secret_hint = d.pop("secret_hint")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




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


        def _parse_revoked_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                revoked_at_type_0 = datetime.datetime.fromisoformat(data)



                return revoked_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        revoked_at = _parse_revoked_at(d.pop("revoked_at", UNSET))


        def _parse_last_used_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_used_at_type_0 = datetime.datetime.fromisoformat(data)



                return last_used_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        last_used_at = _parse_last_used_at(d.pop("last_used_at", UNSET))


        page_credential_data_item = cls(
            id=id,
            name=name,
            environment=environment,
            client_id=client_id,
            status=status,
            secret_hint=secret_hint,
            created_at=created_at,
            replaced_by=replaced_by,
            expires_at=expires_at,
            revoked_at=revoked_at,
            last_used_at=last_used_at,
        )


        page_credential_data_item.additional_properties = d
        return page_credential_data_item

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
