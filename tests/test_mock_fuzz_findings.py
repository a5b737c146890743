"""Regressions found by fuzzing the emulator (tests/test_fuzz.py): each once crashed it or broke the spec."""

from __future__ import annotations

import pytest
from mock_support import client

from wrapper.mock import create_app

pytestmark = pytest.mark.anyio


async def test_integral_numbers_count_as_integers() -> None:
    """JSON Schema's `integer` takes 3.0: the emulator answered 400 `partial_images 3.0 is invalid`."""
    app = create_app()
    body = {
        "prompt": "x",
        "model": "gpt-image-1",
        "n": 2.0,
        "output_format": "jpeg",
        "output_compression": 5e1,
    }
    async with client(app) as http:
        response = await http.post("/images/generations", json={**body, "size": "1024x1024"})
        fraction = await http.post("/images/generations", json={"prompt": "x", "n": 1.5})
    assert response.status_code == 200, response.text
    assert len(response.json()["data"]) == 2
    assert app.requests[0].params["n"] == 2
    assert type(app.requests[0].params["output_compression"]) is int
    assert (fraction.status_code, fraction.json()["error"]["param"]) == (400, "n")


@pytest.mark.parametrize("size", ["3x75933", "16x3856", "99999x1"])
async def test_unknown_models_get_a_400_for_sizes_no_model_draws(size: str) -> None:
    """A long thin size within the pixel budget crashed the WebP encoder (16383 pixels a side at most)."""
    body = {"prompt": "x", "model": "some-future-model", "size": size, "output_format": "webp"}
    async with client() as http:
        response = await http.post("/images/generations", json=body)
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "size"
    assert "3840 pixels a side" in response.json()["error"]["message"]
