"""Retirements, as the official SDK 3.57 documents them, checked as of today and as of 2026-04-30.

Literal cases from the documents (never derived from the table): dall-e-2 and dall-e-3 retired on
2026-05-12 ("Use a GPT image model instead"); gpt-image-1 shut down on 2026-10-23 ("Use
gpt-image-2.5-sunburst or gpt-image-2.5-flare instead"); the variations endpoint "no longer accepts
requests". The client refuses them before the wire; the emulator answers them 404, as the API does.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import httpx2
import pytest
from conftest import Recorder, invoke
from mock_support import client, png

import wrapper
from wrapper import _lifecycle
from wrapper.mock import create_app

TODAY = "2026-11-26"
BEFORE = "2026-04-30"
RETIRED = [
    # (model, retired on, the replacement the documents name)
    ("dall-e-2", "2026-05-12", "a GPT image model"),
    ("dall-e-3", "2026-05-12", "a GPT image model"),
    ("gpt-image-1", "2026-10-23", "gpt-image-2.5-sunburst or gpt-image-2.5-flare"),
]


def _sent(recorder: Recorder) -> Any:
    return json.loads(recorder.requests[-1].content)


@pytest.mark.anyio
@pytest.mark.parametrize(("model", "retired_on", "replacement"), RETIRED)
async def test_a_retired_model_is_refused_before_the_wire_as_of_today(
    make_client: Callable[..., Any], model: str, retired_on: str, replacement: str
) -> None:
    recorder = Recorder()
    images = make_client(recorder, as_of=TODAY).images
    with pytest.raises(wrapper.RetiredError) as caught:
        await invoke(images.generate, prompt="a fox", model=model)
    error = caught.value
    assert f"model {model!r} was retired on {retired_on}; use {replacement} instead." == str(error)
    assert (error.param, error.code, error.status_code) == ("model", "model_not_found", 404)
    assert error.retired_on == date.fromisoformat(retired_on)
    assert isinstance(error, wrapper.NotFoundError)  # the class of the API's 404
    assert not isinstance(error, wrapper.BadRequestError)
    assert recorder.requests == []


@pytest.mark.anyio
@pytest.mark.parametrize(("model", "retired_on", "replacement"), RETIRED)
async def test_a_retired_model_works_as_of_2026_04_30(
    make_client: Callable[..., Any], model: str, retired_on: str, replacement: str
) -> None:
    recorder = Recorder()
    result = await invoke(make_client(recorder, as_of=BEFORE).images.generate, prompt="a fox", model=model)
    assert isinstance(result, wrapper.ImagesResponse)
    assert _sent(recorder)["model"] == model


@pytest.mark.anyio
async def test_gpt_image_1_works_the_day_before_its_shutdown(make_client: Callable[..., Any]) -> None:
    recorder = Recorder()
    await invoke(make_client(recorder, as_of="2026-10-22").images.generate, prompt="x", model="gpt-image-1")
    assert len(recorder.requests) == 1


@pytest.mark.anyio
async def test_variations_are_refused_as_of_today_and_work_as_of_2026_04_30(
    make_client: Callable[..., Any],
) -> None:
    recorder = Recorder()
    with pytest.raises(wrapper.RetiredError) as caught:
        await invoke(
            make_client(recorder, as_of=TODAY).images.create_variation, image=png(), model="dall-e-2"
        )
    assert str(caught.value) == (
        "The /images/variations endpoint was retired on 2026-05-12 and no longer accepts requests;"
        " use edits with a GPT image model instead."
    )
    assert caught.value.param is None
    assert recorder.requests == []
    await invoke(make_client(recorder, as_of=BEFORE).images.create_variation, image=png(), model="dall-e-2")
    assert len(recorder.requests) == 1


@pytest.mark.anyio
async def test_validate_false_still_sends_a_retired_model(make_client: Callable[..., Any]) -> None:
    recorder = Recorder()
    await invoke(
        make_client(recorder, as_of=TODAY).images.generate, prompt="x", model="dall-e-3", validate=False
    )
    assert _sent(recorder)["model"] == "dall-e-3"


def test_with_options_changes_the_day() -> None:
    handler = Recorder()
    http = httpx2.Client(transport=httpx2.MockTransport(handler))
    today = wrapper.Client(api_key="k", base_url="https://api.test/v1", http_client=http, as_of=TODAY)
    with pytest.raises(wrapper.RetiredError):
        today.images.generate(prompt="x", model="dall-e-2")
    today.with_options(as_of=date(2026, 4, 30)).images.generate(prompt="x", model="dall-e-2")
    assert len(handler.requests) == 1
    assert today.as_of == date(2026, 11, 26)


def test_a_bad_day_names_itself() -> None:
    with pytest.raises(ValueError, match="as_of '30/04/2026' is not a date; write it as YYYY-MM-DD"):
        wrapper.Client(api_key="k", as_of="30/04/2026")


@pytest.mark.anyio
async def test_a_model_not_released_yet_is_refused(make_client: Callable[..., Any]) -> None:
    with pytest.raises(wrapper.NotFoundError) as caught:
        await invoke(
            make_client(Recorder(), as_of=BEFORE).images.generate, prompt="x", model="gpt-image-2.5-flare"
        )
    assert "not available as of 2026-04-30; it is available from 2026-09-08" in str(caught.value)


@pytest.mark.anyio
@pytest.mark.parametrize("model", ["gpt-image-2.6-sunburst", "gpt-image-2.6-flare"])
async def test_the_2_6_models_are_available_from_2026_11_05(
    model: str, make_client: Callable[..., Any]
) -> None:
    """The SDK first names them in 3.46.0 (2026-11-05); the 2026-08 description does not."""
    with pytest.raises(wrapper.NotFoundError) as caught:
        await invoke(make_client(Recorder(), as_of="2026-11-04").images.generate, prompt="x", model=model)
    assert "not available as of 2026-11-04; it is available from 2026-11-05" in str(caught.value)
    recorder = Recorder()
    await invoke(make_client(recorder, as_of="2026-11-05").images.generate, prompt="x", model=model)
    assert _sent(recorder)["model"] == model


@pytest.mark.anyio
async def test_the_emulator_as_of_2026_04_30_refuses_gpt_image_2_6_flare() -> None:
    async with client(create_app(as_of=BEFORE)) as http:
        response = await http.post(
            "/images/generations", json={"prompt": "x", "model": "gpt-image-2.6-flare"}
        )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "model_not_found"


@pytest.mark.anyio
async def test_without_a_model_the_api_decides_as_of_today(make_client: Callable[..., Any]) -> None:
    """Since dall-e-2's retirement the API names no default: the request goes out without a model,
    checked against the schema only (quality xhigh is a schema value; no row is chosen for it)."""
    recorder = Recorder()
    await invoke(make_client(recorder, as_of=TODAY).images.generate, prompt="x", quality="xhigh")
    assert _sent(recorder) == {"prompt": "x", "quality": "xhigh"}
    with pytest.raises(wrapper.ValidationError) as caught:  # as of 2026-04-30: dall-e-2, no xhigh
        await invoke(make_client(recorder, as_of=BEFORE).images.generate, prompt="x", quality="xhigh")
    assert caught.value.model == "dall-e-2"  # the default of that day


def test_the_default_day_is_today_or_the_newest_date_of_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()  # the suite's own default (tests/conftest.py) out of the way
    monkeypatch.setattr(_lifecycle, "today", lambda: date(2030, 1, 2))
    assert _lifecycle.default_as_of() == date(2030, 1, 2)
    monkeypatch.setattr(_lifecycle, "today", lambda: date(2020, 1, 1))  # a clock behind the table
    assert _lifecycle.default_as_of() == date(2026, 11, 5)


# --- the emulator -----------------------------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize(("model", "retired_on", "replacement"), RETIRED)
async def test_the_emulator_answers_a_retired_model_404_model_not_found(
    model: str, retired_on: str, replacement: str
) -> None:
    async with client(create_app(as_of=TODAY)) as http:
        response = await http.post("/images/generations", json={"prompt": "x", "model": model})
    assert response.status_code == 404
    error = response.json()["error"]
    assert (error["type"], error["param"], error["code"]) == (
        "invalid_request_error",
        "model",
        "model_not_found",
    )
    assert retired_on in error["message"]
    assert replacement in error["message"]
    async with client(create_app(as_of=BEFORE)) as http:
        response = await http.post("/images/generations", json={"prompt": "x", "model": model})
    assert response.status_code == 200


@pytest.mark.anyio
async def test_the_emulator_answers_variations_404_as_of_today() -> None:
    parts = [("image", ("a.png", png((64, 64)), "image/png"))]
    async with client(create_app(as_of=TODAY)) as http:
        response = await http.post("/images/variations", files=parts)
    assert response.status_code == 404
    assert response.json()["error"]["code"] is None
    assert "2026-05-12" in response.json()["error"]["message"]
    async with client(create_app(as_of=BEFORE)) as http:
        assert (await http.post("/images/variations", files=parts)).status_code == 200


@pytest.mark.anyio
async def test_with_validation_off_the_emulators_404_is_a_not_found_error() -> None:
    transport = httpx2.ASGITransport(app=create_app(as_of=TODAY))  # type: ignore[arg-type]
    http = httpx2.AsyncClient(transport=transport)
    async with wrapper.AsyncClient(
        api_key="k", base_url="http://mock.test/v1", http_client=http, validate=False, max_retries=0
    ) as aclient:
        with pytest.raises(wrapper.NotFoundError) as caught:
            await aclient.images.generate(prompt="x", model="gpt-image-1")
    assert caught.value.code == "model_not_found"
