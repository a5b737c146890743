"""The emulator under hostile input: each case once kept memory, crashed, stalled or worked on for nobody.

Every bad request gets a 4xx with the API's error JSON; what is kept of it is bounded; a body that
stops arriving times out; a stream whose client has gone stops being drawn.
"""

from __future__ import annotations

import contextlib
import gc
import json
import socket
import time
import tracemalloc
from collections.abc import AsyncIterator
from typing import Any

import anyio
import httpx2
import pytest
from mock_support import AUTH, client

from wrapper.mock import LiveServer, MockApp, _guard, create_app

pytestmark = pytest.mark.anyio
MB = 1024 * 1024
JSON = {"content-type": "application/json"}
NESTED = b'{"prompt": [' + b",".join([b"[]"] * 60_000) + b'], "model": "dall-e-3"}'  # ~4 MB once parsed


def error_of(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    assert set(error) == {"message", "type", "param", "code"}
    return error


async def test_a_rejected_request_is_recorded_in_bounded_form() -> None:
    app = create_app()
    gc.collect()
    tracemalloc.start()
    try:
        async with client(app) as http:
            for _ in range(3):
                error_of(await http.post("/images/generations", content=NESTED, headers=JSON), 400)
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert kept < 1 * MB, kept  # each request parsed ~4 MB of lists; a record keeps a summary
    prompt = app.requests.last.params["prompt"]
    assert isinstance(prompt, str)
    assert "60000 items" in prompt


async def test_long_values_are_truncated_and_the_store_keeps_a_memory_budget() -> None:
    app = create_app(max_recorded=1000, max_recorded_bytes=256 * 1024)
    body = {"prompt": "y" * 50_000} | {f"p{i}": "x" * 10_000 for i in range(90)}
    async with client(app) as http:
        for _ in range(40):
            error_of(await http.post("/images/generations", json=body), 400)
    record = app.requests.last
    assert len(str(record.params["prompt"])) < 1000
    assert len(record.params) <= 65  # the first 64 parameters, then a note of how many more
    assert 1 < len(app.requests) < 40  # the oldest records went to stay under the budget
    assert app.requests.last.status == 400


@pytest.mark.parametrize(
    "body",
    [
        b'{"prompt": "a fox \\ud800", "model": "dall-e-3"}',
        b'{"prompt": "a fox", "\\udc00": 1}',
        b'{"prompt": "a fox", "model": "dall-e-\\udfff"}',
        b'{"prompt": ["nested \\ud83d"]}',
    ],
)
async def test_a_lone_surrogate_is_a_400_with_the_error_json(body: bytes) -> None:
    async with client() as http:
        error = error_of(await http.post("/images/generations", content=body, headers=JSON), 400)
    assert "surrogate" in error["message"]


async def test_the_17th_image_part_is_refused_as_it_arrives() -> None:
    # 40,000 tiny image parts: the old emulator parsed and kept every one before answering.
    part = b'--b\r\nContent-Disposition: form-data; name="image[]"; filename="f.png"\r\n\r\nx\r\n'
    body = b'--b\r\nContent-Disposition: form-data; name="prompt"\r\n\r\nx\r\n' + part * 40_000 + b"--b--\r\n"

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(body), 64 * 1024):
            yield body[start : start + 64 * 1024]

    tracemalloc.start()
    try:
        async with client() as http:
            headers = {"content-type": "multipart/form-data; boundary=b"}
            response = await http.post("/images/edits", content=chunks(), headers=headers)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    error = error_of(response, 400)
    assert error["param"] == "image"
    assert "at least 17 files" in error["message"]
    assert peak < 3 * MB, peak


async def _asgi(
    app: MockApp, path: str, headers: dict[str, str], receive: Any, on_body: Any = None
) -> list[dict[str, Any]]:
    """Call the app as a server would; the messages it sent."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(k.lower().encode(), v.encode()) for k, v in {**AUTH, **headers}.items()],
        "client": ("127.0.0.1", 1),
        "server": ("mock.test", 80),
    }
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)
        if message.get("body") and on_body is not None:
            on_body()

    with anyio.fail_after(10):
        await app(scope, receive, send)
    return sent


@pytest.mark.parametrize(
    ("path", "content_type", "start"),
    [
        ("/v1/images/generations", "application/json", b'{"prompt": "a f'),
        ("/v1/images/edits", "multipart/form-data; boundary=b", b"--b\r\nContent-Disposition: form-data; n"),
    ],
)
async def test_a_stalled_body_times_out_with_a_408(path: str, content_type: str, start: bytes) -> None:
    app = create_app(body_timeout=0.1)
    calls = 0

    async def receive() -> dict[str, Any]:
        nonlocal calls
        calls += 1
        if calls == 1:  # the Content-Length promises more, which never comes
            return {"type": "http.request", "body": start, "more_body": True}
        await anyio.sleep_forever()
        raise AssertionError

    sent = await _asgi(app, path, {"content-type": content_type, "content-length": "1000"}, receive)
    assert sent[0]["status"] == 408
    error = json.loads(b"".join(m.get("body", b"") for m in sent[1:]))["error"]
    assert "0.1 s" in error["message"]


@pytest.mark.parametrize("path", ["/images/generations/", "/images/edits/", "/images/variations/"])
async def test_a_trailing_slash_is_a_404_like_any_unknown_path(path: str) -> None:
    async with client() as http:
        error = error_of(await http.post(path, json={"prompt": "x"}), 404)
    assert path.rstrip("/") in error["message"] or "Not Found" in error["message"]


@pytest.mark.parametrize("field", ["prompt", "model", "size"])
async def test_a_form_field_that_is_not_utf8_is_a_400_naming_it(field: str) -> None:
    fields = {"prompt": b"x", "model": b"gpt-image-1", field: b"caf\xe9 \xff"}
    body = b"".join(
        b'--b\r\nContent-Disposition: form-data; name="' + name.encode() + b'"\r\n\r\n' + value + b"\r\n"
        for name, value in fields.items()
    )
    async with client() as http:
        headers = {"content-type": "multipart/form-data; boundary=b"}
        response = await http.post("/images/edits", content=body + b"--b--\r\n", headers=headers)
    error = error_of(response, 400)
    assert error["param"] == field
    assert "UTF-8" in error["message"]


async def test_a_stream_stops_being_drawn_once_its_client_has_gone() -> None:
    app = create_app()
    body = {"prompt": "x", "model": "gpt-image-1", "n": 10, "stream": True, "quality": "low"}
    first_frame = anyio.Event()
    calls = 0

    async def receive() -> dict[str, Any]:
        nonlocal calls
        calls += 1
        if calls == 1:
            return {"type": "http.request", "body": json.dumps(body).encode(), "more_body": False}
        await first_frame.wait()  # the client reads one image and hangs up
        return {"type": "http.disconnect"}

    recorded = await _asgi(app, "/v1/images/generations", JSON, receive, on_body=first_frame.set)
    sent = [m for m in recorded if m.get("body")]
    assert 1 <= len(sent) <= 2  # the image being drawn when the client left may still go out; no more


def test_a_connection_trickling_its_request_head_is_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_guard, "HEAD_TIMEOUT", 0.5)
    with LiveServer() as server, contextlib.ExitStack() as sockets:
        opened = [socket.create_connection((server.host, server.port), timeout=3) for _ in range(5)]
        slow = [sockets.enter_context(conn) for conn in opened]
        for conn in slow:
            conn.sendall(b"POST /v1/images/generations HTTP/1.1\r\n")
        for _ in range(15):  # a header line every 0.1 s for 1.5 s, three times the bound
            for conn in slow:
                with contextlib.suppress(OSError):  # closed by the server: the point
                    conn.sendall(b"x-slow: 1\r\n")
            time.sleep(0.1)
        with httpx2.Client(timeout=5) as http:  # others are still answered
            answer = http.post(server.url + "/images/generations", json={}, headers=AUTH)
            assert answer.status_code == 400
        assert [closed_by_server(conn) for conn in slow] == [True] * len(slow)


def closed_by_server(conn: socket.socket) -> bool:
    try:
        return conn.recv(1024) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:  # still open, waiting for the rest of the head
        return False
