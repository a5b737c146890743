"""With two invalid parameters, the client's check and the emulator name the same one: the first in the
spec's order, whatever the order of the body's fields.

The requests are generated from the table (`invalid_from_the_table` of the contract tests): for each
model and operation, two of its single-parameter refusals are combined. The client refuses before the
wire; the emulator gets the same body with its fields in the spec's order and reversed.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
from test_contract_e2e import FILE_PARAMS, METHODS, invalid_from_the_table

import wrapper
from wrapper._capabilities import Operation
from wrapper._spec import OPERATIONS
from wrapper.mock import create_app

PATHS = {name: spec.path for name, spec in OPERATIONS.items()}


def pairs() -> Iterator[tuple[Operation, dict[str, Any], tuple[str, str]]]:
    """Two refusals of one model and operation, on different non-file parameters, merged."""
    grouped: dict[tuple[Operation, str], list[tuple[dict[str, Any], str]]] = {}
    for operation, params, param in invalid_from_the_table():
        if param not in ("model", "prompt", *FILE_PARAMS):
            grouped.setdefault((operation, params["model"]), []).append((params, param))
    for (operation, _model), cases in grouped.items():
        for (first, a), (second, b) in itertools.combinations(cases, 2):
            if a != b:
                yield operation, {**first, **second}, (a, b)
                break  # one pair per model and operation keeps the run short


REPORTED: tuple[Operation, dict[str, Any], tuple[str, str]] = (
    "generate",
    {"prompt": "x", "model": "dall-e-2", "stream": True, "partial_images": 1},
    ("stream", "partial_images"),
)
"""The case first reported: the client named partial_images, the emulator stream."""
PAIRS = [REPORTED, *pairs()]


def _spec_first(operation: Operation, names: tuple[str, str]) -> str:
    order = list(OPERATIONS[operation].params)
    return min(names, key=order.index)


def test_there_are_pairs_for_generate_and_edit() -> None:
    assert {operation for operation, _, _ in PAIRS} >= {"generate", "edit"}
    assert len(PAIRS) >= 10


def test_the_dall_e_2_case_of_the_report() -> None:
    """dall-e-2 with `stream` and `partial_images`: both refused; the spec lists partial_images first."""
    assert _spec_first("generate", ("stream", "partial_images")) == "partial_images"


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("operation", "params", "names"), PAIRS, ids=lambda v: str(v) if isinstance(v, tuple) else None
)
async def test_client_and_emulator_name_the_same_first_parameter(
    operation: Operation, params: dict[str, Any], names: tuple[str, str]
) -> None:
    expected = _spec_first(operation, names)
    app = create_app()
    http = httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://mock.test/v1")  # type: ignore[arg-type]
    async with wrapper.AsyncClient(
        api_key="sk-e2e", base_url="http://mock.test/v1", http_client=http
    ) as client:
        with pytest.raises(wrapper.BadRequestError) as refused:
            await getattr(client.images, METHODS[operation])(**params)
    assert refused.value.param == expected
    fields = {name: value for name, value in params.items() if name not in FILE_PARAMS}
    for ordered in (fields, dict(reversed(fields.items()))):
        async with httpx2.AsyncClient(
            transport=httpx2.ASGITransport(app=app),  # type: ignore[arg-type]
            base_url="http://mock.test/v1",
            headers={"Authorization": "Bearer sk-e2e"},
        ) as raw:
            answer = await _post(raw, operation, ordered, params)
        assert answer.status_code == 400, answer.text
        assert answer.json()["error"]["param"] == expected, list(ordered)


async def _post(
    raw: httpx2.AsyncClient, operation: Operation, fields: dict[str, Any], params: dict[str, Any]
) -> httpx2.Response:
    path = PATHS[operation].lstrip("/")
    if operation == "generate":
        return await raw.post(path, json=fields)
    files = [(name, (f"{name}.png", params[name], "image/png")) for name in FILE_PARAMS if name in params]
    data = {name: _form(value) for name, value in fields.items()}
    return await raw.post(path, data=data, files=files)


def _form(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)
