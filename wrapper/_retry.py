"""When to retry a failed request, and how long to wait first: small pure functions.

The client's send loop asks `should_retry` after each failure and sleeps `retry_delay`; both log
their decision at debug level on the `wrapper` logger (method, URL, status: never headers, so never
the API key), as does every exchange (`log_exchange`).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Mapping
from email.utils import parsedate_to_datetime
from typing import Final

import httpx2

from ._scrub import safe_url

logger = logging.getLogger("wrapper")

RETRY_STATUSES: Final = frozenset({408, 409, 429})
INITIAL_DELAY: Final = 0.5
MAX_DELAY: Final = 8.0
MAX_RETRY_AFTER: Final = 120.0
"""The longest server-given wait honoured, as in the official SDK; a server asking for more gets its
error raised at once."""


def parse_retry_after(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds the server asked to wait: `retry-after-ms`, else `Retry-After` in seconds or an HTTP date."""
    millis = headers.get("retry-after-ms")
    if millis is not None:
        seconds = _float_or_none(millis)
        if seconds is not None:
            return seconds / 1000
    value = headers.get("retry-after")
    if value is None:
        return None
    seconds = _float_or_none(value)
    if seconds is not None:
        return seconds
    return _seconds_until(value, time.time() if now is None else now)


def should_retry(status_code: int | None, headers: Mapping[str, str] | None = None) -> bool:
    """True for a connection failure (`status_code` None), 408, 409, 429 and 5xx; False for other answers.

    An `x-should-retry: true|false` header from the server overrides the status rule.
    """
    override = (headers or {}).get("x-should-retry")
    if override in ("true", "false"):
        return override == "true"
    if status_code is None:
        return True
    return status_code in RETRY_STATUSES or status_code >= 500


def retry_delay(
    attempt: int, retry_after: float | None = None, *, jitter: float | None = None
) -> float | None:
    """Seconds to wait before retry number `attempt` (0-based); None when not worth waiting for.

    The official SDK's window: a server-given delay in (0, MAX_RETRY_AFTER] is used as is; a longer
    one gives None (the caller raises the error now rather than retry too early or hang); with none,
    0 or a negative one, the delay doubles from INITIAL_DELAY up to MAX_DELAY, less up to 25% of
    random jitter so clients spread out (a `Retry-After: 0` from a busy server must not bring every
    client back at once).
    """
    if retry_after is not None and retry_after > 0:
        return retry_after if retry_after <= MAX_RETRY_AFTER else None
    base: float = min(INITIAL_DELAY * 2**attempt, MAX_DELAY)
    return base * (1 - 0.25 * (random.random() if jitter is None else jitter))


def log_retry(request: httpx2.Request | None, attempt: int, delay: float, reason: str) -> None:
    logger.debug("retrying %s in %.2fs (retry %d) after %s", _target(request), delay, attempt + 1, reason)


def log_give_up(request: httpx2.Request | None, reason: str) -> None:
    logger.debug("not retrying %s after %s", _target(request), reason)


def log_exchange(
    request: httpx2.Request | None, outcome: httpx2.Response | Exception, started: float, attempt: int
) -> None:
    """One debug line per request sent: method, path, status (or error), ms since `started`, request id,
    attempt (1-based). No header is logged but the request id, so never the key."""
    if not logger.isEnabledFor(logging.DEBUG):
        return
    elapsed = (time.monotonic() - started) * 1000
    target = f"{request.method} {request.url.path}" if request is not None else "request"
    if isinstance(outcome, httpx2.Response):
        answer, request_id = str(outcome.status_code), outcome.headers.get("x-request-id")
    else:
        answer, request_id = type(outcome).__name__, None
    ident = f"request id {request_id}, " if request_id else ""
    logger.debug("%s -> %s in %.0f ms (%sattempt %d)", target, answer, elapsed, ident, attempt + 1)


def _target(request: httpx2.Request | None) -> str:
    return f"{request.method} {safe_url(request.url)}" if request is not None else "the request"


def sleep(seconds: float) -> None:
    """The sync clock; tests replace it."""
    time.sleep(seconds)


async def asleep(seconds: float) -> None:
    """The async clock; tests replace it."""
    import anyio

    await anyio.sleep(seconds)


def _float_or_none(value: str) -> float | None:
    try:
        number = float(value)
    except ValueError:
        return None
    return number if number == number and number not in (float("inf"), float("-inf")) else None


def _seconds_until(date: str, now: float) -> float | None:
    try:
        when = parsedate_to_datetime(date)
    except (TypeError, ValueError, IndexError):
        return None
    return when.timestamp() - now
