"""Turn `image` / `mask` arguments into multipart parts without reading files whole.

A path is opened and the open file handed to httpx2, which streams it in 64 KB chunks; bytes and
binary file objects are sent as they are. Only the header is read (see `_imageinfo`), for the
content type and the dimensions validation needs. The part's content type always comes from the
magic bytes, so an unnamed `BytesIO` goes out as `image/png`, never `application/octet-stream`.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from ._errors import FileError, NotAnImageError
from ._imageinfo import EXTENSIONS, HEAD_BYTES, ImageInfo, sniff
from ._types import FileInput
from ._validation import Upload


@dataclass(slots=True)
class PreparedFile:
    """One file ready for the wire: its stream, name and type, and what validation needs to know."""

    stream: IO[bytes]
    filename: str
    content_type: str
    upload: Upload
    owned: bool = field(default=False)

    def close(self) -> None:
        if self.owned:
            self.stream.close()


def prepare_files(param: str, value: FileInput | Sequence[FileInput]) -> list[PreparedFile]:
    """Prepare one file or a list of them (a tuple is one file in the (filename, content) form)."""
    values: list[Any] = value if isinstance(value, list) else [value]
    prepared: list[PreparedFile] = []
    try:
        for item in values:
            prepared.append(prepare_file(param, item))
    except BaseException:
        close_all(prepared)
        raise
    return prepared


def prepare_file(param: str, value: FileInput) -> PreparedFile:
    """Prepare one `image` or `mask` argument; raise `FileError` naming `param` if it cannot be sent."""
    if isinstance(value, tuple):
        return _from_tuple(param, value)
    if isinstance(value, str | os.PathLike):
        return _from_path(param, Path(value))
    if isinstance(value, bytes | bytearray | memoryview):
        return _from_stream(param, io.BytesIO(bytes(value)), None, None)
    if hasattr(value, "read"):
        return _from_stream(param, value, _name_of(value), None)
    raise FileError(
        f"{param}: expected a path, bytes, a binary file or a (filename, content) tuple, "
        f"got {type(value).__name__}",
        param=param,
    )


def close_all(files: Sequence[PreparedFile]) -> None:
    """Close the files the wrapper opened itself (never the caller's)."""
    for prepared in files:
        prepared.close()


def _from_path(param: str, path: Path) -> PreparedFile:
    try:
        stream = path.open("rb")
    except OSError as exc:
        raise FileError(f"{param}: cannot open {str(path)!r}: {exc.strerror or exc}", param=param) from exc
    try:
        prepared = _from_stream(param, stream, path.name, None)
    except BaseException:
        stream.close()
        raise
    prepared.owned = True
    return prepared


def _from_tuple(param: str, value: tuple[Any, ...]) -> PreparedFile:
    shape = f"{param}: a file tuple is (filename, content[, content_type]); several images go in a list"
    if len(value) not in (2, 3):
        raise FileError(shape, param=param)
    filename, content, content_type = (*value, None)[:3]
    if not isinstance(filename, str | None) or not isinstance(content_type, str | None):
        raise FileError(f"{shape}; filename and content_type are strings", param=param)
    if isinstance(content, bytes | bytearray | memoryview):
        content = io.BytesIO(bytes(content))
    if not hasattr(content, "read"):
        raise FileError(f"{param}: the content of a file tuple must be bytes or a binary file", param=param)
    return _from_stream(param, content, filename, content_type)


def _from_stream(param: str, stream: Any, filename: str | None, content_type: str | None) -> PreparedFile:
    if isinstance(stream, io.TextIOBase) or "b" not in getattr(stream, "mode", "b"):
        raise FileError(f"{param}: the file is open in text mode; open it with 'rb'", param=param)
    if not _seekable(stream):
        stream = io.BytesIO(_read_bytes(param, stream))  # one pass only: keep it for retries
    head, size = _peek(param, stream)
    info = sniff(head)
    if info is None and content_type is None:
        shown = f" {filename!r}" if filename else ""
        raise NotAnImageError(
            f"{param}: the file{shown} is not a PNG, JPEG or WebP image (its first bytes are {head[:8]!r})",
            param=param,
        )
    name = filename or f"{param}{EXTENSIONS[info.format] if info else ''}"
    mime = content_type or _mime(info)
    return PreparedFile(stream, name, mime, Upload(info=info, size=size, filename=filename))


def _mime(info: ImageInfo | None) -> str:
    assert info is not None  # checked by the caller
    return info.mime_type


def _peek(param: str, stream: Any) -> tuple[bytes, int]:
    # httpx2 rewinds a file to 0 before sending it (which also makes retries resend it whole),
    # so the whole file is what is checked.
    stream.seek(0)
    head = _read_bytes(param, stream, HEAD_BYTES)
    size = stream.seek(0, os.SEEK_END)
    stream.seek(0)
    return head, size


def _read_bytes(param: str, stream: Any, limit: int = -1) -> bytes:
    data = stream.read(limit)
    if isinstance(data, str):
        raise FileError(f"{param}: the file is open in text mode; open it with 'rb'", param=param)
    return bytes(data)


def _seekable(stream: Any) -> bool:
    try:
        return bool(stream.seekable())
    except (AttributeError, ValueError):
        return False


def _name_of(stream: Any) -> str | None:
    name = getattr(stream, "name", None)
    return Path(name).name if isinstance(name, str) and name else None
