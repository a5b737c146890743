"""The client a command talks through: the API (key from the environment) or an in-process emulator."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import httpx2

from .._client import Client
from ._extras import MissingExtra

if TYPE_CHECKING:
    from ..mock import LiveServer


class MissingKey(Exception):
    """No OPENAI_API_KEY and no --mock."""

    def __str__(self) -> str:
        return (
            "OPENAI_API_KEY is not set, so there is no key to call the API with.\n"
            "  Either set it:   export OPENAI_API_KEY=sk-...\n"
            "  or try it offline against the built-in emulator: add --mock (no key, no network)"
        )


@dataclass(frozen=True, slots=True)
class Session:
    """A configured client, the httpx2 client that also downloads image URLs, and where it points."""

    client: Client
    http: httpx2.Client
    base_url: str


@contextmanager
def connect(*, mock: bool, base_url: str | None = None, as_of: date | None = None) -> Iterator[Session]:
    """A session on the emulator (`mock`) or on the API, both as of `as_of` (None: today); everything
    is closed on exit."""
    with ExitStack() as stack:
        if mock:
            base_url = stack.enter_context(_emulator(as_of)).url
            key: str | None = "mock"
        else:
            key = os.environ.get("OPENAI_API_KEY")
            if not key:
                raise MissingKey
        # The emulator is on loopback: a proxy from the environment must not be asked for it.
        http = httpx2.Client(trust_env=not mock, follow_redirects=True)
        client = stack.enter_context(Client(api_key=key, base_url=base_url, http_client=http, as_of=as_of))
        yield Session(client, http, client.base_url)


def _emulator(as_of: date | None) -> LiveServer:
    """The emulator on a free loopback port, served from a thread of this process."""
    try:
        from ..mock import LiveServer, create_app
    except ModuleNotFoundError as exc:
        raise MissingExtra("--mock", {"mock": [(exc.name or "a dependency").partition(".")[0]]}) from None
    return LiveServer(create_app(as_of=as_of))
