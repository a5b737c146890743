"""Reading request bodies: bounded JSON for generations, streamed multipart for edits and variations.

Multipart bodies go through python-multipart's push parser one network chunk at a time. File parts
are spooled (1 MB in memory, then a temporary file) and their limits are enforced while they
arrive, so a 60 MB file or a 17th image is refused without holding more than a chunk of it.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from tempfile import SpooledTemporaryFile
from typing import IO, TYPE_CHECKING

import anyio
from python_multipart import MultipartParser
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import parse_options_header
from starlette.requests import ClientDisconnect, Request

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

from .._capabilities import MAX_FILE_BYTES, MB
from .._imageinfo import HEAD_BYTES, ImageInfo, sniff
from .._schema import OperationSpec
from .._spec import OPERATIONS, Operation, P
from .._validation import Upload
from ._errors import APIErrorResponse

MAX_JSON_BYTES = 1 * MB
MAX_REFERENCE_JSON_BYTES = 64 * MB
"""A JSON edit carries its images as data: URLs (up to 20 MB each in the API): bounded all the same."""
MAX_FIELD_BYTES = 256 * 1024
MAX_FIELDS = 64
MAX_HEADER_BYTES = 16 * 1024
MAX_FILES = max(param.max_items or 1 for op in OPERATIONS.values() for param in op.files)
"""The most files one request may carry, as openapi.yaml bounds them."""
MAX_BODY_BYTES = (MAX_FILES + 1) * MAX_FILE_BYTES + MB
DRAIN_BYTES = 64 * MB
"""How much of a refused body is still read (and dropped) so that an HTTP/1.1 client sees the answer."""

SPOOL_BYTES = 1 * MB
_LISTS = frozenset(param.name for op in OPERATIONS.values() for param in op.files if param.kind == "files")
SINGLE_FILES = frozenset(param.name for op in OPERATIONS.values() for param in op.files) - _LISTS
"""File parameters that only ever take one file (mask, markup): kept by name, not among the images."""
FILE_FIELDS = {
    part: param.name
    for op in OPERATIONS.values()
    for param in op.files
    for part in (param.name, *((f"{param.name}[]",) if param.kind == "files" else ()))
}
"""Each multipart part name that carries a file, and its parameter (a list goes out as `image[]`)."""
BOOLEANS = {"true": True, "false": False}
_INTEGER = re.compile(r"^-?[0-9]{1,4000}$")  # Python parses up to 4300 digits
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


@dataclass(slots=True)
class FilePart:
    """One uploaded file; `spool` is None for images past the limit, which are counted, not kept."""

    param: str
    filename: str | None
    content_type: str | None
    spool: IO[bytes] | None
    size: int = 0
    info: ImageInfo | None = None

    def upload(self) -> Upload:
        return Upload(self.info, self.size, self.filename)

    def head(self) -> bytes:
        return self.read(HEAD_BYTES)

    def read(self, limit: int = -1) -> bytes:
        if self.spool is None:
            return b""
        self.spool.seek(0)
        return self.spool.read(limit)


@dataclass(slots=True)
class Form:
    """A parsed multipart body: text fields (each sent once), image parts in order, and the parts of
    the one-file parameters (mask, markup) by name.

    `image_name` is the part name the images came under: `image` or `image[]`, never both.
    """

    fields: dict[str, str] = field(default_factory=dict)
    images: list[FilePart] = field(default_factory=list)
    singles: dict[str, FilePart] = field(default_factory=dict)
    image_name: str | None = None

    @property
    def mask(self) -> FilePart | None:
        return self.singles.get(P.mask)

    @property
    def markup(self) -> FilePart | None:
        return self.singles.get(P.markup)

    def parts(self) -> list[FilePart]:
        return [*self.images, *self.singles.values()]

    def uploads(self) -> dict[str, list[Upload]]:
        """What validation needs of each file parameter's parts."""
        found: dict[str, list[Upload]] = {}
        for part in self.parts():
            found.setdefault(part.param, []).append(part.upload())
        return found

    def close(self) -> None:
        for part in self.parts():
            if part.spool is not None:
                part.spool.close()


def content_type(request: Request, *accepted: str) -> str:
    """The request's media type (lower case, without parameters); 415 naming `accepted` for another."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in accepted:
        shown = kind or "no content type"
        raise APIErrorResponse(415, f"Unsupported content type {shown!r}; send {' or '.join(accepted)}.")
    return kind


async def read_json(request: Request, timeout: float, limit: int = MAX_JSON_BYTES) -> dict[str, object]:
    """The JSON object of a request; 413 above `limit` bytes, 400 for anything but an object or
    for text that is not Unicode (a lone surrogate), 408 when the body stops for `timeout` seconds."""
    body = bytearray()
    try:
        async for chunk in timed(request.stream(), timeout):
            body += chunk
            if len(body) > limit:
                raise APIErrorResponse(413, f"The request body exceeds {limit // MB} MB.")
    except ClientDisconnect:
        raise APIErrorResponse(400, "The client disconnected before sending the whole body.") from None
    try:
        document = json.loads(bytes(body), object_pairs_hook=_unique_keys)
    except _DuplicateKey as exc:
        message = f"{exc.key} was sent more than once; send each parameter once"
        raise APIErrorResponse(400, message, param=exc.key) from None
    except (ValueError, RecursionError):
        raise APIErrorResponse(400, "We could not parse the JSON body of your request.") from None
    if not isinstance(document, dict):
        raise APIErrorResponse(400, "The request body must be a JSON object.")
    if _SURROGATE_ESCAPE.search(body):  # a surrogate can only come from a \u escape: walk only then
        _check_unicode(document)
    return document


async def timed(stream: AsyncIterator[bytes], timeout: float) -> AsyncIterator[bytes]:
    """The chunks of a body, answering 408 when none arrives for `timeout` seconds: a client that
    promised more than it sends (a long Content-Length) must not hold the request open forever."""
    while True:
        with anyio.move_on_after(timeout) as waited:
            chunk = await anext(stream, None)
        if waited.cancelled_caught:
            message = f"The request body stopped arriving: nothing was received for {timeout:g} s."
            raise APIErrorResponse(408, message, code="request_timeout")
        if chunk is None:
            return
        yield chunk


def _check_unicode(document: dict[str, object]) -> None:
    """400 for a string holding a lone surrogate (`\\ud800`): valid JSON, but not text, and it
    cannot be encoded again (it made the emulator fail with a 500)."""
    stack: list[tuple[str | None, object]] = [(None, document)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str) and _SURROGATE.search(value):
            param = where if where is not None and not _SURROGATE.search(where) else None
            shown = ascii(_SURROGATE.search(value)[0])  # type: ignore[index]
            message = f"The JSON body holds a lone surrogate ({shown}); strings must be valid Unicode."
            raise APIErrorResponse(400, message, param=param)
        if isinstance(value, dict):
            stack.extend((key, key) for key in value)
            stack.extend((where or key, item) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((where, item) for item in value)


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _unique_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """A JSON object, refusing a key given twice (json.loads would silently keep the last)."""
    document = dict(pairs)
    if len(document) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return document


def integral(spec: OperationSpec, document: dict[str, object]) -> dict[str, object]:
    """Integer fields sent as integral numbers (`3.0`, `1e1`) as ints: JSON Schema counts them as integers."""
    integers = {name for name, param in spec.params.items() if param.kind == "integer"}
    return {
        name: int(value) if name in integers and isinstance(value, float) and value.is_integer() else value
        for name, value in document.items()
    }


def not_null(spec: OperationSpec, document: dict[str, object]) -> dict[str, object]:
    """The body without the nullable fields sent as JSON null: null means "not given" (the official
    SDK sends `"model": null` for `model=None`). A null where the schema takes none stays, to be refused."""
    return {
        name: value
        for name, value in document.items()
        if value is not None or name not in spec.params or not spec.params[name].nullable
    }


async def read_form(request: Request, max_images: int, timeout: float) -> Form:
    """Stream a multipart body into a `Form`, refusing oversized or surplus parts as they arrive
    (408 when the body stops for `timeout` seconds)."""
    boundary = _boundary(request.headers.get("content-type", ""))
    reader = _FormReader(max_images)
    parser = MultipartParser(boundary, reader.callbacks(), max_size=MAX_BODY_BYTES)
    stream = timed(request.stream(), timeout)
    try:
        await _feed(stream, parser)
    except APIErrorResponse as exc:
        reader.form.close()
        if exc.status != 408:  # a stalled body has nothing more to drain
            await _drain(stream)
        raise
    except BaseException:
        reader.form.close()
        raise
    return reader.form


async def _feed(stream: AsyncIterator[bytes], parser: MultipartParser) -> None:
    received = 0
    try:
        async for chunk in stream:
            received += len(chunk)
            if received > MAX_BODY_BYTES:
                raise APIErrorResponse(413, f"The request body exceeds {MAX_BODY_BYTES // MB} MB.")
            parser.write(chunk)
        parser.finalize()
    except FormParserError as exc:
        raise APIErrorResponse(400, f"Invalid multipart body: {exc}") from None
    except ClientDisconnect:
        raise APIErrorResponse(400, "The client disconnected before sending the whole body.") from None


async def _drain(stream: AsyncIterator[bytes]) -> None:
    dropped = 0
    try:
        async for chunk in stream:
            dropped += len(chunk)
            if dropped > DRAIN_BYTES:
                return
    except (ClientDisconnect, APIErrorResponse):  # gone, or stalled: stop draining
        return


def _boundary(content_type: str) -> bytes:
    _, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if not boundary or len(boundary) > 200:
        raise APIErrorResponse(400, "Invalid multipart body: the Content-Type has no boundary.")
    return boundary


class _FormReader:
    """python-multipart callbacks that fill a `Form` and enforce the limits part by part."""

    def __init__(self, max_images: int) -> None:
        self.form = Form()
        self.max_images = max_images
        self._header_name = bytearray()
        self._header_value = bytearray()
        self._headers: dict[bytes, bytes] = {}
        self._name = ""
        self._text = bytearray()
        self._file: FilePart | None = None

    def callbacks(self) -> MultipartCallbacks:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": lambda data, start, end: self._grow(self._header_name, data[start:end]),
            "on_header_value": lambda data, start, end: self._grow(self._header_value, data[start:end]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
        }

    def _grow(self, buffer: bytearray, data: bytes) -> None:
        buffer += data
        if len(buffer) > MAX_HEADER_BYTES:
            raise APIErrorResponse(400, "Invalid multipart body: a part header is too long.")

    def _part_begin(self) -> None:
        self._headers.clear()
        self._text.clear()
        self._file = None

    def _header_end(self) -> None:
        self._headers[bytes(self._header_name).lower()] = bytes(self._header_value)
        self._header_name.clear()
        self._header_value.clear()

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        if b"name" not in options:
            raise APIErrorResponse(400, "Invalid multipart body: a part has no name.")
        self._name = _utf8(options[b"name"], "a part name", None)
        if self._name in FILE_FIELDS:
            self._file = self._open_file(self._name, options.get(b"filename"))
        elif len(self.form.fields) >= MAX_FIELDS:
            raise APIErrorResponse(400, f"Too many form fields; at most {MAX_FIELDS}.")

    def _open_file(self, name: str, filename: bytes | None) -> FilePart:
        param = FILE_FIELDS[name]
        content_type = self._headers.get(b"content-type")
        if param == P.image and len(self.form.images) >= self.max_images:
            # Refused as it arrives: a body of 400,000 tiny parts is not parsed and kept first.
            limit = self.max_images
            message = f"image (at least {limit + 1} files) is invalid; allowed: 1 to {limit} image files"
            raise APIErrorResponse(400, message, param=P.image)
        part = FilePart(
            param,
            filename.decode("utf-8", "replace") if filename is not None else None,
            content_type.decode("latin-1") if content_type is not None else None,
            SpooledTemporaryFile(max_size=SPOOL_BYTES),  # noqa: SIM115 - closed by Form
        )
        if param in SINGLE_FILES:
            if param in self.form.singles:
                self.form.images.append(part)  # closed with the form
                raise APIErrorResponse(400, f"Only one {param} may be sent.", param=param)
            self.form.singles[param] = part
        else:
            self.form.images.append(part)  # closed with the form, even when refused below
            if self.form.image_name not in (None, name):
                message = f"image was sent as both {self.form.image_name!r} and {name!r} parts; use one"
                raise APIErrorResponse(400, message, param=P.image)
            self.form.image_name = name
        return part

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._file is None:
            self._text += data[start:end]
            if len(self._text) > MAX_FIELD_BYTES:
                raise APIErrorResponse(
                    413, f"{self._name} exceeds {MAX_FIELD_BYTES} bytes.", param=self._name
                )
            return
        part = self._file
        part.size += end - start
        if part.size > MAX_FILE_BYTES:
            name = f"{part.filename!r}" if part.filename else "a file"
            message = (
                f"{part.param} {name} exceeds {MAX_FILE_BYTES // MB} MB; files may be at most that large."
            )
            raise APIErrorResponse(413, message, param=part.param, code="file_too_large")
        if part.spool is not None:
            part.spool.write(data[start:end])

    def _part_end(self) -> None:
        if self._file is None:
            if self._name in self.form.fields:
                message = f"{self._name} was sent more than once; send each parameter once"
                raise APIErrorResponse(400, message, param=self._name)
            self.form.fields[self._name] = _utf8(bytes(self._text), self._name, self._name)
        else:
            self._file.info = sniff(self._file.head())


def _utf8(data: bytes, what: str, param: str | None) -> str:
    """Text of a form: 400 naming it when it is not UTF-8 (rather than a silent U+FFFD)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        message = f"{what} is not valid UTF-8 text (byte {data[exc.start]:#04x} at position {exc.start})"
        raise APIErrorResponse(400, message, param=param) from None


_BRACKETED = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]+\])+)$")


def coerce(operation: Operation, fields: dict[str, str]) -> dict[str, object]:
    """Form strings to the schema's types (integers, `true`/`false`); 400 naming the field on failure.
    Bracketed fields of an object parameter (`svg[reasoning][effort]`) become a nested mapping. A
    field the operation does not know stays a string, for validation to refuse by name."""
    params = OPERATIONS[operation].params
    coerced: dict[str, object] = {}
    for name, text in fields.items():
        match = _BRACKETED.match(name)
        if match and match[1] in params and params[match[1]].kind == "object":
            _nest(coerced, name, match[1], re.findall(r"\[([^\[\]]+)\]", match[2]), text)
            continue
        kind = params[name].kind if name in params else "string"
        if kind == "object":  # one JSON part, as OpenAPI's default multipart encoding sends an object
            coerced[name] = _json_object(text)
        elif kind == "integer":
            if not _INTEGER.match(text):
                raise APIErrorResponse(400, f"{name} {text!r} is invalid; allowed: an integer", param=name)
            coerced[name] = int(text)
        elif kind == "boolean":
            if text not in BOOLEANS:
                raise APIErrorResponse(400, f"{name} {text!r} is invalid; allowed: true or false", param=name)
            coerced[name] = BOOLEANS[text]
        else:
            coerced[name] = text
    return coerced


def _json_object(text: str) -> object:
    """The object a JSON part holds; the text as it is when it holds none (validation names it)."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return text
    return value if isinstance(value, dict) else text


def _nest(coerced: dict[str, object], field_name: str, root: str, keys: list[str], text: str) -> None:
    """Set `coerced[root][keys...]` to `text`; 400 when the field clashes with one already read."""
    node = coerced.setdefault(root, {})
    for key in [*keys[:-1]]:
        if not isinstance(node, dict):
            break
        node = node.setdefault(key, {})
    if not isinstance(node, dict) or keys[-1] in node:
        message = f"{field_name} clashes with another field of {root}; send each value once"
        raise APIErrorResponse(400, message, param=root)
    node[keys[-1]] = text
