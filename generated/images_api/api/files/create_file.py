from typing import Any

import httpx2

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_file_request import CreateFileRequest
from ...models.error_response import ErrorResponse
from ...models.open_ai_file import OpenAIFile
from ...types import RequestOptions, Response, apply_request_options, plain_text_fields


def build_request(
    *,
    body: CreateFileRequest,
    request_options: RequestOptions | None = None,
) -> dict[str, Any]:
    """The keyword arguments of `httpx2.Client.build_request` for this operation: the one request
    builder, used by the calls below and by callers that send (or stream) the request themselves."""
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/files",
    }

    _kwargs["files"] = body.to_multipart()

    _kwargs["files"] = plain_text_fields(_kwargs["files"])

    if headers:
        _kwargs["headers"] = headers
    return apply_request_options(_kwargs, request_options)


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx2.Response
) -> ErrorResponse | OpenAIFile | None:
    """Parse a successful JSON answer; other answers (errors, event streams) are left to the caller."""
    if response.status_code == 200:
        response_200 = OpenAIFile.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx2.Response
) -> Response[ErrorResponse | OpenAIFile]:
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
    *,
    client: AuthenticatedClient,
    body: CreateFileRequest,
    request_options: RequestOptions | None = None,
) -> Response[ErrorResponse | OpenAIFile]:
    """Upload a file.

     Stores a file for use by other endpoints. A Batch API input is a JSONL file uploaded with purpose
    `batch`: at most 50,000 request lines and 200 MB.

    Args:
        body (CreateFileRequest): A file to store.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx2.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | OpenAIFile]
    """

    kwargs = build_request(
        body=body,
        request_options=request_options,
    )

    response = client.get_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: CreateFileRequest,
) -> ErrorResponse | OpenAIFile | None:
    """Upload a file.

     Stores a file for use by other endpoints. A Batch API input is a JSONL file uploaded with purpose
    `batch`: at most 50,000 request lines and 200 MB.

    Args:
        body (CreateFileRequest): A file to store.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx2.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | OpenAIFile
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateFileRequest,
    request_options: RequestOptions | None = None,
) -> Response[ErrorResponse | OpenAIFile]:
    """Upload a file.

     Stores a file for use by other endpoints. A Batch API input is a JSONL file uploaded with purpose
    `batch`: at most 50,000 request lines and 200 MB.

    Args:
        body (CreateFileRequest): A file to store.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx2.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | OpenAIFile]
    """

    kwargs = build_request(
        body=body,
        request_options=request_options,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: CreateFileRequest,
) -> ErrorResponse | OpenAIFile | None:
    """Upload a file.

     Stores a file for use by other endpoints. A Batch API input is a JSONL file uploaded with purpose
    `batch`: at most 50,000 request lines and 200 MB.

    Args:
        body (CreateFileRequest): A file to store.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx2.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | OpenAIFile
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
