"""Shared fixtures: one test body runs against `Client` and `AsyncClient` (see `make_client`)."""

from __future__ import annotations

import inspect
import struct
import zlib
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import httpx2
import pytest

import wrapper
from wrapper import _lifecycle, _retry

BASE_URL = "https://api.test/v1"
KEY = "sk-test-secret-key-123"
OK = {"created": 1700000000, "data": [{"b64_json": "aGk="}]}

Handler = Callable[[httpx2.Request], httpx2.Response]


REFERENCE_DAY = date(2026, 4, 30)
"""A day when everything the API reference of 2026-04 describes still worked (dall-e-2, dall-e-3,
variations)."""


def pytest_configure(config: pytest.Config) -> None:
    # create_variation warns as the official SDK's does; the suite calls it on purpose
    # (tests/test_sdk_parity.py checks the warning).
    config.addinivalue_line("filterwarnings", "ignore:deprecated. images.create_variation:DeprecationWarning")


@pytest.fixture(autouse=True)
def api_as_of(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> date:
    """The day the client and the in-process emulator check requests as of when a test gives none.

    The suite written for the API reference of 2026-04 runs as of `REFERENCE_DAY`, so that none of its
    features is lost; `@pytest.mark.as_of("today")` (the real default) or `@pytest.mark.as_of("YYYY-MM-DD")`
    picks another day. Subprocesses (the CLI, the README) are not affected: they run as of today.
    """
    marker = request.node.get_closest_marker("as_of")
    chosen = marker.args[0] if marker else REFERENCE_DAY.isoformat()
    day = _lifecycle.default_as_of() if chosen == "today" else date.fromisoformat(chosen)
    monkeypatch.setattr(_lifecycle, "default_as_of", lambda: day)
    return day


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def png(width: int = 1024, height: int = 1024, color_type: int = 6, pad: int = 0) -> bytes:
    """A PNG header (signature + IHDR) of the given size; enough for sniffing, not for decoding."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    chunk = struct.pack(">I", len(ihdr)) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return b"\x89PNG\r\n\x1a\n" + chunk + b"\x00" * pad


JPEG = b"\xff\xd8\xff\xc0\x00\x11\x08\x04\x00\x04\x00\x03" + b"\x00" * 32
WEBP = b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 10 + struct.pack("<HH", 1024, 1024)


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def make_client(kind: str) -> Callable[..., Any]:
    """Build a `Client` or `AsyncClient` (per the `kind` parameter) whose wire is `handler`."""

    def factory(handler: Handler, **kwargs: Any) -> wrapper.Client | wrapper.AsyncClient:
        transport = httpx2.MockTransport(handler)
        kwargs.setdefault("api_key", KEY)
        kwargs.setdefault("base_url", BASE_URL)
        if kind == "sync":
            return wrapper.Client(http_client=httpx2.Client(transport=transport), **kwargs)
        return wrapper.AsyncClient(http_client=httpx2.AsyncClient(transport=transport), **kwargs)

    return factory


async def invoke(function: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
    """Call a sync or async method alike: await the result when it is awaitable."""
    result = function(*args, **kwargs)
    if inspect.isawaitable(result):
        result = await result
    return result


class Recorder:
    """A handler that records each request (body read) and answers from a list, the last repeating."""

    def __init__(self, *responses: httpx2.Response | Callable[[httpx2.Request], httpx2.Response]) -> None:
        self.responses = list(responses) or [httpx2.Response(200, json=OK)]
        self.requests: list[httpx2.Request] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        answer = self.responses[min(len(self.requests), len(self.responses)) - 1]
        return answer(request) if callable(answer) else answer


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """A fake clock: retries record their delays here instead of sleeping."""
    slept: list[float] = []

    async def asleep(seconds: float) -> None:
        slept.append(seconds)

    monkeypatch.setattr(_retry, "sleep", slept.append)
    monkeypatch.setattr(_retry, "asleep", asleep)
    return slept
