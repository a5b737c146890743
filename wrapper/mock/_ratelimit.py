"""Rate limits: requests-per-minute and tokens-per-minute budgets, reported on every answer.

Each budget is a bucket that refills continuously at `limit / 60` a second up to its capacity
(a whole minute's worth unless `burst_seconds` makes it smaller: the API enforces its per-minute
limits over shorter periods too). An image request takes one request and its estimated tokens
when it arrives; past either budget it is answered 429 with `Retry-After`. Every answer carries
`x-ratelimit-{limit,remaining,reset}-{requests,tokens}` as the API sends them (`reset` is the time
until the bucket is full again, e.g. `1.5s`). Off (no limit, no headers) unless configured.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ._errors import APIErrorResponse

Clock = Callable[[], float]


@dataclass(slots=True)
class _Bucket:
    limit: int
    capacity: float
    level: float
    at: float

    def refill(self, now: float) -> None:
        rate = self.limit / 60.0
        self.level = min(self.capacity, self.level + max(0.0, now - self.at) * rate)
        self.at = max(self.at, now)

    def wait_for(self, amount: float) -> float:
        """Seconds until `amount` is available (0 when it is)."""
        missing = amount - self.level
        return 0.0 if missing <= 0 else missing / (self.limit / 60.0)

    def reset(self) -> float:
        return (self.capacity - self.level) / (self.limit / 60.0)


class RateLimits:
    """The budgets of one app: `RateLimits(rpm=60, tpm=100_000)`; None leaves a budget unlimited.

    Thread-safe (a live server and its test share it). `configure` changes the budgets, refilled.
    """

    def __init__(
        self,
        *,
        rpm: int | None = None,
        tpm: int | None = None,
        burst_seconds: float = 60.0,
        clock: Clock | None = None,
    ) -> None:
        import time

        self._clock = clock or time.monotonic
        self._lock = threading.Lock()
        self.rejected = 0
        """How many requests were answered 429 for being over a budget."""
        self.configure(rpm=rpm, tpm=tpm, burst_seconds=burst_seconds)

    def configure(
        self, *, rpm: int | None = None, tpm: int | None = None, burst_seconds: float = 60.0
    ) -> None:
        """Set both budgets (None: unlimited), each bucket full."""
        now = self._clock()
        with self._lock:
            self._requests = _bucket(rpm, burst_seconds, now)
            self._tokens = _bucket(tpm, burst_seconds, now)
            self.rejected = 0

    @property
    def enabled(self) -> bool:
        return self._requests is not None or self._tokens is not None

    def take(self, tokens: int) -> None:
        """Charge one request of `tokens` estimated tokens, or raise the 429 for the first budget it
        would overdraw (nothing is charged then)."""
        now = self._clock()
        with self._lock:
            waits = []
            for bucket, amount, what in ((self._requests, 1, "requests"), (self._tokens, tokens, "tokens")):
                if bucket is not None:
                    bucket.refill(now)
                    wait = bucket.wait_for(min(amount, bucket.capacity))
                    if wait > 0:
                        waits.append((wait, what, bucket.limit))
            if waits:
                self.rejected += 1
                wait, what, limit = max(waits)
                raise APIErrorResponse(
                    429,
                    f"Rate limit reached: {limit} {what} per minute. Please try again in {wait:.3f}s.",
                    code=f"rate_limit_exceeded_{what}",
                    headers={"retry-after": f"{math.ceil(wait * 1000) / 1000:g}", **self._headers()},
                )
            for bucket, amount in ((self._requests, 1), (self._tokens, tokens)):
                if bucket is not None:
                    bucket.level -= min(amount, bucket.capacity)

    def headers(self) -> dict[str, str]:
        """The `x-ratelimit-*` headers as of now (empty when no budget is set)."""
        now = self._clock()
        with self._lock:
            for bucket in (self._requests, self._tokens):
                if bucket is not None:
                    bucket.refill(now)
            return self._headers()

    def _headers(self) -> dict[str, str]:
        headers: dict[str, str] = {}
        for bucket, what in ((self._requests, "requests"), (self._tokens, "tokens")):
            if bucket is not None:
                headers[f"x-ratelimit-limit-{what}"] = str(bucket.limit)
                headers[f"x-ratelimit-remaining-{what}"] = str(max(0, math.floor(bucket.level)))
                headers[f"x-ratelimit-reset-{what}"] = f"{bucket.reset():.3f}s"
        return headers


def _bucket(limit: int | None, burst_seconds: float, now: float) -> _Bucket | None:
    if limit is None:
        return None
    if limit < 1:
        raise ValueError(f"a rate limit is a positive number per minute, not {limit}")
    capacity = max(1.0, limit * min(burst_seconds, 60.0) / 60.0)
    return _Bucket(limit, capacity, capacity, now)


class RateLimitHeaders:
    """Middleware adding the `x-ratelimit-*` headers of `limits` to every answer."""

    def __init__(self, app: ASGIApp, limits: RateLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_limits(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.limits.headers().items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_limits if scope["type"] == "http" else send)
