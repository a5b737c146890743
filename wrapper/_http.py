"""The httpx2 clients requests go through: the official SDK's defaults, and the check of a given one.

httpx2 is the maintained continuation of httpx (same API, new package name), which the official SDK
3.x builds on too, so an `openai.DefaultHttpxClient(...)` is an `httpx2.Client` and works here as it
is. A client of the legacy `httpx` package is a different class; it is refused with a message that
says what to pass instead rather than failing deep inside a request.
"""

from __future__ import annotations

from typing import Any, Final

import httpx2

from ._reads import bound_reads
from ._types import DEFAULT_TIMEOUT

DEFAULT_CONNECTION_LIMITS: Final = httpx2.Limits(max_connections=1000, max_keepalive_connections=100)
"""The official SDK's pool limits, which `DefaultHttpxClient` keeps for code that builds one."""

OWN_POOL_LIMITS: Final = httpx2.Limits(max_connections=1000, max_keepalive_connections=1000)
"""The pool of a client given no `http_client`: the SDK's 1,000 connections, each kept alive between
requests. With the SDK's 100 kept alive, a client with more than 100 requests in flight closes the
rest after each answer and opens them again: at 256 in flight p99 latency was 3x (645 ms against
211 ms) for the same requests/s (scripts/bench_pool.py, docs/benchmarks.md). Idle connections still
close after httpx2's keep-alive expiry (5 s)."""

_HTTPX2_DEFAULT_TIMEOUT: Final = httpx2.Timeout(5.0)


def _with_defaults(kwargs: dict[str, Any]) -> dict[str, Any]:
    kwargs.setdefault("timeout", DEFAULT_TIMEOUT)
    kwargs.setdefault("limits", DEFAULT_CONNECTION_LIMITS)
    kwargs.setdefault("follow_redirects", True)
    return kwargs


class DefaultHttpxClient(httpx2.Client):
    """An `httpx2.Client` with the defaults the clients use for their own (the official SDK's: ten
    minutes to read, the SDK's pool limits, redirects followed); pass it as `http_client=` to add a
    proxy, a transport or event hooks without losing them. Its own connections end their reads by a
    call's timeout as a whole, as the client's own pool does (`_reads`)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**_with_defaults(kwargs))
        bound_reads(self)


class DefaultAsyncHttpxClient(httpx2.AsyncClient):
    """The async twin of `DefaultHttpxClient`."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**_with_defaults(kwargs))


def checked_http_client(
    http_client: object, expected: type[httpx2.Client] | type[httpx2.AsyncClient]
) -> None:
    """Refuse an `http_client` the client cannot send through, naming what to pass instead."""
    if isinstance(http_client, expected):
        return
    kind = type(http_client)
    wanted = f"an httpx2.{expected.__name__}"
    # A subclass counts too: an older SDK's DefaultHttpxClient or a service's own client class.
    legacy = next((base for base in kind.__mro__ if base.__module__.split(".")[0] == "httpx"), None)
    if legacy is not None:
        made = "" if legacy is kind else f"{kind.__module__}.{kind.__qualname__}, made from "
        raise TypeError(
            f"http_client is a {made}{legacy.__module__}.{legacy.__name__} of the legacy httpx package; "
            f"pass {wanted} instead (`pip install httpx2`, then `httpx2.{expected.__name__}(...)`, or "
            f"wrapper.Default{'Async' if expected is httpx2.AsyncClient else ''}HttpxClient(...) for the "
            "default settings): httpx2 is the maintained continuation of httpx, with the same API"
        )
    raise TypeError(f"http_client must be {wanted}, not {kind.__module__}.{kind.__qualname__}")


def timeout_of(http_client: httpx2.Client | httpx2.AsyncClient) -> httpx2.Timeout:
    """The timeout a given client implies when none is passed: its own unless it is httpx2's default
    (as the official SDK decides), else the clients' default."""
    own = http_client.timeout
    return DEFAULT_TIMEOUT if own == _HTTPX2_DEFAULT_TIMEOUT else own
