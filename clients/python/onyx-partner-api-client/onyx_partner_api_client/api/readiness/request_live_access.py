from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.live_request import LiveRequest
from ...models.problem import Problem
from ...models.readiness_incomplete import ReadinessIncomplete
from typing import cast



def _get_kwargs(
    
) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/readiness/live-request",
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> LiveRequest | Problem | ReadinessIncomplete | None:
    if response.status_code == 201:
        response_201 = LiveRequest.from_dict(response.json())



        return response_201

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())



        return response_403

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())



        return response_409

    if response.status_code == 422:
        response_422 = ReadinessIncomplete.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[LiveRequest | Problem | ReadinessIncomplete]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,

) -> Response[LiveRequest | Problem | ReadinessIncomplete]:
    """ Request live access. Refused with the missing items until every checklist item is done;
    then an Onyx operator approves (the live environment opens: live sign-in, live
    credentials, live wallet) or declines with a reason. You receive `live_access.requested`,
    then `live_access.approved` or `live_access.declined` (sandbox events).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LiveRequest | Problem | ReadinessIncomplete]
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

) -> LiveRequest | Problem | ReadinessIncomplete | None:
    """ Request live access. Refused with the missing items until every checklist item is done;
    then an Onyx operator approves (the live environment opens: live sign-in, live
    credentials, live wallet) or declines with a reason. You receive `live_access.requested`,
    then `live_access.approved` or `live_access.declined` (sandbox events).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LiveRequest | Problem | ReadinessIncomplete
     """


    return sync_detailed(
        client=client,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,

) -> Response[LiveRequest | Problem | ReadinessIncomplete]:
    """ Request live access. Refused with the missing items until every checklist item is done;
    then an Onyx operator approves (the live environment opens: live sign-in, live
    credentials, live wallet) or declines with a reason. You receive `live_access.requested`,
    then `live_access.approved` or `live_access.declined` (sandbox events).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LiveRequest | Problem | ReadinessIncomplete]
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

) -> LiveRequest | Problem | ReadinessIncomplete | None:
    """ Request live access. Refused with the missing items until every checklist item is done;
    then an Onyx operator approves (the live environment opens: live sign-in, live
    credentials, live wallet) or declines with a reason. You receive `live_access.requested`,
    then `live_access.approved` or `live_access.declined` (sandbox events).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LiveRequest | Problem | ReadinessIncomplete
     """


    return (await asyncio_detailed(
        client=client,

    )).parsed
