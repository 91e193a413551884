from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.compliance_requirement import ComplianceRequirement
from ..models.coverage_type import CoverageType
from ..models.package_kind import PackageKind
from ..models.package_status import PackageStatus
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="Package")



@_attrs_define
class Package:
    """ A catalogue package.

        Attributes:
            package_id (str): Partner-facing id. Example: eu-10gb-30d.
            kind (PackageKind): What a package is.
            coverage_name (str):  Example: Europe 10 GB.
            coverage_type (CoverageType): How wide the coverage is.
            region (str):  Example: Europe.
            countries (list[str]): ISO 3166-1 alpha-2 codes, sorted. Example: ['DE', 'ES', 'FR', 'IT'].
            data_unlimited (bool):
            validity_days (int):  Example: 30.
            status (PackageStatus): Whether a package can be ordered.
            price_minor (int): Price in minor units of `currency` (e.g. cents). Example: 1900.
            currency (str): ISO 4217 currency code. Example: EUR.
            compliance_requirements (list[ComplianceRequirement]):
            created_at (datetime.datetime):
            updated_at (datetime.datetime):
            voice_type (None | str | Unset): For voice add-ons: the voice type (at most one voice add-on of each type per
                order). Example: international.
            data_allowance_bytes (int | None | Unset): Data included, in bytes; null when unlimited or for voice-only add-
                ons. Example: 10737418240.
            voice_minutes (int | None | Unset): Voice minutes included, where relevant.
     """

    package_id: str
    kind: PackageKind
    coverage_name: str
    coverage_type: CoverageType
    region: str
    countries: list[str]
    data_unlimited: bool
    validity_days: int
    status: PackageStatus
    price_minor: int
    currency: str
    compliance_requirements: list[ComplianceRequirement]
    created_at: datetime.datetime
    updated_at: datetime.datetime
    voice_type: None | str | Unset = UNSET
    data_allowance_bytes: int | None | Unset = UNSET
    voice_minutes: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        package_id = self.package_id

        kind = self.kind.value

        coverage_name = self.coverage_name

        coverage_type = self.coverage_type.value

        region = self.region

        countries = self.countries



        data_unlimited = self.data_unlimited

        validity_days = self.validity_days

        status = self.status.value

        price_minor = self.price_minor

        currency = self.currency

        compliance_requirements = []
        for compliance_requirements_item_data in self.compliance_requirements:
            compliance_requirements_item = compliance_requirements_item_data.value
            compliance_requirements.append(compliance_requirements_item)



        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        voice_type: None | str | Unset
        if isinstance(self.voice_type, Unset):
            voice_type = UNSET
        else:
            voice_type = self.voice_type

        data_allowance_bytes: int | None | Unset
        if isinstance(self.data_allowance_bytes, Unset):
            data_allowance_bytes = UNSET
        else:
            data_allowance_bytes = self.data_allowance_bytes

        voice_minutes: int | None | Unset
        if isinstance(self.voice_minutes, Unset):
            voice_minutes = UNSET
        else:
            voice_minutes = self.voice_minutes


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "package_id": package_id,
            "kind": kind,
            "coverage_name": coverage_name,
            "coverage_type": coverage_type,
            "region": region,
            "countries": countries,
            "data_unlimited": data_unlimited,
            "validity_days": validity_days,
            "status": status,
            "price_minor": price_minor,
            "currency": currency,
            "compliance_requirements": compliance_requirements,
            "created_at": created_at,
            "updated_at": updated_at,
        })
        if voice_type is not UNSET:
            field_dict["voice_type"] = voice_type
        if data_allowance_bytes is not UNSET:
            field_dict["data_allowance_bytes"] = data_allowance_bytes
        if voice_minutes is not UNSET:
            field_dict["voice_minutes"] = voice_minutes

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        package_id = d.pop("package_id")

        kind = PackageKind(d.pop("kind"))




        coverage_name = d.pop("coverage_name")

        coverage_type = CoverageType(d.pop("coverage_type"))




        region = d.pop("region")

        countries = cast(list[str], d.pop("countries"))


        data_unlimited = d.pop("data_unlimited")

        validity_days = d.pop("validity_days")

        status = PackageStatus(d.pop("status"))




        price_minor = d.pop("price_minor")

        currency = d.pop("currency")

        compliance_requirements = []
        _compliance_requirements = d.pop("compliance_requirements")
        for compliance_requirements_item_data in (_compliance_requirements):
            compliance_requirements_item = ComplianceRequirement(compliance_requirements_item_data)



            compliance_requirements.append(compliance_requirements_item)


        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))




        def _parse_voice_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        voice_type = _parse_voice_type(d.pop("voice_type", UNSET))


        def _parse_data_allowance_bytes(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        data_allowance_bytes = _parse_data_allowance_bytes(d.pop("data_allowance_bytes", UNSET))


        def _parse_voice_minutes(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        voice_minutes = _parse_voice_minutes(d.pop("voice_minutes", UNSET))


        package = cls(
            package_id=package_id,
            kind=kind,
            coverage_name=coverage_name,
            coverage_type=coverage_type,
            region=region,
            countries=countries,
            data_unlimited=data_unlimited,
            validity_days=validity_days,
            status=status,
            price_minor=price_minor,
            currency=currency,
            compliance_requirements=compliance_requirements,
            created_at=created_at,
            updated_at=updated_at,
            voice_type=voice_type,
            data_allowance_bytes=data_allowance_bytes,
            voice_minutes=voice_minutes,
        )


        package.additional_properties = d
        return package

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
