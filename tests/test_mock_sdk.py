"""The official openai SDK, pointed at the emulator, works unmodified for every operation."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator

import openai
import pytest
from mock_support import half_transparent, png
from PIL import Image

from wrapper.mock.pytest_plugin import ImagesMock


@pytest.fixture
def sdk(images_mock: ImagesMock) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(base_url=images_mock.url, api_key="sk-test", max_retries=0) as client:
        yield client


def test_generate_with_url_and_revised_prompt(sdk: openai.OpenAI) -> None:
    result = sdk.images.generate(prompt="a fox", model="dall-e-3", size="1792x1024")
    assert result.data is not None
    assert result.data[0].url is not None
    assert result.data[0].url.startswith("http://127.0.0.1:")
    assert result.data[0].revised_prompt


def test_generate_gpt(sdk: openai.OpenAI) -> None:
    result = sdk.images.generate(
        prompt="a fox", model="gpt-image-1", size="1536x1024", output_format="webp", output_compression=60
    )
    assert result.data is not None
    assert result.data[0].b64_json is not None
    image = Image.open(io.BytesIO(base64.b64decode(result.data[0].b64_json)))
    assert (image.format, image.size) == ("WEBP", (1536, 1024))
    assert result.usage is not None
    assert result.usage.total_tokens > 0
    assert (result.size, result.output_format) == ("1536x1024", "webp")


def test_edit_with_two_images_and_a_mask(sdk: openai.OpenAI, images_mock: ImagesMock) -> None:
    a = ("a.png", png((256, 256), (255, 0, 0, 255)), "image/png")
    b = ("b.png", png((256, 256), (0, 0, 255, 255)), "image/png")
    mask = ("mask.png", half_transparent((256, 256)), "image/png")
    result = sdk.images.edit(
        image=[a, b], mask=mask, prompt="merge", model="gpt-image-1", size="1024x1024", n=2
    )
    assert result.data is not None
    assert len(result.data) == 2
    sent = images_mock.requests.last
    assert [file.filename for file in sent.images] == ["a.png", "b.png"]
    assert sent.mask is not None
    assert sent.mask.width == 256
    assert sent.params == {"prompt": "merge", "model": "gpt-image-1", "size": "1024x1024", "n": 2}


def test_streamed_generation_and_edit(sdk: openai.OpenAI) -> None:
    events = sdk.images.generate(prompt="x", model="gpt-image-1", stream=True, partial_images=2)
    assert [event.type for event in events] == [
        "image_generation.partial_image",
        "image_generation.partial_image",
        "image_generation.completed",
    ]
    edits = sdk.images.edit(
        image=[("a.png", png(), "image/png"), ("b.png", png(), "image/png")],
        prompt="x",
        model="gpt-image-1",
        stream=True,
        partial_images=1,
    )
    assert [event.type for event in edits] == ["image_edit.partial_image", "image_edit.completed"]


@pytest.mark.filterwarnings("ignore:deprecated:DeprecationWarning")
def test_variation(sdk: openai.OpenAI) -> None:
    result = sdk.images.create_variation(image=("a.png", png((128, 128)), "image/png"), n=2, size="256x256")
    assert result.data is not None
    assert len(result.data) == 2


def test_errors_reach_the_sdk_as_its_exceptions(sdk: openai.OpenAI, images_mock: ImagesMock) -> None:
    with pytest.raises(openai.BadRequestError) as bad:
        sdk.images.generate(prompt="x", model="dall-e-3", n=2)
    assert bad.value.param == "n"
    from wrapper.mock import Fault

    images_mock.faults.queue(Fault.rate_limit())
    with pytest.raises(openai.RateLimitError):
        sdk.images.generate(prompt="x")
