"""Reading a job's lines as a stream, and checking each with the rules of a single call.

A job file is one of three formats, told apart per line (JSONL) or by the file's suffix (text):

- the Batch API's own lines: `{"custom_id", "method": "POST", "url": "/v1/images/generations", "body"}`;
- short lines: `{"custom_id"?, "prompt", ...params}`, the operation given once for the job;
- a plain text file (`.txt`) of prompts, one a line, with shared options.

Shared options (`defaults`) apply to every line that does not set them. A line without a
`custom_id` gets `line-<number>`. A line that is not UTF-8 is refused, not altered. A custom_id names
the saved files (`<id>.png`, or `<id>-1.png` ... when a line asks for several), so it is refused when
those files could not be saved or would be another line's: too long, not a plain name, or the same
names as another line's once case and Unicode normalisation are set aside (as macOS and Windows
file systems compare names). Memory stays flat in the line count: lines are read one at a time,
and duplicate detection keeps 8-byte digests, not the ids.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from .._capabilities import Operation
from .._errors import PreflightError, ValidationError
from .._references import validate_by_reference
from .._results import MAX_STEM_BYTES, check_stem
from .._spec import OPERATIONS, P
from .._validation import MODEL, resolve_model, validate_request, warn_unknown

ENDPOINTS: Final[Mapping[Operation, str]] = {"generate": "/v1/images/generations", "edit": "/v1/images/edits"}
"""The operations the Batch API runs, and their endpoint."""
OPERATION_OF: Final = {url: operation for operation, url in ENDPOINTS.items()}
MAX_LINE_BYTES: Final = 1 << 20
_BATCH_KEYS: Final = frozenset({"custom_id", "method", "url", "body"})


@dataclass(frozen=True, slots=True)
class JobLine:
    """One request of a job: where it is, its id, and the request body the API will get."""

    number: int
    custom_id: str
    operation: Operation
    body: dict[str, Any] = field(repr=False)

    def batch_line(self) -> dict[str, Any]:
        """The line in the Batch API's input format."""
        return {
            "custom_id": self.custom_id,
            "method": "POST",
            "url": ENDPOINTS[self.operation],
            "body": self.body,
        }


@dataclass(frozen=True, slots=True)
class LineError:
    """Why a line cannot be sent: its number (1-based), its custom_id if known, and the message."""

    number: int
    custom_id: str | None
    message: str
    param: str | None = None

    def __str__(self) -> str:
        where = f"line {self.number}" + (f" ({self.custom_id})" if self.custom_id else "")
        return f"{where}: {self.message}"

    def to_json(self) -> dict[str, Any]:
        return {
            "line": self.number,
            "custom_id": self.custom_id,
            "param": self.param,
            "message": self.message,
        }


def read_lines(
    path: str | Path, operation: Operation = "generate", defaults: Mapping[str, Any] | None = None
) -> Iterator[JobLine | LineError]:
    """Each line of a job file, parsed (not yet checked against the model's rules), or why it cannot be."""
    path = Path(path)
    shared = dict(defaults or {})
    offset = 0
    with path.open("rb") as handle:
        for number, raw in enumerate(iter(lambda: handle.readline(MAX_LINE_BYTES + 1), b""), 1):
            start, offset = offset, offset + len(raw)
            if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                yield LineError(number, None, f"the line is longer than {MAX_LINE_BYTES >> 20} MB")
                offset += _skip_rest(handle)
                continue
            try:
                text = raw.decode("utf-8").strip()
            except UnicodeDecodeError as exc:
                yield _not_utf8(number, start, raw, exc)
                continue
            if not text:
                continue
            if path.suffix == ".txt":
                yield JobLine(number, f"line-{number}", operation, {**shared, P.prompt: text})
            else:
                yield _parse(number, text, operation, shared)


def _skip_rest(handle: Any) -> int:
    skipped = 0
    while chunk := handle.readline(MAX_LINE_BYTES):
        skipped += len(chunk)
        if chunk.endswith(b"\n"):
            break
    return skipped


def _not_utf8(number: int, start: int, raw: bytes, exc: UnicodeDecodeError) -> LineError:
    """Name the first byte that is not UTF-8: decoding it leniently would send other text than the file's."""
    message = (
        f"not UTF-8: byte 0x{raw[exc.start]:02x} at byte {exc.start} of the line "
        f"(byte offset {start + exc.start} of the file); save the file as UTF-8"
    )
    return LineError(number, None, message)


def _parse(number: int, text: str, operation: Operation, shared: dict[str, Any]) -> JobLine | LineError:
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:
        return LineError(number, None, f"not valid JSON: {exc}")
    if not isinstance(document, dict):
        return LineError(number, None, "not a JSON object")
    custom_id = document.get("custom_id", f"line-{number}")
    if not isinstance(custom_id, str) or not custom_id:
        return LineError(number, None, f"custom_id {custom_id!r} is invalid; allowed: a non-empty string")
    if "body" in document or "url" in document:
        return _batch_format(number, custom_id, document, shared)
    body = {key: value for key, value in document.items() if key != "custom_id"}
    for key in body:  # `custom_ud`: a job key misspelled, not a parameter the API lacks
        if key not in OPERATIONS[operation].params and (hint := _did_you_mean(key, ["custom_id"])):
            return LineError(number, None, f"{key} is not a field of a job line{hint}", key)
    return JobLine(number, custom_id, operation, {**shared, **body})


def _did_you_mean(key: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.75)
    return f"; did you mean {close[0]}?" if close else ""


def _batch_format(
    number: int, custom_id: str, document: dict[str, Any], shared: dict[str, Any]
) -> JobLine | LineError:
    unknown = sorted(set(document) - _BATCH_KEYS)
    if unknown:
        message = f"{unknown[0]} is not a field of a Batch API line{_did_you_mean(unknown[0], _BATCH_KEYS)}"
        return LineError(number, custom_id, message, unknown[0])
    url, body = document.get("url"), document.get("body")
    if url not in OPERATION_OF:
        allowed = ", ".join(OPERATION_OF)
        return LineError(
            number, custom_id, f"url {url!r} is not an image endpoint; allowed: {allowed}", "url"
        )
    if document.get("method", "POST") != "POST":
        return LineError(
            number, custom_id, f"method {document['method']!r} is invalid; allowed: POST", "method"
        )
    if not isinstance(body, dict):
        return LineError(number, custom_id, "body must be a JSON object (the request body)", "body")
    return JobLine(number, custom_id, OPERATION_OF[url], {**shared, **body})


def check_line(line: JobLine, *, model_rules: bool = True) -> None:
    """Raise `ValidationError` if the API would refuse this line, by the same rules as a single call,
    or if its results could not be saved under its custom_id."""
    check_stem_of(line.custom_id)
    params = {name: value for name, value in line.body.items() if value is not None}
    named = params.pop(MODEL, None)
    model = resolve_model(line.operation, named if isinstance(named, str) else None, params)
    if named is not None and not isinstance(named, str):
        raise ValidationError(f"model {named!r} is invalid; allowed: a model name", param=MODEL, value=named)
    if params.get(P.stream) is True:
        raise ValidationError(
            f"{P.stream} True cannot be used in a job; allowed: false", param=P.stream, value=True
        )
    spec = OPERATIONS[line.operation]
    warn_unknown(spec, params)  # sent as given, as a single call's would be: the API may be newer
    if spec.content_type == "application/json":
        validate_request(line.operation, model, params, model_rules=model_rules, send_unknown_values=True)
        return
    # A Batch API line is JSON: an operation that takes uploads runs as its by-reference variant
    # (edits with `images: [{"image_url" | "file_id": ...}]`), checked as a single call would be.
    validate_by_reference(line.operation, model, params, model_rules=model_rules, send_unknown_values=True)


def check_stem_of(custom_id: str) -> None:
    """A custom_id names the saved files, so it must be a plain file name."""
    try:
        check_stem(custom_id)
    except ValueError:
        allowed = (
            f"a plain file name of at most {MAX_STEM_BYTES} UTF-8 bytes (no path separators, '..' or NUL)"
        )
        shown = custom_id if len(custom_id) <= 60 else custom_id[:40] + f"... ({len(custom_id)} characters)"
        message = f"custom_id {shown!r} cannot name the saved files; allowed: {allowed}"
        raise ValidationError(message, param="custom_id", value=custom_id, allowed=allowed) from None


def stems(line: JobLine) -> list[str]:
    """The stems the line's images are saved under: the custom_id, or `<id>-1` ... for several."""
    count = line.body.get(P.n)
    if isinstance(count, int) and not isinstance(count, bool) and count > 1:
        return [f"{line.custom_id}-{index}" for index in range(1, count + 1)]
    return [line.custom_id]


@dataclass(slots=True)
class Checked:
    """Duplicate detection over a stream: 8 bytes per custom_id and per stem seen."""

    seen: dict[bytes, int] = field(default_factory=dict)
    names: dict[bytes, int] = field(default_factory=dict)

    def duplicate_of(self, line: JobLine) -> int | None:
        """The number of the earlier line with this custom_id, if any (and remember this one)."""
        digest = hashlib.blake2b(line.custom_id.encode("utf-8", "surrogatepass"), digest_size=8).digest()
        earlier = self.seen.get(digest)
        if earlier is None:
            self.seen[digest] = line.number
        return earlier

    def same_files_as(self, line: JobLine) -> tuple[int, str] | None:
        """The earlier line whose files this line's would overwrite, and the stem; else claim them."""
        keys = [_name_key(stem) for stem in stems(line)]
        for key, stem in zip(keys, stems(line), strict=True):
            if key in self.names:
                return self.names[key], stem
        self.names.update(dict.fromkeys(keys, line.number))
        return None


def _name_key(stem: str) -> bytes:
    folded = unicodedata.normalize("NFC", stem).casefold()
    return hashlib.blake2b(folded.encode("utf-8", "surrogatepass"), digest_size=8).digest()


def checked_lines(
    path: str | Path,
    operation: Operation = "generate",
    defaults: Mapping[str, Any] | None = None,
    *,
    model_rules: bool = True,
) -> Iterator[JobLine | LineError]:
    """`read_lines`, each line also checked: a `LineError` for every line the API would refuse
    (its model rules, a custom_id used twice or that cannot name a file)."""
    checked = Checked()
    for item in read_lines(path, operation, defaults):
        if isinstance(item, LineError):
            yield item
            continue
        earlier = checked.duplicate_of(item)
        if earlier is not None:
            message = (
                f"custom_id {item.custom_id!r} is already used by line {earlier}; custom_ids must be unique"
            )
            yield LineError(item.number, item.custom_id, message, "custom_id")
            continue
        try:
            check_line(item, model_rules=model_rules)
        except PreflightError as exc:
            yield LineError(item.number, item.custom_id, exc.message, exc.param)
            continue
        clash = checked.same_files_as(item)
        if clash is not None:
            message = (
                f"custom_id {item.custom_id!r} would save {clash[1]!r}, as line {clash[0]} does (file names "
                "are compared ignoring case and Unicode normalisation); give the lines distinct custom_ids"
            )
            yield LineError(item.number, item.custom_id, message, "custom_id")
            continue
        yield item
