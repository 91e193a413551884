from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.country_code import CountryCode
from ...models.coverage_type import CoverageType
from ...models.package_kind import PackageKind
from ...models.package_status import PackageStatus
from ...models.page_package import PagePackage
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    kind: PackageKind | Unset = UNSET,
    coverage_type: CoverageType | Unset = UNSET,
    region: str | Unset = UNSET,
    country: CountryCode | Unset = UNSET,
    status: PackageStatus | Unset = UNSET,
    if_none_match: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_none_match, Unset):
        headers["If-None-Match"] = if_none_match



    

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["cursor"] = cursor

    json_kind: str | Unset = UNSET
    if not isinstance(kind, Unset):
        json_kind = kind.value

    params["kind"] = json_kind

    json_coverage_type: str | Unset = UNSET
    if not isinstance(coverage_type, Unset):
        json_coverage_type = coverage_type.value

    params["coverage_type"] = json_coverage_type

    params["region"] = region

    json_country: str | Unset = UNSET
    if not isinstance(country, Unset):
        json_country = country.value

    params["country"] = json_country

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/packages",
        "params": params,
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | PagePackage | Problem | None:
    if response.status_code == 200:
        response_200 = PagePackage.from_dict(response.json())



        return response_200

    if response.status_code == 304:
        response_304 = cast(Any, None)
        return response_304

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())



        return response_403

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())



        return response_429

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())



        return response_500

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())



        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | PagePackage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    kind: PackageKind | Unset = UNSET,
    coverage_type: CoverageType | Unset = UNSET,
    region: str | Unset = UNSET,
    country: CountryCode | Unset = UNSET,
    status: PackageStatus | Unset = UNSET,
    if_none_match: str | Unset = UNSET,

) -> Response[Any | PagePackage | Problem]:
    """ List the packages you may sell (approved for you, covering only your markets).

    Args:
        limit (int | Unset):
        cursor (str | Unset):
        kind (PackageKind | Unset): What a package is.
        coverage_type (CoverageType | Unset): How wide the coverage is.
        region (str | Unset):
        country (CountryCode | Unset): An officially assigned ISO 3166-1 alpha-2 country code, in
            upper case.
        status (PackageStatus | Unset): Whether a package can be ordered.
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | PagePackage | Problem]
     """


    kwargs = _get_kwargs(
        limit=limit,
cursor=cursor,
kind=kind,
coverage_type=coverage_type,
region=region,
country=country,
status=status,
if_none_match=if_none_match,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    kind: PackageKind | Unset = UNSET,
    coverage_type: CoverageType | Unset = UNSET,
    region: str | Unset = UNSET,
    country: CountryCode | Unset = UNSET,
    status: PackageStatus | Unset = UNSET,
    if_none_match: str | Unset = UNSET,

) -> Any | PagePackage | Problem | None:
    """ List the packages you may sell (approved for you, covering only your markets).

    Args:
        limit (int | Unset):
        cursor (str | Unset):
        kind (PackageKind | Unset): What a package is.
        coverage_type (CoverageType | Unset): How wide the coverage is.
        region (str | Unset):
        country (CountryCode | Unset): An officially assigned ISO 3166-1 alpha-2 country code, in
            upper case.
        status (PackageStatus | Unset): Whether a package can be ordered.
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | PagePackage | Problem
     """


    return sync_detailed(
        client=client,
limit=limit,
cursor=cursor,
kind=kind,
coverage_type=coverage_type,
region=region,
country=country,
status=status,
if_none_match=if_none_match,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    kind: PackageKind | Unset = UNSET,
    coverage_type: CoverageType | Unset = UNSET,
    region: str | Unset = UNSET,
    country: CountryCode | Unset = UNSET,
    status: PackageStatus | Unset = UNSET,
    if_none_match: str | Unset = UNSET,

) -> Response[Any | PagePackage | Problem]:
    """ List the packages you may sell (approved for you, covering only your markets).

    Args:
        limit (int | Unset):
        cursor (str | Unset):
        kind (PackageKind | Unset): What a package is.
        coverage_type (CoverageType | Unset): How wide the coverage is.
        region (str | Unset):
        country (CountryCode | Unset): An officially assigned ISO 3166-1 alpha-2 country code, in
            upper case.
        status (PackageStatus | Unset): Whether a package can be ordered.
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | PagePackage | Problem]
     """


    kwargs = _get_kwargs(
        limit=limit,
cursor=cursor,
kind=kind,
coverage_type=coverage_type,
region=region,
country=country,
status=status,
if_none_match=if_none_match,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    kind: PackageKind | Unset = UNSET,
    coverage_type: CoverageType | Unset = UNSET,
    region: str | Unset = UNSET,
    country: CountryCode | Unset = UNSET,
    status: PackageStatus | Unset = UNSET,
    if_none_match: str | Unset = UNSET,

) -> Any | PagePackage | Problem | None:
    """ List the packages you may sell (approved for you, covering only your markets).

    Args:
        limit (int | Unset):
        cursor (str | Unset):
        kind (PackageKind | Unset): What a package is.
        coverage_type (CoverageType | Unset): How wide the coverage is.
        region (str | Unset):
        country (CountryCode | Unset): An officially assigned ISO 3166-1 alpha-2 country code, in
            upper case.
        status (PackageStatus | Unset): Whether a package can be ordered.
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | PagePackage | Problem
     """


    return (await asyncio_detailed(
        client=client,
limit=limit,
cursor=cursor,
kind=kind,
coverage_type=coverage_type,
region=region,
country=country,
status=status,
if_none_match=if_none_match,

    )).parsed
