"""The recording proxy: serve the API by forwarding every request to an upstream, and record each exchange.

Nothing is checked on the way: the point is to learn what the upstream says. Request bodies are
forwarded chunk by chunk as they arrive (read on the way by `RequestTee`), answers relayed as they
arrive: a JSON body chunk by chunk, an event stream event by event. When an exchange with one of
the API's operations ends, one cassette record is written (see `_cassette.py`). The caller's key
goes to the upstream and nowhere else: request headers are never recorded, and the key is scrubbed
from whatever the upstream echoes. Only `https://` upstreams are accepted, or loopback `http://`
ones for tests, so a key never crosses a network in clear text.
"""

from __future__ import annotations

import functools
import ipaddress
import json
import logging
import os
import ssl
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import anyio
import certifi
import httpx2
from httpx2 import EventSource, ServerSentEvent
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from .. import _lifecycle
from .._spec import OPERATIONS, Operation
from . import _vcr
from ._cassette import (
    AS_OF_HEADER,
    Answer,
    CassetteDir,
    Record,
    event_of,
    kept_headers,
    recorded_day,
    shape,
)
from ._errors import error_response
from ._tee import RequestTee

FORMATS = ("json", "vcr")
PROBE_HEADER = "x-images-probe"
"""The one request header the proxy consumes: a probe's description, for its record (not forwarded)."""
MAX_SUMMARY_BYTES = 128 * 1024 * 1024
"""The most of a JSON answer kept to read its shape (ten large base64 images fit); more is only relayed."""
_HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host"}
)
_NOT_RELAYED = _HOP_BY_HOP | {"content-length", "content-encoding"}
"""Answer headers the proxy drops: it relays decoded content, in chunks of its own."""
_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})
logger = logging.getLogger("wrapper.mock.proxy")


class RecordingProxy(Starlette):
    """The proxy app: `upstream` (its base URL), `cassettes` (where records go), `recorded` (the paths
    written so far), `transport` (None: the network; a test can pass `httpx2.ASGITransport`)."""

    upstream: str
    base_path: str
    cassettes: CassetteDir
    recorded: list[Path]
    transport: httpx2.AsyncBaseTransport | None
    timeout: httpx2.Timeout
    format: str
    """`json` (one JSON cassette per exchange, `_cassette.py`) or `vcr` (a VCR.py cassette, `_vcr.py`)."""


def check_upstream(url: str) -> str:
    """`url` without a trailing slash, if it is `https://`, or `http://` on a loopback host;
    ValueError otherwise (a key must not travel in clear text)."""
    parsed = httpx2.URL(url)
    host = parsed.host
    if parsed.scheme == "https" and host:
        return str(parsed).rstrip("/")
    if parsed.scheme == "http" and _loopback(host):
        return str(parsed).rstrip("/")
    shown = f"{parsed.scheme}://{host}" if parsed.scheme else url.split("@")[-1]
    raise ValueError(
        f"upstream {shown!r} is not allowed: use an https:// URL (or an http:// one on a loopback host, "
        "for tests), so the key never travels in clear text"
    )


def _loopback(host: str) -> bool:
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def create_proxy(
    upstream: str,
    record: str | os.PathLike[str],
    *,
    base_path: str = "/v1",
    transport: httpx2.AsyncBaseTransport | None = None,
    timeout: float = 600.0,
    format: str = "json",
) -> RecordingProxy:
    """A recording proxy that serves `{base_path}/...` by forwarding to `upstream` (e.g.
    `https://api.openai.com/v1`) and writes one cassette per exchange with an operation into `record`:
    a JSON cassette, or with `format="vcr"` a VCR.py one (YAML, as vcrpy and pytest-recording keep).

    `timeout` is how long (seconds) to wait for the upstream to answer; images take a while.
    """
    if format not in FORMATS:
        raise ValueError(f"format {format!r} is not one of {', '.join(FORMATS)}")
    base = "/" + base_path.strip("/") if base_path.strip("/") else ""
    methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
    app = RecordingProxy(routes=[Route("/{path:path}", _forward, methods=methods)])
    app.upstream = check_upstream(upstream)
    app.base_path = base
    app.cassettes = CassetteDir(record)
    app.recorded = []
    app.transport = transport
    app.timeout = httpx2.Timeout(timeout, connect=10.0)
    app.format = format
    return app


def _operation(method: str, path: str) -> Operation | None:
    for name, spec in OPERATIONS.items():
        if method == "POST" and spec.path == path:  # every operation of the API is a POST
            return name
    return None


def _hidden(request: Request) -> list[str]:
    """What must never be written: the credential of `Authorization` (and of Azure's `api-key`)."""
    words = [request.headers.get("api-key", "")]
    scheme, _, token = request.headers.get("authorization", "").strip().partition(" ")
    words += [token.strip(), scheme] if token else [scheme]
    return [word for word in words if len(word) >= 8]


@dataclass
class _Exchange:
    """What the proxy learns of one exchange while it relays it."""

    operation: Operation | None
    tee: RequestTee | None
    hidden: list[str]
    probe: dict[str, object] | None
    events: list[dict[str, object]] = field(default_factory=list)
    body: bytearray = field(default_factory=bytearray)
    truncated: bool = False
    method: str = "POST"
    uri: str = ""
    frames: list[tuple[str, str]] | None = None
    """Each streamed event's name and data, its images reduced: kept only for a VCR cassette."""


async def _forward(request: Request) -> Response:
    app = request.app
    assert isinstance(app, RecordingProxy)
    path = request.url.path
    if not path.startswith(app.base_path + "/"):
        return error_response(404, f"Not Found: {path}; the proxy serves the API under {app.base_path}")
    rest = path[len(app.base_path) :]
    operation = _operation(request.method, rest)
    content_type = request.headers.get("content-type", "")
    exchange = _Exchange(
        operation,
        RequestTee(operation, content_type) if operation else None,
        _hidden(request),
        _probe(request),
    )
    client = httpx2.AsyncClient(transport=app.transport, timeout=app.timeout, verify=_tls())
    query = request.url.query
    exchange.method, exchange.uri = request.method, app.upstream + rest + (f"?{query}" if query else "")
    exchange.frames = [] if app.format == "vcr" else None
    outgoing = client.build_request(
        request.method,
        exchange.uri,
        headers=[(k, v) for k, v in request.headers.raw if k.decode("latin-1").lower() not in _dropped()],
        content=_body(request, exchange.tee),
    )
    try:
        response = await client.send(outgoing, stream=True)
    except httpx2.HTTPError as exc:
        await client.aclose()
        return error_response(502, f"The upstream did not answer: {type(exc).__name__}")
    headers = {k: v for k, v in response.headers.items() if k.lower() not in _NOT_RELAYED}
    return StreamingResponse(
        _relay(app, client, response, exchange), status_code=response.status_code, headers=headers
    )


@functools.cache
def _tls() -> ssl.SSLContext:
    """One TLS context for every exchange: building one costs ~50 ms, a client per exchange nothing."""
    return ssl.create_default_context(cafile=certifi.where())


def _dropped() -> frozenset[str]:
    return _HOP_BY_HOP | {PROBE_HEADER}


def _probe(request: Request) -> dict[str, object] | None:
    raw = request.headers.get(PROBE_HEADER)
    try:
        probe = json.loads(raw) if raw else None
    except ValueError:
        return None
    return probe if isinstance(probe, dict) else None


async def _body(request: Request, tee: RequestTee | None) -> AsyncIterator[bytes]:
    async for chunk in request.stream():
        if tee is not None:
            tee.feed(chunk)
        yield chunk


async def _relay(
    app: RecordingProxy, client: httpx2.AsyncClient, response: httpx2.Response, exchange: _Exchange
) -> AsyncIterator[bytes]:
    """The answer's body as it arrives; once it has ended (or the caller has gone), the record."""
    streamed = response.headers.get("content-type", "").startswith("text/event-stream")
    try:
        if streamed:
            async for sse in EventSource(response, max_event_size=None):
                if exchange.operation is not None:
                    exchange.events.append(event_of(sse.data, sse.event))
                    if exchange.frames is not None:
                        exchange.frames.append((sse.event, _vcr.reduced(sse.data)))
                yield _frame(sse)
        else:
            async for chunk in response.aiter_bytes():
                _keep(exchange, chunk)
                yield chunk
    finally:
        with anyio.CancelScope(shield=True):
            await response.aclose()
            await client.aclose()
            if exchange.operation is not None:
                record = _record(exchange, response, streamed)
                path = await anyio.to_thread.run_sync(_write, app, exchange, response, record)
                app.recorded.append(path)
                logger.info("recorded %s", path.name)


def _write(app: RecordingProxy, exchange: _Exchange, response: httpx2.Response, record: Record) -> Path:
    """The cassette of one exchange, in the proxy's format."""
    if app.format != "vcr":
        return app.cassettes.write(record, exchange.hidden)
    item = _vcr.interaction(
        record,
        method=exchange.method,
        uri=exchange.uri,
        status=response.status_code,
        headers=response.headers.multi_items(),
        body=None if exchange.truncated else bytes(exchange.body),
        events=exchange.frames or (),
    )
    return _vcr.write(app.cassettes, record, item, exchange.hidden)


def _keep(exchange: _Exchange, chunk: bytes) -> None:
    if exchange.operation is None or exchange.truncated:
        return
    if len(exchange.body) + len(chunk) > MAX_SUMMARY_BYTES:
        exchange.truncated = True
        exchange.body.clear()
        return
    exchange.body += chunk


def _frame(sse: ServerSentEvent) -> bytes:
    """One event, encoded again as the upstream sent it."""
    lines = [] if sse.event == "message" else [f"event: {sse.event}"]
    lines += [f"data: {line}" for line in sse.data.split("\n")]
    if sse.id:
        lines.append(f"id: {sse.id}")
    if sse.retry is not None:
        lines.append(f"retry: {sse.retry}")
    return ("\n".join(lines) + "\n\n").encode()


def _record(exchange: _Exchange, response: httpx2.Response, streamed: bool) -> Record:
    assert exchange.operation is not None
    assert exchange.tee is not None
    params = exchange.tee.params()
    first = [next(iter(response.headers.get_list(name)), None) for name in ("date", AS_OF_HEADER)]
    recorded_on, as_of = recorded_day(*first)
    recorded_on = recorded_on or _lifecycle.today()  # recorded as the answer came: today is its day
    return Record(
        operation=exchange.operation,
        content_type=exchange.tee.kind,
        params=params,
        files=exchange.tee.files,
        answer=answer_of(response.status_code, response.headers, exchange, streamed),
        unparsed=exchange.tee.unparsed,
        probe=exchange.probe,
        recorded_on=recorded_on,
        as_of=as_of,
    )


def answer_of(status: int, headers: httpx2.Headers, exchange: _Exchange, streamed: bool) -> Answer:
    """The shape of an answer from what was relayed of it."""
    answer = Answer(
        status=status,
        content_type=headers.get("content-type", "").split(";")[0].strip(),
        headers=kept_headers(headers.multi_items()),
    )
    if streamed:
        answer.events = exchange.events
        return answer
    if exchange.truncated:
        answer.note = f"a body over {MAX_SUMMARY_BYTES} bytes: its shape was not read"
        return answer
    return shape(answer, bytes(exchange.body))
