"""Run inside a regenerated copy of the project (see test_spec_driven.py); prints what it observed as JSON.

    python spec_driven_probe.py PARAM GOOD BAD MODEL

For PARAM (a parameter of generations and edits, or only of one of them) it records: whether the
sync and async methods take it, the wire form of GOOD (JSON and multipart), the `ValidationError`
for BAD and whether anything was sent, the emulator's answer to GOOD and BAD, and the CLI's option.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import io
import json
import logging
import sys
from collections.abc import Iterator
from typing import Any

import httpx2
from PIL import Image

import wrapper
from wrapper._cli import build_parser
from wrapper._spec import OPERATIONS
from wrapper.mock import create_app

PARAM, GOOD, BAD, MODEL = sys.argv[1:5]


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (64, 64), (200, 10, 10, 255)).save(buffer, "PNG")
    return buffer.getvalue()


def calls() -> dict[str, dict[str, Any]]:
    found = {}
    if PARAM in OPERATIONS["generate"].params:
        found["generate"] = {"prompt": "a fox", "model": MODEL}
    if PARAM in OPERATIONS["edit"].params:
        found["edit"] = {"prompt": "a fox", "model": MODEL, "image": png()}
    return found


def signatures() -> dict[str, bool]:
    seen = {}
    for client in (wrapper.Client(api_key="k"), wrapper.AsyncClient(api_key="k")):
        for method in calls():
            parameter = inspect.signature(getattr(client.images, method)).parameters.get(PARAM)
            seen[f"{type(client).__name__}.{method}"] = parameter is not None and GOOD in str(
                parameter.annotation
            )
    return seen


def wire() -> dict[str, Any]:
    sent: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        sent.append(request)
        return httpx2.Response(200, json={"created": 1, "data": [{"b64_json": "aGk="}]})

    seen: dict[str, Any] = {}
    http = httpx2.Client(transport=httpx2.MockTransport(handler))
    with wrapper.Client(api_key="k", base_url="https://api.test/v1", http_client=http) as client:
        for method, params in calls().items():
            getattr(client.images, method)(**params, **{PARAM: GOOD})
            seen[f"{method}.good"] = sent[-1].read().decode("latin-1")
            count = len(sent)
            with warnings_logged() as logged:
                try:
                    getattr(client.images, method)(**params, **{PARAM: BAD})
                except wrapper.ValidationError as exc:
                    seen[f"{method}.bad"] = {"param": exc.param, "message": exc.message}
            seen.setdefault(f"{method}.bad", {}).update(sent=len(sent) - count, warnings=logged)
    return seen


@contextlib.contextmanager
def warnings_logged() -> Iterator[list[str]]:
    """The warnings the `wrapper` logger logs inside the block."""
    logged: list[str] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: logged.append(record.getMessage())  # type: ignore[method-assign]
    logger = logging.getLogger("wrapper")
    logger.addHandler(handler)
    try:
        yield logged
    finally:
        logger.removeHandler(handler)


async def emulator() -> dict[str, Any]:
    app = create_app(extra_models=[MODEL])  # a model outside the table: answered 404 otherwise
    transport = httpx2.ASGITransport(app=app)
    seen: dict[str, Any] = {}
    headers = {"Authorization": "Bearer k"}
    async with httpx2.AsyncClient(transport=transport, base_url="http://mock/v1", headers=headers) as http:
        for method, params in calls().items():
            for label, value in (("good", GOOD), ("bad", BAD)):
                response = await _send(http, method, {**params, PARAM: value})
                error = response.json().get("error") if response.status_code != 200 else None
                record = app.requests.last.params.get(PARAM) if response.status_code == 200 else None
                seen[f"{method}.{label}"] = {
                    "status": response.status_code,
                    "error": error,
                    "recorded": record,
                }
    return seen


async def _send(http: httpx2.AsyncClient, method: str, params: dict[str, Any]) -> httpx2.Response:
    if method == "generate":
        return await http.post("/images/generations", json=params)
    image = params.pop("image")
    fields = {name: str(value) for name, value in params.items()}
    return await http.post("/images/edits", data=fields, files={"image": ("a.png", image, "image/png")})


def cli() -> dict[str, Any]:
    parser = build_parser()
    seen = {}
    for command, method in (("generate", "generate"), ("edit", "edit")):
        if method not in calls():
            continue
        flag = OPERATIONS[method].params[PARAM].flag
        argv = (
            [command, "a fox", flag, GOOD]
            if command == "generate"
            else [command, "a.png", "--prompt", "x", flag, GOOD]
        )
        seen[command] = getattr(parser.parse_args(argv), PARAM)
    return seen


print(
    json.dumps(
        {"signatures": signatures(), "wire": wire(), "emulator": asyncio.run(emulator()), "cli": cli()}
    )
)
