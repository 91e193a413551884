from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.o_auth_error import OAuthError
from ...models.problem import Problem
from ...models.token_request import TokenRequest
from ...models.token_response import TokenResponse
from typing import cast



def _get_kwargs(
    *,
    body: TokenRequest,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/oauth/token",
    }

    _kwargs["data"] = body.to_dict()
    headers["Content-Type"] = "application/x-www-form-urlencoded"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> OAuthError | Problem | TokenResponse | None:
    if response.status_code == 200:
        response_200 = TokenResponse.from_dict(response.json())



        return response_200

    if response.status_code == 400:
        response_400 = OAuthError.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = OAuthError.from_dict(response.json())



        return response_401

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[OAuthError | Problem | TokenResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: TokenRequest,

) -> Response[OAuthError | Problem | TokenResponse]:
    """ Exchange a client id and secret for a short-lived access token.

     The body is form-encoded as OAuth 2.0 asks (RFC 6749 §4.4); the same fields as a JSON
    object (`Content-Type: application/json`) are accepted too. The document names the form
    only: client generators read two media types of one schema as two bodies.

    Args:
        body (TokenRequest): OAuth 2.0 client-credentials request (RFC 6749 §4.4), form-encoded or
            JSON. The client
            may also authenticate with HTTP Basic (`client_id:client_secret`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OAuthError | Problem | TokenResponse]
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
    client: AuthenticatedClient | Client,
    body: TokenRequest,

) -> OAuthError | Problem | TokenResponse | None:
    """ Exchange a client id and secret for a short-lived access token.

     The body is form-encoded as OAuth 2.0 asks (RFC 6749 §4.4); the same fields as a JSON
    object (`Content-Type: application/json`) are accepted too. The document names the form
    only: client generators read two media types of one schema as two bodies.

    Args:
        body (TokenRequest): OAuth 2.0 client-credentials request (RFC 6749 §4.4), form-encoded or
            JSON. The client
            may also authenticate with HTTP Basic (`client_id:client_secret`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OAuthError | Problem | TokenResponse
     """


    return sync_detailed(
        client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: TokenRequest,

) -> Response[OAuthError | Problem | TokenResponse]:
    """ Exchange a client id and secret for a short-lived access token.

     The body is form-encoded as OAuth 2.0 asks (RFC 6749 §4.4); the same fields as a JSON
    object (`Content-Type: application/json`) are accepted too. The document names the form
    only: client generators read two media types of one schema as two bodies.

    Args:
        body (TokenRequest): OAuth 2.0 client-credentials request (RFC 6749 §4.4), form-encoded or
            JSON. The client
            may also authenticate with HTTP Basic (`client_id:client_secret`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OAuthError | Problem | TokenResponse]
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
    client: AuthenticatedClient | Client,
    body: TokenRequest,

) -> OAuthError | Problem | TokenResponse | None:
    """ Exchange a client id and secret for a short-lived access token.

     The body is form-encoded as OAuth 2.0 asks (RFC 6749 §4.4); the same fields as a JSON
    object (`Content-Type: application/json`) are accepted too. The document names the form
    only: client generators read two media types of one schema as two bodies.

    Args:
        body (TokenRequest): OAuth 2.0 client-credentials request (RFC 6749 §4.4), form-encoded or
            JSON. The client
            may also authenticate with HTTP Basic (`client_id:client_secret`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OAuthError | Problem | TokenResponse
     """


    return (await asyncio_detailed(
        client=client,
body=body,

    )).parsed
