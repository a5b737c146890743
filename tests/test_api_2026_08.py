"""What the API of 2026-08 accepts and the client used to refuse: each relaxed rule stated as a
literal case (model, parameter, value, outcome written out, not read from the table), through the
client and the emulator alike; JSON null as "not given"; unknown models."""

from __future__ import annotations

import base64
import io
import json
import logging
from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest
from mock_support import client, png
from PIL import Image

import wrapper
from wrapper._cli import main
from wrapper.mock import create_app
from wrapper.mock.pytest_plugin import ImagesMock

pytestmark = pytest.mark.anyio


def sent_json(calls: list[httpx2.Request]) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(calls[-1].content)
    return body


def recording_client(answer: dict[str, Any] | None = None) -> tuple[wrapper.Client, list[httpx2.Request]]:
    calls: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        calls.append(request)
        return httpx2.Response(200, json=answer or {"created": 1, "data": [{"b64_json": "AA=="}]})

    http = httpx2.Client(transport=httpx2.MockTransport(handler))
    return wrapper.Client(api_key="sk-test", base_url="https://api.test/v1", http_client=http), calls


# (method, kwargs) the 2026-08 description accepts, each once refused by this client or emulator.
RELAXED = [
    # quality auto is the documented default of every model
    ("generate", {"prompt": "x", "model": "dall-e-2", "quality": "auto"}),
    ("generate", {"prompt": "x", "model": "dall-e-3", "quality": "auto"}),
    ("edit", {"prompt": "x", "model": "dall-e-2", "quality": "auto", "image": png((64, 64))}),
    # output_compression 100 is the server's default: taken with any output format
    ("generate", {"prompt": "x", "model": "gpt-image-1", "output_compression": 100}),
    ("generate", {"prompt": "x", "model": "gpt-image-1", "output_format": "png", "output_compression": 100}),
    ("edit", {"prompt": "x", "model": "gpt-image-1.5", "output_compression": 100, "image": png()}),
    # transparent backgrounds on gpt-image-2 and its snapshot (preview)
    ("generate", {"prompt": "x", "model": "gpt-image-2", "background": "transparent"}),
    ("generate", {"prompt": "x", "model": "gpt-image-2-2026-04-21", "background": "transparent"}),
    # no invented length limit on user
    ("generate", {"prompt": "x", "model": "gpt-image-1", "user": "u" * 5000}),
]


@pytest.mark.parametrize(("method", "kwargs"), RELAXED)
def test_the_client_sends_what_the_api_accepts(method: str, kwargs: dict[str, Any]) -> None:
    api, calls = recording_client()
    getattr(api.images, method)(**kwargs)
    assert len(calls) == 1


@pytest.mark.parametrize(("method", "kwargs"), RELAXED)
def test_the_emulator_accepts_what_the_api_accepts(
    images_mock: ImagesMock, method: str, kwargs: dict[str, Any]
) -> None:
    with wrapper.Client(api_key="sk-test", base_url=images_mock.url, max_retries=0) as api:
        result = getattr(api.images, method)(**kwargs)
    assert result.data
    assert images_mock.requests[-1].status == 200


def test_output_compression_below_100_still_needs_jpeg_or_webp() -> None:
    api, calls = recording_client()
    with pytest.raises(wrapper.ValidationError) as caught:
        api.images.generate(prompt="x", model="gpt-image-1", output_format="png", output_compression=99)
    assert (caught.value.param, caught.value.model) == ("output_compression", "gpt-image-1")
    assert calls == []


def test_quality_auto_resolves_to_the_models_default(images_mock: ImagesMock) -> None:
    with wrapper.Client(api_key="sk-test", base_url=images_mock.url, max_retries=0) as api:
        result = api.images.generate(
            prompt="a fox", model="dall-e-3", quality="auto", response_format="b64_json"
        )
    image = Image.open(io.BytesIO(base64.b64decode(result.data[0].b64_json or "")))
    assert image.size == (1024, 1024)


@pytest.mark.parametrize("model", ["gpt-image-2", "gpt-image-2-2026-04-21"])
async def test_the_emulator_draws_transparency_for_gpt_image_2(model: str) -> None:
    async with client() as http:
        response = await http.post(
            "/images/generations", json={"prompt": "a fox", "model": model, "background": "transparent"}
        )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["background"] == "transparent"
    image = Image.open(io.BytesIO(base64.b64decode(body["data"][0]["b64_json"])))
    assert image.has_transparency_data  # a palette PNG with alphas (the emulator's), or RGBA
    assert image.convert("RGBA").getextrema()[3][0] == 0  # some pixels fully transparent


def test_a_response_without_data_is_an_empty_result() -> None:
    api, _ = recording_client({"created": 1700000000})
    result = api.images.generate(prompt="x", model="gpt-image-1")
    assert (result.created, result.data) == (1700000000, ())


# --- null means "not given" ----------------------------------------------------------------------


async def test_the_emulator_takes_json_null_as_not_given() -> None:
    body = {
        "prompt": "a fox",
        "model": None,
        "n": None,
        "size": None,
        "quality": None,
        "response_format": None,
        "style": None,
        "user": None,
        "stream": None,
    }
    async with client() as http:
        response = await http.post("/images/generations", json=body)
    assert response.status_code == 200, response.text
    assert len(response.json()["data"]) == 1


async def test_null_where_the_schema_takes_none_is_still_refused() -> None:
    async with client() as http:
        response = await http.post("/images/generations", json={"prompt": None})
    assert (response.status_code, response.json()["error"]["param"]) == (400, "prompt")


def test_the_wrapper_sends_nothing_for_none() -> None:
    api, calls = recording_client()
    api.images.generate(prompt="x", model=None, n=None, size=None, quality=None, user=None)
    assert sent_json(calls) == {"prompt": "x"}


def test_the_official_sdk_passing_none_succeeds(images_mock: ImagesMock) -> None:
    bodies: list[bytes] = []
    http = httpx2.Client(event_hooks={"request": [lambda request: bodies.append(request.read())]})
    with openai.OpenAI(base_url=images_mock.url, api_key="sk-test", max_retries=0, http_client=http) as sdk:
        result = sdk.images.generate(
            prompt="a fox",
            model=None,
            n=None,
            size=None,
            quality=None,
            response_format=None,
            style=None,
            extra_body={"background": None, "output_format": None},
        )
    assert json.loads(bodies[-1])["model"] is None  # the SDK does send null
    assert result.data
    assert result.data[0].url
    assert images_mock.requests[-1].status == 200


def test_the_official_sdk_sends_json_edits(images_mock: ImagesMock) -> None:
    file_id = images_mock.add_file(png((64, 64)))
    data_url = "data:image/png;base64," + base64.b64encode(png((64, 64))).decode()
    with openai.OpenAI(base_url=images_mock.url, api_key="sk-test", max_retries=0) as sdk:
        raw = sdk.post(
            "/images/edits",
            body={"model": "gpt-image-1.5", "prompt": "a hat", "images": [{"file_id": file_id}], "n": None},
            cast_to=openai.types.ImagesResponse,
        )
        streamed = sdk.post(
            "/images/edits",
            body={
                "prompt": "a hat",
                "images": [{"image_url": data_url}],
                "stream": True,
                "partial_images": 1,
            },
            cast_to=openai.types.ImagesResponse,
            stream=True,
            stream_cls=openai.Stream[openai.types.ImageEditStreamEvent],
        )
        events = [event.type for event in streamed]
    assert raw.data
    assert raw.data[0].b64_json
    assert events == ["image_edit.partial_image", "image_edit.completed"]


# --- unknown models ------------------------------------------------------------------------------


async def test_the_emulator_answers_an_unknown_model_404_model_not_found() -> None:
    transport = httpx2.ASGITransport(app=create_app())  # type: ignore[arg-type]
    async with httpx2.AsyncClient(transport=transport, base_url="http://mock.test/v1") as http:
        response = await http.post(
            "/images/generations",
            json={"prompt": "x", "model": "gpt-image-9"},
            headers={"Authorization": "Bearer k"},
        )
    assert response.status_code == 404
    error = response.json()["error"]
    assert (error["type"], error["code"]) == ("invalid_request_error", "model_not_found")
    assert error["param"] == "model"
    assert "gpt-image-9" in error["message"]


async def test_extra_models_are_accepted_and_a_variation_never_gets_gpt_fields() -> None:
    transport = httpx2.ASGITransport(app=create_app(extra_models=["dall-e-4"]))  # type: ignore[arg-type]
    async with httpx2.AsyncClient(
        transport=transport, base_url="http://mock.test/v1", headers={"Authorization": "Bearer k"}
    ) as http:
        response = await http.post(
            "/images/variations", data={"model": "dall-e-4"}, files={"image": ("a.png", png(), "image/png")}
        )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "url" in body["data"][0]
    assert not {"usage", "background", "output_format", "quality", "size"} & set(body)


def test_the_client_sends_an_unknown_model_and_warns_with_the_closest(
    caplog: pytest.LogCaptureFixture,
) -> None:
    api, calls = recording_client()
    with caplog.at_level(logging.WARNING, logger="wrapper"):
        api.images.generate(prompt="x", model="gpt-image-1x")
    assert sent_json(calls)["model"] == "gpt-image-1x"
    assert "did you mean gpt-image-1?" in caplog.text


def test_the_cli_prints_the_warning(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code = main(["generate", "a fox", "--model", "dall-e-33", "--mock", "-o", str(tmp_path)])
    err = capsys.readouterr().err
    assert code != 0  # the emulator, like the API, does not know the model
    assert "warning: model 'dall-e-33'" in err
    assert "did you mean dall-e-3?" in err
    assert "model_not_found" in err or "does not exist" in err


def test_the_cli_edits_by_url(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data_url = "data:image/png;base64," + base64.b64encode(png((48, 48))).decode()
    code = main(["edit", data_url, "--prompt", "a hat", "--mock", "-o", str(tmp_path)])
    assert code == 0, capsys.readouterr().err
    assert [p.suffix for p in tmp_path.iterdir()] == [".png"]
