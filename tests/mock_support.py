"""Helpers shared by the emulator's tests (tests/test_mock_*.py): images, clients, spec schemas."""

from __future__ import annotations

import base64
import io
import struct
import sys
import zlib
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import httpx2
import pytest
import yaml
from jsonschema import Draft202012Validator
from PIL import Image

import wrapper
from wrapper.mock import MockApp, _produce, create_app
from wrapper.mock.pytest_plugin import ImagesMock

AUTH = {"authorization": "Bearer sk-test"}
SPEC_PATH = Path(__file__).parents[1] / "openapi.yaml"


FUTURE_MODEL = "some-future-model"
"""A model outside the table that the emulators of these tests accept (`create_app(extra_models=...)`)."""


def png(size: tuple[int, int] = (64, 64), color: tuple[int, ...] = (255, 0, 0, 255)) -> bytes:
    """A real RGBA PNG of one colour."""
    buffer = io.BytesIO()
    Image.new("RGBA", size, color).save(buffer, "PNG")
    return buffer.getvalue()


@contextmanager
def small_pictures() -> Iterator[None]:
    """The emulator draws every picture at 8x8 whatever was asked: for fuzzing, where the contract is
    the point and drawing thousands of full-size images only costs time."""
    render, prepare = _produce.render, _produce.prepare

    def small(plan: _produce.Plan) -> _produce.Plan:
        return replace(plan, out=replace(plan.out, width=8, height=8))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_produce, "prepare", lambda plan, form: prepare(small(plan), form))
        patch.setattr(_produce, "render", lambda plan, inputs, index: render(small(plan), inputs, index))
        yield


def half_transparent(size: tuple[int, int] = (64, 64), color: tuple[int, int, int] = (0, 128, 0)) -> bytes:
    """A PNG whose left half is fully transparent and right half opaque `color`."""
    image = Image.new("RGBA", size, (*color, 255))
    image.paste((0, 0, 0, 0), (0, 0, size[0] // 2, size[1]))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header(size: tuple[int, int]) -> bytes:
    """A PNG signature and IHDR chunk declaring `size`: enough to sniff, no image data."""
    ihdr = struct.pack(">IIBBBBB", *size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr)


def unimportable(monkeypatch: pytest.MonkeyPatch, *names: str) -> None:
    """Make top-level modules (and their submodules) fail to import, as if not installed."""
    for name in names:
        loaded = [module for module in sys.modules if module.startswith(name + ".")]
        for module in [name, *loaded]:
            monkeypatch.setitem(sys.modules, module, None)


def jpeg(size: tuple[int, int] = (64, 64)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 20, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def decode(b64: str) -> Image.Image:
    image = Image.open(io.BytesIO(base64.b64decode(b64)))
    image.load()
    return image


def files(*images: bytes, mask: bytes | None = None, name: str = "image[]") -> list[tuple[str, Any]]:
    parts: list[tuple[str, Any]] = [(name, (f"i{n}.png", data, "image/png")) for n, data in enumerate(images)]
    if mask is not None:
        parts.append(("mask", ("mask.png", mask, "image/png")))
    return parts


@asynccontextmanager
async def client(app: MockApp | None = None, **headers: str) -> AsyncIterator[httpx2.AsyncClient]:
    """An in-process client of `app` (a fresh emulator by default, which also accepts the model
    `some-future-model` that the table does not know), authenticated unless told otherwise."""
    transport = httpx2.ASGITransport(app=app or create_app(extra_models=[FUTURE_MODEL]))  # type: ignore[arg-type]
    async with httpx2.AsyncClient(
        transport=transport, base_url="http://mock.test/v1", headers={**AUTH, **headers}
    ) as http:
        yield http


async def edit(
    http: httpx2.AsyncClient, fields: Mapping[str, str], parts: Sequence[tuple[str, Any]]
) -> httpx2.Response:
    return await http.post("/images/edits", files=form(fields, parts))


def form(fields: Mapping[str, str], parts: Sequence[tuple[str, Any]] = ()) -> list[tuple[str, Any]]:
    """Fields and files as multipart parts, so that even a body without files is multipart."""
    return [*((name, (None, value)) for name, value in fields.items()), *parts]


@cache
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text())
    return loaded


def validator(schema_name: str) -> Draft202012Validator:
    """A validator of one of openapi.yaml's component schemas ($refs resolve inside the spec)."""
    root = {"components": spec()["components"], "$ref": f"#/components/schemas/{schema_name}"}
    return Draft202012Validator(root)


def assert_matches(schema_name: str, document: object) -> None:
    errors = sorted(validator(schema_name).iter_errors(document), key=str)
    assert not errors, [error.message for error in errors]


@dataclass
class Target:
    """A client of an emulator, and the emulator's app (for what it recorded)."""

    client: wrapper.Client | wrapper.AsyncClient
    app: MockApp


@asynccontextmanager
async def emulator_client(
    kind: str, live: ImagesMock, *, max_retries: int, app: MockApp | None = None
) -> AsyncIterator[Target]:
    """The sync client against the live emulator, or the async one against an in-process app."""
    if kind == "sync":
        with wrapper.Client(api_key="sk-test", base_url=live.url, max_retries=max_retries) as client:
            yield Target(client, live.app)
        return
    app = app or create_app()
    http = httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app))  # type: ignore[arg-type]
    async with wrapper.AsyncClient(
        api_key="sk-test", base_url="http://mock.test/v1", http_client=http, max_retries=max_retries
    ) as client:
        yield Target(client, app)
