from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.advance_clock import AdvanceClock
from ...models.clock_advanced import ClockAdvanced
from ...models.problem import Problem
from typing import cast



def _get_kwargs(
    *,
    body: AdvanceClock,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/sandbox/clock/advance",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ClockAdvanced | Problem | None:
    if response.status_code == 200:
        response_200 = ClockAdvanced.from_dict(response.json())



        return response_200

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ClockAdvanced | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: AdvanceClock,

) -> Response[ClockAdvanced | Problem]:
    """ Sandbox only: move this partner's sandbox clock forward, `{"to": "<RFC 3339>"}` or
    `{"by": "P3D"}` (at most 400 days per move, never back). Every time-based rule of this
    partner's sandbox follows it: service validity and `service.expiring` /
    `service.expired` (run at once for the services the move made due), usage freshness,
    usage reported through the sandbox helper, rotated credentials' grace end, invitations
    sent from sandbox, webhook retry schedules, idempotency key expiry and the sandbox
    billing close. Live and other partners never follow it; access tokens stay on real time.
    Events emitted while the clock is moved carry `test_clock_time` next to `created_at`.

    Args:
        body (AdvanceClock): Where to move the clock: exactly one of `to` and `by`. Example:
            {'by': 'P27D'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ClockAdvanced | Problem]
     """


    kwargs = _get_kwargs(
        body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    body: AdvanceClock,

) -> ClockAdvanced | Problem | None:
    """ Sandbox only: move this partner's sandbox clock forward, `{"to": "<RFC 3339>"}` or
    `{"by": "P3D"}` (at most 400 days per move, never back). Every time-based rule of this
    partner's sandbox follows it: service validity and `service.expiring` /
    `service.expired` (run at once for the services the move made due), usage freshness,
    usage reported through the sandbox helper, rotated credentials' grace end, invitations
    sent from sandbox, webhook retry schedules, idempotency key expiry and the sandbox
    billing close. Live and other partners never follow it; access tokens stay on real time.
    Events emitted while the clock is moved carry `test_clock_time` next to `created_at`.

    Args:
        body (AdvanceClock): Where to move the clock: exactly one of `to` and `by`. Example:
            {'by': 'P27D'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ClockAdvanced | Problem
     """


    return sync_detailed(
        client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: AdvanceClock,

) -> Response[ClockAdvanced | Problem]:
    """ Sandbox only: move this partner's sandbox clock forward, `{"to": "<RFC 3339>"}` or
    `{"by": "P3D"}` (at most 400 days per move, never back). Every time-based rule of this
    partner's sandbox follows it: service validity and `service.expiring` /
    `service.expired` (run at once for the services the move made due), usage freshness,
    usage reported through the sandbox helper, rotated credentials' grace end, invitations
    sent from sandbox, webhook retry schedules, idempotency key expiry and the sandbox
    billing close. Live and other partners never follow it; access tokens stay on real time.
    Events emitted while the clock is moved carry `test_clock_time` next to `created_at`.

    Args:
        body (AdvanceClock): Where to move the clock: exactly one of `to` and `by`. Example:
            {'by': 'P27D'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ClockAdvanced | Problem]
     """


    kwargs = _get_kwargs(
        body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    body: AdvanceClock,

) -> ClockAdvanced | Problem | None:
    """ Sandbox only: move this partner's sandbox clock forward, `{"to": "<RFC 3339>"}` or
    `{"by": "P3D"}` (at most 400 days per move, never back). Every time-based rule of this
    partner's sandbox follows it: service validity and `service.expiring` /
    `service.expired` (run at once for the services the move made due), usage freshness,
    usage reported through the sandbox helper, rotated credentials' grace end, invitations
    sent from sandbox, webhook retry schedules, idempotency key expiry and the sandbox
    billing close. Live and other partners never follow it; access tokens stay on real time.
    Events emitted while the clock is moved carry `test_clock_time` next to `created_at`.

    Args:
        body (AdvanceClock): Where to move the clock: exactly one of `to` and `by`. Example:
            {'by': 'P27D'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ClockAdvanced | Problem
     """


    return (await asyncio_detailed(
        client=client,
body=body,

    )).parsed
