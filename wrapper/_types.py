"""Shared types: "not given", file arguments, timeouts."""

from __future__ import annotations

import os
from typing import IO, Final, Literal, TypeAlias

import httpx2


class NotGiven:
    """The type of `NOT_GIVEN`: a parameter the caller did not pass, as distinct from `None`."""

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()
"""The default of every optional request parameter: not sent, so the API applies its own default."""

FileContent: TypeAlias = IO[bytes] | bytes
FileInput: TypeAlias = (
    str
    | os.PathLike[str]
    | bytes
    | IO[bytes]
    | tuple[str | None, FileContent]
    | tuple[str | None, FileContent, str | None]
)
"""An image argument: a path, bytes, a binary file object, or (filename, content[, content_type])."""

Timeout: TypeAlias = float | httpx2.Timeout | None
Headers: TypeAlias = dict[str, str]
Body: TypeAlias = dict[str, object]

DEFAULT_TIMEOUT: Final = httpx2.Timeout(600.0, connect=5.0)
"""Image generation takes up to minutes: ten minutes to read, five seconds to connect (the official SDK's)."""


def is_given(value: object) -> bool:
    """False for `NOT_GIVEN` and for None, which also means "not given" (nothing is sent as null)."""
    return value is not None and value is not NOT_GIVEN
