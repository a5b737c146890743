"""The emulator's images are real: exact sizes, formats, alpha, masks kept, inputs combined; URLs expire."""

from __future__ import annotations

import io
from typing import Any

import pytest
from mock_support import assert_matches, client, decode, edit, files, form, half_transparent, png
from PIL import Image, ImageChops, ImageStat

from wrapper.mock import FakeClock, create_app

pytestmark = pytest.mark.anyio


async def generate(body: dict[str, Any], app: Any = None) -> dict[str, Any]:
    async with client(app) as http:
        response = await http.post("/images/generations", json=body)
    assert response.status_code == 200, response.text[:300]
    document: dict[str, Any] = response.json()
    assert_matches("ImagesResponse", document)
    return document


@pytest.mark.parametrize(
    ("model", "size", "expected"),
    [
        ("dall-e-2", "256x256", (256, 256)),
        ("dall-e-2", None, (1024, 1024)),
        ("dall-e-3", "1792x1024", (1792, 1024)),
        ("gpt-image-1", "auto", (1024, 1024)),
        ("gpt-image-1", None, (1024, 1024)),
        ("gpt-image-1.5", "1024x1536", (1024, 1536)),
        ("gpt-image-2", "2048x1152", (2048, 1152)),
    ],
)
async def test_images_have_exactly_the_requested_size(
    model: str, size: str | None, expected: tuple[int, int]
) -> None:
    body: dict[str, Any] = {"prompt": "a lighthouse", "model": model, "response_format": "b64_json"}
    if model.startswith("gpt"):
        del body["response_format"]
    if size:
        body["size"] = size
    document = await generate(body)
    image = decode(document["data"][0]["b64_json"])
    assert image.size == expected
    if model.startswith("gpt"):
        assert document["size"] == f"{expected[0]}x{expected[1]}"


@pytest.mark.parametrize(
    ("output_format", "pil_format"), [("png", "PNG"), ("jpeg", "JPEG"), ("webp", "WEBP")]
)
async def test_output_format(output_format: str, pil_format: str) -> None:
    document = await generate({"prompt": "x", "model": "gpt-image-1", "output_format": output_format})
    assert decode(document["data"][0]["b64_json"]).format == pil_format
    assert document["output_format"] == output_format


@pytest.mark.parametrize("output_format", ["jpeg", "webp"])
async def test_output_compression_is_honoured(output_format: str) -> None:
    sizes = []
    for compression in (5, 100):
        document = await generate(
            {
                "prompt": "x",
                "model": "gpt-image-1",
                "output_format": output_format,
                "output_compression": compression,
            }
        )
        sizes.append(len(document["data"][0]["b64_json"]))
    assert sizes[0] < sizes[1]


@pytest.mark.parametrize("output_format", ["png", "webp"])
async def test_transparent_background_has_real_alpha(output_format: str) -> None:
    document = await generate(
        {"prompt": "x", "model": "gpt-image-1", "background": "transparent", "output_format": output_format}
    )
    image = decode(document["data"][0]["b64_json"])
    assert image.has_transparency_data  # RGBA, or (a PNG) a palette with alphas
    low, high = image.convert("RGBA").getchannel("A").getextrema()
    assert (low, high) == (0, 255)
    assert document["background"] == "transparent"


async def test_opaque_background_has_no_alpha() -> None:
    document = await generate({"prompt": "x", "model": "gpt-image-1", "background": "opaque"})
    image = decode(document["data"][0]["b64_json"])
    assert image.mode in ("RGB", "P")
    assert not image.has_transparency_data
    assert document["background"] == "opaque"


async def test_images_are_deterministic_per_prompt_model_and_index() -> None:
    body = {"prompt": "a red fox", "model": "gpt-image-1", "n": 2}
    first, second = await generate(body), await generate(body)
    assert [item["b64_json"] for item in first["data"]] == [item["b64_json"] for item in second["data"]]
    assert first["data"][0]["b64_json"] != first["data"][1]["b64_json"]
    other = await generate({**body, "prompt": "a blue fox"})
    assert other["data"][0]["b64_json"] != first["data"][0]["b64_json"]


async def test_each_picture_is_captioned_with_what_the_request_asked_for() -> None:
    body = {"prompt": "a red fox", "model": "gpt-image-1", "quality": "low"}
    low = decode((await generate(body))["data"][0]["b64_json"]).convert("RGB")
    high = decode((await generate({**body, "quality": "high"}))["data"][0]["b64_json"]).convert("RGB")
    # Same prompt, model and index, so the same shapes: only the caption in the middle differs.
    difference = ImageChops.difference(low, high).getbbox()
    assert difference is not None
    left, top, right, bottom = difference
    assert 0 < left < right < 1024
    assert 0 < top < bottom < 1024
    corners = ((0, 0, 64, 64), (960, 960, 1024, 1024))
    assert all(low.crop(box).tobytes() == high.crop(box).tobytes() for box in corners)


async def test_n_images_and_gpt_fields_and_usage() -> None:
    document = await generate(
        {"prompt": "four words of prompt", "model": "gpt-image-1", "n": 3, "quality": "high"}
    )
    assert len(document["data"]) == 3
    assert document["quality"] == "high"
    usage = document["usage"]
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]
    assert usage["output_tokens"] > 3 * 1000
    assert usage["input_tokens_details"]["text_tokens"] >= 1


async def test_dalle3_revises_the_prompt_and_dalle_models_have_no_usage() -> None:
    document = await generate({"prompt": "a cat", "model": "dall-e-3", "response_format": "b64_json"})
    assert document["data"][0]["revised_prompt"].startswith("a cat")
    assert "usage" not in document
    plain = await generate({"prompt": "a cat", "model": "dall-e-2", "response_format": "b64_json"})
    assert "revised_prompt" not in plain["data"][0]


def _mask_left_half(size: tuple[int, int]) -> bytes:
    return half_transparent(size, (0, 0, 0))


async def test_edit_keeps_unmasked_pixels_exactly_and_paints_the_masked_ones() -> None:
    source = Image.effect_mandelbrot((128, 128), (-2, -1.5, 1, 1.5), 50).convert("RGBA")
    buffer = io.BytesIO()
    source.save(buffer, "PNG")
    async with client() as http:
        response = await edit(
            http,
            {"prompt": "paint the left", "model": "gpt-image-1", "size": "1024x1024"},
            files(buffer.getvalue(), mask=_mask_left_half((128, 128))),
        )
    assert response.status_code == 200, response.text[:300]
    result = decode(response.json()["data"][0]["b64_json"]).convert("RGBA")
    expected = source.resize((1024, 1024), Image.Resampling.BILINEAR)
    right = (512, 0, 1024, 1024)
    assert result.crop(right).tobytes() == expected.crop(right).tobytes()
    assert result.crop((0, 0, 512, 1024)).tobytes() != expected.crop((0, 0, 512, 1024)).tobytes()


async def test_edit_at_the_input_size_keeps_the_input_pixels_bit_for_bit() -> None:
    source = Image.effect_noise((1024, 1024), 64).convert("RGBA")
    buffer = io.BytesIO()
    source.save(buffer, "PNG")
    async with client() as http:
        response = await edit(
            http, {"prompt": "x"}, files(buffer.getvalue(), mask=_mask_left_half((1024, 1024)))
        )
    result = decode(response.json()["data"][0]["b64_json"]).convert("RGBA")
    assert result.crop((512, 0, 1024, 1024)).tobytes() == source.crop((512, 0, 1024, 1024)).tobytes()


async def test_dalle2_edit_without_mask_paints_only_the_transparent_pixels() -> None:
    source = half_transparent((256, 256), (0, 200, 0))
    async with client() as http:
        response = await edit(
            http,
            {"prompt": "x", "model": "dall-e-2", "size": "256x256", "response_format": "b64_json"},
            files(source),
        )
    assert response.status_code == 200, response.text[:300]
    result = decode(response.json()["data"][0]["b64_json"]).convert("RGBA")
    original = Image.open(io.BytesIO(source)).convert("RGBA")
    assert result.crop((128, 0, 256, 256)).tobytes() == original.crop((128, 0, 256, 256)).tobytes()
    assert result.crop((0, 0, 128, 256)).getchannel("A").getextrema()[1] > 0


async def test_several_inputs_are_visibly_combined() -> None:
    red, blue = png((64, 64), (255, 0, 0, 255)), png((64, 64), (0, 0, 255, 255))
    async with client() as http:
        response = await edit(http, {"prompt": "merge", "model": "gpt-image-1"}, files(red, blue))
    result = decode(response.json()["data"][0]["b64_json"]).convert("RGB")
    left = ImageStat.Stat(result.crop((0, 0, 512, 1024))).mean
    right = ImageStat.Stat(result.crop((512, 0, 1024, 1024))).mean
    assert left[0] > left[2] + 40
    assert right[2] > right[0] + 40


async def test_variations_are_derived_from_the_input() -> None:
    source = png((256, 256), (240, 200, 10, 255))
    async with client() as http:
        response = await http.post(
            "/images/variations",
            files=form(
                {"n": "2", "size": "512x512", "response_format": "b64_json"}, files(source, name="image")
            ),
        )
    assert response.status_code == 200, response.text[:300]
    data = response.json()["data"]
    assert len(data) == 2
    for item in data:
        image = decode(item["b64_json"])
        assert image.size == (512, 512)
        red, green, _ = ImageStat.Stat(image.convert("RGB")).mean
        assert red > 120
        assert green > 100
    assert data[0]["b64_json"] != data[1]["b64_json"]


async def test_url_results_are_served_by_the_emulator_and_expire() -> None:
    clock = FakeClock()
    app = create_app(clock=clock, url_ttl=600)
    async with client(app) as http:
        response = await http.post("/images/generations", json={"prompt": "x", "model": "dall-e-3"})
        url = response.json()["data"][0]["url"]
        assert url.startswith("http://mock.test/files/images/")
        fresh = await http.get(url)
        clock.advance(599)
        still = await http.get(url)
        clock.advance(2)
        expired = await http.get(url)
        guessed = await http.get(url[:-10] + "AAAAAA.png")
    assert fresh.status_code == still.status_code == 200
    assert fresh.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(fresh.content)).size == (1024, 1024)
    assert expired.status_code == 404
    assert expired.json()["error"]["message"]
    assert guessed.status_code == 404


async def test_url_is_the_dalle_default_and_ids_are_unguessable() -> None:
    document = await generate({"prompt": "x", "n": 2})
    keys = [item["url"].rsplit("/", 1)[1].split(".")[0] for item in document["data"]]
    assert len(set(keys)) == 2
    assert all(len(key) >= 32 for key in keys)


async def test_url_store_is_bounded() -> None:
    app = create_app(max_stored_images=3)
    for _ in range(3):
        await generate({"prompt": "x", "n": 2, "size": "256x256"}, app)
    assert len(app.store) == 3


async def test_public_url_overrides_the_origin() -> None:
    app = create_app(public_url="https://images.example")
    document = await generate({"prompt": "x"}, app)
    assert document["data"][0]["url"].startswith("https://images.example/files/images/")
