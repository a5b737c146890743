"""Saving one request's results as `<custom_id>[-<i>].<ext>` and describing it in a manifest record."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx2

from .._results import Image, decode_b64, extension_for, publish
from .._retry import should_retry


def image_name(custom_id: str, index: int, count: int, ext: str) -> str:
    """`<custom_id><ext>` for a single image, `<custom_id>-<i><ext>` (from 1) when there are several."""
    return f"{custom_id}{ext}" if count == 1 else f"{custom_id}-{index}{ext}"


def save_images(
    directory: Path, custom_id: str, contents: Sequence[bytes], output_format: str | None
) -> list[str]:
    """Write each image atomically (a temporary file moved into place); the names written."""
    names = []
    for index, content in enumerate(contents, 1):
        name = image_name(custom_id, index, len(contents), extension_for(output_format, content))
        if Path(name).name != name or name.startswith(".."):
            raise ValueError(f"{name!r} would be saved outside {directory}")  # checked before: a backstop
        publish(directory / name, content)
        names.append(name)
    return names


def succeeded(custom_id: str, files: list[str], usage: Any, request_id: str | None) -> dict[str, Any]:
    return {
        "custom_id": custom_id,
        "status": "succeeded",
        "files": files,
        "usage": usage,
        "request_id": request_id,
        "error": None,
    }


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


def from_output_line(directory: Path, record: Mapping[str, Any], http: httpx2.Client) -> dict[str, Any]:
    """The manifest record of one line of a batch's output or error file, its images saved first."""
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
    files = save_images(directory, custom_id, contents, output_format)
    return succeeded(custom_id, files, body.get("usage"), request_id)


def _content(item: Mapping[str, Any], output_format: str | None, http: httpx2.Client) -> bytes:
    b64 = item.get("b64_json")
    if isinstance(b64, str):
        return decode_b64(b64)
    return Image(url=item.get("url"), output_format=output_format).content(http_client=http)
