"""Verification: replay recorded exchanges against the emulator and the client's validation, and compare.

Each cassette holds a request and what the real API answered: the JSON cassettes of the recording
proxy, or the interactions of VCR.py cassettes (YAML, `_vcr.py`) that are image requests. The
request is sent again to a fresh emulator in-process (`httpx2.ASGITransport` over `create_app()`)
and checked by `validate_request`, the client's pre-flight validation. Every difference is a
`Disagreement` naming what to change: a row and column of the capability table (through
`PARAM_RULES`, `PAIRED_RULES` or `FILE_COLUMNS`), or the path in openapi.yaml. Answers that say
nothing about the request (401, 403, 408, 409, 429, 5xx) and bodies the proxy could not read are
skipped, with why.

Each exchange is replayed as of the day whose API answered it: the day the emulator played when it
was the upstream, else the day it was recorded (both kept in the cassette), so that a model retired
since then is not a disagreement. `as_of` overrides that day for every exchange. An exchange with no
day (a cassette from before cassettes kept theirs, a VCR answer without a `Date`) is replayed as of
today, and the report says it is undated.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import anyio
import httpx2
from httpx2 import EventSource
from PIL import Image

from .. import _lifecycle
from .._capabilities import FILE_COLUMNS, MODELS, PAIRED_RULES, PARAM_RULES
from .._errors import PreflightError
from .._imageinfo import ImageInfo
from .._references import validate_by_reference
from .._spec import OPERATIONS, Operation
from .._validation import MODEL, Upload, resolve_model, validate_request
from . import _vcr
from ._app import create_app
from ._cassette import Answer, CassetteDir, Record, event_of, shape

NOT_A_VERDICT = frozenset({401, 403, 408, 409, 429})
"""Statuses that say nothing about whether the request itself is acceptable (nor does a 5xx)."""
_REPLAY_KEY = "sk-verify"
_PIL_FORMATS = {"png": "PNG", "jpeg": "JPEG", "webp": "WEBP"}


@dataclass(frozen=True, slots=True)
class Disagreement:
    """One difference between what the API answered and what the emulator or the client does.

    `side` is `emulator` or `client`; `kind` one of `accepted vs refused`, `refused vs accepted`,
    `status`, `error param`, `error code`, `missing field`, `extra field`, `field type`, `events`.
    """

    record: str
    side: str
    kind: str
    request: str
    detail: str
    fix: str
    as_of: str = ""
    """The day (`YYYY-MM-DD`) the exchange was replayed as of."""

    def line(self) -> str:
        return (
            f"{self.record}: {self.request} (as of {self.as_of}): [{self.side}] {self.kind}: {self.detail}"
            f"\n    change: {self.fix}"
        )


@dataclass
class Report:
    """The outcome of verifying a cassette directory: what was compared, skipped, and every disagreement."""

    records: int = 0
    compared: int = 0
    skipped: list[dict[str, str]] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)
    days: dict[str, int] = field(default_factory=dict)
    """How many exchanges were compared as of each day (`YYYY-MM-DD`)."""
    undated: int = 0
    """Exchanges with no day (a JSON cassette from before cassettes kept one, a VCR answer without a
    `Date`): compared as of today, which `days` counts them under."""
    undated_as_of: str | None = None
    """The day (today) the undated exchanges were compared as of."""
    as_of: str | None = None
    """The day given to replay every exchange as of, instead of each one's own."""
    others: list[dict[str, str]] = field(default_factory=list)
    """Interactions of VCR cassettes that are not image requests (not counted in `records`)."""

    @property
    def ok(self) -> bool:
        """Everything agrees, and there was something to compare: an empty run proves nothing."""
        return self.compared > 0 and not self.disagreements

    def to_json(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "records": self.records,
            "compared": self.compared,
            "skipped": self.skipped,
            "disagreements": [asdict(item) for item in self.disagreements],
            "days": self.days,
            "undated": self.undated,
            "undated_as_of": self.undated_as_of,
            "as_of": self.as_of,
            "others": self.others,
        }

    def text(self) -> str:
        verdict = "agree" if self.ok else f"disagree {len(self.disagreements)} time(s)"
        verdict = verdict if self.compared else "were not compared: nothing to compare"
        lines = [line.line() for line in self.disagreements]
        lines += [f"{item['record']}: skipped: {item['why']}" for item in self.skipped]
        if self.days:
            lines.append(self._days_text())
        if self.others:
            lines.append(
                f"{len(self.others)} other interaction(s) of VCR cassettes skipped: not image requests"
            )
        lines.append(
            f"{self.compared} of {self.records} recorded exchanges compared "
            f"({len(self.skipped)} skipped): the API, the emulator and the client {verdict}"
        )
        return "\n".join(lines)

    def _days_text(self) -> str:
        if self.as_of is not None:
            return f"replayed as of {self.as_of} (--as-of): {_counted(self.days)}"
        dated = dict(self.days)
        if self.undated_as_of is not None:
            dated[self.undated_as_of] -= self.undated
        dated = {day: count for day, count in dated.items() if count}
        lines = [f"replayed as of the day each was recorded: {_counted(dated)}"] if dated else []
        if self.undated:
            lines.append(
                f"{self.undated} exchange(s) undated (a VCR answer without a Date header, or a cassette"
                f" from before cassettes kept their day): replayed as of today, {self.undated_as_of}"
                " (--as-of DAY replays every exchange as of the day it names)"
            )
        return "\n".join(lines)


def _counted(days: Mapping[str, int]) -> str:
    return ", ".join(f"{day} ({count})" for day, count in sorted(days.items()))


def verify(directory: str | os.PathLike[str], as_of: _lifecycle.AsOf = None) -> Report:
    """Replay every cassette of `directory` (or one VCR.py cassette) against a fresh emulator and the
    client's validation and return the `Report` of their disagreements with what the API answered.

    Each exchange is replayed as of its recorded day (see the module's docstring), or as of `as_of`
    (a `date` or `YYYY-MM-DD`) when given.
    """
    return anyio.run(averify, directory, as_of)


async def averify(directory: str | os.PathLike[str], as_of: _lifecycle.AsOf = None) -> Report:
    """`verify`, awaited."""
    override = _lifecycle.as_of_date(as_of) if as_of is not None else None
    records, others = load(directory)
    report = Report(records=len(records), as_of=override.isoformat() if override else None, others=others)
    app = create_app()
    transport = httpx2.ASGITransport(app=app)
    async with httpx2.AsyncClient(transport=transport, base_url="http://emulator/v1") as emulator:
        for record in records:
            why = _skip(record)
            if why is not None:
                report.skipped.append({"record": record.name, "why": why})
                continue
            day = override or record.day
            if day is None:
                day = _lifecycle.default_as_of()
                report.undated += 1
                report.undated_as_of = day.isoformat()
            report.compared += 1
            report.days[day.isoformat()] = report.days.get(day.isoformat(), 0) + 1
            app.as_of = day
            answer = await replay(emulator, record)
            report.disagreements += compare(record, answer, "emulator", day)
            report.disagreements += compare(record, preflight(record, day), "client", day)
    return report


def load(path: str | os.PathLike[str]) -> tuple[list[Record], list[dict[str, str]]]:
    """The recorded exchanges at `path`: a directory of JSON cassettes and VCR.py cassettes (YAML, in
    any subdirectory), or one VCR.py cassette; and the VCR interactions that are not image requests."""
    if Path(path).is_file():
        return _vcr.load_all(path)
    records = CassetteDir(path).load()
    found, others = _vcr.load_all(path)
    return records + found, others


def assert_cassettes_agree(directory: str | os.PathLike[str], as_of: _lifecycle.AsOf = None) -> Report:
    """The pytest helper: verify `directory` (as of `as_of`, default each cassette's day) and fail the
    test with the report when anything disagrees."""
    report = verify(directory, as_of)
    if not report.ok:
        raise AssertionError("the emulator no longer behaves like the recorded API:\n" + report.text())
    return report


def _skip(record: Record) -> str | None:
    status = record.answer.status
    if record.unparsed is not None:
        return f"the proxy could not read the request ({record.unparsed})"
    if record.operation not in OPERATIONS:
        return f"unknown operation {record.operation!r}"
    if status in NOT_A_VERDICT or status >= 500:
        return f"the API answered {status}, which says nothing about the request"
    return None


# --- replay ----------------------------------------------------------------------------------------


async def replay(emulator: httpx2.AsyncClient, record: Record) -> Answer:
    """Send `record`'s request to the emulator as the caller sent it to the API; the answer's shape."""
    spec = OPERATIONS[_operation(record)]
    headers = {"authorization": f"Bearer {_REPLAY_KEY}"}
    if record.content_type == "multipart/form-data":
        data = {name: _form_text(value) for name, value in record.params.items()}
        files = [(str(meta["part"]), _file(meta)) for meta in record.files]
        request = emulator.build_request(
            "POST", spec.path.lstrip("/"), data=data, files=files, headers=headers
        )
    else:
        request = emulator.build_request("POST", spec.path.lstrip("/"), json=record.params, headers=headers)
    response = await emulator.send(request, stream=True)
    try:
        return await _answer(response)
    finally:
        await response.aclose()


def _operation(record: Record) -> Operation:
    return next(name for name in OPERATIONS if name == record.operation)


async def _answer(response: httpx2.Response) -> Answer:
    answer = Answer(status=response.status_code, content_type=response.headers.get("content-type", ""))
    answer.content_type = answer.content_type.split(";")[0].strip()
    if answer.content_type == "text/event-stream":
        answer.events = [
            event_of(sse.data, sse.event) async for sse in EventSource(response, max_event_size=None)
        ]
        return answer
    return shape(answer, await response.aread())


def _form_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else str(value)


def _file(meta: Mapping[str, Any]) -> tuple[str | None, bytes, str | None]:
    """A stand-in for a recorded file: an image of its format and dimensions, padded to its size."""
    kind, width, height, size = meta.get("format"), meta.get("width"), meta.get("height"), meta.get("size")
    data = b"not an image"
    if kind in _PIL_FORMATS and width and height:
        buffer = io.BytesIO()
        mode = "RGB" if kind == "jpeg" else "RGBA"
        Image.new(mode, (int(width), int(height)), (128, 128, 128, 255)[: len(mode)]).save(
            buffer, _PIL_FORMATS[kind]
        )
        data = buffer.getvalue()
    if isinstance(size, int) and size > len(data):
        data += b"\0" * (size - len(data))  # after the image's end: readers stop before it
    return meta.get("filename"), data, meta.get("content_type")


def preflight(record: Record, as_of: date | None = None) -> Answer:
    """What the client's pre-flight validation says of `record`'s request as of `as_of` (default
    today), as an answer: 200 when it lets the request through, else a 400 naming the parameter it
    refuses."""
    operation = _operation(record)
    params = dict(record.params)
    named = params.pop(MODEL, None)
    model = resolve_model(operation, named if isinstance(named, str) else None, params, as_of=as_of)
    files: dict[str, list[Upload]] = {}
    for meta in record.files:
        info = (
            ImageInfo(meta["format"], meta.get("width"), meta.get("height")) if meta.get("format") else None
        )
        files.setdefault(str(meta["param"]), []).append(Upload(info, meta.get("size"), meta.get("filename")))
    try:
        if record.content_type == "application/json" and OPERATIONS[operation].files:
            validate_by_reference(operation, model, params, as_of=as_of)
        else:
            validate_request(operation, model, params, files=files, as_of=as_of)
    except PreflightError as exc:
        return Answer(status=400, error={"param": exc.param, "message": exc.message})
    return Answer(status=200)


# --- comparison ------------------------------------------------------------------------------------

TABLE = "wrapper/_capabilities.py"
SPEC = "openapi.yaml"
PRODUCE = "wrapper/mock/_produce.py"
Found = list[tuple[str, str, str]]
"""(kind, detail, what to change) of each disagreement."""


def compare(record: Record, answer: Answer, side: str, as_of: date | None = None) -> list[Disagreement]:
    """Every way `answer` (the emulator's or the client's, as of `as_of`) differs from what the API
    answered."""
    api = record.answer
    found = _verdicts(record, api, answer, side, as_of)
    if not found and api.accepted and answer.accepted and side == "emulator" and api.note is None:
        found = _shapes(record, api, answer)
    described = describe(record, as_of)
    day = (as_of or _lifecycle.default_as_of()).isoformat()
    return [Disagreement(record.name, side, kind, described, detail, fix, day) for kind, detail, fix in found]


def _verdicts(record: Record, api: Answer, answer: Answer, side: str, as_of: date | None) -> Found:
    if api.accepted != answer.accepted:
        refusal = answer if api.accepted else api
        kind = "accepted vs refused" if api.accepted else "refused vs accepted"
        said = f"the API accepted it; the {side} refused it with {_said(answer, side)}"
        if not api.accepted:
            said = f"the API refused it with {_said(api, 'api')}; the {side} accepted it"
        fix = where(record, _error(refusal, "param"), as_of)
        if refusal.status == 415:  # the body's type itself: a content type the spec does not list
            path = OPERATIONS[_operation(record)].path
            fix = f"{SPEC}: paths['{path}'].post.requestBody.content (a body of {record.content_type})"
        return [(kind, said, fix)]
    if api.accepted:
        return []
    found: Found = []
    emulated = side == "emulator"  # the client's verdict has no status or code
    if emulated and api.status != answer.status:
        detail = f"the API answered {api.status}, the emulator {answer.status}"
        found.append(("status", detail, "wrapper/mock/_forms.py or _app.py (the status of this refusal)"))
    theirs, mine = _error(api, "param"), _error(answer, "param")
    if theirs != mine:
        detail = f"the API refused param {theirs!r}, the {side} {mine!r}"
        found.append(("error param", detail, where(record, theirs or mine, as_of)))
    elif emulated and _error(api, "code") != _error(answer, "code"):
        detail = f"the API's code is {_error(api, 'code')!r}, the emulator's {_error(answer, 'code')!r}"
        found.append(("error code", detail, "wrapper/mock/_errors.py (the code of this refusal)"))
    return found


def _error(answer: Answer, key: str) -> str | None:
    value = (answer.error or {}).get(key)
    return None if value is None else str(value)


def _said(answer: Answer, side: str) -> str:
    parts = [str(answer.status)] if side != "client" else []
    parts += [f"param {_error(answer, 'param')}"] if _error(answer, "param") else []
    parts += [f"code {_error(answer, 'code')}"] if _error(answer, "code") else []
    message = _error(answer, "message")
    return ", ".join(parts) + (f" ({message})" if message else "")


def _shapes(record: Record, api: Answer, emulator: Answer) -> Found:
    path = OPERATIONS[_operation(record)].path
    if api.events is not None or emulator.events is not None:
        fix = f"{SPEC}: paths['{path}'].post.responses['200'] text/event-stream; {PRODUCE}"
        return _event_shapes(api.events or [], emulator.events or [], fix)
    fix = f"{SPEC}: paths['{path}'].post.responses['200'] application/json; {PRODUCE}"
    return _field_shapes(api.fields or {}, emulator.fields or {}, "", fix)


def _field_shapes(api: Mapping[str, str], emulator: Mapping[str, str], prefix: str, fix: str) -> Found:
    found: Found = []
    for name in sorted(api.keys() - emulator.keys()):
        detail = f"{prefix}{name} ({api[name]}) is in the API's answer, not the emulator's"
        found.append(("missing field", detail, fix))
    for name in sorted(emulator.keys() - api.keys()):
        detail = f"{prefix}{name} ({emulator[name]}) is in the emulator's answer, not the API's"
        found.append(("extra field", detail, fix))
    for name in sorted(api.keys() & emulator.keys()):
        if api[name] != emulator[name]:
            detail = f"{prefix}{name} is {api[name]} in the API's answer, {emulator[name]} in the emulator's"
            found.append(("field type", detail, fix))
    return found


def _event_shapes(api: Sequence[Mapping[str, Any]], emulator: Sequence[Mapping[str, Any]], fix: str) -> Found:
    api_types = [str(event.get("type")) for event in api]
    emulator_types = [str(event.get("type")) for event in emulator]
    if api_types != emulator_types:
        sent = " > ".join(api_types) or "no events"
        detail = f"the API sent {sent}; the emulator {' > '.join(emulator_types) or 'none'}"
        return [("events", detail, fix)]
    found: Found = []
    for theirs, mine in zip(api, emulator, strict=True):
        prefix = f"{theirs.get('type')}: "
        found += _field_shapes(theirs.get("fields") or {}, mine.get("fields") or {}, prefix, fix)
    return list(dict.fromkeys(found))


# --- what to change --------------------------------------------------------------------------------


def where(record: Record, param: str | None, as_of: date | None = None) -> str:
    """What to change when the verdicts differ on `param`: the table's row and column that rule it,
    or the spec's path of the parameter."""
    operation = _operation(record)
    spec = OPERATIONS[operation]
    model = _model(record, as_of)
    probe = record.probe or {}
    if probe.get("column") and param in (None, probe.get("param")):
        return f"{TABLE}: MODELS[{probe.get('model')!r}].{probe['column']} ({probe.get('rule')})"
    if param is None:
        return f"{SPEC}: components.responses.BadRequest (a rule across parameters); wrapper/_validation.py"
    if model not in MODELS:
        return f"{TABLE}: MODELS has no row {model!r}; {SPEC}: components.schemas.{spec.body}"
    if param == MODEL:
        return f"{TABLE}: MODELS[{model!r}].operations; {SPEC}: components.schemas.ImageModel"
    if param in PARAM_RULES:
        text = f"{TABLE}: MODELS[{model!r}].{PARAM_RULES[param].column} (PARAM_RULES[{param!r}])"
        paired = PAIRED_RULES.get(param)
        return text + (f" or .{paired.column} (PAIRED_RULES[{param!r}])" if paired else "")
    if (operation, param) in FILE_COLUMNS:
        return f"{TABLE}: MODELS[{model!r}].{FILE_COLUMNS[operation, param]} (FILE_COLUMNS)"
    return f"{SPEC}: components.schemas.{spec.body}.properties.{param}"


def _model(record: Record, as_of: date | None = None) -> str:
    params = dict(record.params)
    named = params.pop(MODEL, None)
    resolved = resolve_model(
        _operation(record), named if isinstance(named, str) else None, params, as_of=as_of
    )
    return resolved if resolved is not None else "(the API's choice)"


def describe(record: Record, as_of: date | None = None) -> str:
    """A request in one short line: `generate dall-e-3 n=2`."""
    shown = []
    for name, value in record.params.items():
        if name == MODEL:
            continue
        text = repr(value) if not isinstance(value, str) else value
        shown.append(f"{name}=<{len(text)} chars>" if len(text) > 24 else f"{name}={text}")
    shown += [
        f"{meta.get('part')}={meta.get('format')} {meta.get('width')}x{meta.get('height')}"
        for meta in record.files
    ]
    return " ".join([record.operation, _model(record, as_of), *shown])
