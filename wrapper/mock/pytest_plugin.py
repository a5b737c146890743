"""pytest fixtures for testing code against the Images API emulator (registered as `images_mock`).

- `images_mock`: a live emulator on a free loopback port, shared by the session and reset before
  each test. `.url` is the base URL to give a client (`http://127.0.0.1:PORT/v1`); `.requests`,
  `.faults`, `.clock` and `.app` steer and inspect it; `.files`, `.batches` and `.limits` the Batch
  API and the rate limits (`.limits.configure(rpm=..., tpm=...)`, `.faults.queue_batch("expired")`).
- `images_mock_app`: a fresh in-process app per test, with a `FakeClock`.
- `images_mock_transport`: an `httpx2.ASGITransport` over `images_mock_app`, for `httpx2.AsyncClient`.

This module imports nothing heavy: the emulator (the `mock` extra) loads when a fixture is used.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    import httpx2

    from ._batchstore import BatchStore
    from ._faults import Faults
    from ._filestore import FileStore
    from ._ratelimit import RateLimits
    from ._records import Recorder
    from ._server import LiveServer
    from ._state import MockApp
    from ._store import FakeClock


def _require_extra() -> None:
    try:
        import python_multipart  # noqa: F401
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        from .._install import install_command

        hint = install_command("mock")
        pytest.fail(f"the images_mock fixtures need the emulator's extra: {hint} ({exc})", pytrace=False)


class ImagesMock:
    """A handle on a running emulator: where it is and its state."""

    def __init__(self, server: LiveServer, clock: FakeClock) -> None:
        self.server = server
        self.clock = clock

    @property
    def url(self) -> str:
        """The API's base URL, e.g. `http://127.0.0.1:PORT/v1`."""
        return self.server.url

    @property
    def app(self) -> MockApp:
        return self.server.app

    @property
    def requests(self) -> Recorder:
        return self.server.app.requests

    @property
    def faults(self) -> Faults:
        return self.server.app.faults

    @property
    def limits(self) -> RateLimits:
        """The rate limits: `images_mock.limits.configure(rpm=60, tpm=50_000)` (lifted for each test)."""
        return self.server.app.limits

    @property
    def batches(self) -> BatchStore:
        """The batches created (`/batches`); `images_mock.app.batch_duration` sets how long they take."""
        return self.server.app.batches

    @property
    def files(self) -> FileStore:
        """The files uploaded (`/files`), and the batches' output and error files."""
        return self.server.app.files

    def reset(self) -> None:
        self.server.app.reset()
        self.server.app.api_key = None
        self.server.app.as_of = None

    def add_file(self, data: bytes) -> str:
        """Register an image as if uploaded to the Files API: its id, for `{"file_id": ...}` references."""
        return self.server.app.add_file(data)

    def allow_image_url(self, url: str, data: bytes) -> None:
        """Let edits by reference use `url`, answered with `data` in-process (no network is used)."""
        self.server.app.allow_image_url(url, data)


@pytest.fixture(scope="session")
def images_mock_server() -> Iterator[ImagesMock]:
    """The session's live emulator; prefer `images_mock`, which resets it for each test."""
    _require_extra()
    from ._app import create_app
    from ._server import LiveServer
    from ._store import FakeClock

    clock = FakeClock()
    with LiveServer(create_app(clock=clock)) as server:
        yield ImagesMock(server, clock)


@pytest.fixture
def images_mock(images_mock_server: ImagesMock) -> ImagesMock:
    """A live emulator with no recorded requests, no stored images and no faults."""
    images_mock_server.reset()
    return images_mock_server


@pytest.fixture
def images_mock_app() -> MockApp:
    """A fresh in-process emulator app whose `clock` is a `FakeClock`."""
    _require_extra()
    from ._app import create_app
    from ._store import FakeClock

    return create_app(clock=FakeClock())


@pytest.fixture
def images_mock_transport(images_mock_app: MockApp) -> httpx2.ASGITransport:
    """An `httpx2.ASGITransport` over `images_mock_app`: `httpx2.AsyncClient(transport=..., base_url=...)`."""
    import httpx2

    app: Any = images_mock_app
    return httpx2.ASGITransport(app=app)


@pytest.fixture
def images_mock_file(images_mock: ImagesMock) -> Callable[[bytes], str]:
    """Register image bytes with the live emulator as an uploaded file and get its id:
    `file_id = images_mock_file(png_bytes)`, then `wrapper.FileID(file_id)` in an edit."""
    return images_mock.add_file
