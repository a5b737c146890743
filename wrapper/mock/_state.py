"""The emulator app's state: what the routes, the service and the batch runner share.

`MockApp` is the Starlette app with its stores (images by URL, files, batches, recorded requests),
its clock, faults and settings as public attributes; `create_app` (`_app.py`) builds one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

from starlette.applications import Starlette
from starlette.requests import Request

from ._batchstore import BatchStore
from ._faults import Faults
from ._filestore import FileStore
from ._ratelimit import RateLimits
from ._records import Recorder
from ._store import Clock, ImageStore

MAX_ALLOWED_URLS = 256
Sleep = Callable[[float], Awaitable[None]]


class MockApp(Starlette):
    """The emulator app. Its state is public so that tests can steer and inspect it.

    `faults` injects failures, `requests` holds what was received, `store` the images served by
    URL, `clock` the time (Unix seconds) used for `created` and URL expiry, `sleep` how it waits
    out latency faults, `api_key` the one accepted token (None: any non-empty token).
    """

    api_key: str | None
    base_path: str
    faults: Faults
    requests: Recorder
    store: ImageStore
    clock: Clock
    sleep: Sleep
    public_url: str | None
    body_timeout: float
    files: FileStore
    """The Files API's files: batch inputs and outputs, and images that edits name by `file_id`."""
    batches: BatchStore
    batch_duration: float
    """Seconds a batch takes from creation to completed on `clock` (0: done at the first look)."""
    limits: RateLimits
    """The requests- and tokens-per-minute budgets (`limits.configure(rpm=..., tpm=...)`; off by default)."""
    extra_models: frozenset[str]
    allowed_image_urls: dict[str, bytes]
    as_of: date | None

    def reset(self) -> None:
        """Forget recorded requests, stored images, files, batches, allowed URLs and faults; lift rate
        limits."""
        self.requests.clear()
        self.store.clear()
        self.faults.clear()
        self.files.clear()
        self.batches.clear()
        self.batch_duration = 0.0
        self.limits.configure()
        self.allowed_image_urls.clear()

    def add_file(self, data: bytes, filename: str = "image") -> str:
        """Register an image as if uploaded to the Files API (`purpose: vision`); returns its id
        (`file-...`) for edits by reference (`{"file_id": ...}`)."""
        stored = self.files.new(filename, "vision", int(self.clock()))
        stored.data.write(data)
        stored.size = len(data)
        return self.files.add(stored).id

    def allow_image_url(self, url: str, data: bytes) -> None:
        """Let edits by reference use `url`, answered with `data` in-process (no network is used)."""
        if len(self.allowed_image_urls) >= MAX_ALLOWED_URLS:
            raise ValueError(f"at most {MAX_ALLOWED_URLS} URLs may be allowed; reset() forgets them")
        self.allowed_image_urls[url] = data


def app_of(request: Request) -> MockApp:
    """The emulator serving `request`."""
    app = request.app
    assert isinstance(app, MockApp)
    return app


def origin(request: Request) -> str:
    """The origin of the app's own URLs (image downloads): `public_url`, else where `request` came to."""
    return (app_of(request).public_url or str(request.base_url)).rstrip("/")
