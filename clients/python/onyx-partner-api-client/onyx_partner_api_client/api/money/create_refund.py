from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.create_refund import CreateRefund
from ...models.problem import Problem
from ...models.refund import Refund
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    body: CreateRefund,
    idempotency_key: None | str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/refunds",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Refund | None:
    if response.status_code == 201:
        response_201 = Refund.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | Refund]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateRefund,
    idempotency_key: None | str | Unset = UNSET,

) -> Response[Problem | Refund]:
    """ Ask for a refund of a completed order (owner, admin, billing, support and machine
    credentials). Policy: up to what the order captured less earlier refunds, one pending
    request per order; sandbox requests are decided at once by rule (approved unless
    `sandbox_decision` says `decline` or `manual`), live ones by an Onyx operator with a reason.
    An approved refund returns the amount to the wallet (a `refund` ledger entry). Events:
    `refund.created`, then `refund.approved` or `refund.declined`. Send `Idempotency-Key` to
    retry safely.

    Args:
        idempotency_key (None | str | Unset):
        body (CreateRefund): A refund request as a partner sends it. Example: {'order_id':
            'ord_3kT9mQ2xLr8vWc1ZpN0bHs4y', 'amount_minor': 1300, 'reason': 'service_not_working',
            'note': 'No data in Lisbon for 2 days; case 4711.'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Refund]
     """


    kwargs = _get_kwargs(
        body=body,
idempotency_key=idempotency_key,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    body: CreateRefund,
    idempotency_key: None | str | Unset = UNSET,

) -> Problem | Refund | None:
    """ Ask for a refund of a completed order (owner, admin, billing, support and machine
    credentials). Policy: up to what the order captured less earlier refunds, one pending
    request per order; sandbox requests are decided at once by rule (approved unless
    `sandbox_decision` says `decline` or `manual`), live ones by an Onyx operator with a reason.
    An approved refund returns the amount to the wallet (a `refund` ledger entry). Events:
    `refund.created`, then `refund.approved` or `refund.declined`. Send `Idempotency-Key` to
    retry safely.

    Args:
        idempotency_key (None | str | Unset):
        body (CreateRefund): A refund request as a partner sends it. Example: {'order_id':
            'ord_3kT9mQ2xLr8vWc1ZpN0bHs4y', 'amount_minor': 1300, 'reason': 'service_not_working',
            'note': 'No data in Lisbon for 2 days; case 4711.'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Refund
     """


    return sync_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateRefund,
    idempotency_key: None | str | Unset = UNSET,

) -> Response[Problem | Refund]:
    """ Ask for a refund of a completed order (owner, admin, billing, support and machine
    credentials). Policy: up to what the order captured less earlier refunds, one pending
    request per order; sandbox requests are decided at once by rule (approved unless
    `sandbox_decision` says `decline` or `manual`), live ones by an Onyx operator with a reason.
    An approved refund returns the amount to the wallet (a `refund` ledger entry). Events:
    `refund.created`, then `refund.approved` or `refund.declined`. Send `Idempotency-Key` to
    retry safely.

    Args:
        idempotency_key (None | str | Unset):
        body (CreateRefund): A refund request as a partner sends it. Example: {'order_id':
            'ord_3kT9mQ2xLr8vWc1ZpN0bHs4y', 'amount_minor': 1300, 'reason': 'service_not_working',
            'note': 'No data in Lisbon for 2 days; case 4711.'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Refund]
     """


    kwargs = _get_kwargs(
        body=body,
idempotency_key=idempotency_key,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    body: CreateRefund,
    idempotency_key: None | str | Unset = UNSET,

) -> Problem | Refund | None:
    """ Ask for a refund of a completed order (owner, admin, billing, support and machine
    credentials). Policy: up to what the order captured less earlier refunds, one pending
    request per order; sandbox requests are decided at once by rule (approved unless
    `sandbox_decision` says `decline` or `manual`), live ones by an Onyx operator with a reason.
    An approved refund returns the amount to the wallet (a `refund` ledger entry). Events:
    `refund.created`, then `refund.approved` or `refund.declined`. Send `Idempotency-Key` to
    retry safely.

    Args:
        idempotency_key (None | str | Unset):
        body (CreateRefund): A refund request as a partner sends it. Example: {'order_id':
            'ord_3kT9mQ2xLr8vWc1ZpN0bHs4y', 'amount_minor': 1300, 'reason': 'service_not_working',
            'note': 'No data in Lisbon for 2 days; case 4711.'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Refund
     """


    return (await asyncio_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    )).parsed
