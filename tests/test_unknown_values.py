"""When the client is behind the API: a value the spec's enum does not list is sent, with a warning.

The API may take values newer than this client's spec (a new quality, a new output format); refusing
them would make the client stricter than the API. A known value that the model's row does not offer
is still refused before the wire, and the emulator, which plays the API as the spec knows it,
answers an unknown value 400 naming the parameter. The refusals of the model's row are literal cases
(model, parameter, value); an unknown value is built from the spec (`unknown`), so that a value
openapi.yaml gains later never turns this file's example into a known one.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from conftest import Recorder, invoke, png
from mock_support import client as emulator_client

import wrapper
from wrapper import _models
from wrapper._spec import OPERATIONS

pytestmark = pytest.mark.anyio


@pytest.fixture(autouse=True)
def fresh_warnings() -> Iterator[None]:
    """Each value is warned of once per process; every test here sees its own first time."""
    _models._warn_value_once.cache_clear()
    yield
    _models._warn_value_once.cache_clear()


def enum_values(param: str) -> set[object]:
    """Every value the spec's enums of `param` list, in any operation."""
    return {
        value
        for spec in OPERATIONS.values()
        if param in spec.params
        for value in spec.params[param].enum or ()
    }


def unknown(param: str, near: str) -> str:
    """A value of `param` that the spec does not list: `near` (one it lists) with a suffix no enum
    has, so the client's hint names `near` as the closest known value."""
    assert near in enum_values(param), f"{near!r} is not a {param} of the spec"
    value = f"{near}-next"
    while value in enum_values(param):
        value += "-next"
    return value


QUALITY = unknown("quality", near="high")
FORMAT = unknown("output_format", near="png")


def test_the_unknown_values_are_in_no_enum_of_the_spec() -> None:
    assert QUALITY not in enum_values("quality")
    assert FORMAT not in enum_values("output_format")


def warnings_of(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]


async def test_an_unknown_quality_is_sent_with_a_warning(
    make_client: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    recorder = Recorder()
    with caplog.at_level(logging.WARNING, logger="wrapper"):
        images = make_client(recorder).images
        await invoke(images.generate, prompt="a fox", model="gpt-image-1.5", quality=QUALITY)
    (request,) = recorder.requests
    assert json.loads(request.content)["quality"] == QUALITY
    assert warnings_of(caplog) == [
        f"quality {QUALITY!r} is not a value this client knows; it is sent as given (the API may be newer); "
        "the closest known value is 'high'"
    ]


async def test_an_unknown_output_format_of_a_multipart_edit_is_sent(
    make_client: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    recorder = Recorder()
    with caplog.at_level(logging.WARNING, logger="wrapper"):
        edit = make_client(recorder).images.edit
        await invoke(edit, image=png(64, 64), prompt="a fox", model="gpt-image-1.5", output_format=FORMAT)
    (request,) = recorder.requests
    assert f'name="output_format"\r\n\r\n{FORMAT}\r\n'.encode() in request.content
    (warning,) = warnings_of(caplog)
    assert warning.startswith(f"output_format {FORMAT!r} is not a value this client knows")
    assert warning.endswith("the closest known value is 'png'")


async def test_rules_that_read_an_unknown_value_do_not_refuse(make_client: Callable[..., Any]) -> None:
    # output_compression below 100 needs jpeg or webp; whether a format the spec does not list takes
    # it only the API knows.
    recorder = Recorder()
    images = make_client(recorder).images
    await invoke(
        images.generate, prompt="a fox", model="gpt-image-1.5", output_format=FORMAT, output_compression=50
    )
    assert json.loads(recorder.requests[0].content)["output_compression"] == 50


@pytest.mark.parametrize(
    ("model", "param", "value", "allowed"),
    [
        ("gpt-image-1.5", "quality", "hd", "low, medium, high, auto"),  # hd is dall-e-3's (reference)
        ("gpt-image-1.5", "quality", "xhigh", "low, medium, high, auto"),  # the 2.5 models' (SDK 3.57)
        ("gpt-image-1.5", "quality", "standard", "low, medium, high, auto"),
    ],
)
async def test_a_known_value_the_model_does_not_offer_is_refused(
    make_client: Callable[..., Any], model: str, param: str, value: str, allowed: str
) -> None:
    recorder = Recorder()
    with pytest.raises(wrapper.ValidationError) as caught:
        await invoke(make_client(recorder).images.generate, prompt="a fox", model=model, **{param: value})
    assert (caught.value.param, caught.value.value, caught.value.model) == (param, value, model)
    assert str(caught.value).endswith(f"allowed: {allowed}")
    assert recorder.requests == []


async def test_validate_false_sends_an_unknown_value_too(make_client: Callable[..., Any]) -> None:
    recorder = Recorder()
    images = make_client(recorder).images
    await invoke(images.generate, prompt="a fox", model="gpt-image-1.5", quality=QUALITY, validate=False)
    assert json.loads(recorder.requests[0].content)["quality"] == QUALITY


async def test_the_emulator_answers_an_unknown_value_400_naming_the_parameter() -> None:
    async with emulator_client() as http:
        response = await http.post(
            "/images/generations", json={"prompt": "a fox", "model": "gpt-image-1.5", "quality": QUALITY}
        )
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "quality"


async def test_the_client_hears_the_emulators_400_for_an_unknown_value() -> None:
    from wrapper.mock import create_app

    transport = httpx2.ASGITransport(app=create_app())
    http = httpx2.AsyncClient(transport=transport)
    async with wrapper.AsyncClient(api_key="sk-test", base_url="http://mock/v1", http_client=http) as aclient:
        with pytest.raises(wrapper.BadRequestError) as caught:
            await aclient.images.generate(prompt="a fox", model="gpt-image-1.5", quality=QUALITY)
    assert caught.value.param == "quality"


def test_a_job_line_with_an_unknown_value_is_valid_and_a_refused_known_value_is_not(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from wrapper.batch import validate_job

    job = tmp_path / "job.jsonl"
    lines = [
        {"custom_id": "unknown", "prompt": "a fox", "model": "gpt-image-1.5", "quality": QUALITY},
        {"custom_id": "hd", "prompt": "a fox", "model": "gpt-image-1.5", "quality": "hd"},
    ]
    job.write_text("".join(json.dumps(line) + "\n" for line in lines))
    with caplog.at_level(logging.WARNING, logger="wrapper"):
        errors = {error.number: error.message for error in validate_job(job).errors}
    assert errors == {2: "quality 'hd' is not supported by gpt-image-1.5; allowed: low, medium, high, auto"}
    assert any(
        message.startswith(f"quality {QUALITY!r} is not a value this client knows")
        for message in warnings_of(caplog)
    )
