"""A live emulator on a loopback port, served by uvicorn in a background thread."""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType

import uvicorn

from ._app import create_app
from ._guard import HeadGuardedH11
from ._state import MockApp


class LiveServer:
    """Serve an app on `host` (a free port unless one is given) until `stop()` or the `with` block ends.

    `url` is the API's base URL (with the base path, e.g. `http://127.0.0.1:PORT/v1`).
    """

    def __init__(
        self, app: MockApp | None = None, *, host: str = "127.0.0.1", port: int = 0, base_path: str = "/v1"
    ):
        self.app = app or create_app(base_path=base_path)
        self.base_path = base_path
        # IPPROTO_TCP, not 0: asyncio only sets TCP_NODELAY on accepted sockets of a TCP-typed listener,
        # and without it every answer written in two parts waits ~40 ms for a delayed ACK.
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((host, port))
        self.host, self.port = self._socket.getsockname()[:2]
        config = uvicorn.Config(
            self.app, http=HeadGuardedH11, log_level="warning", lifespan="off", access_log=False
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._run, name="images-mock", daemon=True)

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def url(self) -> str:
        return self.origin + self.base_path.rstrip("/")

    def start(self, timeout: float = 10.0) -> LiveServer:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the emulator did not start")
            time.sleep(0.005)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(timeout=10)
        self._socket.close()

    def _run(self) -> None:
        self._server.run(sockets=[self._socket])

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
