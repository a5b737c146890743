"""A guard against slow request heads (slowloris) for the emulator's uvicorn server.

uvicorn's h11 protocol times out a connection only while it is idle between requests
(`timeout_keep_alive`); one that trickles the lines of a request head stays open for as long as it
keeps trickling, and each holds a socket. `HeadGuardedH11` closes a connection whose request head
has not arrived whole within `HEAD_TIMEOUT` seconds of its opening (or of the previous answer).
"""

from __future__ import annotations

import asyncio
from typing import Any, Final

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

HEAD_TIMEOUT: Final = 10.0
"""Seconds a client has to send a whole request head: a real client sends it in one write."""


class HeadGuardedH11(H11Protocol):
    """uvicorn's h11 protocol, closing a connection whose request head is overdue."""

    _head_guard: asyncio.TimerHandle | None = None

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        self._arm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._head_guard = self.loop.call_later(HEAD_TIMEOUT, self._head_overdue)

    def _disarm(self) -> None:
        if self._head_guard is not None:
            self._head_guard.cancel()
            self._head_guard = None

    def _head_overdue(self) -> None:
        # IDLE: no whole request head yet (the client's part of a request being answered is past it).
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()
