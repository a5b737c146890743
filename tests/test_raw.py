"""`with_raw_response`, `with_streaming_response`, query strings and `copy`, sync and async alike."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import httpx2
import pytest
from conftest import OK, Recorder, invoke

import wrapper


async def _resolve(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


@pytest.mark.anyio
async def test_raw_response_shows_the_exchange_and_parses_to_the_result(
    make_client: Callable[..., Any],
) -> None:
    recorder = Recorder(httpx2.Response(200, json=OK, headers={"x-request-id": "req_1"}))
    client = make_client(recorder)
    raw = await _resolve(client.images.with_raw_response.generate(prompt="x", extra_query={"a": "1"}))
    assert (raw.status_code, raw.request_id, raw.retries_taken) == (200, "req_1", 0)
    assert raw.http_request.url.params["a"] == "1"
    assert raw.parse().data[0].b64_json == "aGk="
    plain = await _resolve(client.images.generate(prompt="x"))
    assert plain == raw.parse()
    assert recorder.requests[-1].url.query == b""  # the plain path sends no query string
    assert type(client) in (wrapper.Client, wrapper.AsyncClient)


async def _enter(manager: Any) -> Any:
    if hasattr(manager, "__aenter__"):
        async with manager as response:
            return response
    with manager as response:
        return response


@pytest.mark.anyio
async def test_streaming_response_raises_the_status_error(make_client: Callable[..., Any]) -> None:
    error = {"error": {"message": "no", "type": "invalid_request_error", "param": "prompt", "code": None}}
    client = make_client(Recorder(httpx2.Response(400, json=error)))
    with pytest.raises(wrapper.BadRequestError) as caught:
        await _enter(client.images.with_streaming_response.generate(prompt="x"))
    assert caught.value.param == "prompt"
    assert caught.value.body == error["error"]


@pytest.mark.anyio
@pytest.mark.parametrize(
    "base_url", ["https://api.test/v1", "https://api.test/v1/", "http://proxy.test:8080/a/b/v1"]
)
async def test_each_call_goes_to_the_url_httpx_would_build(
    make_client: Callable[..., Any], base_url: str
) -> None:
    """Operation URLs are resolved against the base URL once per client (not by httpx2 on every call):
    the result is the URL httpx2 builds from the same base and path, query strings included, and a
    copy with another base URL sends there while the original does not move."""
    recorder = Recorder()
    client = make_client(recorder, base_url=base_url)
    expected = httpx2.Client(base_url=base_url).build_request("POST", "/images/generations").url
    await invoke(client.images.generate, prompt="x")
    await invoke(client.images.generate, prompt="x", extra_query={"q": "1"})
    pool = type(client._http)(transport=httpx2.MockTransport(recorder))
    other = client.copy(base_url="https://elsewhere.test/v2", http_client=pool)
    await invoke(other.images.generate, prompt="x")
    await invoke(client.images.generate, prompt="x")
    urls = [str(request.url) for request in recorder.requests]
    assert urls == [
        str(expected),
        f"{expected}?q=1",
        "https://elsewhere.test/v2/images/generations",
        str(expected),
    ]


@pytest.mark.anyio
async def test_setting_base_url_redirects_later_requests_as_in_the_sdk(
    make_client: Callable[..., Any],
) -> None:
    recorder = Recorder()
    client = make_client(recorder, base_url="https://api.test/v1")
    copy = client.with_options(max_retries=0)  # shares the connection pool
    await invoke(client.images.generate, prompt="x")
    client.base_url = "https://moved.test/v2/"
    await invoke(client.images.generate, prompt="x")
    await invoke(copy.images.generate, prompt="x")
    urls = [str(request.url) for request in recorder.requests]
    assert urls == [
        "https://api.test/v1/images/generations",
        "https://moved.test/v2/images/generations",
        "https://api.test/v1/images/generations",
    ]
    assert client.base_url == "https://moved.test/v2/"


def test_batch_calls_follow_a_changed_base_url_too() -> None:
    from wrapper.batch import _remote

    batch = {"id": "b", "object": "batch", "endpoint": "/v1/images/generations", "input_file_id": "f"}
    batch |= {"completion_window": "24h", "status": "completed", "created_at": 1}
    recorder = Recorder(httpx2.Response(200, json=batch))
    http = httpx2.Client(transport=httpx2.MockTransport(recorder))
    client = wrapper.Client(api_key="k", base_url="https://old.test/v1", http_client=http)
    client.base_url = "https://new.test/v1"
    assert _remote.retrieve(client, "b").status == "completed"
    assert [str(request.url) for request in recorder.requests] == ["https://new.test/v1/batches/b"]


@pytest.mark.anyio
async def test_copy_with_a_base_url_leaves_the_original_alone(make_client: Callable[..., Any]) -> None:
    client = make_client(Recorder(), default_query={"t": "1"}, organization="org-1")
    other = client.copy(base_url="https://elsewhere.test/v1", default_query={"u": "2"})
    assert str(client._http.base_url).startswith("https://api.test")
    assert other._http is client._http  # one pool, and each client its own URLs
    assert str(other._resolve("images/generations")).startswith("https://elsewhere.test/v1/")
    assert other.default_query == {"t": "1", "u": "2"}
    assert client.with_options(set_default_query={}).default_query == {}
    assert client._headers["OpenAI-Organization"] == "org-1"
    with pytest.raises(ValueError, match="mutually exclusive"):
        client.copy(default_query={}, set_default_query={})
