"""Contains some shared types for properties"""

from collections.abc import Mapping, MutableMapping
from typing import IO, Any, BinaryIO, Generic, Literal, TypedDict, TypeVar

import httpx2
from attrs import define


class Unset:
    def __bool__(self) -> Literal[False]:
        return False


UNSET: Unset = Unset()

# The types that `httpx2.Client(files=)` can accept, copied from that library.
FileContent = IO[bytes] | bytes | str
FileTypes = (
    # (filename, file (or bytes), content_type)
    tuple[str | None, FileContent, str | None]
    # (filename, file (or bytes), content_type, headers)
    | tuple[str | None, FileContent, str | None, Mapping[str, str]]
)
RequestFiles = list[tuple[str, FileTypes]]


@define
class File:
    """Contains information for file uploads"""

    payload: BinaryIO
    file_name: str | None = None
    mime_type: str | None = None

    def to_tuple(self) -> FileTypes:
        """Return a tuple representation that httpx2 will accept for multipart/form-data"""
        return self.file_name, self.payload, self.mime_type


T = TypeVar("T")


@define
class Response(Generic[T]):
    """A response from an endpoint"""

    status_code: int
    content: bytes
    headers: MutableMapping[str, str]
    parsed: T | None
    http_response: httpx2.Response


class RequestOptions(TypedDict, total=False):
    """Per-call additions to a request: extra headers, a timeout, and body fields unknown to the spec."""

    headers: Mapping[str, str]
    timeout: httpx2.Timeout | float | None
    extra_body: Mapping[str, object]


def apply_request_options(
    kwargs: dict[str, Any], options: RequestOptions | None
) -> dict[str, Any]:
    """Merge per-call options into the keyword arguments of `httpx2.Client.request`."""
    if not options:
        return kwargs
    if "headers" in options:
        kwargs["headers"] = {**kwargs.get("headers", {}), **options["headers"]}
    if "timeout" in options:
        kwargs["timeout"] = options["timeout"]
    extra_body = options.get("extra_body") or {}
    if extra_body and "json" in kwargs:
        kwargs["json"] = {**kwargs["json"], **extra_body}
    elif extra_body and "files" in kwargs:
        kwargs["files"] = list(kwargs["files"]) + [
            (name, (None, _form_value(value).encode(), None))
            for name, value in extra_body.items()
        ]
    return kwargs


def plain_text_fields(files: RequestFiles) -> RequestFiles:
    """Text fields as plain form fields, without the `Content-Type: text/plain` part header the
    generated models add: the API's own clients send none."""
    return [
        (name, (None, part[1], None))
        if part[0] is None and part[2] == "text/plain"
        else (name, part)
        for name, part in files
    ]


def bracketed_fields(name: str, value: object) -> RequestFiles:
    """An object as form fields named by its path, `name[key][inner]`, one per leaf value (nulls left
    out, booleans as `true`/`false`): how the API reads nested values from a multipart body."""
    if isinstance(value, Mapping):
        return [
            part
            for key, inner in value.items()
            for part in bracketed_fields(f"{name}[{key}]", inner)
        ]
    if value is None:
        return []
    return [(name, (None, _form_value(value).encode(), "text/plain"))]


def _form_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


__all__ = [
    "UNSET",
    "File",
    "FileTypes",
    "RequestFiles",
    "RequestOptions",
    "Response",
    "Unset",
    "apply_request_options",
    "bracketed_fields",
    "plain_text_fields",
]
