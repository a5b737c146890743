"""The emulator's handling of an image request, apart from HTTP: parse -> validate -> plan -> render ->
answer. The routes (`_app.py`) read a body and turn the answer into a response; the batch runner
(`_batches.py`) feeds it the lines of an input file. Both call these names and nothing else here.

    exchange = Exchange(operation)
    references = parse_json(exchange, spec, document)        # or exchange.params = coerce(...)
    exchange.form = resolve_references(app, origin, spec, references)   # when there are any
    job = validate(app, exchange, spec)                      # the Plan: every default filled in
    inputs = await decode(job, exchange.form)                # the uploads, in a worker thread
    body = await answer(app, origin, job, inputs)            # the ImagesResponse body
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date

from .. import _lifecycle
from .._capabilities import GPT_DEFAULT_MODEL, MODELS
from .._errors import PreflightError
from .._references import validate_references
from .._schema import OperationSpec
from .._spec import Operation
from .._validation import MODEL, resolve_model, validate_request
from . import _produce
from ._errors import APIErrorResponse
from ._forms import FilePart, Form, integral, not_null
from ._plan import Plan, plan
from ._references import resolve, take_references
from ._state import MockApp

FILES_PATH = "/files/images"
"""Where images answered by URL are served, under the app's origin."""
Inputs = _produce.Inputs


@dataclass(slots=True)
class Exchange:
    """What is known of a request so far, for its record: the operation, its parameters as parsed,
    the model it runs on once validated, and its uploads (or resolved references)."""

    operation: Operation
    params: dict[str, object] = field(default_factory=dict)
    model: str | None = None
    form: Form | None = None


References = dict[str, list[dict[str, str]]]
"""Image references by parameter, as a JSON body holds them."""


def parse_json(exchange: Exchange, spec: OperationSpec, document: dict[str, object]) -> References:
    """Type a JSON body by `spec` into `exchange.params`; return its image references (taken out)."""
    document = not_null(spec, integral(spec, document))
    references = take_references(spec, document) if spec.references else {}
    exchange.params = document
    return references


def resolve_references(app: MockApp, origin: str, spec: OperationSpec, references: References) -> Form:
    """The referenced images (by `file_id`, data URL, an allowed URL or one of the app's own image
    URLs at `origin`) as a `Form` of uploads."""
    return resolve(
        spec,
        references,
        store=app.store,
        files=app.files,
        allowed_urls=app.allowed_image_urls,
        own_prefix=f"{origin}{FILES_PATH}/",
    )


def validate(app: MockApp, exchange: Exchange, spec: OperationSpec) -> Plan:
    """Check the request as the API does as of the app's day, and plan what to draw; an
    `APIErrorResponse` (400, or 404 for a model that does not exist or is retired) if it is refused."""
    as_of = app.as_of or _lifecycle.default_as_of()
    params = dict(exchange.params)
    named = params.pop(MODEL, None)
    if MODEL in exchange.params and not isinstance(named, str):
        raise APIErrorResponse(400, f"{MODEL} {named!r} is invalid; allowed: a model name", param=MODEL)
    resolved = resolve_model(
        exchange.operation, named if isinstance(named, str) else None, params, as_of=as_of
    )
    # Where the API names no default any more it decides itself; the emulator decides on the GPT default.
    model = resolved if resolved is not None else GPT_DEFAULT_MODEL
    exchange.model = model
    try:
        _check(exchange, spec, model, params, as_of)
    except PreflightError as exc:
        raise APIErrorResponse.invalid(exc) from None
    if model not in MODELS and model not in app.extra_models:
        message = f"The model '{model}' does not exist or you do not have access to it."
        raise APIErrorResponse(404, message, param=MODEL, code="model_not_found")
    return plan(exchange.operation, model, params)


def _check(
    exchange: Exchange, spec: OperationSpec, model: str, params: dict[str, object], as_of: date
) -> None:
    form = exchange.form
    if spec.references:
        validate_request(exchange.operation, model, params, content_type=spec.content_type, as_of=as_of)
        uploads = {p.name: [part.upload() for part in _parts(form, p.kind)] for p in spec.references}
        validate_references(exchange.operation, spec, model, {k: v for k, v in uploads.items() if v})
    else:
        uploads_of = form.uploads() if form else None
        validate_request(exchange.operation, model, params, files=uploads_of, as_of=as_of)


def _parts(form: Form | None, kind: str) -> list[FilePart]:
    """The resolved references of a reference parameter: the images, or the one mask."""
    if form is None:
        return []
    if kind == "references":
        return list(form.images)
    return [form.mask] if form.mask is not None else []


def tokens(job: Plan) -> int:
    """The tokens a request is charged against the budget when it arrives: its estimated usage."""
    total = job.usage(0, job.n)["total_tokens"]
    return total if isinstance(total, int) else 0


async def decode(job: Plan, form: Form | None) -> Inputs:
    """The uploads of an edit or variation decoded at the output size (nothing for a generation)."""
    return await _produce.decoded(job, form)


async def answer(app: MockApp, origin: str, job: Plan, inputs: Inputs, created: int) -> dict[str, object]:
    """The ImagesResponse body of a request that is not streamed: its images drawn (or kept from an
    identical request), as base64 or as URLs the app serves at `origin`."""
    items = [item(app, origin, job, data) for data in await _produce.images(job, inputs)]
    return _produce.document(job, created, items, inputs.count)


def events(job: Plan, inputs: Inputs, created: int) -> AsyncIterator[bytes]:
    """The frames of a streamed answer: per image its partial images, then the completed one."""
    return _produce.events(job, inputs, created)


def item(app: MockApp, origin: str, job: Plan, data: bytes) -> dict[str, object]:
    """One entry of `data`: the image as base64, or stored and named by URL."""
    entry: dict[str, object]
    if job.response_format == "url":
        key = app.store.put(data, _produce.media_type(job))
        entry = {"url": f"{origin}{FILES_PATH}/{key}.{job.out.format}"}
    else:
        entry = {"b64_json": _produce.b64(data)}
    revised = job.revised_prompt()
    if revised is not None:
        entry["revised_prompt"] = revised
    return entry
