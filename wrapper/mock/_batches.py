"""`/batches`: create, describe, list and cancel batches of image requests.

A batch moves `validating → in_progress → finalizing → completed` on the app's clock over
`app.batch_duration` seconds (0, the default: done by the first look after creation). The work
happens when the batch is looked at: each `GET` runs the lines whose time has come, through the
same validation and image engine as a single call, so `request_counts` grow as the clock does.
Answers go to an output file, failures (invalid bodies as the 400 the API would answer) to an
error file, both in the Batch API's line formats. `app.faults.queue_batch("expired")` (or
"failed", "cancelled") makes the next created batch end that way.
"""

from __future__ import annotations

import json
import math
import secrets
from collections.abc import Mapping

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .._capabilities import MB
from .._spec import OPERATIONS, Operation
from ._batchstore import WINDOW, BatchLine, BatchState
from ._errors import APIErrorResponse
from ._files import found
from ._forms import content_type, read_json
from ._service import Exchange, answer, decode, parse_json, resolve_references, validate
from ._state import MockApp, app_of, origin

ENDPOINTS: Mapping[str, Operation] = {"/v1/images/generations": "generate", "/v1/images/edits": "edit"}
MAX_LINES = 50_000
MAX_LINE_BYTES = 1 * MB
OUTCOMES = ("failed", "expired", "cancelled")
_PHASES = (("validating", 0.0), ("in_progress", 0.1), ("finalizing", 0.9), ("completed", 1.0))


def _found(app: MockApp, batch_id: str) -> BatchState:
    batch = app.batches.get(batch_id)
    if batch is None:
        raise APIErrorResponse(404, f"No batch found with id '{batch_id}'.", param="batch_id")
    return batch


# --- routes -----------------------------------------------------------------------------------


async def create_batch(request: Request) -> Response:
    """`POST /batches`."""
    app = app_of(request)
    content_type(request, "application/json")
    document = await read_json(request, app.body_timeout)
    input_file_id, endpoint, metadata = _checked_create(document)
    stored = found(app, input_file_id)
    if stored.purpose != "batch":
        message = f"File {input_file_id} has purpose {stored.purpose!r}; a batch input needs purpose 'batch'."
        raise APIErrorResponse(400, message, param="input_file_id")
    batch_id = "batch_" + secrets.token_hex(12)
    batch = BatchState(batch_id, endpoint, input_file_id, int(app.clock()), metadata, app.faults.next_batch())
    app.batches.add(batch)
    return JSONResponse(batch.describe())


def _checked_create(document: Mapping[str, object]) -> tuple[str, str, dict[str, str] | None]:
    for name in ("input_file_id", "endpoint", "completion_window"):
        if not isinstance(document.get(name), str):
            raise APIErrorResponse(400, f"{name} is required and must be a string", param=name)
    unknown = sorted(set(document) - {"input_file_id", "endpoint", "completion_window", "metadata"})
    if unknown:
        raise APIErrorResponse(400, f"Unrecognized request argument supplied: {unknown[0]}", param=unknown[0])
    endpoint = str(document["endpoint"])
    if endpoint not in ENDPOINTS:
        allowed = ", ".join(ENDPOINTS)
        message = f"endpoint {endpoint!r} is not served by this emulator; allowed: {allowed}"
        raise APIErrorResponse(400, message, param="endpoint")
    if document["completion_window"] != WINDOW:
        shown = document["completion_window"]
        raise APIErrorResponse(
            400, f"completion_window {shown!r} is invalid; allowed: 24h", param="completion_window"
        )
    return str(document["input_file_id"]), endpoint, _checked_metadata(document.get("metadata"))


def _checked_metadata(metadata: object) -> dict[str, str] | None:
    if metadata is None:
        return None
    valid = (
        isinstance(metadata, dict)
        and len(metadata) <= 16
        and all(isinstance(v, str) and len(k) <= 64 and len(v) <= 512 for k, v in metadata.items())
    )
    if not valid:
        message = "metadata must be at most 16 string pairs, keys up to 64 and values up to 512 characters"
        raise APIErrorResponse(400, message, param="metadata")
    assert isinstance(metadata, dict)
    return {str(k): str(v) for k, v in metadata.items()}


async def retrieve_batch(request: Request) -> Response:
    """`GET /batches/{batch_id}`: the batch, advanced to the clock first."""
    app = app_of(request)
    batch = _found(app, request.path_params["batch_id"])
    await advance(app, request, batch)
    return JSONResponse(batch.describe())


async def list_batches(request: Request) -> Response:
    """`GET /batches?after=&limit=`: newest first."""
    app = app_of(request)
    raw = request.query_params.get("limit", "20")
    limit = int(raw) if raw.isdigit() else 0
    if not 1 <= limit <= 100:
        raise APIErrorResponse(
            400, f"limit {raw!r} is invalid; allowed: an integer from 1 to 100", param="limit"
        )
    batches = app.batches.newest_first()
    after = request.query_params.get("after")
    if after is not None:
        ids = [batch.id for batch in batches]
        batches = batches[ids.index(after) + 1 :] if after in ids else []
    page = batches[:limit]
    for batch in page:
        await advance(app, request, batch)
    return JSONResponse(
        {
            "object": "list",
            "data": [batch.describe() for batch in page],
            "first_id": page[0].id if page else None,
            "last_id": page[-1].id if page else None,
            "has_more": len(batches) > limit,
        }
    )


async def cancel_batch(request: Request) -> Response:
    """`POST /batches/{batch_id}/cancel`: cancelling now, cancelled (partial results) at the next look."""
    app = app_of(request)
    batch = _found(app, request.path_params["batch_id"])
    with batch.lock:
        if batch.status in ("validating", "in_progress", "finalizing"):
            batch.status = "cancelling"
            batch.times["cancelling"] = int(app.clock())
    return JSONResponse(batch.describe())


# --- the work -----------------------------------------------------------------------------------


async def advance(app: MockApp, request: Request, batch: BatchState) -> None:
    """Bring `batch` to where the clock says it should be, running the lines whose time has come."""
    progress = _progress(app, batch)
    if batch.status == "validating" and progress >= _PHASES[1][1]:
        _validate_input(app, batch)
    if batch.status == "in_progress":
        stop = len(batch.lines) // 2 if batch.outcome in ("expired", "cancelled") else len(batch.lines)
        share = min(1.0, (progress - 0.1) / 0.8) if progress < 1.0 else 1.0
        await _run_lines(app, request, batch, min(stop, math.floor(share * len(batch.lines))))
        with batch.lock:
            ready = batch.written >= stop and batch.status == "in_progress"
            if ready:
                _conclude(app, batch, progress)
    with batch.lock:
        if batch.status == "finalizing" and progress >= 1.0:
            _finish(app, batch, "completed")
        elif batch.status == "cancelling" and batch.written >= batch.done:
            _finish(app, batch, "cancelled")


def _progress(app: MockApp, batch: BatchState) -> float:
    duration = getattr(app, "batch_duration", 0.0)
    elapsed = app.clock() - batch.created_at
    return 1.0 if duration <= 0 else max(0.0, elapsed / duration)


def _conclude(app: MockApp, batch: BatchState, progress: float) -> None:
    if batch.outcome in ("expired", "cancelled"):
        if batch.outcome == "cancelled":
            batch.times["cancelling"] = int(app.clock())
        _finish(app, batch, str(batch.outcome))
        return
    batch.status = "finalizing"
    batch.times["finalizing"] = int(app.clock())
    if progress >= 1.0:
        _finish(app, batch, "completed")


def _validate_input(app: MockApp, batch: BatchState) -> None:
    """Read the input file: a line that is not a request of this batch fails the batch, as with the API."""
    stored = app.files.get(batch.input_file_id)
    errors = [] if stored is not None else [_batch_error("invalid_file", "The input file no longer exists.")]
    lines: list[BatchLine] = []
    seen: set[str] = set()
    for number, raw in enumerate(stored.lines(MAX_LINE_BYTES + 1) if stored else (), 1):
        if not raw.strip():
            continue
        line, problem = _parse_line(raw, batch.endpoint)
        if line is not None and line.custom_id in seen:
            problem = f"The custom_id {line.custom_id!r} is used more than once; custom_ids must be unique."
        if problem is not None:
            errors.append(_batch_error("invalid_request", problem, number))
        elif line is not None:
            seen.add(line.custom_id)
            lines.append(line)
        if len(errors) >= 100:
            break
    if len(lines) > MAX_LINES:
        errors.append(_batch_error("too_many_requests", f"An input file holds at most {MAX_LINES} requests."))
    if not errors and not lines:
        errors.append(_batch_error("empty_file", "The input file holds no requests."))
    if batch.outcome == "failed" and not errors:
        errors.append(_batch_error("failed", "The batch failed (injected by the emulator's faults)."))
    if errors:
        batch.errors = errors
        batch.status = "failed"
        batch.times["failed"] = int(app.clock())
        return
    batch.lines = lines
    batch.status = "in_progress"
    batch.times["in_progress"] = int(app.clock())


def _parse_line(raw: bytes, endpoint: str) -> tuple[BatchLine | None, str | None]:
    if len(raw) > MAX_LINE_BYTES:
        return None, f"The line is longer than {MAX_LINE_BYTES // MB} MB."
    try:
        document = json.loads(raw)
    except (ValueError, RecursionError):
        return None, "The line is not valid JSON."
    if not isinstance(document, dict):
        return None, "The line is not a JSON object."
    custom_id, body = document.get("custom_id"), document.get("body")
    if not isinstance(custom_id, str) or not custom_id:
        return None, "The line has no custom_id (a non-empty string)."
    if document.get("method") != "POST":
        return None, "The line's method must be POST."
    if document.get("url") != endpoint:
        return None, f"The line's url {document.get('url')!r} is not the batch's endpoint {endpoint}."
    if not isinstance(body, dict):
        return None, "The line's body must be a JSON object."
    return BatchLine(custom_id, body), None


def _batch_error(code: str, message: str, line: int | None = None) -> dict[str, object]:
    return {"code": code, "message": message, "param": None, "line": line}


async def _run_lines(app: MockApp, request: Request, batch: BatchState, until: int) -> None:
    while batch.done < until:
        with batch.lock:  # two looks at once must not run a line twice
            if batch.done >= until or batch.status != "in_progress":
                return
            index = batch.done
            batch.done += 1
        line = batch.lines[index]
        status, body = await run_line(app, request, ENDPOINTS[batch.endpoint], line.body)
        response = {"status_code": status, "request_id": "req_" + secrets.token_hex(16), "body": body}
        record = {
            "id": "batch_req_" + secrets.token_hex(12),
            "custom_id": line.custom_id,
            "response": response,
        }
        _write(app, batch, "output" if status == 200 else "error", {**record, "error": None})
        with batch.lock:
            batch.written += 1
            if status == 200:
                batch.completed += 1
            else:
                batch.failed += 1


async def run_line(
    app: MockApp, request: Request, operation: Operation, body: dict[str, object]
) -> tuple[int, dict[str, object]]:
    """One request of a batch, answered as a single call would be: (status, body)."""
    spec = OPERATIONS[operation]
    if spec.content_type != "application/json":
        # A batch line is JSON: an operation that takes uploads runs as its by-reference variant.
        if spec.by_reference is None:
            return 400, _error_body(f"{operation} cannot run in a batch: it takes uploaded files only.")
        spec = spec.by_reference
    exchange = Exchange(operation)
    try:
        references = parse_json(exchange, spec, body)
        if references:
            exchange.form = resolve_references(app, origin(request), spec, references)
        job = validate(app, exchange, spec)
        inputs = await decode(job, exchange.form)
        document = await answer(app, origin(request), job, inputs, int(app.clock()))
    except APIErrorResponse as exc:
        return exc.status, _error_body(exc.message, exc.param, exc.code)
    finally:
        if exchange.form is not None:
            exchange.form.close()
    return 200, document


def _error_body(message: str, param: str | None = None, code: str | None = None) -> dict[str, object]:
    return {"error": {"message": message, "type": "invalid_request_error", "param": param, "code": code}}


def _write(app: MockApp, batch: BatchState, which: str, record: dict[str, object]) -> None:
    stored = batch.output if which == "output" else batch.error
    if stored is None:
        stored = app.files.new(f"batch_{batch.id}_{which}.jsonl", "batch_output", int(app.clock()))
        if which == "output":
            batch.output = stored
        else:
            batch.error = stored
    data = (json.dumps(record, separators=(",", ":")) + "\n").encode()
    stored.data.seek(0, 2)
    stored.data.write(data)
    stored.size += len(data)


def _finish(app: MockApp, batch: BatchState, status: str) -> None:
    """End the batch: lines never run are reported in the error file; the files are published."""
    code = {"expired": "batch_expired", "cancelled": "batch_cancelled"}.get(status)
    if code is not None:
        for line in batch.lines[batch.done :]:
            error = {"code": code, "message": f"This request was not run: the batch was {status}."}
            record = {"id": "batch_req_" + secrets.token_hex(12), "custom_id": line.custom_id}
            _write(app, batch, "error", {**record, "response": None, "error": error})
            batch.failed += 1
        batch.done = batch.written = len(batch.lines)
    for stored in (batch.output, batch.error):
        if stored is not None and app.files.get(stored.id) is None:
            app.files.add(stored)
    batch.output_file_id = batch.output.id if batch.output else None
    batch.error_file_id = batch.error.id if batch.error else None
    if status == "completed" and "finalizing" not in batch.times:
        batch.times["finalizing"] = int(app.clock())
    batch.status = status
    batch.times[status] = int(app.clock())
