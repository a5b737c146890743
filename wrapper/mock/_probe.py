"""The probe suite: requests that pin each rule of the capability table at its boundary.

For every row of `MODELS` and every rule of `PARAM_RULES`, `PAIRED_RULES` and `FILE_COLUMNS`
(and each operation a model does not do), the suite builds requests on both sides of the rule: the
values the row takes and those it refuses (a limit and one past it; each value another model
takes; a free-form size just inside and just outside each bound). Which side a request is on is the
table's own verdict; what the API says is recorded through the proxy and compared by `verify`.

Refused requests cost nothing, so `run_probes` sends those by default; the accepting ones make
images (at the row's cheapest size and quality, one image unless the count is the rule) and are
sent only with `spend=True`.
"""

from __future__ import annotations

import functools
import io
import json
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from typing import Literal

import anyio
import httpx2
from PIL import Image

from .. import _lifecycle
from .._capabilities import (
    DEFAULT_COLUMNS,
    FILE_COLUMNS,
    MODELS,
    PAIRED_RULES,
    PARAM_RULES,
    Choice,
    FileRule,
    Limit,
    ModelCapabilities,
    Needs,
    Rule,
    SizeRule,
    Switch,
)
from .._errors import PreflightError
from .._imageinfo import ImageInfo
from .._retry import parse_retry_after, retry_delay
from .._schema import Param
from .._spec import OPERATIONS, Operation, P
from .._validation import MODEL, Upload, validate_request
from ._proxy import PROBE_HEADER, RecordingProxy, create_proxy

COUNT = P.n
"""The parameter that says how many images a request makes: what an accepted probe costs."""
PROMPT_TEXT = "a small red circle on white"
RETRIES = 3
"""How many times a probe is sent again after a 429 or a 5xx."""
FILE_SIDE = 256
"""The side of the square images the probes upload (small: uploads are not the point)."""
_WXH = re.compile(r"^([1-9][0-9]*)x([1-9][0-9]*)$")
Side = Literal["inside", "outside"]


@dataclass(frozen=True, slots=True)
class ProbeFile:
    """One image a probe uploads: its part name, format and dimensions."""

    part: str
    format: str
    width: int = FILE_SIDE
    height: int = FILE_SIDE


@dataclass(frozen=True)
class Probe:
    """One request of the suite, the rule it pins and which side of it the table puts it on."""

    operation: Operation
    model: str
    params: Mapping[str, object]
    files: tuple[ProbeFile, ...]
    rule: str
    """Where the rule lives: `PARAM_RULES['n']`, `PAIRED_RULES[...]`, `FILE_COLUMNS`, `operations`."""
    param: str
    column: str
    side: Side = "outside"

    @property
    def accepting(self) -> bool:
        return self.side == "inside"

    @property
    def images(self) -> int:
        """How many images the probe makes if the API accepts it."""
        count = self.params.get(COUNT, 1)
        return count if isinstance(count, int) else 1

    def meta(self) -> dict[str, object]:
        """What the cassette keeps of the probe (no values: a prompt may be 32,000 characters)."""
        return {
            "rule": self.rule,
            "param": self.param,
            "model": self.model,
            "column": self.column,
            "side": self.side,
        }

    def describe(self) -> str:
        shown = " ".join(
            f"{name}=<{len(value)} chars>"
            if isinstance(value, str) and len(value) > 24
            else f"{name}={value}"
            for name, value in self.params.items()
            if name != MODEL
        )
        files = " ".join(f"{f.part}={f.format} {f.width}x{f.height}" for f in self.files)
        return f"{self.side:7} {self.operation} {self.model} {shown} {files}".rstrip()


def build_probes(models: Sequence[str] | None = None, as_of: date | None = None) -> list[Probe]:
    """The whole suite (or that of `models` only), every request once: the same request pinning two
    rules is sent once. Models not available as of `as_of` (default: `default_as_of()`), retired or
    not yet released, are left out: the API answers every request for them 404."""
    seen: set[str] = set()
    probes = []
    day = as_of or _lifecycle.default_as_of()
    for row in MODELS.values():
        if (models is not None and row.name not in models) or not _available(row, day):
            continue
        for probe in chain(_operations(row), _params(row), _paired(row), _files(row)):
            key = json.dumps([probe.operation, dict(probe.params), probe.files], default=str, sort_keys=True)
            if key not in seen:
                seen.add(key)
                probes.append(probe)
    return probes


def _available(row: ModelCapabilities, day: date) -> bool:
    try:
        _lifecycle.check_available(next(iter(sorted(row.operations))), row.name, day)
    except PreflightError:
        return False
    return True


def _operations(row: ModelCapabilities) -> Iterator[Probe]:
    for operation in OPERATIONS:
        if not row.supports(operation):
            yield _classified(_base(row, operation), "operations", MODEL, "operations")


def _params(row: ModelCapabilities) -> Iterator[Probe]:
    for param, rule in PARAM_RULES.items():
        operation = _operation_with(row, param)
        if operation is not None:
            yield from _rule_probes(row, operation, param, rule, f"PARAM_RULES[{param!r}]")


def _paired(row: ModelCapabilities) -> Iterator[Probe]:
    """A paired rule's value (transparent) with each value of the other parameter (each format)."""
    for param, paired in PAIRED_RULES.items():
        operation = _operation_with(row, param)
        if operation is not None and paired.value in (row.values(param) or ()):
            for other in _known(operation, paired.other):
                params = {param: paired.value, paired.other: other}
                yield _probe(row, operation, params, f"PAIRED_RULES[{param!r}]", param, paired.column)


def _files(row: ModelCapabilities) -> Iterator[Probe]:
    for (operation, param), column in FILE_COLUMNS.items():
        if row.supports(operation):
            yield from _file_probes(row, operation, param, column)


def _operation_with(row: ModelCapabilities, param: str) -> Operation | None:
    """The first operation the model does that takes `param`."""
    return next((op for op in OPERATIONS if row.supports(op) and param in OPERATIONS[op].params), None)


@dataclass
class _Draft:
    operation: Operation
    model: str
    params: dict[str, object]
    files: list[ProbeFile] = field(default_factory=list)


def _base(row: ModelCapabilities, operation: Operation) -> _Draft:
    """The cheapest request the row accepts for `operation`: its required parameters, the cheapest
    value of each parameter with a default (smallest size, lowest quality) and the required files."""
    spec = OPERATIONS[operation]
    draft = _Draft(operation, row.name, {MODEL: row.name})
    for name in spec.required:
        draft.params[name] = PROMPT_TEXT
    for name, column in DEFAULT_COLUMNS.items():
        values = row.values(name) or ()
        cheapest = _cheapest(values)
        if name in spec.params and cheapest is not None and cheapest != getattr(row, column):
            draft.params[name] = cheapest
    for param in spec.files:
        if param.required:
            rule = row.file_rule(operation, param.name)
            draft.files.append(ProbeFile(param.name, rule.formats[0] if rule else "png"))
    return draft


def _cheapest(values: tuple[str, ...]) -> str | None:
    """The smallest WxH of `values` if they are sizes, else the first (the table lists qualities
    from the lowest)."""
    sizes = [(int(m[1]) * int(m[2]), value) for value in values if (m := _WXH.match(value))]
    if sizes:
        return min(sizes)[1]
    return values[0] if values else None


def _probe(
    row: ModelCapabilities,
    operation: Operation,
    params: Mapping[str, object],
    rule: str,
    param: str,
    column: str,
    files: list[ProbeFile] | None = None,
) -> Probe:
    draft = _base(row, operation)
    draft.params.update(params)
    if files is not None:
        draft.files = [*[f for f in draft.files if f.part not in {g.part for g in files}], *files]
    return _classified(draft, rule, param, column)


def _classified(draft: _Draft, rule: str, param: str, column: str) -> Probe:
    """The probe, on the side of the rule where the table's validation puts it."""
    params = {name: value for name, value in draft.params.items() if name != MODEL}
    uploads: dict[str, list[Upload]] = {}
    for upload in draft.files:
        info = ImageInfo(upload.format, upload.width, upload.height, True)
        uploads.setdefault(upload.part, []).append(Upload(info, 1000, f"probe.{upload.format}"))
    side: Side = "inside"
    try:
        validate_request(draft.operation, draft.model, params, files=uploads)
    except PreflightError:
        side = "outside"
    return Probe(
        draft.operation, draft.model, dict(draft.params), tuple(draft.files), rule, param, column, side
    )


# --- the boundary values of each kind of rule --------------------------------------------------------


def _rule_probes(
    row: ModelCapabilities, operation: Operation, param: str, rule: Rule, name: str
) -> Iterator[Probe]:
    if isinstance(rule, Choice):
        values: list[object] = list(_known(operation, param))
        if rule.free_form is not None:
            values += _free_sizes(rule.free_form)
    elif isinstance(rule, Limit):
        values = _limits(row, operation, param, rule)
    elif isinstance(rule, Switch):
        values = [True]
    else:
        yield from _needs_probes(row, operation, param, rule, name)
        return
    for value in values:
        yield _probe(row, operation, {param: value}, name, param, rule.column)


def _known(operation: Operation, param: str) -> list[object]:
    """Every value of `param` the spec or any row of the table names, in order."""
    spec = OPERATIONS[operation].params[param]
    values: list[object] = list(spec.enum or ())
    for row in MODELS.values():
        values += list(row.values(param) or ())
    return list(dict.fromkeys(values))


def _free_sizes(column: str) -> list[str]:
    """Sizes just inside and just outside each bound of every free-form size rule of the table."""
    rules: list[SizeRule] = [getattr(row, column) for row in MODELS.values() if getattr(row, column)]
    sizes: list[str] = []
    for rule in dict.fromkeys(rules):
        step, aspect = rule.multiple_of, rule.max_aspect
        short = _multiple(rule.max_edge / aspect, step)
        small = _multiple(short / 2, step)  # an aspect probe far from the other bounds
        sizes += [f"1024x{1024 + step}", f"1024x{1024 + step // 2}"]  # a multiple of the step, and not
        sizes += [f"{int(small * aspect)}x{small}", f"{int(small * aspect) + step}x{small}"]  # aspect
        sizes += [f"{rule.max_edge}x{short}", f"{rule.max_edge + step}x{short + step}"]  # longest side
        height = _multiple(rule.max_pixels / rule.max_edge, step)
        sizes += [f"{rule.max_edge}x{height}", f"{rule.max_edge}x{height + step}"]  # area
    return list(dict.fromkeys(sizes))


def _multiple(value: float, step: int) -> int:
    return int(value // step) * step


def _limits(row: ModelCapabilities, operation: Operation, param: str, rule: Limit) -> list[object]:
    limit = getattr(row, rule.column)
    spec = OPERATIONS[operation].params[param]
    if limit is None:  # the model does not take it: the smallest value the schema allows
        low = int(spec.minimum or 0) if not rule.length else 1
        return ["a" * low] if rule.length else [low]
    if rule.length:
        return ["a" * limit, "a" * (limit + 1)]
    return [limit, limit + 1]


def _needs_probes(
    row: ModelCapabilities, operation: Operation, param: str, rule: Needs, name: str
) -> Iterator[Probe]:
    """The parameter set with each value of the other it needs (and without the other)."""
    spec = OPERATIONS[operation].params[param]
    value = rule.value if rule.value is not None else _sample(spec)
    yield _probe(row, operation, {param: value}, name, param, rule.column)
    if not getattr(row, rule.column):  # the model does not take it: alone says so, the rest adds noise
        return
    for other in _known(operation, rule.other):
        yield _probe(row, operation, {param: value, rule.other: other}, name, param, rule.column)


def _sample(spec: Param) -> object:
    """A schema-valid value of `spec` (its smallest, or an empty object), for a rule about setting it."""
    if spec.kind == "object":
        return {}
    if spec.kind == "boolean":
        return True
    if spec.enum:
        return spec.enum[0]
    return int(spec.minimum or 0)


def _file_probes(row: ModelCapabilities, operation: Operation, param: str, column: str) -> Iterator[Probe]:
    """Formats (each one), the count (the limit and one past it), squareness and matching sizes."""
    rule: FileRule | None = getattr(row, column)
    known = list(dict.fromkeys(f for r in MODELS.values() for f in _formats(r, operation, param)))
    if rule is None:
        yield _probe(row, operation, {}, "FILE_COLUMNS", param, column, [ProbeFile(param, known[0])])
        return
    for kind in known:
        yield _probe(row, operation, {}, "FILE_COLUMNS", param, column, [ProbeFile(param, kind)])
    one = rule.formats[0]
    for count in (rule.max_count, rule.max_count + 1):
        files = [ProbeFile(param, one) for _ in range(count)]
        yield _probe(row, operation, {}, "FILE_COLUMNS", param, column, files)
    if rule.square:
        files = [ProbeFile(param, one, FILE_SIDE, FILE_SIDE // 2)]
        yield _probe(row, operation, {}, "FILE_COLUMNS", param, column, files)
    if rule.same_size_as is not None:
        files = [ProbeFile(param, one, FILE_SIDE // 2, FILE_SIDE // 2)]
        yield _probe(row, operation, {}, "FILE_COLUMNS", param, column, files)


def _formats(row: ModelCapabilities, operation: Operation, param: str) -> tuple[str, ...]:
    rule = row.file_rule(operation, param)
    return rule.formats if rule is not None else ()


# --- sending them --------------------------------------------------------------------------------------


@dataclass
class ProbeRun:
    """What `run_probes` did: the suite's size, what it sent, and the cassettes written."""

    total: int
    rejecting: int
    accepting: int
    sent: int = 0
    images: int = 0
    """How many images the accepting probes sent were to make."""
    failed: int = 0
    """Probes the upstream did not answer (not recorded)."""
    recorded: list[str] = field(default_factory=list)


def plan(spend: bool = False, models: Sequence[str] | None = None) -> tuple[list[Probe], ProbeRun]:
    """The probes to send (the rejecting half, and the accepting half with `spend`) and the run's counts."""
    probes = build_probes(models)
    accepting = [probe for probe in probes if probe.accepting]
    chosen = probes if spend else [probe for probe in probes if not probe.accepting]
    run = ProbeRun(len(probes), len(probes) - len(accepting), len(accepting))
    run.images = sum(probe.images for probe in chosen if probe.accepting)
    return chosen, run


def run_probes(
    upstream: str,
    record: str | os.PathLike[str],
    *,
    api_key: str,
    spend: bool = False,
    models: Sequence[str] | None = None,
    transport: httpx2.AsyncBaseTransport | None = None,
    say: Callable[[str], None] = print,
) -> ProbeRun:
    """Send the probe suite to `upstream` through a recording proxy writing cassettes into `record`.

    Only the rejecting half unless `spend`; only the rows of `models` if given. `say` is told first
    how many requests go and how many images they will create. `transport` replaces the network
    (tests).
    """
    probes, run = plan(spend, models)
    say(
        f"probe suite: {run.total} requests ({run.rejecting} the table refuses, {run.accepting} it "
        f"accepts); sending {len(probes)}, which will create {run.images} images"
        + ("" if spend else f" (--spend adds the {run.accepting} accepting ones)")
    )
    proxy = create_proxy(upstream, record, transport=transport)
    return anyio.run(_send_all, proxy, probes, run, api_key)


async def _send_all(proxy: RecordingProxy, probes: list[Probe], run: ProbeRun, api_key: str) -> ProbeRun:
    headers = {"authorization": f"Bearer {api_key}"}
    transport = httpx2.ASGITransport(app=proxy)
    async with httpx2.AsyncClient(
        transport=transport, base_url="http://proxy/v1", headers=headers, timeout=None
    ) as client:
        for probe in probes:
            before = len(proxy.recorded)
            await _send_until_answered(client, probe)
            run.sent += 1
            run.failed += len(proxy.recorded) == before
    run.recorded = [path.name for path in proxy.recorded]
    return run


async def _send_until_answered(client: httpx2.AsyncClient, probe: Probe) -> None:
    """Send a probe again after a rate limit or a server error, as the client would (the client's
    retry rules, at most `RETRIES` times): those answers say nothing about the rule, so a probe that
    got one has not pinned it yet. Each attempt is recorded; verification skips those answers."""
    for attempt in range(RETRIES + 1):
        response = await _send(client, probe)
        if attempt == RETRIES or not (response.status_code == 429 or response.status_code >= 500):
            return
        delay = retry_delay(attempt, parse_retry_after(response.headers))
        if delay is None:
            return
        await anyio.sleep(delay)


async def _send(client: httpx2.AsyncClient, probe: Probe) -> httpx2.Response:
    spec = OPERATIONS[probe.operation]
    headers = {PROBE_HEADER: json.dumps(probe.meta())}
    path = spec.path.lstrip("/")
    if spec.content_type == "multipart/form-data":
        data = {k: _form_text(v) for k, v in probe.params.items()}
        files = [(_part(probe, f), (f"probe.{f.format}", image(f), _mime(f))) for f in probe.files]
        return await client.post(path, data=data, files=files, headers=headers)
    return await client.post(path, json=dict(probe.params), headers=headers)


def _part(probe: Probe, upload: ProbeFile) -> str:
    """The part name as the client sends it: `image[]` for a list of several files."""
    several = sum(f.part == upload.part for f in probe.files) > 1
    listed = OPERATIONS[probe.operation].params[upload.part].kind == "files"
    return upload.part + "[]" if several and listed else upload.part


def _form_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _mime(upload: ProbeFile) -> str:
    return f"image/{upload.format}"


@functools.cache
def image(upload: ProbeFile) -> bytes:
    """A real image of the probe file's format and dimensions (opaque grey)."""
    buffer = io.BytesIO()
    mode = "RGB" if upload.format == "jpeg" else "RGBA"
    Image.new(mode, (upload.width, upload.height), (160, 160, 160, 255)[: len(mode)]).save(
        buffer, upload.format.upper()
    )
    return buffer.getvalue()
