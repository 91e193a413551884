from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.usage_report import UsageReport
from ...models.usage_snapshot import UsageSnapshot
from typing import cast



def _get_kwargs(
    service_id: str,
    *,
    body: UsageReport,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/sandbox/services/{service_id}/usage".format(service_id=quote(str(service_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | UsageSnapshot | None:
    if response.status_code == 201:
        response_201 = UsageSnapshot.from_dict(response.json())



        return response_201

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())



        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())



        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())



        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())



        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())



        return response_415

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | UsageSnapshot]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    service_id: str,
    *,
    client: AuthenticatedClient,
    body: UsageReport,

) -> Response[Problem | UsageSnapshot]:
    """ Sandbox only: report usage as the network would (drives threshold events).

    Args:
        service_id (str):
        body (UsageReport):  Example: {'bytes_used': 4294967296, 'minutes_used': 12}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | UsageSnapshot]
     """


    kwargs = _get_kwargs(
        service_id=service_id,
body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    service_id: str,
    *,
    client: AuthenticatedClient,
    body: UsageReport,

) -> Problem | UsageSnapshot | None:
    """ Sandbox only: report usage as the network would (drives threshold events).

    Args:
        service_id (str):
        body (UsageReport):  Example: {'bytes_used': 4294967296, 'minutes_used': 12}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | UsageSnapshot
     """


    return sync_detailed(
        service_id=service_id,
client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    service_id: str,
    *,
    client: AuthenticatedClient,
    body: UsageReport,

) -> Response[Problem | UsageSnapshot]:
    """ Sandbox only: report usage as the network would (drives threshold events).

    Args:
        service_id (str):
        body (UsageReport):  Example: {'bytes_used': 4294967296, 'minutes_used': 12}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | UsageSnapshot]
     """


    kwargs = _get_kwargs(
        service_id=service_id,
body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    service_id: str,
    *,
    client: AuthenticatedClient,
    body: UsageReport,

) -> Problem | UsageSnapshot | None:
    """ Sandbox only: report usage as the network would (drives threshold events).

    Args:
        service_id (str):
        body (UsageReport):  Example: {'bytes_used': 4294967296, 'minutes_used': 12}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | UsageSnapshot
     """


    return (await asyncio_detailed(
        service_id=service_id,
client=client,
body=body,

    )).parsed
