"""Behaviours of the official SDK's client that code written for it relies on, pinned on `wrapper`.

Each case states what the SDK does (read in its `_base_client.py`, `_client.py`, `_streaming.py`,
`_response.py`) and checks the wrapper does the same, sync and async; the SDK's own image tests run
against both in `make sdk-tests`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import httpx2
import pytest
from conftest import BASE_URL, KEY, OK, invoke, png

import wrapper

# --- construction and lifecycle ---------------------------------------------------------------------


@pytest.mark.parametrize("cls", [wrapper.Client, wrapper.AsyncClient])
def test_the_sdks_construction_options_are_accepted(cls: type[Any]) -> None:
    """`admin_api_key`, `_strict_response_validation`, `websocket_base_url`, `webhook_secret`: the SDK
    takes them; here they change nothing about image requests."""
    client = cls(
        api_key=KEY,
        admin_api_key="sk-admin",
        _strict_response_validation=True,
        websocket_base_url="wss://ws.test/v1",
        webhook_secret="whsec_x",
    )
    assert client.admin_api_key == "sk-admin"
    assert client.websocket_base_url == "wss://ws.test/v1"
    assert client.webhook_secret == "whsec_x"


@pytest.mark.parametrize("cls", [wrapper.Client, wrapper.AsyncClient])
@pytest.mark.parametrize(("value", "error"), [(None, TypeError), ("2", TypeError), (-1, ValueError)])
def test_bad_max_retries_fail_at_construction(cls: type[Any], value: object, error: type[Exception]) -> None:
    with pytest.raises(error, match="max_retries"):
        cls(api_key=KEY, max_retries=value)


def test_bad_max_retries_fail_in_with_options() -> None:
    with pytest.raises(ValueError, match="max_retries must be a non-negative integer"):
        wrapper.Client(api_key=KEY).with_options(max_retries=-1)


@pytest.mark.anyio
async def test_is_closed_says_whether_the_pool_is_closed(make_client: Callable[..., Any], kind: str) -> None:
    client = make_client(lambda request: httpx2.Response(200, json=OK))
    assert client.is_closed() is False
    await invoke(client.close)
    assert client.is_closed() is True


@pytest.mark.anyio
async def test_a_call_on_a_closed_client_raises_what_the_sdk_raises(make_client: Callable[..., Any]) -> None:
    """The SDK lets httpx2's `RuntimeError` through, with httpx2's message."""
    client = make_client(lambda request: httpx2.Response(200, json=OK))
    await invoke(client.close)
    with pytest.raises(RuntimeError, match="Cannot send a request, as the client has been closed"):
        await invoke(client.images.generate, prompt="x", model="gpt-image-1")


@pytest.mark.anyio
async def test_create_variation_warns_that_it_is_deprecated(make_client: Callable[..., Any]) -> None:
    client = make_client(lambda request: httpx2.Response(200, json=OK))
    for method in (client.images.create_variation, client.images.with_raw_response.create_variation):
        with pytest.warns(DeprecationWarning, match="create_variation"):
            await invoke(method, image=png(256, 256), model="dall-e-2")


@pytest.mark.anyio
async def test_generate_and_edit_do_not_warn(make_client: Callable[..., Any]) -> None:
    client = make_client(lambda request: httpx2.Response(200, json=OK))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        await invoke(client.images.generate, prompt="x", model="gpt-image-1")


def test_the_base_url_and_key_defaults_are_unchanged_by_the_new_options() -> None:
    client = wrapper.Client(api_key=KEY, base_url=BASE_URL)
    assert client.admin_api_key is None
    assert client.api_key == KEY


# --- streams through with_streaming_response ----------------------------------------------------------

COMPLETED = (
    b'event: image_generation.completed\ndata: {"type": "image_generation.completed", "b64_json": "aGk=",'
    b' "created_at": 1, "size": "1024x1024", "quality": "low", "background": "opaque",'
    b' "output_format": "png", "usage": {"input_tokens": 1, "output_tokens": 2, "total_tokens": 3,'
    b' "input_tokens_details": {"text_tokens": 1, "image_tokens": 0}}}\n\n'
)


def _sse(request: httpx2.Request) -> httpx2.Response:
    return httpx2.Response(200, content=COMPLETED, headers={"content-type": "text/event-stream"})


def test_streaming_response_parse_of_a_stream_is_the_stream() -> None:
    client = wrapper.Client(
        api_key=KEY, base_url=BASE_URL, http_client=httpx2.Client(transport=httpx2.MockTransport(_sse))
    )
    with client.images.with_streaming_response.generate(
        prompt="x", model="gpt-image-1", stream=True
    ) as response:
        stream = response.parse()
        assert isinstance(stream, wrapper.Stream)
        assert [event.type for event in stream] == ["image_generation.completed"]
        stream.close()
    assert response.is_closed


@pytest.mark.anyio
async def test_async_streaming_response_parse_of_a_stream_is_the_stream() -> None:
    http = httpx2.AsyncClient(transport=httpx2.MockTransport(_sse))
    client = wrapper.AsyncClient(api_key=KEY, base_url=BASE_URL, http_client=http)
    manager = client.images.with_streaming_response.generate(prompt="x", model="gpt-image-1", stream=True)
    async with manager as response:
        stream = await response.parse()
        assert isinstance(stream, wrapper.AsyncStream)
        assert [event.type async for event in stream] == ["image_generation.completed"]
        await stream.close()
    assert response.is_closed


@pytest.mark.anyio
async def test_async_stream_close_is_aclose() -> None:
    """The SDK's `AsyncStream` has `close()` (a coroutine); `aclose()` stays as httpx2's name."""
    http = httpx2.AsyncClient(transport=httpx2.MockTransport(_sse))
    client = wrapper.AsyncClient(api_key=KEY, base_url=BASE_URL, http_client=http)
    stream = await client.images.generate(prompt="x", model="gpt-image-1", stream=True)
    await stream.close()
    assert stream.response.is_closed
