"""Downloading URL results: bounded in time and size, checked to be an image, failures as `DownloadError`.

A result that came from a client downloads through that client's httpx2 client (its transport,
proxies and pool limits), never sending it the client's own headers (the API key): a `Downloader`
carries both. `timeout` bounds the whole download, not only each read: a server that trickles a
byte at a time cannot hold a caller for longer than asked.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Final

import httpx2

from ._errors import DownloadError, redacted
from ._imageinfo import HEAD_BYTES, sniff_result

DOWNLOAD_TIMEOUT: Final = httpx2.Timeout(60.0, connect=10.0)
MAX_DOWNLOAD_BYTES: Final = 64 * 1024 * 1024
_EXPIRED = frozenset({403, 404, 410})
"""What an expired URL answers: 404/410, or 403 from a storage service whose signature ran out."""


@dataclass(frozen=True, slots=True)
class Downloader:
    """The httpx2 client a client's results download through, and the header names never sent with
    a download (the client's own: `Authorization`, its default headers)."""

    http: httpx2.Client | httpx2.AsyncClient
    private: frozenset[str] = frozenset({"authorization"})


def download(
    http: httpx2.Client,
    url: str,
    *,
    timeout: httpx2.Timeout | float,
    max_bytes: int,
    expected: str | None,
    private: Iterable[str] = (),
) -> bytes:
    """GET `url` through `http` (following redirects) and return the image's bytes, or raise
    `DownloadError` saying what went wrong."""
    deadline = _Deadline(url, timeout)
    with _mapped(url, deadline):
        request = _request(http, url, timeout, private)
        response = http.send(request, stream=True, follow_redirects=True)
        try:
            _check_status(response, url)
            content = _collect(response.iter_bytes(), max_bytes, url, deadline)
        finally:
            response.close()
    return checked_image(content, url, expected)


async def adownload(
    http: httpx2.AsyncClient,
    url: str,
    *,
    timeout: httpx2.Timeout | float,
    max_bytes: int,
    expected: str | None,
    private: Iterable[str] = (),
) -> bytes:
    """`download` without blocking the event loop."""
    deadline = _Deadline(url, timeout)
    with _mapped(url, deadline):
        request = _request(http, url, timeout, private)
        response = await http.send(request, stream=True, follow_redirects=True)
        try:
            _check_status(response, url)
            content = await _acollect(response.aiter_bytes(), max_bytes, url, deadline)
        finally:
            await response.aclose()
    return checked_image(content, url, expected)


def checked_url(url: str | None) -> str:
    if url is None:
        raise DownloadError("the image has neither b64_json nor url", url="")
    if httpx2.URL(url).scheme not in ("http", "https"):
        raise DownloadError(f"refusing to download {url!r}: only http and https URLs are fetched", url=url)
    return url


def checked_image(content: bytes, url: str, expected: str | None) -> bytes:
    """`content` if it is a PNG, JPEG, WebP, GIF or SVG image (of the `expected` format when one is known)."""
    info = sniff_result(content[:HEAD_BYTES])
    if info is None:
        message = f"what {url} answered is not an image: its content starts {content[:24]!r}"
        raise DownloadError(message, url=url)
    if expected is not None and info.format != expected:
        raise DownloadError(f"{url} answered a {info.format} image; expected {expected}", url=url)
    return content


class _Deadline:
    """When a download must be over: `timeout` seconds (an `httpx2.Timeout`'s read value) from now."""

    def __init__(self, url: str, timeout: httpx2.Timeout | float) -> None:
        self.url = url
        self.seconds = timeout.read if isinstance(timeout, httpx2.Timeout) else float(timeout)
        self.at = None if self.seconds is None else time.monotonic() + self.seconds

    def check(self) -> None:
        if self.at is not None and time.monotonic() > self.at:
            raise self.error()

    def error(self) -> DownloadError:
        return DownloadError(f"downloading {self.url} took longer than {self.seconds:g} s", url=self.url)


def _request(
    http: httpx2.Client | httpx2.AsyncClient,
    url: str,
    timeout: httpx2.Timeout | float,
    private: Iterable[str],
) -> httpx2.Request:
    request = http.build_request("GET", url, timeout=timeout)
    for name in private:
        request.headers.pop(name, None)
    return request


@contextmanager
def _mapped(url: str, deadline: _Deadline) -> Iterator[None]:
    """httpx2's exceptions as `DownloadError`s that say what happened to the download."""
    try:
        yield
    except httpx2.TimeoutException:
        raise deadline.error() from None
    except httpx2.TooManyRedirects as exc:
        raise DownloadError(f"{url} redirects without end: {exc}", url=url) from exc
    except (httpx2.ConnectError, httpx2.UnsupportedProtocol) as exc:
        raise DownloadError(f"could not connect to download {url}: {redacted(exc)}", url=url) from exc
    except httpx2.HTTPError as exc:
        message = f"the download of {url} broke off: {type(exc).__name__}: {redacted(exc)}"
        raise DownloadError(message, url=url) from exc


def _check_status(response: httpx2.Response, url: str) -> None:
    status = response.status_code
    if status in _EXPIRED:
        message = (
            f"the image URL {url} has expired or does not exist ({status} {response.reason_phrase}); "
            "URLs from the API are valid for an hour: download them (or save()) before"
        )
        raise DownloadError(message, url=url, status_code=status)
    if not response.is_success:
        message = f"downloading {url} failed: {status} {response.reason_phrase}"
        raise DownloadError(message, url=url, status_code=status)


def _collect(chunks: Iterator[bytes], max_bytes: int, url: str, deadline: _Deadline) -> bytes:
    out = bytearray()
    for chunk in chunks:
        out += chunk
        _check_progress(len(out), max_bytes, url, deadline)
    return bytes(out)


async def _acollect(chunks: AsyncIterator[bytes], max_bytes: int, url: str, deadline: _Deadline) -> bytes:
    out = bytearray()
    async for chunk in chunks:
        out += chunk
        _check_progress(len(out), max_bytes, url, deadline)
    return bytes(out)


def _check_progress(size: int, max_bytes: int, url: str, deadline: _Deadline) -> None:
    if size > max_bytes:
        raise DownloadError(f"the image at {url} is larger than {max_bytes} bytes", url=url)
    deadline.check()
