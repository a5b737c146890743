"""Saving one request's results as `<custom_id>[-<i>].<ext>` (the names the line's own `n` gives,
never more) and describing it in a manifest record."""

from __future__ import annotations

import errno
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2

from .._results import Image, decode_b64, extension_for, publish
from .._retry import should_retry
from ._store import JobDir


@dataclass(frozen=True, slots=True)
class Saved:
    """The files written for one request, and how many images beyond what the line asked for
    were not saved."""

    files: list[str]
    dropped: int = 0


def save_images(
    directory: Path,
    custom_id: str,
    stems: Sequence[str],
    contents: Sequence[bytes],
    output_format: str | None,
) -> Saved:
    """Write the images under the line's own stems (`_lines.stems`: one per image it asked for),
    each atomically and exclusively. An image beyond the line's stems is not saved: its name could
    be another line's. A file of the same name is replaced only when no other line's manifest
    record names it (then it is this line's own, left by an attempt cut short before its record)."""
    names = []
    for stem, content in zip(stems, contents, strict=False):
        name = stem + extension_for(output_format, content)
        if Path(name).name != name or name.startswith(".."):
            raise ValueError(f"{name!r} would be saved outside {directory}")  # checked before: a backstop
        try:
            publish(directory / name, content, exclusive=True)
        except FileExistsError:
            owner = _owner(directory, name)
            if owner is not None and owner != custom_id:
                raise FileExistsError(
                    errno.EEXIST, f"{name} is the file of line {owner!r}; it is not replaced"
                ) from None
            publish(directory / name, content)
        names.append(name)
    return Saved(names, max(0, len(contents) - len(stems)))


def _owner(directory: Path, name: str) -> str | None:
    """The custom_id of a succeeded manifest record that names the file `name`, if any (read only
    when a name is taken already: rare)."""
    owner = None
    for record in JobDir(directory).records():  # the last record naming it counts
        if record.get("status") == "succeeded" and name in (record.get("files") or ()):
            owner = str(record.get("custom_id"))
    return owner


def succeeded(
    custom_id: str, files: list[str], usage: Any, request_id: str | None, dropped: int = 0
) -> dict[str, Any]:
    """A succeeded request's record; `dropped` (only when there were any) counts the images beyond
    what the line asked for, not saved."""
    record = {
        "custom_id": custom_id,
        "status": "succeeded",
        "files": files,
        "usage": usage,
        "request_id": request_id,
        "error": None,
    }
    return record | ({"dropped": dropped} if dropped else {})


def failed(
    custom_id: str, error: Mapping[str, Any], request_id: str | None = None, *, retryable: bool = False
) -> dict[str, Any]:
    """A failed request's record; `retryable` when sending it again may succeed (a later run will)."""
    return {
        "custom_id": custom_id,
        "status": "failed",
        "files": [],
        "usage": None,
        "request_id": request_id,
        "error": dict(error),
        "retryable": retryable,
    }


def from_output_line(
    directory: Path, record: Mapping[str, Any], stems: Sequence[str], http: httpx2.Client
) -> dict[str, Any]:
    """The manifest record of one line of a batch's output or error file, its images saved first
    under the line's own `stems`."""
    custom_id = str(record.get("custom_id"))
    response = record.get("response") or None
    if not isinstance(response, dict):
        # No answer (the batch expired or was cancelled first): sending the line again may succeed.
        error = record.get("error") or {"code": None, "message": "the batch gave no answer for this request"}
        return failed(custom_id, {"status_code": None, **error}, retryable=True)
    status, body = response.get("status_code"), response.get("body") or {}
    request_id = response.get("request_id")
    if not isinstance(status, int) or not 200 <= status < 300:
        error = body.get("error") if isinstance(body, dict) else None
        error = error if isinstance(error, dict) else {"message": str(body)}
        fields = {key: error.get(key) for key in ("message", "type", "param", "code")}
        retryable = should_retry(status if isinstance(status, int) else None)
        return failed(custom_id, {"status_code": status, **fields}, request_id, retryable=retryable)
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(body, dict) or not isinstance(data, list) or not all(isinstance(i, dict) for i in data):
        # Not an images response: an unreadable answer, worth sending again (as online).
        error = {
            "status_code": status,
            "message": f"the answer is not an images response: {str(body)[:80]!r}",
        }
        return failed(custom_id, error, request_id, retryable=True)
    output_format = body.get("output_format")
    contents = [_content(item, output_format, http) for item in data]
    saved = save_images(directory, custom_id, stems, contents, output_format)
    return succeeded(custom_id, saved.files, body.get("usage"), request_id, saved.dropped)


def _content(item: Mapping[str, Any], output_format: str | None, http: httpx2.Client) -> bytes:
    b64 = item.get("b64_json")
    if isinstance(b64, str):
        return decode_b64(b64)
    return Image(url=item.get("url"), output_format=output_format).content(http_client=http)
