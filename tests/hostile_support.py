"""Hostile upstreams on loopback: a socket server on a free port whose every connection runs a
script (read the request, then answer however badly), in a daemon thread, for sync and async clients."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Script = Callable[[socket.socket], None]
HEADERS_END = b"\r\n\r\n"


def read_request(conn: socket.socket) -> bytes:
    """Read one request (headers, then a body of its Content-Length); return the headers."""
    data = b""
    while HEADERS_END not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(HEADERS_END)
    length = next(
        (
            int(line.split(b":", 1)[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        ),
        0,
    )
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return head


def head(status: int = 200, content_type: str = "application/json", **headers: str) -> bytes:
    """A response head; `content_length` and `content_encoding` keywords become their headers."""
    lines = [f"HTTP/1.1 {status} X", f"content-type: {content_type}", "connection: close"]
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


@contextmanager
def upstream(script: Script) -> Iterator[str]:
    """Serve `script` on a free loopback port while the block runs; yields the base URL (`.../v1`)."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()
    workers: list[threading.Thread] = []

    def run(conn: socket.socket) -> None:
        with conn:
            conn.settimeout(30)
            try:
                read_request(conn)
                script(conn)
            except OSError:  # the client went away: the point of most scripts
                pass

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            worker = threading.Thread(target=run, args=(conn,), daemon=True)
            workers.append(worker)
            worker.start()

    acceptor = threading.Thread(target=accept, daemon=True)
    acceptor.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/v1"
    finally:
        stop.set()
        acceptor.join(5)
        listener.close()
        for worker in workers:
            worker.join(5)
