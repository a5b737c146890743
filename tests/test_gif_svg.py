"""GIF and SVG results, svg options on the wire, markup edits and safety_identifier, end to end.

- The `svg[...]` multipart fields of an edit are byte for byte the official SDK's for the same call
  (both captured with `httpx2.MockTransport`); a generation sends `svg` as the same JSON object.
- The emulator's GIFs have the frames and frame duration asked for (read back with Pillow), its SVGs
  are XML documents of the size asked for, with `svg_usage`; `save()` picks `.gif` / `.svg`.
- The official SDK 3.57, unmodified, uses the new parameters against the emulator.
"""

from __future__ import annotations

import base64
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest
from mock_support import half_transparent, png
from PIL import Image
from test_generated_wire import parts

import wrapper
from wrapper.mock.pytest_plugin import ImagesMock

pytestmark = pytest.mark.as_of("today")
SVG_OPTIONS = {"model": "author-1", "reasoning": {"effort": "low"}}
SVG_NS = "{http://www.w3.org/2000/svg}"


def _captured() -> tuple[httpx2.Client, list[httpx2.Request]]:
    seen: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        request.read()
        seen.append(request)
        return httpx2.Response(200, json={"created": 1, "data": [{"b64_json": "aGk="}]})

    return httpx2.Client(transport=httpx2.MockTransport(handler)), seen


def _fields(request: httpx2.Request, prefix: str) -> list[tuple[dict[str, str], bytes]]:
    return [
        (headers, body)
        for headers, body in parts(request)
        if re.search(rf'name="{re.escape(prefix)}[\[=]?', headers["content-disposition"])
    ]


def test_svg_multipart_fields_are_the_official_sdks_bytes() -> None:
    image = png((64, 64))
    kwargs: dict[str, Any] = {"prompt": "an icon", "model": "gpt-image-2.5-flare", "output_format": "svg"}
    http, ours = _captured()
    with wrapper.Client(api_key="k", base_url="https://api.test/v1", http_client=http) as client:
        client.images.edit(image=("a.png", image, "image/png"), svg=SVG_OPTIONS, **kwargs)
    http, theirs = _captured()
    with openai.OpenAI(api_key="k", base_url="https://api.test/v1", http_client=http) as sdk:
        sdk.images.edit(image=("a.png", image, "image/png"), svg=SVG_OPTIONS, **kwargs)  # type: ignore[arg-type]
    mine = _fields(ours[0], "svg")
    assert [headers["content-disposition"] for headers, _ in mine] == [
        'form-data; name="svg[model]"',
        'form-data; name="svg[reasoning][effort]"',
    ]
    assert [body for _, body in mine] == [b"author-1", b"low"]
    assert mine == _fields(theirs[0], "svg")


def test_a_generation_sends_svg_as_the_official_sdks_json() -> None:
    kwargs: dict[str, Any] = {"prompt": "an icon", "model": "gpt-image-2.5-flare", "output_format": "svg"}
    http, ours = _captured()
    with wrapper.Client(api_key="k", base_url="https://api.test/v1", http_client=http) as client:
        client.images.generate(svg=SVG_OPTIONS, **kwargs)
    http, theirs = _captured()
    with openai.OpenAI(api_key="k", base_url="https://api.test/v1", http_client=http) as sdk:
        sdk.images.generate(svg=SVG_OPTIONS, **kwargs)  # type: ignore[arg-type]
    assert json.loads(ours[0].content)["svg"] == json.loads(theirs[0].content)["svg"] == SVG_OPTIONS


def test_options_given_as_any_mapping_go_out_as_json_objects() -> None:
    """A read-only mapping (nested too) is an object like a dict: the JSON body carries it."""
    from types import MappingProxyType

    options = MappingProxyType({"model": "author-1", "reasoning": MappingProxyType({"effort": "low"})})
    http, ours = _captured()
    with wrapper.Client(api_key="k", base_url="https://api.test/v1", http_client=http) as client:
        client.images.generate(prompt="x", model="gpt-image-2.5-flare", output_format="svg", svg=options)
    assert json.loads(ours[0].content)["svg"] == SVG_OPTIONS


# --- what the emulator draws --------------------------------------------------------------------------


@pytest.fixture
def client(images_mock: ImagesMock) -> Any:
    with wrapper.Client(api_key="k", base_url=images_mock.url, max_retries=0) as client:
        yield client


def test_a_gif_has_the_frames_and_duration_asked_for(client: wrapper.Client, tmp_path: Path) -> None:
    result = client.images.generate(
        prompt="a spinning top",
        model="gpt-image-2.5-sunburst",
        output_format="gif",
        frame_count=5,
        frame_duration_ms=124,  # the API rounds to 10 ms
        size="256x256",
    )
    with Image.open(io.BytesIO(result.data[0].content())) as gif:
        assert (gif.format, gif.size, gif.n_frames) == ("GIF", (256, 256), 5)
        durations = []
        for frame in range(gif.n_frames):
            gif.seek(frame)
            durations.append(gif.info["duration"])
    assert durations == [120] * 5
    assert result.output_format == "gif"
    assert result.data[0].save(tmp_path).name == "image.gif"


def test_a_gif_has_9_frames_of_200_ms_by_default(client: wrapper.Client) -> None:
    result = client.images.generate(
        prompt="a top", model="gpt-image-2.5-flare", output_format="gif", size="256x256"
    )
    with Image.open(io.BytesIO(result.data[0].content())) as gif:
        assert (gif.n_frames, gif.info["duration"]) == (9, 200)


def test_the_emulator_bounds_a_gifs_pixels_over_all_frames(client: wrapper.Client) -> None:
    with pytest.raises(wrapper.BadRequestError) as caught:  # 16 frames of 3840x2160: 133 million pixels
        client.images.generate(
            prompt="x", model="gpt-image-2.5-flare", output_format="gif", frame_count=16, size="3840x2160"
        )
    assert caught.value.param == "size"
    assert "the emulator draws at most" in str(caught.value)


def test_an_svg_is_an_xml_document_of_the_size_asked_for(client: wrapper.Client, tmp_path: Path) -> None:
    result = client.images.generate(
        prompt="a paper boat",
        model="gpt-image-2.5-flare",
        output_format="svg",
        size="1536x864",
        svg=SVG_OPTIONS,
    )
    root = ET.fromstring(result.data[0].content())
    assert root.tag == f"{SVG_NS}svg"
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == ("1536", "864", "0 0 1536 864")
    assert any(element.text and "a paper boat" in element.text for element in root.iter(f"{SVG_NS}text"))
    assert result.svg_usage is not None
    assert result.svg_usage.model == "author-1"
    assert result.svg_usage.total_tokens == (
        result.svg_usage.input_tokens + result.svg_usage.output_tokens + result.svg_usage.reasoning_tokens
    )
    path = result.data[0].save(tmp_path, stem="boat")
    assert path.name == "boat.svg"
    assert path.read_bytes() == result.data[0].content()


def test_safety_identifier_is_echoed_and_user_stands_in_when_it_is_empty(client: wrapper.Client) -> None:
    given = client.images.generate(prompt="x", model="gpt-image-1.5", safety_identifier="h-1", user="u-1")
    assert given.safety_identifier == "h-1"
    fallback = client.images.generate(prompt="x", model="gpt-image-1.5", safety_identifier="", user="u-1")
    assert fallback.safety_identifier == "u-1"
    assert client.images.generate(prompt="x", model="gpt-image-1.5").safety_identifier is None


def test_a_stream_echoes_safety_identifier_in_its_completed_event(client: wrapper.Client) -> None:
    stream = client.images.generate(
        prompt="x", model="gpt-image-2.5-flare", stream=True, partial_images=1, safety_identifier="h-2"
    )
    with stream:
        events = list(stream)
    assert events[-1].safety_identifier == "h-2"
    assert events[-1].model_dump()["safety_identifier"] == "h-2"


def test_xhigh_and_max_are_drawn_and_reported(client: wrapper.Client) -> None:
    for quality in ("xhigh", "max"):
        result = client.images.generate(
            prompt="x", model="gpt-image-2.5-flare", quality=quality, size="1024x1024"
        )
        assert result.quality == quality
        assert result.usage is not None


def test_a_markup_edit_changes_only_where_the_markup_draws(client: wrapper.Client) -> None:
    source = png((64, 64), (200, 10, 10, 255))
    markup = half_transparent((64, 64), (0, 0, 255))  # left half transparent, right half drawn on
    result = client.images.edit(
        image=source, markup=markup, prompt="a door", model="gpt-image-2.5-flare", size="1024x1024"
    )
    edited = Image.open(io.BytesIO(result.data[0].content())).convert("RGBA")
    assert edited.size == (1024, 1024)
    assert edited.getpixel((100, 512)) == (200, 10, 10, 255)  # unmarked: the source, untouched
    assert edited.getpixel((900, 900)) != (200, 10, 10, 255)  # marked: painted


# --- the official SDK, unmodified ----------------------------------------------------------------------


@pytest.fixture
def sdk(images_mock: ImagesMock) -> Any:
    with openai.OpenAI(base_url=images_mock.url, api_key="sk-test", max_retries=0) as client:
        yield client


def test_the_official_sdk_uses_the_new_parameters(sdk: openai.OpenAI, images_mock: ImagesMock) -> None:
    gif = sdk.images.generate(
        prompt="a kite",
        model="gpt-image-2.5-flare",
        output_format="gif",
        frame_count=3,
        frame_duration_ms=100,
        complexity="high",
        quality="xhigh",
        safety_identifier="hashed",
        size="256x256",
    )
    assert (gif.output_format, gif.quality, gif.safety_identifier) == ("gif", "xhigh", "hashed")
    assert gif.data is not None
    assert gif.data[0].b64_json is not None
    with Image.open(io.BytesIO(base64.b64decode(gif.data[0].b64_json))) as frames:
        assert frames.n_frames == 3
    svg = sdk.images.edit(
        image=("a.png", png((64, 64)), "image/png"),
        markup=("m.png", half_transparent((64, 64)), "image/png"),
        prompt="as a vector icon",
        model="gpt-image-2.5-sunburst",
        output_format="svg",
        svg={"model": "author-9", "reasoning": {"effort": "high"}},
    )
    assert svg.svg_usage is not None
    assert svg.svg_usage.model == "author-9"
    assert svg.data is not None
    assert svg.data[0].b64_json is not None
    assert ET.fromstring(base64.b64decode(svg.data[0].b64_json)).tag == f"{SVG_NS}svg"
    sent = images_mock.requests.last
    assert sent.params["svg"] == {"model": "author-9", "reasoning": {"effort": "high"}}
    assert sent.markup is not None
    assert (sent.markup.filename, sent.markup.width) == ("m.png", 64)


def test_the_official_sdk_gets_not_found_for_a_retired_model(sdk: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError) as caught:
        sdk.images.generate(prompt="x", model="dall-e-3")
    assert caught.value.code == "model_not_found"
