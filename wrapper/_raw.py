"""`client.images.with_raw_response` and `client.images.with_streaming_response`, as in the official SDK.

`client.images.with_raw_response.generate(...)` answers a `LegacyAPIResponse`: the HTTP answer
(`headers`, `status_code`, `http_request`, `request_id`, ...) whose `parse()` is the result the plain
call returns. `client.images.with_streaming_response.generate(...)` is a context manager giving an
`APIResponse` (`AsyncAPIResponse` for the async client) whose body is read only when asked (`read()`,
`json()`, `iter_bytes()`, `parse()`), and closed when the block ends.

The raw variants are views over a clone of the client whose `_answer` answers with the HTTP response
instead of the parsed result; the plain path is untouched and pays nothing for them. `Images` and
`AsyncImages` here are the generated resources plus the two properties.
"""

from __future__ import annotations

import datetime
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Literal, ParamSpec, TypeVar, cast

import httpx2

from . import _async_resources, _resources
from ._errors import status_error
from ._lazy import lazy

if TYPE_CHECKING:
    from . import _limits
    from ._calls import Call
    from ._client import AsyncClient, Client
    from ._results import ImagesResponse
else:
    _limits = lazy("wrapper._limits", globals(), "_limits")  # loaded on the first request

P = ParamSpec("P")
R = TypeVar("R")
ClientT = TypeVar("ClientT", "Client", "AsyncClient")
Mode = Literal["raw", "stream"]


class _HTTPView(Generic[R]):
    """What every raw response shows of the HTTP exchange."""

    def __init__(self, response: httpx2.Response, retries_taken: int = 0) -> None:
        self.http_response = response
        self.retries_taken = retries_taken
        """The number of retries made (0 when the first try succeeded)."""

    @property
    def headers(self) -> httpx2.Headers:
        return self.http_response.headers

    @property
    def http_request(self) -> httpx2.Request:
        return self.http_response.request

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def url(self) -> httpx2.URL:
        return self.http_response.url

    @property
    def method(self) -> str:
        return self.http_request.method

    @property
    def http_version(self) -> str:
        return self.http_response.http_version

    @property
    def elapsed(self) -> datetime.timedelta:
        return self.http_response.elapsed

    @property
    def is_closed(self) -> bool:
        return self.http_response.is_closed

    @property
    def request_id(self) -> str | None:
        """The `x-request-id` the API answered with."""
        request_id: str | None = self.http_response.headers.get("x-request-id")
        return request_id

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.status_code} {self.http_response.reason_phrase}]>"


class LegacyAPIResponse(_HTTPView[R]):
    """The answer of a `with_raw_response` call: the body is read; `parse()` gives the result (for
    `stream=True`, the `Stream` / `AsyncStream`)."""

    def __init__(self, response: httpx2.Response, parsed: R, retries_taken: int = 0) -> None:
        super().__init__(response, retries_taken)
        self._parsed = parsed

    def parse(self) -> R:
        """The result the call without `with_raw_response` returns."""
        return self._parsed

    @property
    def content(self) -> bytes:
        return self.http_response.content

    @property
    def text(self) -> str:
        return self.http_response.text

    def json(self) -> Any:
        return json.loads(self.http_response.content)


class APIResponse(_HTTPView[R]):
    """The answer of a `with_streaming_response` call: the body is read only when asked."""

    def __init__(
        self,
        response: httpx2.Response,
        parser: Callable[[], R],
        retries_taken: int = 0,
        max_body: int | None = None,
    ) -> None:
        super().__init__(response, retries_taken)
        self._parser = parser
        self._parsed: list[R] = []
        self._max_body = max_body
        """The most `parse()` reads (`_limits.max_body_bytes`); `read()` reads what it is asked to."""

    def parse(self) -> R:
        """Read the body and return the result the plain call returns (for `stream=True`, the stream)."""
        if not self._parsed:
            if not _is_sse(self):
                if self._max_body is not None and not self.http_response.is_stream_consumed:
                    _limits.read_body(self.http_response, self._max_body)
                self.read()
            self._parsed.append(self._parser())
        return self._parsed[0]

    def read(self) -> bytes:
        return self.http_response.read()

    def text(self) -> str:
        self.read()
        return self.http_response.text

    def json(self) -> Any:
        return json.loads(self.read())

    def close(self) -> None:
        self.http_response.close()

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        yield from self.http_response.iter_bytes(chunk_size)

    def iter_text(self, chunk_size: int | None = None) -> Iterator[str]:
        yield from self.http_response.iter_text(chunk_size)

    def iter_lines(self) -> Iterator[str]:
        yield from self.http_response.iter_lines()


class AsyncAPIResponse(_HTTPView[R]):
    """The async twin of `APIResponse`: `await response.parse()`, `await response.read()`, ..."""

    def __init__(
        self,
        response: httpx2.Response,
        parser: Callable[[], R],
        retries_taken: int = 0,
        max_body: int | None = None,
    ) -> None:
        super().__init__(response, retries_taken)
        self._parser = parser
        self._parsed: list[R] = []
        self._max_body = max_body
        """The most `parse()` reads (`_limits.max_body_bytes`); `read()` reads what it is asked to."""

    async def parse(self) -> R:
        """Read the body and return the result the plain call returns (for `stream=True`, the stream)."""
        if not self._parsed:
            if not _is_sse(self):
                if self._max_body is not None and not self.http_response.is_stream_consumed:
                    await _limits.aread_body(self.http_response, self._max_body)
                await self.read()
            self._parsed.append(self._parser())
        return self._parsed[0]

    async def read(self) -> bytes:
        return await self.http_response.aread()

    async def text(self) -> str:
        await self.read()
        return self.http_response.text

    async def json(self) -> Any:
        return json.loads(await self.read())

    async def close(self) -> None:
        await self.http_response.aclose()

    async def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        async for chunk in self.http_response.aiter_bytes(chunk_size):
            yield chunk

    async def iter_text(self, chunk_size: int | None = None) -> AsyncIterator[str]:
        async for chunk in self.http_response.aiter_text(chunk_size):
            yield chunk

    async def iter_lines(self) -> AsyncIterator[str]:
        async for line in self.http_response.aiter_lines():
            yield line


def _is_sse(response: _HTTPView[Any]) -> bool:
    content_type: str = response.headers.get("content-type", "")
    return content_type.startswith("text/event-stream")


class ResponseContextManager(Generic[R]):
    """Sends the request when entered and closes the response when left."""

    def __init__(self, request: Callable[[], APIResponse[R]]) -> None:
        self._request = request
        self._response: APIResponse[R] | None = None

    def __enter__(self) -> APIResponse[R]:
        self._response = self._request()
        return self._response

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._response is not None:
            self._response.close()


class AsyncResponseContextManager(Generic[R]):
    """The async twin of `ResponseContextManager`: `async with ... as response`."""

    def __init__(self, request: Awaitable[AsyncAPIResponse[R]]) -> None:
        self._request = request
        self._response: AsyncAPIResponse[R] | None = None

    async def __aenter__(self) -> AsyncAPIResponse[R]:
        self._response = await self._request
        return self._response

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._response is not None:
            await self._response.close()


def _to_raw(func: Callable[P, R]) -> Callable[P, LegacyAPIResponse[R]]:
    # The method belongs to an `Images` over a raw clone, so it already answers a LegacyAPIResponse.
    return cast("Callable[P, LegacyAPIResponse[R]]", func)


def _to_async_raw(func: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[LegacyAPIResponse[R]]]:
    return cast("Callable[P, Awaitable[LegacyAPIResponse[R]]]", func)


def _to_streamed(func: Callable[P, R]) -> Callable[P, ResponseContextManager[R]]:
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> ResponseContextManager[R]:
        return ResponseContextManager(lambda: cast("APIResponse[R]", func(*args, **kwargs)))

    return wrapped


def _to_async_streamed(func: Callable[P, Awaitable[R]]) -> Callable[P, AsyncResponseContextManager[R]]:
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> AsyncResponseContextManager[R]:
        return AsyncResponseContextManager(cast("Awaitable[AsyncAPIResponse[R]]", func(*args, **kwargs)))

    return wrapped


class ImagesWithRawResponse:
    """`client.images.with_raw_response`: the three methods, answering `LegacyAPIResponse`."""

    def __init__(self, images: _resources.Images) -> None:
        raw = _resources.Images(raw_clone(images._client, "raw"))
        self.generate = _to_raw(raw.generate)
        self.edit = _to_raw(raw.edit)
        self.create_variation = _to_raw(raw.create_variation)


class AsyncImagesWithRawResponse:
    """`client.images.with_raw_response` of the async client (`await` the methods)."""

    def __init__(self, images: _async_resources.AsyncImages) -> None:
        raw = _async_resources.AsyncImages(raw_clone(images._client, "raw"))
        self.generate = _to_async_raw(raw.generate)
        self.edit = _to_async_raw(raw.edit)
        self.create_variation = _to_async_raw(raw.create_variation)


class ImagesWithStreamingResponse:
    """`client.images.with_streaming_response`: the three methods, as context managers."""

    def __init__(self, images: _resources.Images) -> None:
        raw = _resources.Images(raw_clone(images._client, "stream"))
        self.generate = _to_streamed(raw.generate)
        self.edit = _to_streamed(raw.edit)
        self.create_variation = _to_streamed(raw.create_variation)


class AsyncImagesWithStreamingResponse:
    """`client.images.with_streaming_response` of the async client (`async with`)."""

    def __init__(self, images: _async_resources.AsyncImages) -> None:
        raw = _async_resources.AsyncImages(raw_clone(images._client, "stream"))
        self.generate = _to_async_streamed(raw.generate)
        self.edit = _to_async_streamed(raw.edit)
        self.create_variation = _to_async_streamed(raw.create_variation)


class Images(_resources.Images):
    """`client.images`: the generated methods, plus `with_raw_response` and `with_streaming_response`."""

    @cached_property
    def with_raw_response(self) -> ImagesWithRawResponse:
        """The same methods, answering the raw HTTP response; `.parse()` gives the usual result."""
        return ImagesWithRawResponse(self)

    @cached_property
    def with_streaming_response(self) -> ImagesWithStreamingResponse:
        """The same methods as context managers whose response body is read only when asked."""
        return ImagesWithStreamingResponse(self)


class AsyncImages(_async_resources.AsyncImages):
    """`client.images` of the async client, plus `with_raw_response` and `with_streaming_response`."""

    @cached_property
    def with_raw_response(self) -> AsyncImagesWithRawResponse:
        """The same methods, answering the raw HTTP response; `.parse()` gives the usual result."""
        return AsyncImagesWithRawResponse(self)

    @cached_property
    def with_streaming_response(self) -> AsyncImagesWithStreamingResponse:
        """The same methods as async context managers whose body is read only when asked."""
        return AsyncImagesWithStreamingResponse(self)


def raw_clone(client: ClientT, mode: Mode) -> ClientT:
    """A copy of `client` (same configuration and pool) whose requests answer raw responses."""
    clone: ClientT = object.__new__(_raw_class(type(client)))
    clone.__dict__.update(client.__dict__)
    clone.__dict__["_raw_mode"] = mode
    return clone


def _raw_class(cls: type[Any]) -> type[Any]:
    """`cls` with `_answer` answering raw responses (a subclass, so the plain class has no branch)."""
    raw = _RAW_CLASSES.get(cls)
    if raw is None:
        asynchronous = issubclass(cls._http_class, httpx2.AsyncClient)
        request = _async_request if asynchronous else _sync_request
        raw = type(f"Raw{cls.__name__}", (cls,), {"_answer": request, "__module__": __name__})
        _RAW_CLASSES[cls] = raw
    return raw


_RAW_CLASSES: dict[type[Any], type[Any]] = {}


def _sync_request(client: Client, call: Call) -> _HTTPView[Any]:
    mode: Mode = client._raw_mode  # type: ignore[attr-defined]
    if call.stream:
        stream = client._stream(call)
        if mode == "raw":
            return LegacyAPIResponse(stream.response, stream)
        return APIResponse(stream.response, lambda: stream)
    if mode == "raw":
        from ._calls import result

        response, attempts = client._send_plain(call)
        return LegacyAPIResponse(response, result(response, attempts, client._downloader), attempts - 1)

    def send() -> httpx2.Response:
        request, started = client._http_request(call), time.monotonic()
        return _limits.timed(_limits.send(client._http, request, started), started)

    try:
        http, attempts = client._send(call, send)
    finally:
        call.close()
    if not http.is_success:
        _limits.read_body(http, call.max_body)  # an error answer: its first MiB
        raise status_error(http)
    parse = lambda: _parse(client, call, http, attempts)  # noqa: E731
    return APIResponse(http, parse, attempts - 1, call.max_body)


async def _async_request(client: AsyncClient, call: Call) -> _HTTPView[Any]:
    mode: Mode = client._raw_mode  # type: ignore[attr-defined]
    if call.stream:
        astream = await client._stream(call)
        if mode == "raw":
            return LegacyAPIResponse(astream.response, astream)
        return AsyncAPIResponse(astream.response, lambda: astream)
    if mode == "raw":
        from ._calls import result

        response, attempts = await client._send_plain(call)
        return LegacyAPIResponse(response, result(response, attempts, client._downloader), attempts - 1)

    async def send() -> httpx2.Response:
        request, started = client._http_request(call), time.monotonic()
        return _limits.timed(await _limits.asend(client._http, request, started), started)

    try:
        http, attempts = await client._send(call, send)
    finally:
        call.close()
    if not http.is_success:
        await _limits.aread_body(http, call.max_body)  # an error answer: its first MiB
        raise status_error(http)
    parse = lambda: _parse(client, call, http, attempts)  # noqa: E731
    return AsyncAPIResponse(http, parse, attempts - 1, call.max_body)


def _parse(client: Client | AsyncClient, call: Call, http: httpx2.Response, attempts: int) -> ImagesResponse:
    """The result of a streamed answer whose body has been read, as the plain call makes it."""
    from ._calls import result

    return result(http, attempts, client._downloader)
