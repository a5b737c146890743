"""VCR.py cassettes, the YAML files that vcrpy and pytest-recording keep: read for verification, and
written by the recording proxy (`--format vcr`).

Reading: each interaction that is a POST to one of the API's operations becomes a `Record`, its body
read as the proxy reads a body in flight (`RequestTee`) and its answer shaped as the proxy shapes one
(decoded by httpx2: gzip, deflate, an event stream); the day is the answer's `Date` (or the day the
emulator played, when it was the upstream). An answer without a `Date` is undated, like a JSON
cassette from before cassettes kept their day: the day it is read is not the day it was recorded.
Any other interaction (a `GET /files/...`, another API) is skipped and counted. PyYAML comes with
vcrpy and is imported only when a cassette is met.

Writing: one cassette of one interaction per exchange, as vcrpy would replay it, reduced as a JSON
cassette is: no request header but the content type (so no key), and no image bytes. Each image of
the answer (`b64_json`) becomes a 1x1 stand-in of its format, so the answer still parses and decodes;
a multipart request keeps its fields, its file parts go empty and their metadata (format, size,
dimensions, sha256) goes under the interaction's `images` key, which vcrpy does not read. An answer
that came without a `Date` is given one (noon UTC of the day the proxy recorded it), so it keeps its day.
"""

from __future__ import annotations

import base64
import email.utils
import functools
import io
import json
import os
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, time
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx2
from httpx2 import EventSource
from PIL import Image

from .._imageinfo import sniff
from .._spec import OPERATIONS, Operation
from ._cassette import (
    AS_OF_HEADER,
    Answer,
    CassetteDir,
    Record,
    event_of,
    kept_headers,
    recorded_day,
    scrub,
    shape,
)
from ._tee import RequestTee

SUFFIXES = (".yaml", ".yml")
WRITTEN_HEADERS = ("content-type", "date", AS_OF_HEADER)
"""Answer headers a written cassette keeps besides those a JSON cassette keeps."""
_PIL_FORMATS = {"png": "PNG", "jpeg": "JPEG", "webp": "WEBP"}
Skipped = dict[str, str]


def _yaml() -> ModuleType:
    try:
        import yaml
    except ImportError:  # pragma: no cover - vcrpy, which writes these cassettes, depends on PyYAML
        raise ValueError("reading or writing VCR cassettes needs PyYAML: pip install pyyaml") from None
    module: ModuleType = yaml
    return module


# --- reading ------------------------------------------------------------------------------------------


def load_all(root: str | os.PathLike[str]) -> tuple[list[Record], list[Skipped]]:
    """The image requests of every VCR cassette at `root` (a YAML file, or a directory searched to any
    depth, as pytest-recording nests them), and each other interaction with why it was skipped."""
    path = Path(root)
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES)
    records: list[Record] = []
    others: list[Skipped] = []
    for file in files:
        found, skipped = load(file, file.relative_to(path).as_posix() if file != path else file.name)
        records += found
        others += skipped
    return records, others


def load(path: Path, name: str) -> tuple[list[Record], list[Skipped]]:
    """One cassette: its image requests as records named `name#N`, and its other interactions."""
    document = _yaml().safe_load(path.read_text(encoding="utf-8"))
    interactions = document.get("interactions") if isinstance(document, dict) else None
    if not isinstance(interactions, list):
        raise ValueError(f"{name} is not a VCR cassette: it has no interactions")
    records, others = [], []
    for number, interaction in enumerate(interactions, 1):
        found = record_of(interaction, f"{name}#{number}")
        if isinstance(found, Record):
            records.append(found)
        else:
            others.append({"record": f"{name}#{number}", "why": found})
    return records, others


def record_of(interaction: object, name: str) -> Record | str:
    """One interaction as a record, or why it is not an image request."""
    request = interaction.get("request") if isinstance(interaction, dict) else None
    response = interaction.get("response") if isinstance(interaction, dict) else None
    if not isinstance(request, dict) or not isinstance(response, dict):
        return "not a request and its response"
    method, uri = str(request.get("method", "")).upper(), str(request.get("uri", ""))
    operation = _operation(method, uri)
    if operation is None:
        return f"not an image request: {method} {httpx2.URL(uri).path}"
    assert isinstance(interaction, dict)
    tee = RequestTee(operation, _first(request.get("headers"), "content-type"))
    tee.feed(_bytes(request.get("body")))
    params = tee.params()
    meta = interaction.get("images")
    files: list[dict[str, Any]] = list(tee.files)
    if isinstance(meta, dict) and isinstance(meta.get("files"), list):
        files = list(
            meta["files"]
        )  # written by the proxy: its file parts are empty, these say what they held
    answer, headers = _answer(response, method, uri)
    day, as_of = recorded_day(headers.get("date"), headers.get(AS_OF_HEADER))
    return Record(
        operation,
        tee.kind,
        params,
        files,
        answer,
        tee.unparsed,
        name=name,
        recorded_on=day,
        as_of=as_of,
    )


def _operation(method: str, uri: str) -> Operation | None:
    path = httpx2.URL(uri).path
    for name, spec in OPERATIONS.items():
        if method == "POST" and path.endswith(spec.path):  # also an Azure deployment's path
            return name
    return None


def _first(headers: object, name: str) -> str:
    """A header of a recorded request or answer (vcrpy keeps each as a list of values)."""
    for key, values in (headers or {}).items() if isinstance(headers, dict) else ():
        if str(key).lower() == name:
            value = values[0] if isinstance(values, list) and values else values
            return str(value) if value is not None else ""
    return ""


def _bytes(body: object) -> bytes:
    if isinstance(body, dict):  # a response's body: {"string": ...}
        body = body.get("string")
    if isinstance(body, bytes):
        return body
    return body.encode("utf-8") if isinstance(body, str) else b""


def _answer(response: Mapping[str, Any], method: str, uri: str) -> tuple[Answer, httpx2.Headers]:
    status = response.get("status")
    code = int(status.get("code", 0) if isinstance(status, dict) else status or 0)
    raw: dict[str, Any] = response["headers"] if isinstance(response.get("headers"), dict) else {}
    pairs = [
        (str(k), str(v)) for k, vs in (raw or {}).items() for v in (vs if isinstance(vs, list) else [vs])
    ]
    body = _bytes(response.get("body", response.get("content")))
    decoded = httpx2.Response(code, headers=pairs, content=body, request=httpx2.Request(method, uri))
    answer = Answer(
        status=code,
        content_type=decoded.headers.get("content-type", "").split(";")[0].strip(),
        headers=kept_headers(decoded.headers.multi_items()),
    )
    try:
        if answer.content_type == "text/event-stream":
            answer.events = [
                event_of(sse.data, sse.event) for sse in EventSource(decoded, max_event_size=None)
            ]
            return answer, decoded.headers
        content = decoded.content
    except httpx2.DecodingError as exc:  # e.g. brotli without its decoder installed
        answer.note = f"a body that could not be decoded ({exc})"
        return answer, decoded.headers
    return shape(answer, content), decoded.headers


# --- writing ------------------------------------------------------------------------------------------


def interaction(
    record: Record,
    *,
    method: str,
    uri: str,
    status: int,
    headers: Iterable[tuple[str, str]],
    body: bytes | None,
    events: Iterable[tuple[str, str]] = (),
) -> dict[str, object]:
    """An exchange as a vcrpy interaction, reduced (see the module's docstring). `body` is the JSON
    answer (None when it was too large to keep); `events` the (event, data) of a streamed one."""
    kept = dict(kept_headers(headers))
    kept.update({name.lower(): value for name, value in headers if name.lower() in WRITTEN_HEADERS})
    if "date" not in kept and record.recorded_on is not None:  # its day, which a reader takes from `Date`
        noon = datetime.combine(record.recorded_on, time(12), UTC)
        kept["date"] = email.utils.format_datetime(noon, usegmt=True)
    if record.answer.events is not None:
        text = "".join(_frame(event, reduced(data)) for event, data in events)
    else:
        text = reduced(body.decode("utf-8", "replace")) if body else ""
    content_type, request_body = _request_body(record)
    item: dict[str, object] = {
        "request": {
            "body": request_body,
            "headers": {"content-type": [content_type]} if content_type else {},
            "method": method,
            "uri": uri,
        },
        "response": {
            "body": {"string": text},
            "headers": {name: [value] for name, value in kept.items()},
            "status": {"code": status, "message": httpx2.codes.get_reason_phrase(status)},
        },
    }
    if record.files:
        item["images"] = {"files": record.files}
    return item


def _request_body(record: Record) -> tuple[str, str]:
    """The request's content type and body, without the bytes of its files."""
    if record.unparsed is not None:
        return record.content_type, ""
    if record.content_type != "multipart/form-data":
        return record.content_type, json.dumps(record.params, ensure_ascii=False)
    fields = {name: _form_text(value) for name, value in record.params.items()}
    files = [
        (str(meta["part"]), (meta.get("filename"), b"", meta.get("content_type"))) for meta in record.files
    ]
    request = httpx2.Request("POST", "http://cassette", data=fields, files=files)
    return request.headers["content-type"], request.read().decode("utf-8", "replace")


def _form_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else json.dumps(value)


def reduced(data: str) -> str:
    """A JSON document (a body or an event's data) with each `b64_json` image replaced by a 1x1
    stand-in of its format; anything else as it was."""
    try:
        document = json.loads(data)
    except ValueError:
        return data
    return json.dumps(_replace_images(document), ensure_ascii=False, separators=(",", ":"))


def _replace_images(value: object) -> object:
    if isinstance(value, dict):
        return {
            key: _stand_in(item) if key == "b64_json" and isinstance(item, str) else _replace_images(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_replace_images(item) for item in value]
    return value


def _stand_in(b64: str) -> str:
    try:
        head = base64.b64decode(b64[:64] + "=" * (-len(b64[:64]) % 4))
    except ValueError:
        return ""
    info = sniff(head)
    return _tiny(info.format) if info is not None and info.format in _PIL_FORMATS else ""


@functools.cache
def _tiny(kind: str) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (1, 1), (128, 128, 128)).save(buffer, _PIL_FORMATS[kind])
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _frame(event: str, data: str) -> str:
    lines = [] if event == "message" else [f"event: {event}"]
    return "\n".join([*lines, *(f"data: {line}" for line in data.split("\n"))]) + "\n\n"


def write(cassettes: CassetteDir, record: Record, item: Mapping[str, object], hidden: Iterable[str]) -> Path:
    """Write `item` as a cassette of one interaction into `cassettes`, scrubbed of `hidden`."""
    document = scrub({"interactions": [dict(item)], "version": 1}, hidden)
    text = _yaml().safe_dump(document, sort_keys=False, allow_unicode=True, width=1_000_000)
    return cassettes.place(text, record, ".yaml", hidden)
