"""Pacing requests by the API's `x-ratelimit-*` headers, so a run stays under the limit instead of
collecting 429s.

The API reports, on every answer, each budget's `limit` (per minute), `remaining` and `reset`
(how long until it is full again). The pacer keeps an estimate of each bucket: it refills at
`limit / 60` a second up to its capacity (`remaining + reset * rate`), goes down by what each
request sent costs, and is re-anchored on each answer to what the server said remained, less
what was sent after that request. Before the first answer only one request goes out.

Headers are not trusted to be sane: `remaining` is taken within [0, limit], a limit that is not a
positive finite number is ignored, and no wait lasts past the bucket's reset (when the server said
it is full again) nor longer than the client's own Retry-After window (`MAX_RETRY_AFTER`).
"""

from __future__ import annotations

import math
import re
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import anyio

from .._retry import MAX_RETRY_AFTER

Clock = Callable[[], float]
_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(text: str) -> float | None:
    """Seconds of an `x-ratelimit-reset-*` value such as `1s`, `6m0s`, `20ms` or `1.5`; None if
    unreadable, negative or not finite."""
    text = text.strip()
    try:
        seconds = float(text)
    except ValueError:
        parts = _DURATION.findall(text)
        if not parts or "".join(number + unit for number, unit in parts) != text:
            return None
        seconds = sum(float(number) * _UNITS[unit] for number, unit in parts)
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


@dataclass(slots=True)
class Budget:
    """The estimate of one bucket (requests or tokens)."""

    limit: float | None = None
    capacity: float = 1.0
    level: float = 1.0
    at: float = 0.0
    full_at: float | None = None
    """When the server said the bucket is full again (its last `reset`), until the refill passes it."""
    sent: deque[tuple[float, float]] = field(default_factory=deque)
    """(time, cost) of recent sends, to tell which ones an answer's `remaining` had not yet seen."""

    @property
    def rate(self) -> float:
        return (self.limit or 0.0) / 60.0

    def refill(self, now: float) -> None:
        if self.limit is not None:
            self.level = min(self.capacity, self.level + max(0.0, now - self.at) * self.rate)
        if self.full_at is not None and now >= self.full_at:
            self.level, self.full_at = max(self.level, self.capacity), None
        self.at = now

    def wait_for(self, cost: float, now: float) -> float:
        if self.limit is None:
            return 0.0
        missing = min(cost, self.capacity) - self.level
        if missing <= 0:
            return 0.0
        return min(
            missing / self.rate, max(0.0, self.full_at - now) if self.full_at is not None else math.inf
        )

    def spend(self, now: float, cost: float) -> None:
        self.level -= min(cost, self.capacity) if self.limit is not None else 0.0
        self.sent.append((now, cost))
        while len(self.sent) > 4096:
            self.sent.popleft()

    def observe(self, limit: float, remaining: float, reset: float, sent_at: float, now: float) -> None:
        remaining = min(max(remaining, 0.0), limit)
        self.limit = limit
        self.full_at = now + reset
        self.capacity = max(1.0, min(limit, remaining + reset * self.rate))
        # `remaining` was measured somewhere between `sent_at` and now; counting no refill since is
        # the safe side, and a constant shortfall costs nothing once the pace is steady.
        later = sum(cost for when, cost in self.sent if when > sent_at)
        self.level = min(self.capacity, remaining - later)
        self.at = now
        while self.sent and self.sent[0][0] < sent_at - 60:
            self.sent.popleft()


class Pacer:
    """Admits requests at the pace the API's headers allow. `await pacer.acquire()` before a request
    (it returns the send time to pass back), `pacer.observe(headers, sent_at)` after its answer."""

    def __init__(self, clock: Clock = time.monotonic) -> None:
        self.clock = clock
        self.requests = Budget()
        self.tokens = Budget()
        self.token_cost = 0.0
        """The tokens one request is expected to cost: the largest seen so far."""
        self._lock = anyio.Lock()
        self._known = False
        self._first = anyio.Event()
        self._paused_until = 0.0

    async def acquire(self) -> float:
        """Wait until a request fits both budgets, charge it, and return the time it is sent."""
        if not self._known and self.requests.sent:
            await self._first.wait()  # one probe until the first answer tells the limits
        async with self._lock:
            while True:
                now = self.clock()
                self.requests.refill(now)
                self.tokens.refill(now)
                wait = max(
                    self._paused_until - now,
                    self.requests.wait_for(1.0, now),
                    self.tokens.wait_for(self.token_cost, now),
                )
                wait = min(wait, MAX_RETRY_AFTER)  # the longest wait the client honours, here too
                if wait <= 0:
                    self.requests.spend(now, 1.0)
                    self.tokens.spend(now, self.token_cost)
                    return now
                await anyio.sleep(wait)

    def observe(self, headers: Mapping[str, str], sent_at: float, tokens: float | None = None) -> None:
        """Re-anchor the estimates on an answer's headers (and learn a request's token cost)."""
        now = self.clock()
        if tokens is not None:
            self.token_cost = max(self.token_cost, tokens)
        for budget, what in ((self.requests, "requests"), (self.tokens, "tokens")):
            values = [headers.get(f"x-ratelimit-{name}-{what}") for name in ("limit", "remaining", "reset")]
            if None in values:
                continue
            limit, remaining = _number(values[0]), _number(values[1])
            reset = parse_duration(str(values[2]))
            if limit is not None and limit > 0 and remaining is not None and reset is not None:
                budget.observe(limit, remaining, reset, sent_at, now)
        self._known = True
        self._first.set()

    def pause(self, seconds: float) -> None:
        """Send nothing for `seconds` (after a 429 whose `Retry-After` says so)."""
        self._paused_until = max(self._paused_until, self.clock() + min(seconds, MAX_RETRY_AFTER))
        self._known = True
        self._first.set()


def _number(value: str | None) -> float | None:
    """A finite number, or None (absent, unreadable, `inf`, `nan`)."""
    try:
        number = float(value) if value is not None else None
    except ValueError:
        return None
    return number if number is not None and math.isfinite(number) else None
