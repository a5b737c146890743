"""Answers a broken or hostile upstream sends: bounded in size (decoded) and in time as a whole.

Each upstream is a loopback server (`hostile_support`); the limits are `wrapper._limits`'s, made
small here where the point is the rule, not the number.
"""

from __future__ import annotations

import json
import socket
import time
import zlib
from typing import Any

import pytest
from conftest import KEY, invoke
from hostile_support import head, upstream

import wrapper
from wrapper import _limits, _streaming

pytestmark = pytest.mark.anyio
B64 = "iVBORw0KGgo="  # the PNG signature


def client_for(kind: str, url: str, **options: Any) -> Any:
    options.setdefault("max_retries", 0)
    cls = wrapper.Client if kind == "sync" else wrapper.AsyncClient
    return cls(api_key=KEY, base_url=url, **options)


async def generate(kind: str, url: str, options: dict[str, Any] | None = None, **params: Any) -> Any:
    client = client_for(kind, url, **(options or {}))
    try:
        return await invoke(client.images.generate, prompt="x", model="gpt-image-1.5", **params)
    finally:
        await invoke(client.close)


def gzip_of_zeros(size: int) -> bytes:
    """A gzip body of `size` bytes of JSON whitespace after an opening brace: ~1000 times smaller."""
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = b" " * (1024 * 1024)
    parts = [packer.compress(b"{")] + [packer.compress(block) for _ in range(size // len(block))]
    return b"".join([*parts, packer.flush()])


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return gzip_of_zeros(2 * _limits.max_body_bytes(1))


@pytest.mark.parametrize("status", [200, 500])
async def test_a_gzip_bomb_is_refused_past_the_limit(kind: str, bomb: bytes, status: int) -> None:
    def serve(conn: socket.socket) -> None:
        conn.sendall(head(status, content_encoding="gzip", content_length=str(len(bomb))) + bomb)

    expected = wrapper.APIResponseValidationError if status == 200 else wrapper.InternalServerError
    with upstream(serve) as url, pytest.raises(expected) as raised:
        await generate(kind, url)
    if status == 200:
        assert f"larger than {_limits.max_body_bytes(1)} bytes" in str(raised.value)


@pytest.fixture
def small_images(monkeypatch: pytest.MonkeyPatch) -> int:
    """Images of at most 1000 base64 characters, answers of 1000 bytes beside them."""
    monkeypatch.setattr(_limits, "MAX_IMAGE_B64", 1000)
    monkeypatch.setattr(_limits, "JSON_MARGIN", 1000)
    return 1000


def answer_of(images: int, size: int) -> bytes:
    data = [{"b64_json": B64 + "A" * (size - len(B64))} for _ in range(images)]
    return json.dumps({"created": 1, "data": data}).encode()


@pytest.mark.parametrize(("n", "ok"), [(1, False), (2, False), (3, True)])
async def test_a_plain_answer_may_hold_what_n_allows(kind: str, small_images: int, n: int, ok: bool) -> None:
    body = answer_of(3, 990)  # three images of 990 characters: over 3,000 bytes

    def serve(conn: socket.socket) -> None:
        conn.sendall(head(200, content_length=str(len(body))) + body)

    with upstream(serve) as url:
        if ok:
            assert len((await generate(kind, url, n=n)).data) == 3
        else:
            with pytest.raises(wrapper.APIResponseValidationError, match="larger than"):
                await generate(kind, url, n=n)


async def test_a_gif_answer_may_hold_its_frames(kind: str, small_images: int) -> None:
    body = answer_of(1, 5000)  # five still images' worth: an animated GIF may be that large

    def serve(conn: socket.socket) -> None:
        conn.sendall(head(200, content_length=str(len(body))) + body)

    with upstream(serve) as url:
        result = await generate(kind, url, output_format="gif")
        assert len(result.data) == 1
        with pytest.raises(wrapper.APIResponseValidationError):
            await generate(kind, url)


def trickle(answer: bytes, body: bytes, every: float = 0.05) -> Any:
    """A script that sends the head `answer`, then `body` a byte at a time, `every` seconds a byte."""

    def serve(conn: socket.socket) -> None:
        conn.sendall(answer)
        for byte in body:
            conn.sendall(bytes([byte]))
            time.sleep(every)

    return serve


async def test_a_trickled_answer_ends_at_the_timeout(kind: str) -> None:
    body = answer_of(1, 40)  # ~70 bytes: 3.5 s at 20 bytes a second
    script = trickle(head(200, content_length=str(len(body))), body)
    with upstream(script) as url, pytest.raises(wrapper.APITimeoutError):
        await generate(kind, url, {"timeout": 1.0})


def event(payload: dict[str, Any]) -> bytes:
    return b"data: " + json.dumps(payload).encode() + b"\n\n"


def image_event(kind: str) -> dict[str, Any]:
    fields = {"b64_json": B64, "background": "opaque", "created_at": 1, "output_format": "png"}
    return {"type": f"image_generation.{kind}", **fields, "quality": "low", "size": "1024x1024"}


COMPLETED = event(image_event("completed"))
PARTIAL = event({**image_event("partial_image"), "partial_image_index": 0})
STREAM_HEAD = head(200, content_type="text/event-stream")


def slow_stream(piece: bytes, count: int, every: float = 0.1) -> Any:
    """A stream of `piece` `count` times, one every `every` seconds, then a completed event."""

    def serve(conn: socket.socket) -> None:
        conn.sendall(STREAM_HEAD)
        for _ in range(count):
            conn.sendall(piece)
            time.sleep(every)
        conn.sendall(COMPLETED)

    return serve


async def events_of(kind: str, url: str, options: dict[str, Any] | None = None, **params: Any) -> list[Any]:
    client = client_for(kind, url, **(options or {}))
    try:
        stream = await invoke(
            client.images.generate, prompt="x", model="gpt-image-1.5", stream=True, **params
        )
        if kind == "sync":
            return list(stream)
        return [item async for item in stream]
    finally:
        await invoke(client.close)


@pytest.mark.parametrize("piece", [b": keepalive\n\n", PARTIAL], ids=["keepalives", "partials"])
async def test_a_stream_ends_at_the_timeout(kind: str, piece: bytes) -> None:
    with upstream(slow_stream(piece, 40)) as url, pytest.raises(wrapper.APITimeoutError):
        await events_of(kind, url, {"timeout": 1.0})


def counted(script: Any) -> tuple[Any, list[int]]:
    connections: list[int] = []

    def serve(conn: socket.socket) -> None:
        connections.append(1)
        script(conn)

    return serve, connections


@pytest.fixture
def small_events(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(_streaming, "MAX_EVENT_BYTES", 64 * 1024)
    return 64 * 1024


@pytest.mark.parametrize("newline", [False, True], ids=["no-newline", "long-lines"])
async def test_an_event_past_the_bound_is_a_stream_error_not_retried(
    kind: str, small_events: int, newline: bool
) -> None:
    line = b"data: " + b"A" * 1000 + (b"\n" if newline else b"")

    def serve(conn: socket.socket) -> None:
        conn.sendall(STREAM_HEAD)
        for _ in range(200):  # 200 kB: past the bound, never an event's end
            conn.sendall(line)

    script, connections = counted(serve)
    with upstream(script) as url, pytest.raises(wrapper.StreamError, match="larger than 65536 bytes"):
        await events_of(kind, url, {"max_retries": 2})
    assert len(connections) == 1


async def test_completed_events_past_n_are_refused(kind: str) -> None:
    def serve(conn: socket.socket) -> None:
        conn.sendall(STREAM_HEAD + COMPLETED * 50)

    with upstream(serve) as url, pytest.raises(wrapper.StreamError, match="more than the 2") as raised:
        await events_of(kind, url, n=2)
    assert len(raised.value.completed) == 2


async def test_a_streaming_response_parses_within_the_limit_too(kind: str, small_images: int) -> None:
    body = answer_of(3, 990)

    def serve(conn: socket.socket) -> None:
        conn.sendall(head(200, content_length=str(len(body))) + body)

    with upstream(serve) as url:
        client = client_for(kind, url)
        streamed = client.images.with_streaming_response.generate
        with pytest.raises(wrapper.APIResponseValidationError, match="larger than"):
            await parse_streamed(kind, streamed)
        await invoke(client.close)


async def parse_streamed(kind: str, streamed: Any) -> Any:
    if kind == "sync":
        with streamed(prompt="x", model="gpt-image-1.5") as response:
            return response.parse()
    async with streamed(prompt="x", model="gpt-image-1.5") as response:
        return await response.parse()


def trickled_head() -> tuple[Any, list[bool]]:
    """A script that trickles a ~80-byte head (4 s at 20 bytes a second), and whether it finished."""
    answer = head(400, content_length="0")
    finished: list[bool] = []

    def serve(conn: socket.socket) -> None:
        trickle(b"", answer)(conn)
        finished.append(True)  # not reached when the client hung up at its timeout

    return serve, finished


@pytest.mark.parametrize("stream", [False, True])
async def test_a_trickled_head_ends_at_the_timeout(kind: str, stream: bool) -> None:
    serve, finished = trickled_head()
    with upstream(serve) as url, pytest.raises(wrapper.APITimeoutError):
        await generate(kind, url, {"timeout": 1.0}, stream=stream)
    assert finished == []


def test_a_trickled_head_ends_at_the_timeout_through_a_default_httpx_client() -> None:
    serve, finished = trickled_head()
    with upstream(serve) as url, wrapper.DefaultHttpxClient() as http:
        client = client_for("sync", url, timeout=1.0, http_client=http)
        with pytest.raises(wrapper.APITimeoutError):
            client.images.with_raw_response.generate(prompt="x", model="gpt-image-1.5")
    assert finished == []
