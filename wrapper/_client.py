"""`Client` and `AsyncClient`: thin twins that send what `BaseClient` prepared.

Non-streaming calls go through the generated client (`images_api`), which is handed the wrapper's
own httpx client; streaming calls build the same request with the generated module's
`_get_kwargs` and read it as server-sent events (see `_streaming.py`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Self

import httpx

from . import _retry
from ._base import BaseClient, Call, connection_error, describe, request_of
from ._errors import APIResponseValidationError, status_error
from ._raw import AsyncImages, Images
from ._results import ImagesResponse, parse_failure

if TYPE_CHECKING:
    from images_api import AuthenticatedClient
    from images_api.errors import MalformedResponse
    from images_api.types import Response

    from ._streaming import AsyncStream, Stream


class Client(BaseClient[httpx.Client]):
    """A synchronous client: `Client().images.generate(prompt=...)`; arguments as in `BaseClient`.

    `close()` or leaving a `with` block closes its connections (and an `http_client` it was given).
    """

    _http_class = httpx.Client
    images: Images

    def _resources(self) -> Images:
        return Images(self)

    def _attach(self, api: AuthenticatedClient) -> None:
        api.set_httpx_client(self._http)

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _request(self, call: Call) -> Any:
        if call.stream:
            return self._stream(call)
        try:
            response, attempts = self._send(call, lambda: self._detailed(call))
        finally:
            call.close()
        return _result(response, attempts)

    def _detailed(self, call: Call) -> Response[Any]:
        from images_api.errors import MalformedResponse  # imported late: see _generated

        try:
            if call.query:  # the generated endpoint sends no query string: build the request here
                request = self._http.build_request(**call.request_kwargs())
                return call.endpoint._build_response(client=self._api, response=self._http.send(request))  # type: ignore[no-any-return]
            return call.endpoint.sync_detailed(client=self._api, body=call.body, request_options=call.options)  # type: ignore[no-any-return]
        except MalformedResponse as exc:
            raise _malformed(exc) from exc.__cause__

    def _stream(self, call: Call) -> Stream[Any]:
        from ._streaming import Stream, check_stream_response, needs_body

        def send() -> httpx.Response:
            request = self._http.build_request(**call.request_kwargs())
            return self._http.send(request, stream=True)

        attempts = 0

        def open_stream(start: int) -> httpx.Response:
            nonlocal attempts
            response: httpx.Response
            response, attempts = self._send(call, send, start)
            try:
                if needs_body(response):
                    response.read()
                check_stream_response(response)
            except BaseException:
                response.close()
                raise
            return response

        def reopen(reason: str) -> httpx.Response | None:
            delay = self._retry_delay(attempts - 1, None, None, reason)
            if delay is None:
                return None
            _retry.sleep(delay)
            return open_stream(attempts)

        try:
            response = open_stream(0)
        except BaseException:
            call.close()
            raise
        return Stream(response, call.operation, on_close=call.close, reopen=reopen)

    def _send(self, call: Call, send: Callable[[], Any], start: int = 0) -> tuple[Any, int]:
        attempt = start
        while True:
            try:
                result = send()
            except httpx.TransportError as exc:
                delay = self._retry_delay(attempt, request_of(exc), None, describe(None, exc))
                if delay is None:
                    raise connection_error(exc) from exc
            else:
                response = _http_response(result)
                if response.is_success:
                    return result, attempt + 1
                delay = self._retry_delay(attempt, response.request, response, describe(response))
                if delay is None:
                    return result, attempt + 1
                response.close()
            _retry.sleep(delay)
            attempt += 1


class AsyncClient(BaseClient[httpx.AsyncClient]):
    """The asynchronous twin of `Client`: `await AsyncClient().images.generate(prompt=...)`."""

    _http_class = httpx.AsyncClient
    images: AsyncImages

    def _resources(self) -> AsyncImages:
        return AsyncImages(self)

    def _attach(self, api: AuthenticatedClient) -> None:
        api.set_async_httpx_client(self._http)

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def close(self) -> None:
        """The same as `aclose()`, under the official SDK's name."""
        await self.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def _request(self, call: Call) -> Any:
        if call.stream:
            return await self._stream(call)
        try:
            response, attempts = await self._send(call, lambda: self._detailed(call))
        finally:
            call.close()
        return _result(response, attempts)

    async def _detailed(self, call: Call) -> Response[Any]:
        from images_api.errors import MalformedResponse  # imported late: see _generated

        try:
            if call.query:  # the generated endpoint sends no query string: build the request here
                request = self._http.build_request(**call.request_kwargs())
                response = await self._http.send(request)
                return call.endpoint._build_response(client=self._api, response=response)  # type: ignore[no-any-return]
            return await call.endpoint.asyncio_detailed(  # type: ignore[no-any-return]
                client=self._api, body=call.body, request_options=call.options
            )
        except MalformedResponse as exc:
            raise _malformed(exc) from exc.__cause__

    async def _stream(self, call: Call) -> AsyncStream[Any]:
        from ._streaming import AsyncStream, check_stream_response, needs_body

        async def send() -> httpx.Response:
            request = self._http.build_request(**call.request_kwargs())
            return await self._http.send(request, stream=True)

        attempts = 0

        async def open_stream(start: int) -> httpx.Response:
            nonlocal attempts
            response: httpx.Response
            response, attempts = await self._send(call, send, start)
            try:
                if needs_body(response):
                    await response.aread()
                check_stream_response(response)
            except BaseException:
                await response.aclose()
                raise
            return response

        async def reopen(reason: str) -> httpx.Response | None:
            delay = self._retry_delay(attempts - 1, None, None, reason)
            if delay is None:
                return None
            await _retry.asleep(delay)
            return await open_stream(attempts)

        try:
            response = await open_stream(0)
        except BaseException:
            call.close()
            raise
        return AsyncStream(response, call.operation, on_close=call.close, reopen=reopen)

    async def _send(self, call: Call, send: Callable[[], Awaitable[Any]], start: int = 0) -> tuple[Any, int]:
        attempt = start
        while True:
            try:
                result = await send()
            except httpx.TransportError as exc:
                delay = self._retry_delay(attempt, request_of(exc), None, describe(None, exc))
                if delay is None:
                    raise connection_error(exc) from exc
            else:
                response = _http_response(result)
                if response.is_success:
                    return result, attempt + 1
                delay = self._retry_delay(attempt, response.request, response, describe(response))
                if delay is None:
                    return result, attempt + 1
                await response.aclose()
            await _retry.asleep(delay)
            attempt += 1


def _result(response: Response[Any], attempts: int) -> ImagesResponse:
    """The typed result of a finished call, or the error its answer stands for."""
    http = response.http_response
    if not http.is_success:
        raise status_error(http)
    if response.parsed is None:
        raise APIResponseValidationError(
            f"unexpected {http.status_code} answer: the API answers 200 with an ImagesResponse", response=http
        )
    return ImagesResponse.from_generated(response.parsed, http, attempts)


def _http_response(result: Any) -> httpx.Response:
    return result if isinstance(result, httpx.Response) else result.http_response


def _malformed(exc: MalformedResponse) -> Exception:
    cause = exc.__cause__ if isinstance(exc.__cause__, Exception) else exc
    return parse_failure(exc.response, cause)
