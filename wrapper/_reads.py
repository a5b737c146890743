"""The network under a sync pool this package makes: each read of a connection waits no longer
than the deadline of the request being sent (`_limits.send` sets it), so a server that trickles a
status line and headers cannot hold a sync call past its timeout (httpx2 bounds each read only).
Kept apart from `_limits`, which reads the capability table: a client is made without it."""

from __future__ import annotations

import time
from collections.abc import Iterable
from contextvars import ContextVar
from typing import Any

import httpcore2
import httpx2

READS_END: ContextVar[float | None] = ContextVar("images_client_reads_end", default=None)
"""When the reads of the request this thread is sending must end (`time.monotonic()`), if bounded."""


class _DeadlineStream(httpcore2.NetworkStream):
    """A connection whose reads wait no longer than the deadline of the request being sent."""

    def __init__(self, stream: httpcore2.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        at = READS_END.get()
        if at is None:
            return self._stream.read(max_bytes, timeout)
        left = at - time.monotonic()
        if left <= 0:
            raise httpcore2.ReadTimeout("the answer took longer than the call's timeout")
        return self._stream.read(max_bytes, left if timeout is None else min(timeout, left))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, timeout)

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> Any:
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class DeadlineBackend(httpcore2.NetworkBackend):
    """The network of a sync pool this package makes: its connections' reads end by the deadline of
    the request being sent (`send`), so a server that trickles a status line and headers cannot hold
    a sync call past its timeout (httpx2 bounds each read only). Without a deadline set, the reads
    are the inner backend's as they are."""

    def __init__(self, inner: httpcore2.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore2.NetworkStream:
        return _DeadlineStream(self._inner.connect_tcp(host, port, timeout, local_address, socket_options))

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore2.NetworkStream:
        return _DeadlineStream(self._inner.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def bound_reads(http: httpx2.Client) -> None:
    """Make the connections of `http`'s httpx2 transports end their reads by the deadline `send`
    sets (a transport of another kind is left as it is)."""
    transports = [http._transport, *http._mounts.values()]
    for transport in transports:
        pool = getattr(transport, "_pool", None) if isinstance(transport, httpx2.HTTPTransport) else None
        backend = getattr(pool, "_network_backend", None)
        if isinstance(backend, httpcore2.NetworkBackend) and not isinstance(backend, DeadlineBackend):
            pool._network_backend = DeadlineBackend(backend)  # type: ignore[union-attr]
