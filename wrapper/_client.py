"""`Client` and `AsyncClient`: thin twins that send what `BaseClient` prepared.

Every call, plain or streamed, is built by the generated endpoint's `build_request` and sent with
the wrapper's own httpx2 client; a plain answer is parsed into `ImagesResponse`, a stream is read
as server-sent events (see `_streaming.py`).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Self

import httpx2

from . import _retry
from ._base import BaseClient, connection_error, describe, request_of
from ._http import DefaultAsyncHttpxClient, DefaultHttpxClient
from ._lazy import lazy
from ._raw import AsyncImages, Images

if TYPE_CHECKING:
    from . import _calls, _limits
    from ._calls import Call
    from ._streaming import AsyncStream, Stream
else:
    _calls = lazy("wrapper._calls", globals(), "_calls")  # loaded on the first request
    _limits = lazy("wrapper._limits", globals(), "_limits")


class Client(BaseClient[httpx2.Client]):
    """A synchronous client: `Client().images.generate(prompt=...)`; arguments as in `BaseClient`.

    `close()` or leaving a `with` block closes its connections (and an `http_client` it was given).
    """

    _http_class = httpx2.Client
    _default_http_class = DefaultHttpxClient
    images: Images

    def _resources(self) -> Images:
        return Images(self)

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def is_closed(self) -> bool:
        """Whether the connection pool is closed (a call then raises httpx2's `RuntimeError`)."""
        return self._http.is_closed

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _request(self, call: Call) -> Any:
        if call.telemetry is not None:
            return call.telemetry.run(self._answer, call)
        return self._answer(call)

    def _answer(self, call: Call) -> Any:
        if call.stream:
            return self._stream(call)
        response, attempts = self._send_plain(call)
        return _calls.result(response, attempts, self._downloader)

    def _send_plain(self, call: Call) -> tuple[httpx2.Response, int]:
        """Send a call whose answer is one JSON document (retrying as the policy says); close its files."""

        def send() -> httpx2.Response:
            request, started = self._http_request(call), time.monotonic()
            response = _limits.send(self._http, request, started)
            _limits.read_body(_limits.timed(response, started), call.max_body)
            return response

        try:
            response: httpx2.Response
            response, attempts = self._send(call, send)
        finally:
            call.close()
        return response, attempts

    def _stream(self, call: Call) -> Stream[Any]:
        from ._streaming import Stream, check_stream_response, needs_body

        def send() -> httpx2.Response:
            # A body that is not the event stream is read here, so that one cut short is retried.
            request, started = self._http_request(call), time.monotonic()
            response = _limits.timed(_limits.send(self._http, request, started), started)
            if needs_body(response):
                _limits.read_body(response, call.max_body)
            return response

        attempts = 0

        def open_stream(start: int) -> httpx2.Response:
            nonlocal attempts
            response: httpx2.Response
            response, attempts = self._send(call, send, start)
            try:
                check_stream_response(response)
            except BaseException:
                response.close()
                raise
            return response

        def reopen(reason: str) -> httpx2.Response | None:
            delay = self._retry_delay(attempts - 1, None, None, reason)
            if delay is None:
                return None
            if call.telemetry is not None:
                call.telemetry.retry(attempts - 1, delay)
            _retry.sleep(delay)
            return open_stream(attempts)

        try:
            response = open_stream(0)
        except BaseException:
            call.close()
            raise
        return Stream(response, call.operation, on_close=call.close, reopen=reopen, expected=call.images)

    def _send(self, call: Call, send: Callable[[], Any], start: int = 0) -> tuple[Any, int]:
        attempt = start
        while True:
            started = time.monotonic()
            try:
                result = send()
            except httpx2.TransportError as exc:
                _retry.log_exchange(request_of(exc), exc, started, attempt)
                delay = self._retry_delay(attempt, request_of(exc), None, describe(None, exc))
                if delay is None:
                    raise connection_error(exc) from exc
            else:
                response = result
                _retry.log_exchange(response.request, response, started, attempt)
                if response.is_success:
                    return result, attempt + 1
                delay = self._retry_delay(attempt, response.request, response, describe(response))
                if delay is None:
                    return result, attempt + 1
                response.close()
            if call.telemetry is not None:
                call.telemetry.retry(attempt, delay)
            _retry.sleep(delay)
            attempt += 1


class AsyncClient(BaseClient[httpx2.AsyncClient]):
    """The asynchronous twin of `Client`: `await AsyncClient().images.generate(prompt=...)`."""

    _http_class = httpx2.AsyncClient
    _default_http_class = DefaultAsyncHttpxClient
    images: AsyncImages

    def _resources(self) -> AsyncImages:
        return AsyncImages(self)

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def close(self) -> None:
        """The same as `aclose()`, under the official SDK's name."""
        await self.aclose()

    def is_closed(self) -> bool:
        """Whether the connection pool is closed (a call then raises httpx2's `RuntimeError`)."""
        return self._http.is_closed

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def _request(self, call: Call) -> Any:
        if call.telemetry is not None:
            return await call.telemetry.arun(self._answer, call)
        return await self._answer(call)

    async def _answer(self, call: Call) -> Any:
        if call.stream:
            return await self._stream(call)
        response, attempts = await self._send_plain(call)
        return _calls.result(response, attempts, self._downloader)

    async def _send_plain(self, call: Call) -> tuple[httpx2.Response, int]:
        """Send a call whose answer is one JSON document (retrying as the policy says); close its files."""

        async def send() -> httpx2.Response:
            request, started = self._http_request(call), time.monotonic()
            response = await _limits.asend(self._http, request, started)
            await _limits.aread_body(_limits.timed(response, started), call.max_body)
            return response

        try:
            response: httpx2.Response
            response, attempts = await self._send(call, send)
        finally:
            call.close()
        return response, attempts

    async def _stream(self, call: Call) -> AsyncStream[Any]:
        from ._streaming import AsyncStream, check_stream_response, needs_body

        async def send() -> httpx2.Response:
            # A body that is not the event stream is read here, so that one cut short is retried.
            request, started = self._http_request(call), time.monotonic()
            response = _limits.timed(await _limits.asend(self._http, request, started), started)
            if needs_body(response):
                await _limits.aread_body(response, call.max_body)
            return response

        attempts = 0

        async def open_stream(start: int) -> httpx2.Response:
            nonlocal attempts
            response: httpx2.Response
            response, attempts = await self._send(call, send, start)
            try:
                check_stream_response(response)
            except BaseException:
                await response.aclose()
                raise
            return response

        async def reopen(reason: str) -> httpx2.Response | None:
            delay = self._retry_delay(attempts - 1, None, None, reason)
            if delay is None:
                return None
            if call.telemetry is not None:
                call.telemetry.retry(attempts - 1, delay)
            await _retry.asleep(delay)
            return await open_stream(attempts)

        try:
            response = await open_stream(0)
        except BaseException:
            call.close()
            raise
        return AsyncStream(response, call.operation, on_close=call.close, reopen=reopen, expected=call.images)

    async def _send(self, call: Call, send: Callable[[], Awaitable[Any]], start: int = 0) -> tuple[Any, int]:
        attempt = start
        while True:
            started = time.monotonic()
            try:
                result = await send()
            except httpx2.TransportError as exc:
                _retry.log_exchange(request_of(exc), exc, started, attempt)
                delay = self._retry_delay(attempt, request_of(exc), None, describe(None, exc))
                if delay is None:
                    raise connection_error(exc) from exc
            else:
                response = result
                _retry.log_exchange(response.request, response, started, attempt)
                if response.is_success:
                    return result, attempt + 1
                delay = self._retry_delay(attempt, response.request, response, describe(response))
                if delay is None:
                    return result, attempt + 1
                await response.aclose()
            if call.telemetry is not None:
                call.telemetry.retry(attempt, delay)
            await _retry.asleep(delay)
            attempt += 1
