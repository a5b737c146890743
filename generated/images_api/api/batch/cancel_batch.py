from typing import Any
from urllib.parse import quote

import httpx2

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.batch import Batch
from ...models.error_response import ErrorResponse
from ...types import RequestOptions, Response, apply_request_options


def build_request(
    batch_id: str,
    request_options: RequestOptions | None = None,
) -> dict[str, Any]:
    """The keyword arguments of `httpx2.Client.build_request` for this operation: the one request
    builder, used by the calls below and by callers that send (or stream) the request themselves."""

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/batches/{batch_id}/cancel".format(
            batch_id=quote(str(batch_id), safe=""),
        ),
    }

    return apply_request_options(_kwargs, request_options)


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx2.Response
) -> Batch | ErrorResponse | None:
    """Parse a successful JSON answer; other answers (errors, event streams) are left to the caller."""
    if response.status_code == 200:
        response_200 = Batch.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx2.Response
) -> Response[Batch | ErrorResponse]:
    try:
        parsed = _parse_response(client=client, response=response)
    except (ValueError, KeyError, TypeError) as exc:
        raise errors.MalformedResponse(response) from exc
    return Response(
        status_code=response.status_code,
        content=response.content,
        headers=response.headers,
        parsed=parsed,
        http_response=response,
    )


def sync_detailed(
    batch_id: str,
    *,
    client: AuthenticatedClient,
    request_options: RequestOptions | None = None,
) -> Response[Batch | ErrorResponse]:
    """Cancel a batch.

     The batch stops taking new requests: it is `cancelling`, then `cancelled`, with the results of the
    requests already done in its output file.

    Args:
        batch_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx2.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Batch | ErrorResponse]
    """

    kwargs = build_request(
        batch_id=batch_id,
        request_options=request_options,
    )

    response = client.get_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


def sync(
    batch_id: str,
    *,
    client: AuthenticatedClient,
) -> Batch | ErrorResponse | None:
    """Cancel a batch.

     The batch stops taking new requests: it is `cancelling`, then `cancelled`, with the results of the
    requests already done in its output file.

    Args:
        batch_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx2.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Batch | ErrorResponse
    """

    return sync_detailed(
        batch_id=batch_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    batch_id: str,
    *,
    client: AuthenticatedClient,
    request_options: RequestOptions | None = None,
) -> Response[Batch | ErrorResponse]:
    """Cancel a batch.

     The batch stops taking new requests: it is `cancelling`, then `cancelled`, with the results of the
    requests already done in its output file.

    Args:
        batch_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx2.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Batch | ErrorResponse]
    """

    kwargs = build_request(
        batch_id=batch_id,
        request_options=request_options,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    batch_id: str,
    *,
    client: AuthenticatedClient,
) -> Batch | ErrorResponse | None:
    """Cancel a batch.

     The batch stops taking new requests: it is `cancelling`, then `cancelled`, with the results of the
    requests already done in its output file.

    Args:
        batch_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx2.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Batch | ErrorResponse
    """

    return (
        await asyncio_detailed(
            batch_id=batch_id,
            client=client,
        )
    ).parsed
