"""The emulator's generated pictures (wrapper/mock/_picture.py) and its answers to identical requests
(wrapper/mock/_produce.py `ANSWERS`)."""

from __future__ import annotations

import base64
import io

import anyio
import httpx2
import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont

from wrapper.mock import _produce, create_app
from wrapper.mock._picture import (
    _TO_INDEX,
    BAND,
    BAND_RGB,
    _line,
    _parts,
    font,
    line_mask,
    palette,
    picture,
    png_file,
)
from wrapper.mock._plan import plan
from wrapper.mock._render import seed

LINES = ['"a red fox"', "gpt-image-1.5", "1024x1024 low", "image 1 of 1"]


def test_a_picture_is_a_palette_image_with_a_caption_band_and_ink() -> None:
    image = picture(seed("a red fox", "gpt-image-1.5", 0), (1024, 1024), False, LINES)
    assert (image.mode, image.size) == ("P", (1024, 1024))
    colours = {colour for _, colour in image.convert("RGB").getcolors(256) or []}
    assert {BAND_RGB, (255, 255, 255)} <= colours  # the band, and the text written on it
    middle = image.convert("RGB").crop((256, 384, 768, 640))
    assert (255, 255, 255) in {colour for _, colour in middle.getcolors(4096) or []}


def test_a_transparent_picture_carries_its_alphas_in_the_palette() -> None:
    image = picture(seed("x"), (256, 256), True, ["x"])
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    decoded = Image.open(io.BytesIO(buffer.getvalue()))
    assert decoded.has_transparency_data
    assert decoded.convert("RGBA").getchannel("A").getextrema() == (0, 255)
    assert len(palette(seed("x"), True)) == 4 * 256
    assert len(palette(seed("x"), False)) == 3 * 256


def test_pictures_differ_by_seed_and_are_the_same_for_the_same_seed() -> None:
    one = picture(seed("a"), (512, 512), False, ["a"]).convert("RGB").tobytes()
    assert one == picture(seed("a"), (512, 512), False, ["a"]).convert("RGB").tobytes()
    assert one != picture(seed("b"), (512, 512), False, ["a"]).convert("RGB").tobytes()


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The prompts of the files actually drawn (not answered from `ANSWERS`), with a fresh `ANSWERS`."""
    prompts: list[str] = []
    draw = _produce.rendered_file

    def counting(job: _produce.Plan, inputs: _produce.Inputs, index: int) -> bytes:
        prompts.append(job.prompt)
        return draw(job, inputs, index)

    monkeypatch.setattr(_produce, "rendered_file", counting)
    monkeypatch.setattr(_produce, "ANSWERS", _produce.Answers(2))
    return prompts


@pytest.mark.anyio
async def test_an_identical_request_is_answered_again_without_drawing(drawn: list[str]) -> None:
    transport = httpx2.ASGITransport(app=create_app())
    body = {"prompt": "a fox", "model": "gpt-image-1.5", "quality": "low", "size": "1024x1024"}
    async with httpx2.AsyncClient(transport=transport, base_url="http://mock/v1") as http:
        auth = {"authorization": "Bearer sk-x"}
        first = (await http.post("/images/generations", json=body, headers=auth)).json()
        again = (await http.post("/images/generations", json=body, headers=auth)).json()
        other = (
            await http.post("/images/generations", json={**body, "prompt": "a cat"}, headers=auth)
        ).json()
    assert drawn == ["a fox", "a cat"]
    assert first["data"] == again["data"] != other["data"]
    with Image.open(io.BytesIO(base64.b64decode(again["data"][0]["b64_json"]))) as image:
        assert (image.format, image.size) == ("PNG", (1024, 1024))


def test_answers_keep_only_the_newest() -> None:
    answers = _produce.Answers(2)
    plans = [plan("generate", "gpt-image-1.5", {"prompt": prompt}) for prompt in ("a", "b", "c")]
    for number, job in enumerate(plans):
        answers.put(job, 0, bytes([number]))
    assert answers.get(plans[0], 0) is None
    assert (answers.get(plans[1], 0), answers.get(plans[2], 0)) == (b"\x01", b"\x02")


@pytest.mark.parametrize(
    ("size", "transparent", "prompt"),
    [
        ((1024, 1024), False, '"a red fox"'),
        ((1536, 1024), True, '"a red fox"'),
        ((256, 256), False, '"averyveryverylongwordthatmustshrinkthecaption ..."'),
        ((1024, 1024), False, '"jumpy, quirky gnome (ÄÖÜ) — yes?"'),  # other inked rows
        ((48, 48), True, '"Wj"'),
        ((12, 12), False, '"too small for a caption"'),
    ],
)
def test_the_png_file_is_the_picture_pixel_for_pixel(
    size: tuple[int, int], transparent: bool, prompt: str
) -> None:
    lines = [prompt, *LINES[1:]]
    digest, shapes = seed("colours"), seed("shapes")
    expected = picture(digest, size, transparent, lines, shapes).convert("RGBA")
    decoded = Image.open(io.BytesIO(png_file(digest, size, transparent, lines, shapes)))
    assert (decoded.format, decoded.size) == ("PNG", size)
    assert decoded.convert("RGBA").tobytes() == expected.tobytes()


def test_png_files_of_other_prompts_share_their_rows_but_not_their_first_line() -> None:
    shapes = seed("gpt-image-1.5", 0)
    _parts.cache_clear()
    one = Image.open(io.BytesIO(png_file(seed("a"), (512, 512), False, ['"a fox"', *LINES[1:]], shapes)))
    two = Image.open(io.BytesIO(png_file(seed("b"), (512, 512), False, ['"a cat"', *LINES[1:]], shapes)))
    assert one.tobytes() != two.tobytes()  # the indices differ in the first line's rows only
    indices = [Image.frombytes("L", image.size, image.tobytes()) for image in (one, two)]
    _, top, _, bottom = ImageChops.difference(*indices).getbbox() or (0, 0, 0, 0)
    assert 0 < top < bottom < 512 // 2
    assert one.getpalette() != two.getpalette()  # and in their colours
    assert (_parts.cache_info().misses, _parts.cache_info().hits) == (1, 1)  # the rest deflated once


@pytest.mark.parametrize(
    "text", ["AV To Wa yo", "a fox number 17", "Ünïcødé — ✓", "gpt-image-1.5 1024x1024", "jumpy, (quirky)"]
)
@pytest.mark.parametrize("size", [7, 40, 96])
def test_a_line_of_cached_glyphs_is_the_line_freetype_draws(text: str, size: int) -> None:
    face = font(size)
    assert isinstance(face, ImageFont.FreeTypeFont)
    ascent, descent = face.getmetrics()
    drawn = Image.new("L", (max(1, int(face.getlength(text)) + 1), ascent + descent))
    ImageDraw.Draw(drawn).text((0, 0), text, fill=255, font=face)
    composed = line_mask(text, size)
    assert composed.size == drawn.size
    assert ImageChops.difference(composed, drawn).getbbox() is None


@pytest.mark.parametrize("text", ["AV To Wa yo", '"a fox number 17"', "Ünïcødé — ✓", "jumpy, (quirky)"])
@pytest.mark.parametrize("size", [7, 40, 96])
def test_a_line_of_glyphs_as_indices_is_its_mask_mapped_to_the_palette(text: str, size: int) -> None:
    expected = line_mask(text, size).point(_TO_INDEX)
    line = _line(text, size)
    assert ImageChops.difference(line.indices, expected).getbbox() is None
    top, bottom = line.inked
    width, height = expected.size
    assert 0 <= top < bottom <= height
    assert expected.crop((0, 0, width, top)).getextrema() in ((BAND, BAND), (0, 0))  # (0, 0): no rows
    assert expected.crop((0, bottom, width, height)).getextrema() in ((BAND, BAND), (0, 0))
    assert max(expected.crop((0, top, width, bottom)).getextrema()) > BAND  # the ink is within


def test_a_cheap_generation_is_drawn_on_the_event_loop_only_while_nothing_else_draws() -> None:
    cheap = plan("generate", "gpt-image-1.5", {"prompt": "a fox", "size": "1024x1024"})
    large = plan("generate", "gpt-image-2", {"prompt": "a fox", "size": "3840x2160"})
    jpeg = plan("generate", "gpt-image-1.5", {"prompt": "a fox", "output_format": "jpeg"})
    assert _produce._cheap(cheap)
    assert not _produce._cheap(large)
    assert not _produce._cheap(jpeg)

    async def drawn_while_a_thread_draws() -> tuple[bytes | None, bytes | None]:
        limiter = _produce._limiters.setdefault(_produce.RENDER_THREADS, anyio.CapacityLimiter(4))
        async with limiter:
            busy = _produce._inline(cheap, _produce.Inputs(), 0)
        return busy, _produce._inline(cheap, _produce.Inputs(), 0)

    busy, idle = anyio.run(drawn_while_a_thread_draws)
    assert busy is None  # left to the threads
    assert idle == _produce.rendered_file(cheap, _produce.Inputs(), 0)
