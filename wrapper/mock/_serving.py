"""Serving an app from the command line (the emulator, the recording proxy): listen first, so that a
busy port is one line on stderr, then print a banner and serve until Ctrl-C."""

from __future__ import annotations

import contextlib
import errno
import signal
import socket
import threading
from collections.abc import Iterator

import uvicorn

CANNOT_LISTEN = 1
"""The exit code when the port cannot be opened."""


def run_until_stopped(server: uvicorn.Server, listener: socket.socket, announcement: str) -> None:
    """Print `announcement` and serve until Ctrl-C, which stops the server from the first line printed.

    Ctrl-C goes to uvicorn's own handler before anything is printed. Until uvicorn installs that
    handler itself (inside `run`, after the event loop is made), a process that started with SIGINT
    ignored (the background job of a non-interactive shell, and every process it starts) would drop
    a Ctrl-C sent just after the banner and serve forever; otherwise asyncio's handler of that moment
    would turn it into a cancellation."""
    with _stopped_by_ctrl_c(server):
        print(announcement, flush=True)
        server.run(sockets=[listener])


@contextlib.contextmanager
def _stopped_by_ctrl_c(server: uvicorn.Server) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread receives signals (an emulator served from a test's thread)
        return
    previous = signal.signal(signal.SIGINT, server.handle_exit)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def listen(host: str, port: int) -> socket.socket:
    """A TCP socket listening on `host`:`port` (0: a free port); OSError when it cannot be opened."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, port))
        listener.listen(2048)
    except OSError:
        listener.close()
        raise
    return listener


def cannot_listen(host: str, port: int, exc: OSError) -> str:
    """Why `listen` failed, in one line that says what to do."""
    if exc.errno == errno.EADDRINUSE:
        return f"port {port} on {host} is already in use; choose another with --port (0 picks a free one)"
    return f"cannot listen on {host}:{port}: {exc.strerror or exc}"
