"""What an exception may carry of an exchange: the request and response without their secrets.

Error trackers serialise an exception with its request (and pickle it across processes), so the
request an `APIError` holds, every hop of its response's redirect history, and the httpx2 error it
was raised from carry copies without the credential headers and without a password in the URL, as
the official SDK does for its errors. The original objects, which httpx2 still sends, are untouched.
"""

from __future__ import annotations

from copy import copy
from typing import Final, TypeVar

import httpx2

SENSITIVE_HEADERS: Final = frozenset(
    {"authorization", "proxy-authorization", "api-key", "x-api-key", "cookie", "x-amz-security-token"}
)
"""Header names whose values are credentials: never kept on an exception."""
E = TypeVar("E", bound=BaseException)


def safe_url(url: httpx2.URL) -> httpx2.URL:
    """`url` without its user information when it has a password (`https://user:secret@host/` -> `https://host/`)."""
    return url.copy_with(password=None) if url.password else url


def shown_url(url: str) -> str:
    """A URL as it may be printed (in a repr or a log line): without its password."""
    try:
        parsed = httpx2.URL(url)
    except httpx2.InvalidURL:
        return "<an invalid URL>"
    return str(safe_url(parsed)) if parsed.password else url


def safe_request(request: httpx2.Request) -> httpx2.Request:
    """A copy of `request` without credential headers or URL password (`request` itself when it has none)."""
    secret = [name for name in request.headers if name.lower() in SENSITIVE_HEADERS]
    if not secret and not request.url.password:
        return request
    safe = copy(request)
    # copy() drops the stream and the extensions (httpx2's pickling state); keep them, never reading a
    # streamed upload here.
    safe.stream = request.stream
    safe.extensions = dict(request.extensions)
    safe.headers = request.headers.copy()
    for name in secret:
        safe.headers.pop(name, None)
    safe.url = safe_url(request.url)
    return safe


def safe_response(response: httpx2.Response, request: httpx2.Request | None) -> httpx2.Response:
    """`response` with `request` (already safe) as its request and every redirect hop made safe."""
    if request is response.request and not response.history and response.next_request is None:
        return response
    history: list[httpx2.Response] = []
    for hop in [*response.history, response]:
        safe = copy(hop)
        safe.extensions = dict(hop.extensions)
        safe.request = request if hop is response and request is not None else safe_request(hop.request)
        if hop.next_request is not None:
            safe.next_request = safe_request(hop.next_request)
        safe.history = list(history)
        history.append(safe)
    return history[-1]


def scrubbed(exc: E) -> E:
    """`exc` (an httpx2 error a wrapper error is raised from) with its request made safe, in place:
    it becomes the `__cause__`, which tracebacks, trackers and pickles carry along."""
    if isinstance(exc, httpx2.HTTPError):
        request = exc._request  # the public property raises when there is none
        if request is not None:
            exc.request = safe_request(request)
    return exc
