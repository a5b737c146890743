"""The emulator as a Starlette app: routes as data, one endpoint per operation, state on the app.

The routes are thin: an image endpoint reads the body and hands the request to `_service.py`
(validate, plan, render, answer), then turns the answer into a response; the state (`MockApp`) and
its stores live in `_state.py` and below, which never import the routes.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping

import anyio
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import _lifecycle
from .._spec import OPERATIONS, Operation, P
from . import _batches, _files
from ._batchstore import BatchStore
from ._cassette import AS_OF_HEADER
from ._errors import APIErrorResponse, api_error, error_response, http_exception
from ._faults import Fault, Faults
from ._filestore import FileStore
from ._forms import (
    MAX_JSON_BYTES,
    MAX_REFERENCE_JSON_BYTES,
    FilePart,
    coerce,
    content_type,
    read_form,
    read_json,
)
from ._plan import Plan
from ._ratelimit import RateLimitHeaders, RateLimits
from ._records import MAX_RECORDED_BYTES, RecordedFile, RecordedRequest, Recorder, bounded_mapping, text
from ._responses import GARBLED_JSON, CutJSON, EventStream
from ._service import (
    FILES_PATH,
    Exchange,
    Inputs,
    answer,
    decode,
    events,
    parse_json,
    resolve_references,
    tokens,
    validate,
)
from ._state import MockApp, Sleep, app_of, origin
from ._store import Clock, ImageStore

_BEARER = re.compile(r"^bearer +(\S.*?) *$", re.IGNORECASE)


def create_app(
    *,
    base_path: str = "/v1",
    api_key: str | None = None,
    url_ttl: float = 3600.0,
    clock: Clock = time.time,
    sleep: Sleep = anyio.sleep,
    faults: Faults | None = None,
    max_recorded: int = 1000,
    max_stored_images: int = 256,
    public_url: str | None = None,
    max_recorded_bytes: int = MAX_RECORDED_BYTES,
    body_timeout: float = 30.0,
    batch_duration: float = 0.0,
    limits: RateLimits | None = None,
    extra_models: Iterable[str] = (),
    as_of: _lifecycle.AsOf = None,
) -> MockApp:
    """An emulator of the Images API serving `POST {base_path}/images/{generations,edits,variations}`.

    `url_ttl` is how long (seconds) image URLs stay valid; `public_url` overrides the origin those
    URLs use (by default the one the request came to). `sleep` waits out latency faults; a test
    can pass one that records the delay instead of taking it. The newest `max_recorded` requests
    are kept, within about `max_recorded_bytes`; a body that sends nothing for `body_timeout`
    seconds is answered 408. It also serves `/files` and `/batches` (batches take `batch_duration`
    seconds of `clock`) and enforces `limits` (requests and tokens per minute) on image requests.
    A model outside the capability table is answered 404 `model_not_found`, as the API answers a
    model that does not exist, unless it is one of `extra_models` (then it is drawn like the newest
    GPT image model, or like the default model of an operation GPT image models do not offer).
    `add_file` registers images for edits by `file_id` (as does `POST /files`).
    `as_of` (a `date` or `YYYY-MM-DD`; default today) is the day whose API it plays: a model or
    operation retired by then is answered 404, as the API answers it.
    """
    base = "/" + base_path.strip("/") if base_path.strip("/") else ""
    routes = [
        Route(f"{base}/images/generations", _endpoint("generate"), methods=["POST"]),
        Route(f"{base}/images/edits", _endpoint("edit"), methods=["POST"]),
        Route(f"{base}/images/variations", _endpoint("variation"), methods=["POST"]),
        Route(FILES_PATH + "/{name}", _download, methods=["GET"]),
        *_bulk_routes(base),
    ]
    limits = limits or RateLimits()
    app = MockApp(
        routes=routes,
        middleware=[Middleware(_RequestId), Middleware(RateLimitHeaders, limits=limits)],
        exception_handlers={HTTPException: http_exception, APIErrorResponse: api_error},
    )
    app.router.redirect_slashes = False  # the API answers 404 to a trailing slash, not a redirect
    app.api_key = api_key
    app.base_path = base
    app.faults = faults or Faults()
    app.requests = Recorder(max_recorded, max_recorded_bytes)
    app.body_timeout = body_timeout
    app.store = ImageStore(url_ttl, clock, max_items=max_stored_images)
    app.clock = clock
    app.sleep = sleep
    app.public_url = public_url
    app.files = FileStore()
    app.batches = BatchStore()
    app.batch_duration = batch_duration
    app.limits = limits
    app.extra_models = frozenset(extra_models)
    app.allowed_image_urls = {}
    app.as_of = _lifecycle.as_of_date(as_of) if as_of is not None else None
    return app


def _bulk_routes(base: str) -> list[Route]:
    """The Batch API's routes: files to upload and download, batches to run them."""
    files, batches = _files, _batches
    routes: dict[str, dict[str, Handler]] = {
        "/files": {"POST": files.create_file},
        "/files/{file_id}": {"GET": files.retrieve_file, "DELETE": files.delete_file},
        "/files/{file_id}/content": {"GET": files.file_content},
        "/batches": {"POST": batches.create_batch, "GET": batches.list_batches},
        "/batches/{batch_id}": {"GET": batches.retrieve_batch},
        "/batches/{batch_id}/cancel": {"POST": batches.cancel_batch},
    }
    return [Route(base + path, _api_errors(on), methods=list(on)) for path, on in routes.items()]


Handler = Callable[[Request], Awaitable[Response]]


def _api_errors(handlers: Mapping[str, Handler]) -> Handler:
    """One route's handlers by method (HEAD runs GET's), after the key is checked; their
    `APIErrorResponse`s are answered in the API's shape."""

    async def endpoint(request: Request) -> Response:
        app = app_of(request)
        try:
            _authorize(request, app.api_key)
            return await handlers["GET" if request.method == "HEAD" else request.method](request)
        except APIErrorResponse as exc:
            return exc.response()

    return endpoint


class _RequestId:
    """Adds an `x-request-id` header to every answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).setdefault("x-request-id", "req_" + secrets.token_hex(16))
            await send(message)

        await self.app(scope, receive, send_with_id if scope["type"] == "http" else send)


def _endpoint(operation: Operation) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        app = app_of(request)
        exchange = Exchange(operation)
        try:
            response = await _answer(app, request, exchange)
        except APIErrorResponse as exc:
            response = exc.response()
        finally:
            if exchange.form is not None:
                exchange.form.close()
        response.headers[AS_OF_HEADER] = (app.as_of or _lifecycle.default_as_of()).isoformat()
        app.requests.add(_record(request, exchange, response))
        return response

    return endpoint


async def _answer(app: MockApp, request: Request, exchange: Exchange) -> Response:
    """Parse the body (the HTTP part), then hand the request to the service."""
    _authorize(request, app.api_key)
    operation = exchange.operation
    bodies = (OPERATIONS[operation], *OPERATIONS[operation].variants)
    spec = OPERATIONS[operation].body_for(content_type(request, *(body.content_type for body in bodies)))
    assert spec is not None
    references: dict[str, list[dict[str, str]]] = {}
    if spec.files:
        limit = max(param.max_items or 1 for param in spec.files)
        exchange.form = await read_form(request, limit, app.body_timeout)
        exchange.params = coerce(operation, exchange.form.fields)
    else:
        limit = MAX_REFERENCE_JSON_BYTES if spec.references else MAX_JSON_BYTES
        references = parse_json(exchange, spec, await read_json(request, app.body_timeout, limit))
    if references:
        exchange.form = resolve_references(app, origin(request), spec, references)
    job = validate(app, exchange, spec)
    if app.limits.enabled:
        app.limits.take(tokens(job))
    inputs = await decode(job, exchange.form)
    if exchange.form is not None:
        exchange.form.close()
    return await _deliver(app, request, job, inputs)


def _authorize(request: Request, api_key: str | None) -> None:
    header = request.headers.get("authorization")
    match = _BEARER.match(header or "")
    if match is None:
        message = "You didn't provide an API key. Send it as 'Authorization: Bearer YOUR_KEY'."
        raise APIErrorResponse(401, message, code=None if header is None else "invalid_authorization_header")
    # The API issues no key with a space in it: such a key is a wrong one, not a missing one.
    wrong = any(char.isspace() for char in match[1])
    if wrong or (api_key is not None and not secrets.compare_digest(match[1].encode(), api_key.encode())):
        raise APIErrorResponse(401, "Incorrect API key provided.", code="invalid_api_key")


async def _deliver(app: MockApp, request: Request, job: Plan, inputs: Inputs) -> Response:
    """The answer as a response, after the faults queued or drawn for it."""
    fault = app.faults.next() or Fault()
    delay = app.faults.latency + fault.delay
    if delay:
        await app.sleep(delay)
    if fault.status is not None:
        headers = {"retry-after": fault.retry_after} if fault.retry_after is not None else None
        raise APIErrorResponse(fault.status, fault.message, headers=headers)
    created = int(app.clock())
    if job.stream:
        return EventStream(events(job, inputs, created), cut_after=fault.cut_after, garble=fault.malformed)
    body = await answer(app, origin(request), job, inputs, created)
    if fault.malformed:
        return Response(GARBLED_JSON, media_type="application/json")
    return CutJSON(body) if fault.cut_after is not None else JSONResponse(body)


async def _download(request: Request) -> Response:
    stored = app_of(request).store.get(request.path_params["name"].split(".")[0])
    if stored is None:
        return error_response(404, "This image does not exist or its URL has expired.")
    return Response(stored.data, media_type=stored.media_type)


def _record(request: Request, exchange: Exchange, response: Response) -> RecordedRequest:
    form = exchange.form
    return RecordedRequest(
        operation=exchange.operation,
        path=request.url.path,
        params=bounded_mapping(exchange.params),
        model=text(exchange.model) if exchange.model is not None else None,
        status=response.status_code,
        headers={k: str(v) for k, v in bounded_mapping(_redacted(request.headers), note="headers").items()},
        images=tuple(_recorded_file(part) for part in form.images) if form else (),
        mask=_recorded_file(form.mask) if form and form.mask else None,
        stream=exchange.params.get(P.stream) is True,
        markup=_recorded_file(form.markup) if form and form.markup else None,
    )


def _redacted(headers: Mapping[str, str]) -> dict[str, str]:
    """The headers with the credential of `authorization` replaced: records end up in test output."""
    recorded = dict(headers)
    scheme, _, token = recorded.get("authorization", "").strip().partition(" ")
    if token:
        recorded["authorization"] = f"{scheme} ***"
    elif scheme:  # a bare value may be the key itself
        recorded["authorization"] = "***"
    return recorded


def _recorded_file(part: FilePart) -> RecordedFile:
    image = part.info
    return RecordedFile(
        part.param,
        text(part.filename) if part.filename is not None else None,
        text(part.content_type) if part.content_type is not None else None,
        part.size,
        image.format if image else None,
        image.width if image else None,
        image.height if image else None,
    )
