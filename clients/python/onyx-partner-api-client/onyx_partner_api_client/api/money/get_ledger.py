from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.entry_type import EntryType
from ...models.page_ledger_entry import PageLedgerEntry
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast
import datetime



def _get_kwargs(
    *,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    currency: str | Unset = UNSET,
    order_id: str | Unset = UNSET,
    invoice_id: str | Unset = UNSET,
    entry_type: EntryType | Unset = UNSET,
    created_from: datetime.datetime | Unset = UNSET,
    created_to: datetime.datetime | Unset = UNSET,
    if_none_match: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_none_match, Unset):
        headers["If-None-Match"] = if_none_match



    

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["cursor"] = cursor

    params["currency"] = currency

    params["order_id"] = order_id

    params["invoice_id"] = invoice_id

    json_entry_type: str | Unset = UNSET
    if not isinstance(entry_type, Unset):
        json_entry_type = entry_type.value

    params["entry_type"] = json_entry_type

    json_created_from: str | Unset = UNSET
    if not isinstance(created_from, Unset):
        json_created_from = created_from.isoformat()
    params["created_from"] = json_created_from

    json_created_to: str | Unset = UNSET
    if not isinstance(created_to, Unset):
        json_created_to = created_to.isoformat()
    params["created_to"] = json_created_to


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/ledger",
        "params": params,
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | PageLedgerEntry | Problem | None:
    if response.status_code == 200:
        response_200 = PageLedgerEntry.from_dict(response.json())



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

    if response.status_code == 406:
        response_406 = Problem.from_dict(response.json())



        return response_406

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | PageLedgerEntry | Problem]:
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
    currency: str | Unset = UNSET,
    order_id: str | Unset = UNSET,
    invoice_id: str | Unset = UNSET,
    entry_type: EntryType | Unset = UNSET,
    created_from: datetime.datetime | Unset = UNSET,
    created_to: datetime.datetime | Unset = UNSET,
    if_none_match: str | Unset = UNSET,

) -> Response[Any | PageLedgerEntry | Problem]:
    """ The append-only ledger: reserves, captures, releases, credits, debits, refunds and
    commitment adjustments, each with its description and the order or invoice it belongs to.

     With `Accept: text/csv` the answer is a CSV export of every entry the filters select
    (newest first, no paging, at most 100000 rows), with the columns `id, created_at,
    entry_type, currency, amount, available_after, reserved_after, order_id, invoice_id,
    wallet_id, description` in this order (times RFC 3339 UTC, amounts in minor units, absent
    references empty).

    Args:
        limit (int | Unset):
        cursor (str | Unset):
        currency (str | Unset):
        order_id (str | Unset):
        invoice_id (str | Unset):
        entry_type (EntryType | Unset):
        created_from (datetime.datetime | Unset):
        created_to (datetime.datetime | Unset):
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | PageLedgerEntry | Problem]
     """


    kwargs = _get_kwargs(
        limit=limit,
cursor=cursor,
currency=currency,
order_id=order_id,
invoice_id=invoice_id,
entry_type=entry_type,
created_from=created_from,
created_to=created_to,
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
    currency: str | Unset = UNSET,
    order_id: str | Unset = UNSET,
    invoice_id: str | Unset = UNSET,
    entry_type: EntryType | Unset = UNSET,
    created_from: datetime.datetime | Unset = UNSET,
    created_to: datetime.datetime | Unset = UNSET,
    if_none_match: str | Unset = UNSET,

) -> Any | PageLedgerEntry | Problem | None:
    """ The append-only ledger: reserves, captures, releases, credits, debits, refunds and
    commitment adjustments, each with its description and the order or invoice it belongs to.

     With `Accept: text/csv` the answer is a CSV export of every entry the filters select
    (newest first, no paging, at most 100000 rows), with the columns `id, created_at,
    entry_type, currency, amount, available_after, reserved_after, order_id, invoice_id,
    wallet_id, description` in this order (times RFC 3339 UTC, amounts in minor units, absent
    references empty).

    Args:
        limit (int | Unset):
        cursor (str | Unset):
        currency (str | Unset):
        order_id (str | Unset):
        invoice_id (str | Unset):
        entry_type (EntryType | Unset):
        created_from (datetime.datetime | Unset):
        created_to (datetime.datetime | Unset):
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | PageLedgerEntry | Problem
     """


    return sync_detailed(
        client=client,
limit=limit,
cursor=cursor,
currency=currency,
order_id=order_id,
invoice_id=invoice_id,
entry_type=entry_type,
created_from=created_from,
created_to=created_to,
if_none_match=if_none_match,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    currency: str | Unset = UNSET,
    order_id: str | Unset = UNSET,
    invoice_id: str | Unset = UNSET,
    entry_type: EntryType | Unset = UNSET,
    created_from: datetime.datetime | Unset = UNSET,
    created_to: datetime.datetime | Unset = UNSET,
    if_none_match: str | Unset = UNSET,

) -> Response[Any | PageLedgerEntry | Problem]:
    """ The append-only ledger: reserves, captures, releases, credits, debits, refunds and
    commitment adjustments, each with its description and the order or invoice it belongs to.

     With `Accept: text/csv` the answer is a CSV export of every entry the filters select
    (newest first, no paging, at most 100000 rows), with the columns `id, created_at,
    entry_type, currency, amount, available_after, reserved_after, order_id, invoice_id,
    wallet_id, description` in this order (times RFC 3339 UTC, amounts in minor units, absent
    references empty).

    Args:
        limit (int | Unset):
        cursor (str | Unset):
        currency (str | Unset):
        order_id (str | Unset):
        invoice_id (str | Unset):
        entry_type (EntryType | Unset):
        created_from (datetime.datetime | Unset):
        created_to (datetime.datetime | Unset):
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | PageLedgerEntry | Problem]
     """


    kwargs = _get_kwargs(
        limit=limit,
cursor=cursor,
currency=currency,
order_id=order_id,
invoice_id=invoice_id,
entry_type=entry_type,
created_from=created_from,
created_to=created_to,
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
    currency: str | Unset = UNSET,
    order_id: str | Unset = UNSET,
    invoice_id: str | Unset = UNSET,
    entry_type: EntryType | Unset = UNSET,
    created_from: datetime.datetime | Unset = UNSET,
    created_to: datetime.datetime | Unset = UNSET,
    if_none_match: str | Unset = UNSET,

) -> Any | PageLedgerEntry | Problem | None:
    """ The append-only ledger: reserves, captures, releases, credits, debits, refunds and
    commitment adjustments, each with its description and the order or invoice it belongs to.

     With `Accept: text/csv` the answer is a CSV export of every entry the filters select
    (newest first, no paging, at most 100000 rows), with the columns `id, created_at,
    entry_type, currency, amount, available_after, reserved_after, order_id, invoice_id,
    wallet_id, description` in this order (times RFC 3339 UTC, amounts in minor units, absent
    references empty).

    Args:
        limit (int | Unset):
        cursor (str | Unset):
        currency (str | Unset):
        order_id (str | Unset):
        invoice_id (str | Unset):
        entry_type (EntryType | Unset):
        created_from (datetime.datetime | Unset):
        created_to (datetime.datetime | Unset):
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | PageLedgerEntry | Problem
     """


    return (await asyncio_detailed(
        client=client,
limit=limit,
cursor=cursor,
currency=currency,
order_id=order_id,
invoice_id=invoice_id,
entry_type=entry_type,
created_from=created_from,
created_to=created_to,
if_none_match=if_none_match,

    )).parsed
