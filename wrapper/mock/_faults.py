"""Fault injection: errors, delays, cut and malformed answers, queued in order or drawn at a rate.

Off by default. A test queues faults for the next requests (`faults.queue(Fault.rate_limit(),
None, Fault.server_error())`, where None lets one request through) or sets a rate
(`faults.set_rate(0.2, Fault.unavailable())`); `latency` delays every answer.
"""

from __future__ import annotations

import random
import threading
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Fault:
    """What to do to one answer: fail with `status`, wait `delay` seconds, cut it, or garble it.

    `cut_after` cuts a response after that many events (streams) or half its body (JSON), by
    closing without completing it. `malformed` sends a 200 whose JSON (or last event) is invalid.
    """

    status: int | None = None
    retry_after: str | None = None
    delay: float = 0.0
    cut_after: int | None = None
    malformed: bool = False
    message: str = "The server had an error while processing your request."

    @classmethod
    def rate_limit(cls, retry_after: float = 1) -> Fault:
        return cls(429, retry_after=f"{retry_after:g}", message="Rate limit reached; retry later.")

    @classmethod
    def server_error(cls) -> Fault:
        return cls(500)

    @classmethod
    def unavailable(cls) -> Fault:
        return cls(503, message="The engine is currently overloaded, please try again later.")

    @classmethod
    def latency(cls, seconds: float) -> Fault:
        return cls(delay=seconds)

    @classmethod
    def cut(cls, after_events: int = 1) -> Fault:
        return cls(cut_after=after_events)

    @classmethod
    def garbled(cls) -> Fault:
        return cls(malformed=True)


class Faults:
    """The faults of one app. Thread-safe: a live server and its test share it."""

    def __init__(self, *, rate: float = 0.0, fault: Fault | None = None, latency: float = 0.0, seed: int = 0):
        self.latency = latency
        self._queue: deque[Fault | None] = deque()
        self._rate = rate
        self._rate_fault = fault or Fault.unavailable()
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self._batches: deque[str | None] = deque()

    def queue_batch(self, *outcomes: str | None) -> None:
        """End the next created batches this way, one each, in order: "failed" (its input refused),
        "expired" or "cancelled" (half its lines run, the rest reported as not run); None: a normal one."""
        unknown = [outcome for outcome in outcomes if outcome not in (None, "failed", "expired", "cancelled")]
        if unknown:
            raise ValueError(f"batch outcome {unknown[0]!r} is not one of failed, expired, cancelled")
        with self._lock:
            self._batches.extend(outcomes)

    def next_batch(self) -> str | None:
        """The outcome of the batch being created, if one was queued."""
        with self._lock:
            return self._batches.popleft() if self._batches else None

    def queue(self, *faults: Fault | None) -> None:
        """Apply these to the next requests, one each, in order; None answers normally."""
        with self._lock:
            self._queue.extend(faults)

    def set_rate(self, rate: float, fault: Fault | None = None, *, seed: int = 0) -> None:
        """Apply `fault` (default: 503) to each request with probability `rate`, reproducibly."""
        with self._lock:
            self._rate, self._random = rate, random.Random(seed)
            self._rate_fault = fault or Fault.unavailable()

    def clear(self) -> None:
        """Back to no faults at all."""
        with self._lock:
            self._queue.clear()
            self._batches.clear()
            self._rate = 0.0
            self.latency = 0.0

    @property
    def pending(self) -> Sequence[Fault | None]:
        with self._lock:
            return tuple(self._queue)

    def next(self) -> Fault | None:
        """The fault for the request being answered, if any (queued ones first)."""
        with self._lock:
            if self._queue:
                return self._queue.popleft()
            if self._rate and self._random.random() < self._rate:
                return self._rate_fault
        return None
