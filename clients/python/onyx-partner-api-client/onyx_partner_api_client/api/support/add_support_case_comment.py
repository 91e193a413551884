from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.create_comment import CreateComment
from ...models.problem import Problem
from ...models.support_case_detail import SupportCaseDetail
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    case_id: str,
    *,
    body: CreateComment,
    idempotency_key: None | str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/support-cases/{case_id}/comments".format(case_id=quote(str(case_id), safe=""),),
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
    case_id: str,
    *,
    client: AuthenticatedClient,
    body: CreateComment,
    idempotency_key: None | str | Unset = UNSET,

) -> Response[Problem | SupportCaseDetail]:
    """ Comment on a support case. A comment on a case waiting for you hands it back to Onyx
    (`awaiting_onyx`); on a resolved case it reopens the case within 14 days of resolution.

    Args:
        case_id (str):
        idempotency_key (None | str | Unset):
        body (CreateComment): A comment on a case (by the partner or by Onyx). Example: {'body':
            'The customer restarted the phone; still no data.'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SupportCaseDetail]
     """


    kwargs = _get_kwargs(
        case_id=case_id,
body=body,
idempotency_key=idempotency_key,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    case_id: str,
    *,
    client: AuthenticatedClient,
    body: CreateComment,
    idempotency_key: None | str | Unset = UNSET,

) -> Problem | SupportCaseDetail | None:
    """ Comment on a support case. A comment on a case waiting for you hands it back to Onyx
    (`awaiting_onyx`); on a resolved case it reopens the case within 14 days of resolution.

    Args:
        case_id (str):
        idempotency_key (None | str | Unset):
        body (CreateComment): A comment on a case (by the partner or by Onyx). Example: {'body':
            'The customer restarted the phone; still no data.'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SupportCaseDetail
     """


    return sync_detailed(
        case_id=case_id,
client=client,
body=body,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    case_id: str,
    *,
    client: AuthenticatedClient,
    body: CreateComment,
    idempotency_key: None | str | Unset = UNSET,

) -> Response[Problem | SupportCaseDetail]:
    """ Comment on a support case. A comment on a case waiting for you hands it back to Onyx
    (`awaiting_onyx`); on a resolved case it reopens the case within 14 days of resolution.

    Args:
        case_id (str):
        idempotency_key (None | str | Unset):
        body (CreateComment): A comment on a case (by the partner or by Onyx). Example: {'body':
            'The customer restarted the phone; still no data.'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SupportCaseDetail]
     """


    kwargs = _get_kwargs(
        case_id=case_id,
body=body,
idempotency_key=idempotency_key,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    case_id: str,
    *,
    client: AuthenticatedClient,
    body: CreateComment,
    idempotency_key: None | str | Unset = UNSET,

) -> Problem | SupportCaseDetail | None:
    """ Comment on a support case. A comment on a case waiting for you hands it back to Onyx
    (`awaiting_onyx`); on a resolved case it reopens the case within 14 days of resolution.

    Args:
        case_id (str):
        idempotency_key (None | str | Unset):
        body (CreateComment): A comment on a case (by the partner or by Onyx). Example: {'body':
            'The customer restarted the phone; still no data.'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SupportCaseDetail
     """


    return (await asyncio_detailed(
        case_id=case_id,
client=client,
body=body,
idempotency_key=idempotency_key,

    )).parsed
