from collections.abc import Mapping
from typing import Any

import httpx2

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_image_edit_request import CreateImageEditRequest
from ...models.edit_image_json_request import EditImageJsonRequest
from ...models.error_response import ErrorResponse
from ...models.images_response import ImagesResponse
from ...types import (
    UNSET,
    RequestOptions,
    Response,
    Unset,
    apply_request_options,
    plain_text_fields,
)


def build_request(
    *,
    body: Mapping[str, Any]
    | CreateImageEditRequest
    | EditImageJsonRequest
    | Unset = UNSET,
    request_options: RequestOptions | None = None,
) -> dict[str, Any]:
    """The keyword arguments of `httpx2.Client.build_request` for this operation: the one request
    builder, used by the calls below and by callers that send (or stream) the request themselves.
    A JSON body may also be given as a mapping of plain JSON values, sent as it is."""
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/images/edits",
    }

    if isinstance(body, Mapping):
        # Plain values the caller has checked against the schema are the JSON already: the request
        # model would only turn them into enums and back, which costs more than the rest of a call.
        _kwargs["json"] = dict(body)
    if isinstance(body, CreateImageEditRequest):
        _kwargs["files"] = body.to_multipart()

        _kwargs["files"] = plain_text_fields(_kwargs["files"])
    if isinstance(body, EditImageJsonRequest):
        _kwargs["json"] = body.to_dict()

    if headers:
        _kwargs["headers"] = headers
    return apply_request_options(_kwargs, request_options)


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx2.Response
) -> ErrorResponse | ImagesResponse | None:
    """Parse a successful JSON answer; other answers (errors, event streams) are left to the caller."""
    if response.status_code == 200:
        response_200 = ImagesResponse.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx2.Response
) -> Response[ErrorResponse | ImagesResponse]:
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
    body: CreateImageEditRequest | EditImageJsonRequest | Unset = UNSET,
    request_options: RequestOptions | None = None,
) -> Response[ErrorResponse | ImagesResponse]:
    """Edit or extend images guided by a prompt.

     Edits one or more source images guided by a prompt and an optional mask. Supported by dall-e-2 and
    the GPT image models; dall-e-3 cannot edit. The images come either as multipart uploads (`image`,
    `mask`) or, for the GPT image models, as a JSON body of references (`images`, `mask`: URLs or ids of
    uploaded files). With `stream` true (GPT image models only) the answer is a stream of server-sent
    events.

    Args:
        body (CreateImageEditRequest): A request to edit images, sent as multipart/form-data. One
            image goes out as an `image` part, several as repeated `image[]` parts. Booleans are the
            strings `true` and `false`.
        body (EditImageJsonRequest): A request to edit images given by reference, sent as JSON:
            the images are URLs or ids of uploaded files rather than multipart parts. GPT image models
            only; dall-e-2 edits need uploads.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx2.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ImagesResponse]
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
    body: CreateImageEditRequest | EditImageJsonRequest | Unset = UNSET,
) -> ErrorResponse | ImagesResponse | None:
    """Edit or extend images guided by a prompt.

     Edits one or more source images guided by a prompt and an optional mask. Supported by dall-e-2 and
    the GPT image models; dall-e-3 cannot edit. The images come either as multipart uploads (`image`,
    `mask`) or, for the GPT image models, as a JSON body of references (`images`, `mask`: URLs or ids of
    uploaded files). With `stream` true (GPT image models only) the answer is a stream of server-sent
    events.

    Args:
        body (CreateImageEditRequest): A request to edit images, sent as multipart/form-data. One
            image goes out as an `image` part, several as repeated `image[]` parts. Booleans are the
            strings `true` and `false`.
        body (EditImageJsonRequest): A request to edit images given by reference, sent as JSON:
            the images are URLs or ids of uploaded files rather than multipart parts. GPT image models
            only; dall-e-2 edits need uploads.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx2.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ImagesResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateImageEditRequest | EditImageJsonRequest | Unset = UNSET,
    request_options: RequestOptions | None = None,
) -> Response[ErrorResponse | ImagesResponse]:
    """Edit or extend images guided by a prompt.

     Edits one or more source images guided by a prompt and an optional mask. Supported by dall-e-2 and
    the GPT image models; dall-e-3 cannot edit. The images come either as multipart uploads (`image`,
    `mask`) or, for the GPT image models, as a JSON body of references (`images`, `mask`: URLs or ids of
    uploaded files). With `stream` true (GPT image models only) the answer is a stream of server-sent
    events.

    Args:
        body (CreateImageEditRequest): A request to edit images, sent as multipart/form-data. One
            image goes out as an `image` part, several as repeated `image[]` parts. Booleans are the
            strings `true` and `false`.
        body (EditImageJsonRequest): A request to edit images given by reference, sent as JSON:
            the images are URLs or ids of uploaded files rather than multipart parts. GPT image models
            only; dall-e-2 edits need uploads.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx2.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ImagesResponse]
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
    body: CreateImageEditRequest | EditImageJsonRequest | Unset = UNSET,
) -> ErrorResponse | ImagesResponse | None:
    """Edit or extend images guided by a prompt.

     Edits one or more source images guided by a prompt and an optional mask. Supported by dall-e-2 and
    the GPT image models; dall-e-3 cannot edit. The images come either as multipart uploads (`image`,
    `mask`) or, for the GPT image models, as a JSON body of references (`images`, `mask`: URLs or ids of
    uploaded files). With `stream` true (GPT image models only) the answer is a stream of server-sent
    events.

    Args:
        body (CreateImageEditRequest): A request to edit images, sent as multipart/form-data. One
            image goes out as an `image` part, several as repeated `image[]` parts. Booleans are the
            strings `true` and `false`.
        body (EditImageJsonRequest): A request to edit images given by reference, sent as JSON:
            the images are URLs or ids of uploaded files rather than multipart parts. GPT image models
            only; dall-e-2 edits need uploads.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx2.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ImagesResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
