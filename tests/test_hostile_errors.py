"""Nothing secret leaves in an exception: not in its request, its response's redirect history, the
httpx2 error it was raised from, its pickle or its printed traceback; and every failure a broken
upstream causes is a `WrapperError`."""

from __future__ import annotations

import base64
import gc
import logging
import os
import pickle
import socket
import traceback
from collections.abc import Callable
from typing import Any

import httpx2
import pytest
from conftest import KEY, invoke
from hostile_support import head, upstream
from test_streaming import completed

import wrapper

pytestmark = pytest.mark.anyio
SECRET = KEY.encode()


def leaks(exc: BaseException) -> list[str]:
    """Where the key shows: the pickled exception and its cause, the printed chain."""
    found = []
    for name, item in (("exception", exc), ("cause", exc.__cause__), ("context", exc.__context__)):
        if item is not None and SECRET in pickle.dumps(item):
            found.append(f"pickled {name}")
    if KEY in "".join(traceback.format_exception(exc)):
        found.append("traceback")
    return found


def assert_safe_request(request: httpx2.Request | None) -> None:
    assert request is not None
    assert "authorization" not in request.headers
    assert KEY not in str(request.headers)


async def test_a_status_error_carries_no_key(make_client: Callable[..., Any]) -> None:
    client = make_client(lambda request: httpx2.Response(401, json={"error": {"message": "bad key"}}))
    with pytest.raises(wrapper.AuthenticationError) as raised:
        await invoke(client.images.generate, prompt="x", model="gpt-image-1.5")
    assert_safe_request(raised.value.request)
    assert_safe_request(raised.value.response.request)
    assert raised.value.response.json() == {"error": {"message": "bad key"}}
    assert leaks(raised.value) == []


async def test_every_redirect_hop_of_an_error_carries_no_key(kind: str) -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        if request.url.path.endswith("/moved"):
            return httpx2.Response(500, json={"error": {"message": "down"}})
        return httpx2.Response(307, headers={"location": "/v1/moved"})

    transport = httpx2.MockTransport(handler)
    options: dict[str, Any] = {"transport": transport, "follow_redirects": True}
    http = httpx2.Client(**options) if kind == "sync" else httpx2.AsyncClient(**options)
    client_cls = wrapper.Client if kind == "sync" else wrapper.AsyncClient
    client = client_cls(api_key=KEY, base_url="https://api.test/v1", http_client=http, max_retries=0)  # type: ignore[arg-type]
    with pytest.raises(wrapper.InternalServerError) as raised:
        await invoke(client.images.generate, prompt="x", model="gpt-image-1.5")
    response = raised.value.response
    assert len(response.history) == 1
    for hop in [*response.history, response]:
        assert_safe_request(hop.request)
    assert leaks(raised.value) == []


@pytest.mark.parametrize("stream", [False, True])
async def test_a_connection_error_and_its_cause_carry_no_key(kind: str, stream: bool) -> None:
    def hang_up(conn: socket.socket) -> None:
        conn.shutdown(socket.SHUT_RDWR)

    with upstream(hang_up) as url:
        client_cls = wrapper.Client if kind == "sync" else wrapper.AsyncClient
        client = client_cls(api_key=KEY, base_url=url, max_retries=0)
        with pytest.raises(wrapper.APIConnectionError) as raised:
            await invoke(client.images.generate, prompt="x", model="gpt-image-1.5", stream=stream)
        await invoke(client.close)
    assert_safe_request(raised.value.request)
    assert isinstance(raised.value.__cause__, httpx2.TransportError)
    assert_safe_request(raised.value.__cause__.request)
    assert leaks(raised.value) == []


async def test_a_base_url_password_is_never_shown(make_client: Callable[..., Any]) -> None:
    client = make_client(
        lambda request: httpx2.Response(500, json={"error": {"message": "down"}}),
        base_url="https://user:pa55word@api.test/v1",
        max_retries=0,
    )
    assert "pa55word" not in repr(client)
    with pytest.raises(wrapper.InternalServerError) as raised:
        await invoke(client.images.generate, prompt="x", model="gpt-image-1.5")
    assert "pa55word" not in str(raised.value.request.url)
    assert b"pa55word" not in pickle.dumps(raised.value)


@pytest.mark.parametrize("cls", [wrapper.Client, wrapper.AsyncClient])
@pytest.mark.parametrize("key", ["sk-SEC\nRET", "sk-SECRÉT", "sk-SEC\x7fRET"])
def test_copies_check_a_new_key_as_construction_does(cls: type[Any], key: str) -> None:
    client = cls(api_key=KEY)
    for make in (client.with_options, client.copy, lambda **kw: cls(**kw)):
        with pytest.raises(wrapper.WrapperError) as raised:
            make(api_key=key)
        assert "SEC" not in str(raised.value)
        assert "API key" in str(raised.value)


async def test_a_stream_whose_error_body_is_cut_short_is_a_connection_error(kind: str) -> None:
    def cut(conn: socket.socket) -> None:
        conn.sendall(head(500, content_length="1000") + b'{"error": {"mess')

    with upstream(cut) as url:
        client_cls = wrapper.Client if kind == "sync" else wrapper.AsyncClient
        client = client_cls(api_key=KEY, base_url=url, max_retries=0)
        with pytest.raises(wrapper.APIConnectionError) as raised:
            await invoke(client.images.generate, prompt="x", model="gpt-image-1.5", stream=True)
        await invoke(client.close)
    assert leaks(raised.value) == []


DEEP = b"[" * 200_000 + b"]" * 200_000


@pytest.mark.parametrize("status", [200, 400])
async def test_deeply_nested_json_is_a_wrapper_error(make_client: Callable[..., Any], status: int) -> None:
    client = make_client(lambda request: httpx2.Response(status, content=DEEP), max_retries=0)
    with pytest.raises(wrapper.APIError):
        await invoke(client.images.generate, prompt="x", model="gpt-image-1.5")


async def test_a_deeply_nested_event_is_a_stream_error(make_client: Callable[..., Any]) -> None:
    body = b"data: " + DEEP + b"\n\n"
    headers = {"content-type": "text/event-stream"}
    client = make_client(lambda request: httpx2.Response(200, content=body, headers=headers), max_retries=0)
    stream = await invoke(client.images.generate, prompt="x", model="gpt-image-1.5", stream=True)
    with pytest.raises(wrapper.StreamError):
        await invoke(stream.final)


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts descriptors in /proc")
@pytest.mark.parametrize("cls", [wrapper.Client, wrapper.AsyncClient])
def test_copies_for_other_hosts_share_the_pool(cls: type[Any]) -> None:
    client = cls(api_key=KEY)
    gc.collect()
    before = open_fds()
    copies = [client.with_options(base_url=f"https://host{i}.test/v1") for i in range(300)]
    assert all(copy._http is client._http for copy in copies)
    assert str(copies[7]._resolve("images/generations")) == "https://host7.test/v1/images/generations"
    del copies
    gc.collect()  # a pool left unclosed warns here (ResourceWarning, an error under pytest)
    assert open_fds() - before < 10


@pytest.mark.parametrize(
    ("content", "output_format", "message"),
    [
        (b"<html>not an image</html>", None, "does not hold an image"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 32, "jpeg", "holds a png image; expected jpeg"),
    ],
)
def test_b64_json_that_is_not_the_image_is_refused(
    content: bytes, output_format: str | None, message: str
) -> None:
    data = {
        "created": 1,
        "output_format": output_format,
        "data": [{"b64_json": base64.b64encode(content).decode()}],
    }
    image = wrapper.ImagesResponse.from_dict(data).data[0]
    with pytest.raises(wrapper.WrapperError, match=message):
        image.content()


def test_a_completed_event_whose_b64_json_is_another_format_is_refused() -> None:
    payload = {**completed(), "b64_json": base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 32).decode()}
    event = wrapper.ImageGenCompletedEvent.from_dict({**payload, "output_format": "webp"})
    with pytest.raises(wrapper.WrapperError, match="holds a png image; expected webp"):
        event.content()


async def test_retry_log_lines_show_no_password(
    make_client: Callable[..., Any], caplog: pytest.LogCaptureFixture, sleeps: list[float]
) -> None:
    client = make_client(
        lambda request: httpx2.Response(503, json={"error": {"message": "busy"}}),
        base_url="https://user:pa55word@api.test/v1",
        max_retries=1,
    )
    caplog.set_level(logging.DEBUG, logger="wrapper")
    with pytest.raises(wrapper.InternalServerError):
        await invoke(client.images.generate, prompt="x", model="gpt-image-1.5")
    assert "retrying" in caplog.text
    assert "pa55word" not in caplog.text


async def test_an_error_survives_a_pickle_round_trip_without_the_key(make_client: Callable[..., Any]) -> None:
    client = make_client(lambda request: httpx2.Response(429, json={"error": {"message": "slow down"}}))
    client = client.with_options(max_retries=0)
    with pytest.raises(wrapper.RateLimitError) as raised:
        await invoke(client.images.generate, prompt="x", model="gpt-image-1.5")
    copy = pickle.loads(pickle.dumps(raised.value))
    assert type(copy) is wrapper.RateLimitError
    assert (str(copy), copy.status_code, copy.message) == (str(raised.value), 429, "slow down")
    assert_safe_request(copy.request)
    stream_error = pickle.loads(pickle.dumps(wrapper.StreamError("cut", completed=())))
    assert (stream_error.message, stream_error.completed) == ("cut", ())
