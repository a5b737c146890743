"""Cassettes: one JSON file per recorded exchange with the API, and what an answer looks like in one.

A record keeps what verification needs and nothing it should not: the operation, the parameters
as parsed, the uploaded files' metadata (part name, format, dimensions, size, sha256; never their
bytes), and the shape of the answer (status, the error's type/param/code/message, the field names
and value types of the body or of each streamed event, the rate-limit and request-id headers).
Request headers are not kept at all, and every string that holds the caller's key is scrubbed again
as the file is written, so a cassette can be committed or attached to a CI run.
"""

from __future__ import annotations

import email.utils
import json
import os
import secrets
import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date
from pathlib import Path
from typing import Any

FORMAT = "images-cassette/1"
SCRUBBED = "***"
MAX_DEPTH = 6
"""How deep field paths go: deeper values are typed as the container they are."""
MAX_FIELDS = 256
"""Field paths kept per body or event."""
KEPT_HEADERS = ("x-request-id", "openai-processing-ms", "openai-version", "openai-organization")
"""Answer headers worth keeping besides `x-ratelimit-*`; never a request header."""
AS_OF_HEADER = "x-emulator-as-of"
"""The emulator's answers say the day whose API it plays (`YYYY-MM-DD`); a cassette recorded from it
keeps that day, so that verification replays it as of the same day."""


@dataclass
class Answer:
    """The shape of an answer: status, error, body fields or the events of a stream, kept headers."""

    status: int
    content_type: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    error: dict[str, object] | None = None
    fields: dict[str, str] | None = None
    events: list[dict[str, object]] | None = None
    note: str | None = None

    @property
    def accepted(self) -> bool:
        return 200 <= self.status < 300

    def to_json(self) -> dict[str, object]:
        return {
            "status": self.status,
            "content_type": self.content_type,
            "headers": self.headers,
            "error": self.error,
            "fields": self.fields,
            "events": self.events,
            "note": self.note,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Answer:
        return cls(
            status=int(data["status"]),
            content_type=str(data.get("content_type") or ""),
            headers=dict(data.get("headers") or {}),
            error=data.get("error"),
            fields=data.get("fields"),
            events=data.get("events"),
            note=data.get("note"),
        )


@dataclass
class Record:
    """One exchange: the request as sent (params and file metadata) and the upstream's answer."""

    operation: str
    content_type: str
    params: dict[str, object]
    files: list[dict[str, Any]]
    answer: Answer
    unparsed: str | None = None
    """Why the request body could not be read (then it cannot be replayed)."""
    probe: dict[str, object] | None = None
    """For a probe: the rule it pins, the model, and which side of the boundary it is on."""
    name: str = ""
    """The cassette file's name, once loaded."""
    recorded_on: date | None = None
    """The day of the exchange: the answer's `Date`, else the recording proxy's clock; None when no day
    is known (a cassette from before cassettes kept it, a VCR answer without a `Date`)."""
    as_of: date | None = None
    """The day the upstream played, when it was the emulator (its `x-emulator-as-of`)."""

    @property
    def day(self) -> date | None:
        """The day whose API answered: the one the emulator played, else the day of recording."""
        return self.as_of or self.recorded_on

    def to_json(self) -> dict[str, object]:
        document: dict[str, object] = {
            "format": FORMAT,
            "operation": self.operation,
            "recorded_on": self.recorded_on.isoformat() if self.recorded_on else None,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "request": {
                "content_type": self.content_type,
                "params": self.params,
                "files": self.files,
                "unparsed": self.unparsed,
            },
            "response": self.answer.to_json(),
        }
        if self.probe is not None:
            document["probe"] = self.probe
        return document

    @classmethod
    def from_json(cls, data: Mapping[str, Any], name: str = "") -> Record:
        if data.get("format") != FORMAT:
            raise ValueError(f"{name or 'a cassette'} is not an {FORMAT} record")
        request = data["request"]
        return cls(
            operation=str(data["operation"]),
            content_type=str(request.get("content_type") or ""),
            params=dict(request.get("params") or {}),
            files=list(request.get("files") or []),
            answer=Answer.from_json(data["response"]),
            unparsed=request.get("unparsed"),
            probe=data.get("probe"),
            name=name,
            recorded_on=_day(data.get("recorded_on")),
            as_of=_day(data.get("as_of")),
        )


def _day(value: object) -> date | None:
    """A recorded day; ValueError naming the value when it is not `YYYY-MM-DD`."""
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"recorded day {value!r} is not a date (YYYY-MM-DD)") from None


# --- the shape of a body ----------------------------------------------------------------------------


def kind_of(value: object) -> str:
    """The JSON type of a value, as JSON Schema names it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def fields_of(document: object) -> dict[str, str]:
    """Every field path of a JSON document and its type: `data: array`, `data[].b64_json: string`.

    Items of an array merge into one `[]` path (their types joined with `|` when they differ), so the
    shape of ten images is the shape of one.
    """
    found: dict[str, str] = {}
    _walk(document, "", 0, found)
    return found


def _walk(value: object, path: str, depth: int, found: dict[str, str]) -> None:
    if path and len(found) < MAX_FIELDS:
        kinds = set(found.get(path, "").split("|")) - {""}
        found[path] = "|".join(sorted(kinds | {kind_of(value)}))
    if depth >= MAX_DEPTH:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            _walk(item, f"{path}.{key}" if path else str(key), depth + 1, found)
    elif isinstance(value, list):
        for item in value:
            _walk(item, f"{path}[]", depth + 1, found)


def error_of(document: object) -> dict[str, object] | None:
    """The `error` object of an error answer (type, param, code, message), if the body has one."""
    error = document.get("error") if isinstance(document, dict) else None
    if not isinstance(error, dict):
        return None
    return {key: error.get(key) for key in ("type", "param", "code", "message")}


def event_of(data: str, name: str) -> dict[str, object]:
    """One streamed event: its type (the JSON `type`, else the SSE event name) and its fields."""
    try:
        document = json.loads(data)
    except ValueError:
        return {"type": name or "message", "fields": None, "note": "data is not JSON"}
    kind = document.get("type") if isinstance(document, dict) else None
    return {"type": str(kind or name or "message"), "fields": fields_of(document)}


def kept_headers(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The answer headers a record keeps: rate limits and request ids."""
    return {
        name.lower(): value
        for name, value in headers
        if name.lower().startswith("x-ratelimit-") or name.lower() in KEPT_HEADERS
    }


def recorded_day(date_header: str | None, as_of_header: str | None) -> tuple[date | None, date | None]:
    """The day of an answer (its `Date` header as a UTC day) and the day the emulator played (its
    `AS_OF_HEADER`), each None when the answer does not say it; a header that does not parse is not
    believed. Only the recording proxy may fall back on its clock: it records as the answer comes, while
    a VCR cassette read later may be years old."""
    try:
        stamp = email.utils.parsedate_to_datetime(date_header or "")
        day = stamp.astimezone(UTC).date() if stamp.tzinfo else stamp.date()
    except (TypeError, ValueError):
        day = None
    try:
        played = date.fromisoformat(as_of_header or "")
    except ValueError:
        played = None
    return day, played


def shape(answer: Answer, body: bytes) -> Answer:
    """Fill `answer` with the error (an error answer) or the field types (a success) of a JSON body."""
    try:
        document = json.loads(body) if body else None
    except ValueError:
        answer.note = "a body that is not JSON"
        return answer
    if answer.accepted:
        answer.fields = fields_of(document)
    else:
        answer.error = error_of(document)
    return answer


# --- files -------------------------------------------------------------------------------------------


def scrub(document: object, hidden: Iterable[str]) -> object:
    """`document` with every occurrence of each of `hidden` (the caller's key) replaced in every string."""
    words = [word for word in hidden if word]
    if not words:
        return document
    if isinstance(document, str):
        for word in words:
            document = document.replace(word, SCRUBBED)
        return document
    if isinstance(document, dict):
        return {scrub(key, words): scrub(value, words) for key, value in document.items()}
    if isinstance(document, list):
        return [scrub(item, words) for item in document]
    return document


class CassetteDir:
    """A directory of cassettes. Each record goes to its own file, written whole to a temporary file
    and then linked into place under a new name: never half-written, never overwriting another."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    def write(self, record: Record, hidden: Iterable[str] = ()) -> Path:
        """Write `record` (scrubbed of `hidden`) and return its path."""
        text = json.dumps(scrub(record.to_json(), hidden), indent=1, sort_keys=False, ensure_ascii=False)
        return self.place(text + "\n", record, ".json", hidden)

    def place(self, text: str, record: Record, suffix: str, hidden: Iterable[str] = ()) -> Path:
        """Write `text` (already scrubbed of `hidden`) as a new file named for `record`; its path."""
        self.path.mkdir(parents=True, exist_ok=True)
        for word in hidden:  # the scrub covers every string; this guards against a slip in it
            if word and word in text:
                raise AssertionError("a cassette record still holds the caller's key")
        status = record.answer.status
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=self.path, suffix=".tmp", delete=False
        ) as handle:
            handle.write(text)
        try:
            while True:
                target = self.path / f"{_stamp()}-{record.operation}-{status}{suffix}"
                try:
                    os.link(handle.name, target)
                    return target
                except FileExistsError:
                    continue
        finally:
            os.unlink(handle.name)

    def load(self) -> list[Record]:
        """Every record of the directory, oldest first (by file name)."""
        if not self.path.is_dir():
            raise FileNotFoundError(f"no cassette directory at {self.path}")
        records = []
        for path in sorted(self.path.glob("*.json")):
            with path.open(encoding="utf-8") as handle:
                records.append(Record.from_json(json.load(handle), path.name))
        return records


def _stamp() -> str:
    """A name that sorts by time of writing and does not collide across processes."""
    return f"{time.time_ns():020d}-{secrets.token_hex(3)}"
