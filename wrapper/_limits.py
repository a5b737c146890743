"""How much of an answer the client reads, and for how long: bounds against a hostile or broken upstream.

Every bound is derived from the largest answer the API can legitimately send (documented with its
reason in `docs/reliability.md`, "Hostile upstreams"):

- an image is at most `LARGEST_PIXELS` (the largest size in the capability table) at 4 bytes a pixel,
  the most an uncompressed 8-bit RGBA pixel takes in any output format; an animated GIF has up to
  the spec's maximum `frame_count` frames of them;
- a plain answer (`max_body_bytes`) holds the `n` images the request asked for, as base64, plus
  `JSON_MARGIN` for the rest of the JSON; an error answer's body is read up to `MAX_ERROR_BYTES`;
- a server-sent event (`MAX_EVENT_BYTES`) holds one (partial) image as base64 plus `JSON_MARGIN`;
- the call's timeout (its read value) bounds the whole answer, from sending the request to its
  last byte, not only each read: `Deadline` is checked as each piece of the body arrives, and
  bounds the wait for the head (`asend` for an async call; `send` for a sync call through a pool
  this package made, whose connections' reads end by the deadline: `_reads`).

A body past its bound raises `APIResponseValidationError` (saying so), a deadline passed
`APITimeoutError` once retries are spent.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from typing import Any, Final

import httpx2

from ._capabilities import MODELS
from ._errors import APIResponseValidationError
from ._reads import READS_END


def _largest_pixels() -> int:
    """The most pixels of any size the table offers: a fixed size or a free-form maximum."""
    fixed = (
        int(width) * int(height)
        for row in MODELS.values()
        for width, _, height in (size.partition("x") for size in row.sizes)
        if height
    )
    free = (row.custom_sizes.max_pixels for row in MODELS.values() if row.custom_sizes)
    return max(*fixed, *free)


def _b64(size: int) -> int:
    """The length of `size` bytes as base64."""
    return (size + 2) // 3 * 4


LARGEST_PIXELS: Final = _largest_pixels()
BYTES_PER_PIXEL: Final = 4
"""8-bit RGBA, uncompressed: PNG's deflate adds a filter byte a row and ~5 bytes per 64 KiB at worst,
GIF's LZW at most 12 bits per 8-bit palette index; both within `IMAGE_MARGIN`."""
IMAGE_MARGIN: Final = 1.05
"""Room for a format's own overhead (headers, chunks, metadata) over the raw pixels."""
JSON_MARGIN: Final = 1024 * 1024
"""Room for everything in an answer or event beside the base64 images (revised prompts, usage, ...)."""
MAX_IMAGE_B64: Final = _b64(int(LARGEST_PIXELS * BYTES_PER_PIXEL * IMAGE_MARGIN))
"""The longest `b64_json` of one still image of the largest size."""
MAX_EVENT_BYTES: Final = MAX_IMAGE_B64 + JSON_MARGIN
"""The largest server-sent event read: a partial or completed image of the largest size (GIF and SVG
output do not stream)."""
MAX_ERROR_BYTES: Final = 1024 * 1024
"""The most of an error answer read: the API's error JSON is a few hundred bytes; a proxy's error page
is kept to its first MiB, which is enough for its words."""


def max_body_bytes(images: int = 1, frames: int = 1) -> int:
    """The largest plain answer to a request for `images` images of `frames` frames each."""
    return images * frames * MAX_IMAGE_B64 + JSON_MARGIN


class DeadlinePassed(httpx2.ReadTimeout):
    """The answer took longer than the call's timeout as a whole (an httpx2 timeout, so that it is
    retried and reported as `APITimeoutError` like any other)."""


class Deadline:
    """When an answer must be complete: its request's read timeout from `started` (None: never)."""

    def __init__(self, request: httpx2.Request, started: float) -> None:
        timeout: Any = request.extensions.get("timeout", {}).get("read")
        self.seconds: float | None = timeout
        self.at = None if timeout is None else started + timeout

    def check(self) -> None:
        if self.at is not None and time.monotonic() > self.at:
            raise DeadlinePassed(f"the answer took longer than the timeout of {self.seconds:g} s")


class _Timed(httpx2.SyncByteStream, httpx2.AsyncByteStream):
    """A response's byte stream that checks the deadline as each piece arrives (keep-alive comments
    and trickled bytes included), so a server cannot hold a call past its timeout."""

    def __init__(self, stream: Any, deadline: Deadline) -> None:
        self._stream = stream
        self._deadline = deadline

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._stream:
            self._deadline.check()
            yield chunk

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._stream:
            self._deadline.check()
            yield chunk

    def close(self) -> None:
        self._stream.close()

    async def aclose(self) -> None:
        await self._stream.aclose()


def send(http: httpx2.Client, request: httpx2.Request, started: float) -> httpx2.Response:
    """Send `request` (streamed) and wait for the head of its answer within its deadline, where the
    pool's reads can be bounded (`_reads.bound_reads`; a client the caller brought bounds each read)."""
    deadline = Deadline(request, started)
    if deadline.at is None:
        return http.send(request, stream=True)
    token = READS_END.set(deadline.at)
    try:
        return http.send(request, stream=True)
    finally:
        READS_END.reset(token)


async def asend(http: httpx2.AsyncClient, request: httpx2.Request, started: float) -> httpx2.Response:
    """Send `request` (streamed) and wait for the head of its answer within its deadline: a server
    that trickles its status and headers cannot hold an async call past the timeout either."""
    deadline = Deadline(request, started)
    if deadline.at is None:
        return await http.send(request, stream=True)
    import anyio  # late: only async clients get here, and they have it (httpx2 depends on it)

    try:
        with anyio.fail_after(max(deadline.at - time.monotonic(), 0)):
            return await http.send(request, stream=True)
    except TimeoutError:
        passed = DeadlinePassed(f"the answer took longer than the timeout of {deadline.seconds:g} s")
        passed.request = request
        raise passed from None


def timed(response: httpx2.Response, started: float) -> httpx2.Response:
    """`response` (not yet read) whose body must arrive within its request's timeout from `started`."""
    deadline = Deadline(response.request, started)
    if deadline.at is not None:
        response.stream = _Timed(response.stream, deadline)
    return response


def read_body(response: httpx2.Response, limit: int) -> None:
    """Read the body of a streamed `response`, decoded, refusing it past `limit` bytes (see `_keep`)."""
    chunks: list[bytes] = []
    size = 0
    bound = _bound(response, limit)
    try:
        for chunk in response.iter_bytes():
            size += len(chunk)
            chunks.append(chunk)
            if size > bound:
                break
    finally:
        response.close()
    _keep(response, chunks, size, limit)


async def aread_body(response: httpx2.Response, limit: int) -> None:
    """`read_body` without blocking the event loop."""
    chunks: list[bytes] = []
    size = 0
    bound = _bound(response, limit)
    try:
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            chunks.append(chunk)
            if size > bound:
                break
    finally:
        await response.aclose()
    _keep(response, chunks, size, limit)


def _bound(response: httpx2.Response, limit: int) -> int:
    return limit if response.is_success else MAX_ERROR_BYTES


def _keep(response: httpx2.Response, chunks: list[bytes], size: int, limit: int) -> None:
    """Make what was read the response's content. A success past `limit` raises; an error answer
    keeps its first `MAX_ERROR_BYTES`, which its exception is made from."""
    success = response.is_success
    if success and size > limit:
        raise APIResponseValidationError(
            f"the {response.status_code} answer is larger than {limit} bytes, the most the request "
            "can legitimately get (see docs/reliability.md); it was not read further",
            response=response,
        )
    # httpx2's own `read()` stores the body so; the joined bytes become `content`, `json()`, `text`.
    response._content = b"".join(chunks)[: limit if success else MAX_ERROR_BYTES]
