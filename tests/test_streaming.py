"""Streaming: typed events over server-sent events, sync and async, loud on every failure."""

from __future__ import annotations

import base64
import itertools
import json
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx2
import pytest
from conftest import Recorder, invoke, png
from httpx2 import EventSource
from hypothesis import given, settings
from hypothesis import strategies as st

import wrapper
from wrapper._streaming import MAX_EVENT_BYTES, EventDecoder

COMMON = {
    "background": "opaque",
    "created_at": 1700000000,
    "output_format": "png",
    "quality": "low",
    "size": "1024x1024",
}
USAGE = {
    "input_tokens": 10,
    "input_tokens_details": {"image_tokens": 0, "text_tokens": 10},
    "output_tokens": 272,
    "total_tokens": 282,
}


def frame(payload: dict[str, Any], event: str | None = None, newline: str = "\n") -> bytes:
    name = event if event is not None else payload.get("type")
    head = f"event: {name}{newline}" if name else ""
    return f"{head}data: {json.dumps(payload)}{newline}{newline}".encode()


def partial(index: int, kind: str = "image_generation", size: int = 64) -> dict[str, Any]:
    b64 = base64.b64encode(png() + bytes([index]) * size).decode()
    return {"type": f"{kind}.partial_image", "b64_json": b64, **COMMON, "partial_image_index": index}


def completed(kind: str = "image_generation", size: int = 64) -> dict[str, Any]:
    b64 = base64.b64encode(png(pad=size)).decode()
    return {"type": f"{kind}.completed", "b64_json": b64, **COMMON, "usage": USAGE}


def recorded(kind: str = "image_generation", size: int = 64) -> bytes:
    return b"".join([*(frame(partial(i, kind, size)) for i in range(3)), frame(completed(kind, size))])


class Chunks(httpx2.SyncByteStream, httpx2.AsyncByteStream):
    """A response body delivered in the given chunks, recording whether it was closed."""

    def __init__(self, chunks: list[bytes], fail_after: int | None = None) -> None:
        self.chunks = chunks
        self.fail_after = fail_after
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        for index, chunk in enumerate(self.chunks):
            if index == self.fail_after:
                raise httpx2.RemoteProtocolError("peer closed connection")
            yield chunk

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.__iter__():
            yield chunk

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


def sse(body: Chunks | bytes) -> httpx2.Response:
    stream = body if isinstance(body, Chunks) else Chunks([body])
    return httpx2.Response(200, headers={"content-type": "text/event-stream; charset=utf-8"}, stream=stream)


async def events_of(stream: Any) -> list[Any]:
    if isinstance(stream, wrapper.AsyncStream):
        return [event async for event in stream]
    return list(stream)


async def final_of(stream: Any, **kwargs: Any) -> Any:
    return await invoke(stream.final, **kwargs)


@pytest.mark.anyio
async def test_generation_stream_yields_typed_events(make_client: Callable[..., Any]) -> None:
    recorder = Recorder(lambda request: sse(recorded()))
    stream = await invoke(
        make_client(recorder).images.generate, prompt="x", model="gpt-image-1", stream=True, partial_images=3
    )
    events = await events_of(stream)
    assert [type(e) for e in events] == [wrapper.ImageGenPartialImageEvent] * 3 + [
        wrapper.ImageGenCompletedEvent
    ]
    first, last = events[0], events[-1]
    assert (first.type, first.partial_image_index, first.background, first.created_at) == (
        "image_generation.partial_image",
        0,
        "opaque",
        1700000000,
    )
    assert (first.output_format, first.quality, first.size) == ("png", "low", "1024x1024")
    assert first.content() == png() + bytes([0]) * 64
    assert last.content() == png(pad=64)
    assert last.usage == wrapper.Usage(10, 272, 282, wrapper.InputTokensDetails(0, 10))
    request = recorder.requests[0]
    assert json.loads(request.content) == {
        "prompt": "x",
        "model": "gpt-image-1",
        "partial_images": 3,
        "stream": True,
    }
    assert request.headers["accept"] == "text/event-stream"
    assert stream.http.status_code == 200


@pytest.mark.anyio
async def test_edit_stream_and_final_with_on_partial(make_client: Callable[..., Any], tmp_path: Any) -> None:
    recorder = Recorder(lambda request: sse(recorded("image_edit")))
    stream = await invoke(make_client(recorder).images.edit, image=png(), prompt="x", stream=True)
    seen: list[int] = []
    final = await final_of(stream, on_partial=lambda event: seen.append(event.partial_image_index))
    assert isinstance(final, wrapper.ImageEditCompletedEvent)
    assert seen == [0, 1, 2]
    assert final.save(tmp_path).name == "image.png"
    assert b'name="stream"\r\n\r\ntrue' in recorder.requests[0].content


@pytest.mark.anyio
async def test_truncated_stream_raises(make_client: Callable[..., Any]) -> None:
    body = b"".join(frame(partial(i)) for i in range(2))
    stream = await invoke(make_client(Recorder(lambda r: sse(body))).images.generate, prompt="x", stream=True)
    with pytest.raises(wrapper.StreamError, match="after 2 event"):
        await events_of(stream)


@pytest.mark.anyio
async def test_connection_lost_mid_stream_raises_and_is_not_retried(
    make_client: Callable[..., Any], sleeps: list[float]
) -> None:
    chunks = Chunks([frame(partial(0)), frame(partial(1)), frame(completed())], fail_after=2)
    recorder = Recorder(lambda r: sse(chunks))
    stream = await invoke(make_client(recorder).images.generate, prompt="x", stream=True)
    with pytest.raises(wrapper.StreamError, match="broke after 2 event"):
        await events_of(stream)
    assert len(recorder.requests) == 1
    assert chunks.closed


@pytest.mark.anyio
async def test_failure_before_first_event_is_retried(
    make_client: Callable[..., Any], sleeps: list[float]
) -> None:
    recorder = Recorder(httpx2.Response(503, json={}), lambda r: sse(recorded()))
    stream = await invoke(make_client(recorder).images.generate, prompt="x", stream=True)
    assert isinstance(await final_of(stream), wrapper.ImageGenCompletedEvent)
    assert len(recorder.requests) == 2
    assert len(sleeps) == 1


@pytest.mark.anyio
async def test_stream_broken_before_its_first_event_is_retried(
    make_client: Callable[..., Any], sleeps: list[float]
) -> None:
    broken = Chunks([frame(partial(0))], fail_after=0)
    recorder = Recorder(lambda r: sse(broken), lambda r: sse(recorded()))
    stream = await invoke(make_client(recorder).images.generate, prompt="x", stream=True)
    events = await events_of(stream)
    assert [e.type for e in events][-1] == "image_generation.completed"
    assert len(events) == 4
    assert len(recorder.requests) == 2
    assert broken.closed
    assert len(sleeps) == 1


@pytest.mark.anyio
async def test_empty_stream_is_retried_then_raises_when_retries_run_out(
    make_client: Callable[..., Any], sleeps: list[float]
) -> None:
    recorder = Recorder(lambda r: sse(b": keep-alive\n\n"))
    stream = await invoke(make_client(recorder, max_retries=2).images.generate, prompt="x", stream=True)
    with pytest.raises(wrapper.StreamError, match="after 0 event"):
        await events_of(stream)
    assert len(recorder.requests) == 3
    assert len(sleeps) == 2


@pytest.mark.anyio
@pytest.mark.parametrize(
    "body",
    [
        frame(
            {
                "type": "error",
                "error": {
                    "message": "blocked",
                    "type": "image_generation_user_error",
                    "code": "moderation_blocked",
                },
            },
            "error",
        ),
        frame(
            {"error": {"message": "blocked", "type": "invalid_request_error", "code": "moderation_blocked"}},
            "",
        ),
    ],
)
async def test_error_event_raises_matching_status_error(make_client: Callable[..., Any], body: bytes) -> None:
    chunks = Chunks([frame(partial(0)), body])
    stream = await invoke(
        make_client(Recorder(lambda r: sse(chunks))).images.generate, prompt="x", stream=True
    )
    with pytest.raises(wrapper.BadRequestError) as caught:
        await events_of(stream)
    assert caught.value.code == "moderation_blocked"
    assert caught.value.message == "blocked"
    assert chunks.closed


@pytest.mark.anyio
async def test_json_400_instead_of_a_stream_raises_the_normal_error(make_client: Callable[..., Any]) -> None:
    error = {"error": {"message": "bad size", "type": "invalid_request_error", "param": "size"}}
    recorder = Recorder(httpx2.Response(400, json=error))
    with pytest.raises(wrapper.BadRequestError) as caught:
        await invoke(make_client(recorder).images.generate, prompt="x", stream=True, validate=False)
    assert caught.value.param == "size"


@pytest.mark.anyio
async def test_json_200_instead_of_a_stream_raises_stream_error(make_client: Callable[..., Any]) -> None:
    recorder = Recorder(httpx2.Response(200, json={"created": 1, "data": []}))
    with pytest.raises(wrapper.StreamError, match="text/event-stream"):
        await invoke(make_client(recorder).images.generate, prompt="x", stream=True)


@pytest.mark.anyio
async def test_unknown_event_is_surfaced(make_client: Callable[..., Any]) -> None:
    body = frame({"type": "image_generation.thinking", "note": "hm"}) + frame(completed())
    stream = await invoke(make_client(Recorder(lambda r: sse(body))).images.generate, prompt="x", stream=True)
    events = await events_of(stream)
    assert events[0] == wrapper.UnknownEvent(
        "image_generation.thinking",
        {"type": "image_generation.thinking", "note": "hm"},
        "image_generation.thinking",
    )
    assert isinstance(events[1], wrapper.ImageGenCompletedEvent)


def test_break_closes_the_response() -> None:
    chunks = Chunks([frame(partial(0)), frame(partial(1)), frame(completed())])
    client = wrapper.Client(
        api_key="k", http_client=httpx2.Client(transport=httpx2.MockTransport(lambda r: sse(chunks)))
    )
    stream = client.images.generate(prompt="x", stream=True)
    for _event in stream:
        break
    assert chunks.closed


@pytest.mark.anyio
async def test_leaving_the_context_closes_the_response(make_client: Callable[..., Any]) -> None:
    chunks = Chunks([frame(partial(0)), frame(partial(1)), frame(completed())])
    stream = await invoke(
        make_client(Recorder(lambda r: sse(chunks))).images.generate, prompt="x", stream=True
    )
    if isinstance(stream, wrapper.AsyncStream):
        async with stream:
            async for _event in stream:
                break
    else:
        with stream:
            for _event in stream:
                break
    assert chunks.closed


@pytest.mark.anyio
async def test_stream_parameters_validated_before_the_wire(make_client: Callable[..., Any]) -> None:
    recorder = Recorder()
    client = make_client(recorder)
    with pytest.raises(wrapper.ValidationError, match="stream"):
        await invoke(client.images.generate, prompt="x", model="dall-e-2", stream=True)
    with pytest.raises(wrapper.ValidationError, match="partial_images"):
        await invoke(client.images.generate, prompt="x", model="gpt-image-1", stream=True, partial_images=4)
    assert recorder.requests == []


# --- decoding, without a client ----------------------------------------------------------------


def decode(chunks: list[bytes]) -> list[Any]:
    request = httpx2.Request("POST", "https://example.test/v1/images/generations")
    headers = {"content-type": "text/event-stream"}
    response = httpx2.Response(200, headers=headers, stream=Chunks(chunks), request=request)
    decoder = EventDecoder(response)
    out = [decoder.decode(event) for event in EventSource(response, max_event_size=MAX_EVENT_BYTES)]
    decoder.finish()
    return [event for event in out if event is not None]


RECORDED = recorded(size=60_000)  # 3 partial + 1 completed events of ~80 KB of base64 each
EXPECTED = decode([RECORDED])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=len(RECORDED) - 1), max_size=40, unique=True))
def test_random_chunkings_decode_to_the_same_events(cuts: list[int]) -> None:
    bounds = [0, *sorted(cuts), len(RECORDED)]
    chunks = [RECORDED[a:b] for a, b in itertools.pairwise(bounds)]
    assert decode(chunks) == EXPECTED


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings_comments_keepalives_and_multiline_data(newline: str) -> None:
    payload = json.dumps(completed(), indent=1).split("\n")
    data = newline.join(f"data: {line}" for line in payload)
    body = f": keep-alive{newline}{newline}event: image_generation.completed{newline}{data}{newline}{newline}"
    chunks = [body.encode()[i : i + 7] for i in range(0, len(body), 7)]  # splits \r\n across chunks
    assert decode(chunks) == [wrapper.ImageGenCompletedEvent.from_dict(completed())]


def test_event_of_several_megabytes() -> None:
    big = completed(size=4 * 1024 * 1024)
    [event] = decode([frame(big)[i : i + 65536] for i in range(0, len(frame(big)), 65536)])
    assert event.content() == png(pad=4 * 1024 * 1024)


def test_event_missing_a_field_is_a_stream_error() -> None:
    broken = completed()
    del broken["size"]
    with pytest.raises(wrapper.StreamError, match="size"):
        decode([frame(broken)])
