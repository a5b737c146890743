"""Reading a request body on its way through the recording proxy, without holding it.

The proxy forwards every chunk as it arrives; `RequestTee` sees the same chunks and keeps what a
cassette needs: the parameters (a JSON body up to 1 MB, form fields up to 256 KB each) and, of
each file part, its name, size, sha256 and the header bytes that say its format and dimensions.
Nothing it meets stops the forwarding: a body it cannot read is recorded as unparsed, with why.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import TYPE_CHECKING

from python_multipart import MultipartParser
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import parse_options_header

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

from .._imageinfo import HEAD_BYTES, sniff
from .._spec import OPERATIONS, Operation
from ._forms import BOOLEANS, FILE_FIELDS, MAX_FIELD_BYTES, MAX_JSON_BYTES, integral

_INTEGER = re.compile(r"^-?[0-9]{1,9}$")


class _FilePart:
    def __init__(self, part: str, filename: str | None, content_type: str | None) -> None:
        self.part, self.filename, self.content_type = part, filename, content_type
        self.size = 0
        self.head = bytearray()
        self.digest = hashlib.sha256()

    def feed(self, data: bytes) -> None:
        self.size += len(data)
        self.digest.update(data)
        if len(self.head) < HEAD_BYTES:
            self.head += data[: HEAD_BYTES - len(self.head)]

    def metadata(self) -> dict[str, object]:
        info = sniff(bytes(self.head))
        return {
            "part": self.part,
            "param": FILE_FIELDS.get(self.part, self.part),
            "filename": self.filename,
            "content_type": self.content_type,
            "format": info.format if info else None,
            "width": info.width if info else None,
            "height": info.height if info else None,
            "size": self.size,
            "sha256": self.digest.hexdigest(),
        }


class RequestTee:
    """Fed the chunks of one request body; `params`, `files` and `unparsed` once it has ended."""

    def __init__(self, operation: Operation, content_type: str) -> None:
        self.operation = operation
        self.content_type = content_type
        kind, options = parse_options_header(content_type)
        self.kind = kind.decode("latin-1").lower()
        self.unparsed: str | None = None
        self.files: list[dict[str, object]] = []
        self._fields: dict[str, str] = {}
        self._json = bytearray()
        self._header_name = bytearray()
        self._header_value = bytearray()
        self._headers: dict[bytes, bytes] = {}
        self._name = ""
        self._text = bytearray()
        self._file: _FilePart | None = None
        self._parser: MultipartParser | None = None
        if self.kind == "multipart/form-data":
            boundary = options.get(b"boundary")
            if boundary:
                self._parser = MultipartParser(boundary, self._callbacks())
            else:
                self.unparsed = "a multipart body without a boundary"
        elif self.kind != "application/json":
            self.unparsed = f"a body of type {self.kind or 'none'}"

    def feed(self, chunk: bytes) -> None:
        if self.unparsed is not None:
            return
        if self._parser is not None:
            try:
                self._parser.write(chunk)
            except FormParserError as exc:
                self.unparsed = f"an invalid multipart body ({exc})"
            return
        self._json += chunk
        if len(self._json) > MAX_JSON_BYTES:
            self.unparsed = f"a JSON body over {MAX_JSON_BYTES} bytes"
            self._json.clear()

    def params(self) -> dict[str, object]:
        """The parameters as the API reads them: JSON values, or form fields typed by the spec."""
        if self.unparsed is not None:
            return {}
        if self._parser is not None:
            try:
                self._parser.finalize()
            except FormParserError as exc:
                self.unparsed = f"an invalid multipart body ({exc})"
            return {name: _typed(self.operation, name, text) for name, text in self._fields.items()}
        try:
            document = json.loads(bytes(self._json)) if self._json else {}
        except ValueError:
            self.unparsed = "a body that is not JSON"
            return {}
        if not isinstance(document, dict):
            self.unparsed = "a JSON body that is not an object"
            return {}
        return integral(OPERATIONS[self.operation], document)

    # --- multipart callbacks ----------------------------------------------------------------------

    def _callbacks(self) -> MultipartCallbacks:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": lambda data, start, end: self._header_name.extend(data[start:end]),
            "on_header_value": lambda data, start, end: self._header_value.extend(data[start:end]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
        }

    def _part_begin(self) -> None:
        self._headers.clear()
        self._text.clear()
        self._file = None

    def _header_end(self) -> None:
        if len(self._headers) < 16:
            self._headers[bytes(self._header_name[:256]).lower()] = bytes(self._header_value[:1024])
        self._header_name.clear()
        self._header_value.clear()

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        self._name = options.get(b"name", b"").decode("utf-8", "replace")
        filename = options.get(b"filename")
        if self._name in FILE_FIELDS or filename is not None:
            content_type = self._headers.get(b"content-type")
            self._file = _FilePart(
                self._name,
                filename.decode("utf-8", "replace") if filename is not None else None,
                content_type.decode("latin-1") if content_type is not None else None,
            )

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._file is not None:
            self._file.feed(data[start:end])
        elif len(self._text) <= MAX_FIELD_BYTES:
            self._text += data[start:end]

    def _part_end(self) -> None:
        if self._file is not None:
            self.files.append(self._file.metadata())
        elif len(self._text) > MAX_FIELD_BYTES:
            self.unparsed = f"form field {self._name!r} over {MAX_FIELD_BYTES} bytes"
        else:
            self._fields[self._name] = self._text.decode("utf-8", "replace")


def _typed(operation: Operation, name: str, text: str) -> object:
    """A form field as the spec types it; a value that does not parse stays the text it was."""
    param = OPERATIONS[operation].params.get(name)
    kind = param.kind if param is not None else "string"
    if kind == "integer" and _INTEGER.match(text):
        return int(text)
    if kind == "boolean" and text in BOOLEANS:
        return BOOLEANS[text]
    return text
