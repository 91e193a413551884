from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.closed_period import ClosedPeriod
from ...models.problem import Problem
from typing import cast



def _get_kwargs(
    
) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/sandbox/billing/close-period",
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ClosedPeriod | Problem | None:
    if response.status_code == 201:
        response_201 = ClosedPeriod.from_dict(response.json())



        return response_201

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ClosedPeriod | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,

) -> Response[ClosedPeriod | Problem]:
    """ Sandbox only (404 in live): close the current billing period now, as the month's end
    would, so that invoices, true-ups and reconciliation can be tried without waiting. The
    invoices cover the month from its start (or the previous sandbox close) to now and are
    issued at once (`invoice.issued`); a later close in the same month covers what happened
    since. Owner, admin and billing.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ClosedPeriod | Problem]
     """


    kwargs = _get_kwargs(
        
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,

) -> ClosedPeriod | Problem | None:
    """ Sandbox only (404 in live): close the current billing period now, as the month's end
    would, so that invoices, true-ups and reconciliation can be tried without waiting. The
    invoices cover the month from its start (or the previous sandbox close) to now and are
    issued at once (`invoice.issued`); a later close in the same month covers what happened
    since. Owner, admin and billing.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ClosedPeriod | Problem
     """


    return sync_detailed(
        client=client,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,

) -> Response[ClosedPeriod | Problem]:
    """ Sandbox only (404 in live): close the current billing period now, as the month's end
    would, so that invoices, true-ups and reconciliation can be tried without waiting. The
    invoices cover the month from its start (or the previous sandbox close) to now and are
    issued at once (`invoice.issued`); a later close in the same month covers what happened
    since. Owner, admin and billing.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ClosedPeriod | Problem]
     """


    kwargs = _get_kwargs(
        
    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,

) -> ClosedPeriod | Problem | None:
    """ Sandbox only (404 in live): close the current billing period now, as the month's end
    would, so that invoices, true-ups and reconciliation can be tried without waiting. The
    invoices cover the month from its start (or the previous sandbox close) to now and are
    issued at once (`invoice.issued`); a later close in the same month covers what happened
    since. Owner, admin and billing.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ClosedPeriod | Problem
     """


    return (await asyncio_detailed(
        client=client,

    )).parsed
