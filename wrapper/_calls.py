"""A method call of `client.images` becomes a `Call` (files prepared, request checked, body built),
and a 200 answer becomes an `ImagesResponse`: everything between the client's surface and the wire
that does no I/O.

Loaded on the first request (see `_lazy`), with the capability table and the validation it needs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx2

from . import _lifecycle, _limits
from ._errors import APIResponseValidationError, status_error
from ._files import PreparedFile, close_all, prepare_files
from ._generated import request_body, request_kwargs
from ._models import warn_unknown_model
from ._references import checked_urls, split_references, validate_references, wire_value
from ._results import HTTPInfo, ImagesResponse, parse_failure
from ._schema import OperationSpec, Param
from ._spec import OPERATIONS, Operation, P
from ._types import NOT_GIVEN, NotGiven, Timeout, is_given
from ._validation import MODEL, resolve_model, validate_request, warn_unknown

if TYPE_CHECKING:
    from images_api.types import RequestOptions

    from ._base import BaseClient
    from ._download import Downloader
    from ._otel import CallTelemetry


@dataclass(slots=True)
class Call:
    """One validated request, ready to send (and to resend on a retry)."""

    operation: Operation
    model: str | None
    """The model validated against; None when the request names none and the API chooses."""
    body: Any
    options: RequestOptions
    files: list[PreparedFile] = field(default_factory=list)
    stream: bool = False
    images: int = 1
    """How many images were asked for (`n`): a stream is complete once each has its completed event."""
    query: Mapping[str, object] | None = None
    """`default_query` and `extra_query` merged; None (the usual case) sends no query string."""
    telemetry: CallTelemetry | None = None
    """The call's span and measurements (`_telemetry`); None when no OpenTelemetry provider is set."""
    frames: int = 1
    """How many frames each image may have (an animated GIF has several)."""
    max_body: int = 0
    """The most a plain answer to this call may hold, decoded (`_limits.max_body_bytes`)."""

    def request_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of `httpx2.Client.build_request`, from the generated request builder."""
        kwargs = request_kwargs(self.operation, self.body, self.options)
        if self.query:
            kwargs["params"] = self.query
        return kwargs

    def close(self) -> None:
        close_all(self.files)


def build(
    client: BaseClient[Any],
    operation: Operation,
    params: Mapping[str, Any],
    *,
    timeout: Timeout | NotGiven = NOT_GIVEN,
    extra_headers: Mapping[str, str] | None = None,
    extra_body: Mapping[str, object] | None = None,
    extra_query: Mapping[str, object] | None = None,
    validate: bool | NotGiven = NOT_GIVEN,
) -> Call:
    """Prepare files, validate, and build the request body: all before any I/O."""
    spec = OPERATIONS[operation]
    # None and NOT_GIVEN both mean "not given" (`is_given`, inlined: this runs on every call)
    given = {name: v for name, v in params.items() if v is not None and v is not NOT_GIVEN}
    body, references = split_references(spec, given, extra_body)
    if references:
        extra_body = {k: v for k, v in (extra_body or {}).items() if k not in references} or None
    named = given.pop(MODEL, None)
    as_of = client.as_of or _lifecycle.default_as_of()
    model = resolve_model(operation, named, given, client.default_model, as_of)
    warn_unknown_model(named)
    warn_unknown(spec, given)
    # The model goes out only when the caller (or the client's default_model) chose it; an API
    # default is resolved here to validate against, and left to the API to apply.
    chosen = model if named is not None or model == client.default_model else None
    model_rules = client.validate if isinstance(validate, NotGiven) else validate
    if references:
        call = _reference_call(client, operation, body, model, chosen, given, references, model_rules)
        return _finish(client, call, timeout, extra_headers, extra_body, extra_query)
    files = _prepare(spec.files, given)
    try:
        uploads = {name: [f.upload for f in prepared] for name, prepared in files.items()}
        validate_request(
            operation,
            model,
            given,
            files=uploads,
            model_rules=model_rules,
            as_of=as_of,
            send_unknown_values=True,
        )
        fields = given if chosen is None else {**given, MODEL: chosen}
        body = request_body(operation, fields, files)
    except BaseException:
        close_all([f for prepared in files.values() for f in prepared])
        raise
    sent = [f for prepared in files.values() for f in prepared]
    call = Call(
        operation,
        model,
        body,
        {},
        sent,
        stream=given.get(P.stream) is True,
        images=_count(given),
        frames=_frames(operation, given),
    )
    return _finish(client, call, timeout, extra_headers, extra_body, extra_query)


async def abuild(
    client: BaseClient[Any], operation: Operation, params: Mapping[str, Any], **options: Any
) -> Call:
    """`build` for async code: a call with files reads their headers in a worker thread, off the
    event loop (a path on a slow disk must not stall other requests); one without runs inline."""
    spec = OPERATIONS[operation]
    if any(is_given(params.get(param.name)) for param in spec.files):
        import anyio.to_thread  # imported late: most processes never upload

        return await anyio.to_thread.run_sync(lambda: build(client, operation, params, **options))
    return build(client, operation, params, **options)


def _reference_call(
    client: BaseClient[Any],
    operation: Operation,
    spec: OperationSpec,
    model: str | None,
    chosen: str | None,
    given: dict[str, Any],
    references: dict[str, list[dict[str, str]]],
    model_rules: bool,
) -> Call:
    """A call whose images are references: checked (URL schemes, data: URL contents, the model's
    rules) and sent as the operation's JSON body."""
    base = httpx2.URL(client.base_url)
    uploads = checked_urls(spec, references, f"{base.scheme}://{base.netloc.decode()}")
    validate_request(
        operation,
        model,
        given,
        model_rules=model_rules,
        content_type=spec.content_type,
        send_unknown_values=True,
    )
    validate_references(operation, spec, model, uploads, model_rules=model_rules)
    fields = {**given, **{k: wire_value(spec.params[k], v) for k, v in references.items()}}
    if chosen is not None:
        fields[MODEL] = chosen
    body = request_body(operation, fields, {}, body_name=spec.body)
    return Call(
        operation,
        model,
        body,
        {},
        stream=given.get(P.stream) is True,
        images=_count(given),
        frames=_frames(operation, given),
    )


def _finish(
    client: BaseClient[Any],
    call: Call,
    timeout: Timeout | NotGiven,
    extra_headers: Mapping[str, str] | None,
    extra_body: Mapping[str, object] | None,
    extra_query: Mapping[str, object] | None,
) -> Call:
    """Add the per-call options: headers, timeout, body fields and the query string."""
    call.options = client._options(timeout, extra_headers, extra_body, stream=call.stream)
    if extra_body:  # a count or format sent through extra_body is what the API answers to
        call.images = max(call.images, _count(extra_body))
    frames = max(call.frames, _frames(call.operation, extra_body or {}))
    call.max_body = _limits.max_body_bytes(call.images, frames)
    if extra_query or client.default_query:
        call.query = {**client.default_query, **(extra_query or {})}
    return call


def _prepare(params: Sequence[Param], given: dict[str, Any]) -> dict[str, list[PreparedFile]]:
    """Take the file arguments out of `given` and prepare them (closing any already opened on error)."""
    files: dict[str, list[PreparedFile]] = {}
    try:
        for param in params:
            if param.name in given:
                files[param.name] = prepare_files(param.name, given.pop(param.name))
    except BaseException:
        close_all([f for prepared in files.values() for f in prepared])
        raise
    return files


def _count(given: Mapping[str, Any]) -> int:
    """How many images a request asks for (`n`, 1 when not given)."""
    n = given.get(P.n)
    return n if isinstance(n, int) and not isinstance(n, bool) and n > 1 else 1


def _frames(operation: Operation, given: Mapping[str, Any]) -> int:
    """How many frames each image of the answer may have: the most the spec allows for GIF output."""
    if given.get(P.output_format) != "gif":
        return 1
    maximum = OPERATIONS[operation].params[P.frame_count].maximum
    return int(maximum) if maximum is not None else 1


def result(http: httpx2.Response, attempts: int, downloader: Downloader) -> ImagesResponse:
    """The typed result of a finished call, or the error its answer stands for."""
    if not http.is_success:
        raise status_error(http)
    if http.status_code != 200:
        raise APIResponseValidationError(
            f"unexpected {http.status_code} answer: the API answers 200 with an ImagesResponse", response=http
        )
    try:
        info = HTTPInfo(http.status_code, http.headers, attempts)
        return ImagesResponse.from_dict(http.json(), info, downloader)
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise parse_failure(http, exc) from exc
