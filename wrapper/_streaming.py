"""Typed events of a streamed generation or edit, read as server-sent events with httpx2's
`EventSource` (httpx-sse's decoder, now part of httpx2).

`EventDecoder` turns each server-sent event into a typed event, raises on an error event and
remembers the completed event; `Stream` and `AsyncStream` are thin twins around it that close the
HTTP response when iteration ends, breaks or fails. A stream that ends before a completed event
raises `StreamError`: a truncated stream is never silent. A stream of n images is complete only
once n completed events have arrived.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Final, Generic, Self, TypeAlias, TypeVar

import httpx2
from httpx2 import EventSource, ServerSentEvent

from . import _dump, _limits
from ._errors import APIStatusError, APITimeoutError, StreamError, WrapperError, redacted, status_error
from ._results import HTTPInfo, Parsed, Usage, decode_b64, optional_part, write_image
from ._scrub import scrubbed

MAX_EVENT_BYTES: Final = _limits.MAX_EVENT_BYTES
"""The largest server-sent event read, an unterminated line included (httpx2's own default, 1 MiB, is
smaller than one partial image of a large size as base64); a larger one fails the stream with
`StreamError` instead of growing memory without bound."""


@dataclass(frozen=True, slots=True)
class _ImageEvent(Parsed):
    type: str
    b64_json: str = field(repr=False)
    background: str
    created_at: int
    output_format: str
    quality: str
    size: str
    _source: Any = field(default=None, repr=False, compare=False, kw_only=True)
    """The event's JSON object, which the official SDK's dump methods serialise."""

    completed: ClassVar[bool] = False
    _shape: ClassVar[_dump.Shape] = _dump.PARTIAL_EVENT

    def content(self) -> bytes:
        """The image's bytes, decoded from base64."""
        return decode_b64(self.b64_json, self.output_format)

    def save(self, path_or_dir: str | Path, *, stem: str | None = None) -> Path:
        """Write the image; given a directory, name it after the event with the format's extension."""
        return write_image(path_or_dir, self.content(), self.output_format, stem or self._stem())

    def _stem(self) -> str:
        return "image"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        return cls(**{name: data[name] for name in _REQUIRED[cls]}, **_extra(cls, data), _source=data)


@dataclass(frozen=True, slots=True)
class _PartialImage(_ImageEvent):
    partial_image_index: int = 0

    def _stem(self) -> str:
        return f"partial-{self.partial_image_index}"


@dataclass(frozen=True, slots=True)
class _CompletedImage(_ImageEvent):
    usage: Usage | None = None
    safety_identifier: str | None = None

    completed: ClassVar[bool] = True
    _shape: ClassVar[_dump.Shape] = _dump.COMPLETED_EVENT


@dataclass(frozen=True, slots=True)
class ImageGenPartialImageEvent(_PartialImage):
    """`image_generation.partial_image`: a partial image while a generation streams."""


@dataclass(frozen=True, slots=True)
class ImageGenCompletedEvent(_CompletedImage):
    """`image_generation.completed`: the final image of a streamed generation, with its usage."""


@dataclass(frozen=True, slots=True)
class ImageEditPartialImageEvent(_PartialImage):
    """`image_edit.partial_image`: a partial image while an edit streams."""


@dataclass(frozen=True, slots=True)
class ImageEditCompletedEvent(_CompletedImage):
    """`image_edit.completed`: the final image of a streamed edit, with its usage."""


@dataclass(frozen=True, slots=True)
class UnknownEvent(Parsed):
    """An event of a type this version does not know: passed on, not dropped (its dump is `data`)."""

    type: str | None
    data: Mapping[str, Any]
    event: str | None = None

    _shape: ClassVar[_dump.Shape] = {}

    def _fields(self) -> Mapping[str, Any]:
        return self.data


StreamEvent: TypeAlias = (
    ImageGenPartialImageEvent
    | ImageGenCompletedEvent
    | ImageEditPartialImageEvent
    | ImageEditCompletedEvent
    | UnknownEvent
)
ImageGenStreamEvent: TypeAlias = ImageGenPartialImageEvent | ImageGenCompletedEvent | UnknownEvent
ImageEditStreamEvent: TypeAlias = ImageEditPartialImageEvent | ImageEditCompletedEvent | UnknownEvent
EventT = TypeVar("EventT")
CompletedEvent: TypeAlias = ImageGenCompletedEvent | ImageEditCompletedEvent
PartialEvent: TypeAlias = ImageGenPartialImageEvent | ImageEditPartialImageEvent

EVENT_TYPES: Final[Mapping[str, type[_ImageEvent]]] = {
    "image_generation.partial_image": ImageGenPartialImageEvent,
    "image_generation.completed": ImageGenCompletedEvent,
    "image_edit.partial_image": ImageEditPartialImageEvent,
    "image_edit.completed": ImageEditCompletedEvent,
}
_COMMON = ("type", "b64_json", "background", "created_at", "output_format", "quality", "size")
_REQUIRED: Final[Mapping[type[_ImageEvent], tuple[str, ...]]] = {
    cls: (*_COMMON, "partial_image_index") if issubclass(cls, _PartialImage) else _COMMON
    for cls in EVENT_TYPES.values()
}
# An error event carries no HTTP status (the stream's is 200); its `type` tells which class it is.
_ERROR_STATUSES: Final[Mapping[str, int]] = {
    "invalid_request_error": 400,
    "image_generation_user_error": 400,
    "authentication_error": 401,
    "permission_error": 403,
    "not_found_error": 404,
    "rate_limit_error": 429,
    "rate_limit_exceeded": 429,
    "server_error": 500,
}


def _extra(cls: type[_ImageEvent], data: Mapping[str, Any]) -> dict[str, Any]:
    if not issubclass(cls, _CompletedImage):
        return {}
    usage, identifier = data.get("usage"), data.get("safety_identifier")
    return {
        "usage": optional_part(Usage.from_dict, usage) if usage is not None else None,
        "safety_identifier": identifier if isinstance(identifier, str) else None,
    }


class EventDecoder:
    """Typed events from server-sent events: no I/O, shared by `Stream` and `AsyncStream`."""

    def __init__(self, response: httpx2.Response, expected: int = 1) -> None:
        self.response = response
        self.expected = expected
        self.count = 0
        self.images: list[CompletedEvent] = []

    @property
    def completed(self) -> CompletedEvent | None:
        return self.images[-1] if self.images else None

    def decode(self, sse: ServerSentEvent) -> StreamEvent | None:
        """The event in `sse`, None for an empty one (a keep-alive); raises for an error event."""
        if not sse.data.strip():
            return None
        payload = self._payload(sse)
        if sse.event == "error" or "error" in payload:
            raise stream_error(self.response, payload)
        cls = EVENT_TYPES.get(payload.get("type", ""))
        if cls is None:
            event: StreamEvent = UnknownEvent(payload.get("type"), payload, sse.event)
        else:
            event = self._parse(cls, payload)
        self.count += 1
        return event

    def finish(self) -> None:
        """Raise `StreamError` if the stream ended before the completed event of every requested image."""
        if not self.images:
            raise self.error(f"the event stream ended after {self.count} event(s) without a completed event")
        if len(self.images) < self.expected:
            raise self.error(f"the event stream ended after {self.count} event(s)")

    def error(self, message: str) -> StreamError:
        """A `StreamError` that says how many images arrived and carries them."""
        if self.expected > 1:
            message += f": {len(self.images)} of {self.expected} images arrived"
        return StreamError(message, completed=tuple(self.images))

    def _payload(self, sse: ServerSentEvent) -> Mapping[str, Any]:
        name = sse.event or "message"
        try:
            payload = json.loads(sse.data)
        except (ValueError, RecursionError) as exc:
            raise StreamError(f"event {name!r} carries no JSON: {sse.data[:80]!r}") from exc
        if not isinstance(payload, Mapping):
            raise StreamError(f"event {name!r} carries {type(payload).__name__}, not an object")
        return payload

    def _parse(self, cls: type[_ImageEvent], payload: Mapping[str, Any]) -> Any:
        try:
            event = cls.from_dict(payload)
        except (KeyError, TypeError) as exc:
            raise StreamError(f"a {payload.get('type')} event lacks {exc}") from exc
        if cls.completed:
            if len(self.images) >= self.expected:  # kept: at most the n images asked for
                raise self.error(
                    f"the event stream sent more than the {self.expected} completed image(s) asked for"
                )
            self.images.append(event)  # type: ignore[arg-type]
        return event


def stream_error(response: httpx2.Response, payload: Mapping[str, Any]) -> APIStatusError:
    """The `APIStatusError` for an error event, its class chosen from the error's type."""
    error = payload.get("error", payload)
    kind = error.get("type") if isinstance(error, Mapping) else None
    status = _ERROR_STATUSES.get(kind or "", 500)
    body = {"error": error} if isinstance(error, Mapping) else dict(payload)
    synthetic = httpx2.Response(
        status, json=body, headers=_without_length(response), request=response.request
    )
    return status_error(synthetic, body)


def needs_body(response: httpx2.Response) -> bool:
    """Whether the answer is not an event stream, so its body must be read to raise the right error."""
    return not response.is_success or not _is_event_stream(response)


def check_stream_response(response: httpx2.Response) -> None:
    """Raise the API's error for an error status, `StreamError` for a success that is not a stream."""
    if not response.is_success:
        raise status_error(response)
    if not _is_event_stream(response):
        kind = response.headers.get("content-type", "no content type")
        raise StreamError(f"expected an event stream (text/event-stream), got {kind}")


Reopen: TypeAlias = Callable[[str], httpx2.Response | None]
"""Sends the request again after a failure before the first event; None when no retry is left."""
AsyncReopen: TypeAlias = Callable[[str], Awaitable[httpx2.Response | None]]


class _StreamBase:
    def __init__(
        self,
        response: httpx2.Response,
        operation: str,
        on_close: Callable[[], None] | None = None,
        expected: int = 1,
    ) -> None:
        self.response = response
        self.operation = operation
        self.expected = expected
        """How many images the request asked for (`n`): the stream is complete when all have arrived."""
        self._decoder = EventDecoder(response, expected)
        self._on_close = on_close
        self.failure: BaseException | None = None
        """What ended the stream with an error, once it has (None at its end or when closed early)."""

    def _retryable(self, exc: Exception) -> str | None:
        """Why a failure may be retried: only a break or truncation before any event was delivered
        (an event past `MAX_EVENT_BYTES` is not: the same request would get it again)."""
        if self._decoder.count or not isinstance(exc, httpx2.TransportError | StreamError):
            return None
        if isinstance(exc, httpx2.SSEError):
            return None
        return f"stream failed before its first event: {type(exc).__name__}: {exc}"

    def _restart(self, response: httpx2.Response) -> None:
        self.response = response
        self._decoder = EventDecoder(response, self.expected)

    @property
    def http(self) -> HTTPInfo:
        """Status, headers and request id of the stream's HTTP answer."""
        return HTTPInfo.from_response(self.response)

    @property
    def completed(self) -> CompletedEvent | None:
        """The completed event, once it has arrived."""
        return self._decoder.completed

    def _closed(self) -> None:
        on_close, self._on_close = self._on_close, None
        if on_close is not None:
            on_close()

    def _final(self) -> CompletedEvent:
        self._decoder.finish()
        assert self._decoder.completed is not None
        return self._decoder.completed


class Stream(_StreamBase, Generic[EventT]):
    """The events of a streamed generation or edit: iterate it, or call `final()`; use it in `with`.

    A stream that breaks or ends before its first event is sent again through `reopen` (the
    client's retry policy); once an event was delivered, a failure always raises.
    """

    def __init__(
        self,
        response: httpx2.Response,
        operation: str,
        on_close: Callable[[], None] | None = None,
        reopen: Reopen | None = None,
        expected: int = 1,
    ) -> None:
        super().__init__(response, operation, on_close, expected)
        self._reopen = reopen
        self._iterator = self._events()

    def __iter__(self) -> Iterator[EventT]:
        try:
            yield from self._iterator
        finally:
            self.close()

    def __next__(self) -> EventT:
        return next(self._iterator)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP response (idempotent)."""
        self.response.close()
        self._closed()

    def final(self, on_partial: Callable[[PartialEvent], object] | None = None) -> CompletedEvent:
        """Read the stream to its end and return the (last) completed event; `on_partial` sees each
        partial. With n > 1 each image ends with its own completed event: iterate to keep them all
        (a stream cut short raises `StreamError`, whose `completed` holds the images that arrived)."""
        for event in self:
            if on_partial is not None and isinstance(event, _PartialImage):
                on_partial(event)  # type: ignore[arg-type]
        return self._final()

    def _events(self) -> Iterator[EventT]:
        try:
            while True:
                try:
                    yield from self._attempt()
                    return
                except (httpx2.TransportError, StreamError) as exc:
                    reason = self._retryable(exc)
                    fresh = self._reopen(reason) if reason and self._reopen else None
                    if fresh is None:
                        raise _failure(self._decoder, exc) from exc
                    self.response.close()
                    self._restart(fresh)
        except Exception as exc:
            self.failure = exc  # read by whoever watches the close (telemetry), before it happens
            raise
        finally:
            self.close()

    def _attempt(self) -> Iterator[EventT]:
        for sse in EventSource(self.response, max_event_size=MAX_EVENT_BYTES):
            event = self._decoder.decode(sse)
            if event is not None:
                yield event  # type: ignore[misc]
        self._decoder.finish()


class AsyncStream(_StreamBase, Generic[EventT]):
    """The async twin of `Stream`: `async for`, `await final()`, `async with`.

    Iterate it inside `async with stream:` when you may `break`: leaving the block closes the
    response at once, while a bare `async for` that breaks leaves it open until the abandoned
    async generator is collected (Python cannot close one synchronously).
    """

    def __init__(
        self,
        response: httpx2.Response,
        operation: str,
        on_close: Callable[[], None] | None = None,
        reopen: AsyncReopen | None = None,
        expected: int = 1,
    ) -> None:
        super().__init__(response, operation, on_close, expected)
        self._reopen = reopen
        self._iterator = self._events()

    async def __aiter__(self) -> AsyncIterator[EventT]:
        try:
            async for event in self._iterator:
                yield event
        finally:
            await self.aclose()

    async def __anext__(self) -> EventT:
        return await self._iterator.__anext__()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the HTTP response (idempotent)."""
        await self.response.aclose()
        self._closed()

    async def close(self) -> None:
        """`aclose()` under the official SDK's name for it."""
        await self.aclose()

    async def final(self, on_partial: Callable[[PartialEvent], object] | None = None) -> CompletedEvent:
        """Read the stream to its end and return the (last) completed event; `on_partial` sees each
        partial. With n > 1 each image ends with its own completed event: iterate to keep them all
        (a stream cut short raises `StreamError`, whose `completed` holds the images that arrived)."""
        async for event in self:
            if on_partial is not None and isinstance(event, _PartialImage):
                on_partial(event)  # type: ignore[arg-type]
        return self._final()

    async def _events(self) -> AsyncIterator[EventT]:
        try:
            while True:
                try:
                    async for event in self._attempt():
                        yield event
                    return
                except (httpx2.TransportError, StreamError) as exc:
                    reason = self._retryable(exc)
                    fresh = await self._reopen(reason) if reason and self._reopen else None
                    if fresh is None:
                        raise _failure(self._decoder, exc) from exc
                    await self.response.aclose()
                    self._restart(fresh)
        except Exception as exc:
            self.failure = exc
            raise
        finally:
            await self.aclose()

    async def _attempt(self) -> AsyncIterator[EventT]:
        async for sse in EventSource(self.response, max_event_size=MAX_EVENT_BYTES):
            event = self._decoder.decode(sse)
            if event is not None:
                yield event  # type: ignore[misc]
        self._decoder.finish()


def _failure(decoder: EventDecoder, exc: httpx2.TransportError | StreamError) -> WrapperError:
    """What a stream that failed for good raises: a timeout (each read's, or the call's as a whole)
    `APITimeoutError`, anything else `StreamError`."""
    if isinstance(exc, StreamError):
        return exc
    scrubbed(exc)
    if isinstance(exc, httpx2.TimeoutException):
        return APITimeoutError(
            f"the event stream timed out after {decoder.count} event(s): {exc}", request=exc._request
        )
    if isinstance(exc, httpx2.SSEError):
        return decoder.error(
            f"an event is larger than {MAX_EVENT_BYTES} bytes, the most a partial image takes"
        )
    cause = f"{type(exc).__name__}: {redacted(exc)}"
    return decoder.error(f"the event stream broke after {decoder.count} event(s): {cause}")


def _is_event_stream(response: httpx2.Response) -> bool:
    content_type: str = response.headers.get("content-type", "")
    return content_type.partition(";")[0].strip() == "text/event-stream"


def _without_length(response: httpx2.Response) -> dict[str, str]:
    dropped = ("content-length", "content-type", "content-encoding", "transfer-encoding")
    return {k: v for k, v in response.headers.items() if k.lower() not in dropped}
