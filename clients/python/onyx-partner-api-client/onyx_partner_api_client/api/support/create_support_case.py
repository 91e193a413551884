from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.create_case import CreateCase
from ...models.problem import Problem
from ...models.support_case_detail import SupportCaseDetail
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    body: CreateCase,
    idempotency_key: None | str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/support-cases",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | SupportCaseDetail | None:
    if response.status_code == 201:
        response_201 = SupportCaseDetail.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | SupportCaseDetail]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateCase,
    idempotency_key: None | str | Unset = UNSET,

) -> Response[Problem | SupportCaseDetail]:
    """ Open a support case about an order, a service or a package.

     The state of the referenced order and service is filled in by Onyx. Every text is checked
    for secrets first: text that looks like an activation code or matching id, a credential
    secret, a webhook secret, a token, a card number, an IBAN or an identity document number is
    refused with 422 (`errors[].code` `secret_in_text`, the message names the kind) and nothing
    of it is stored or logged.

    Args:
        idempotency_key (None | str | Unset):
        body (CreateCase): A new support case. Example: {'subject': 'No data after install',
            'issue': 'The customer installed the eSIM in Lisbon but has no data connection; roaming is
            on.', 'category': 'connectivity', 'priority': 'high', 'order_id':
            'ord_3kT9mQ2xLr8vWc1ZpN0bHs4y', 'customer_reference': 'booking-48151623'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SupportCaseDetail]
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
    body: CreateCase,
    idempotency_key: None | str | Unset = UNSET,

) -> Problem | SupportCaseDetail | None:
    """ Open a support case about an order, a service or a package.

     The state of the referenced order and service is filled in by Onyx. Every text is checked
    for secrets first: text that looks like an activation code or matching id, a credential
    secret, a webhook secret, a token, a card number, an IBAN or an identity document number is
    refused with 422 (`errors[].code` `secret_in_text`, the message names the kind) and nothing
    of it is stored or logged.

    Args:
        idempotency_key (None | str | Unset):
        body (CreateCase): A new support case. Example: {'subject': 'No data after install',
            'issue': 'The customer installed the eSIM in Lisbon but has no data connection; roaming is
            on.', 'category': 'connectivity', 'priority': 'high', 'order_id':
            'ord_3kT9mQ2xLr8vWc1ZpN0bHs4y', 'customer_reference': 'booking-48151623'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SupportCaseDetail
     """


    return sync_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateCase,
    idempotency_key: None | str | Unset = UNSET,

) -> Response[Problem | SupportCaseDetail]:
    """ Open a support case about an order, a service or a package.

     The state of the referenced order and service is filled in by Onyx. Every text is checked
    for secrets first: text that looks like an activation code or matching id, a credential
    secret, a webhook secret, a token, a card number, an IBAN or an identity document number is
    refused with 422 (`errors[].code` `secret_in_text`, the message names the kind) and nothing
    of it is stored or logged.

    Args:
        idempotency_key (None | str | Unset):
        body (CreateCase): A new support case. Example: {'subject': 'No data after install',
            'issue': 'The customer installed the eSIM in Lisbon but has no data connection; roaming is
            on.', 'category': 'connectivity', 'priority': 'high', 'order_id':
            'ord_3kT9mQ2xLr8vWc1ZpN0bHs4y', 'customer_reference': 'booking-48151623'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SupportCaseDetail]
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
    body: CreateCase,
    idempotency_key: None | str | Unset = UNSET,

) -> Problem | SupportCaseDetail | None:
    """ Open a support case about an order, a service or a package.

     The state of the referenced order and service is filled in by Onyx. Every text is checked
    for secrets first: text that looks like an activation code or matching id, a credential
    secret, a webhook secret, a token, a card number, an IBAN or an identity document number is
    refused with 422 (`errors[].code` `secret_in_text`, the message names the kind) and nothing
    of it is stored or logged.

    Args:
        idempotency_key (None | str | Unset):
        body (CreateCase): A new support case. Example: {'subject': 'No data after install',
            'issue': 'The customer installed the eSIM in Lisbon but has no data connection; roaming is
            on.', 'category': 'connectivity', 'priority': 'high', 'order_id':
            'ord_3kT9mQ2xLr8vWc1ZpN0bHs4y', 'customer_reference': 'booking-48151623'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SupportCaseDetail
     """


    return (await asyncio_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    )).parsed
