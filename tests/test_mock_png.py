"""PNG files assembled from deflate segments (wrapper/mock/_png.py), checked against zlib and Pillow."""

from __future__ import annotations

import io
import os
import zlib

import pytest
from PIL import Image, ImageDraw, ImageFont

from wrapper.mock import _png
from wrapper.mock._png import _adler32_combine, palette_png, scanlines, segment


@pytest.mark.parametrize(
    ("first", "second"), [(0, 0), (1, 70_000), (70_000, 1), (65_521, 65_522), (5, 300_000)]
)
def test_adler32_combine_is_the_adler32_of_both(first: int, second: int) -> None:
    one, two = os.urandom(first), os.urandom(second)
    assert _adler32_combine(zlib.adler32(one), zlib.adler32(two), len(two)) == zlib.adler32(one + two)


def test_segments_make_one_png_that_pillow_reads_pixel_for_pixel() -> None:
    image = Image.effect_noise((97, 61), 80).convert("L").point(lambda value: value % 7)
    colours = [(index * 30, 255 - index * 30, 90, 255 if index else 0) for index in range(7)]
    parts = [image.crop((0, 0, 97, 20)), image.crop((0, 20, 97, 21)), image.crop((0, 21, 97, 61))]
    segments = [
        segment(scanlines(part), last=number == 2, kept=number != 1) for number, part in enumerate(parts)
    ]
    rgba = bytes(value for colour in colours for value in colour)
    decoded = Image.open(io.BytesIO(palette_png((97, 61), rgba, segments)))
    decoded.load()  # reads every chunk, checking each CRC and the stream's Adler-32
    assert (decoded.format, decoded.mode, decoded.size) == ("PNG", "P", (97, 61))
    assert decoded.tobytes() == image.tobytes()
    assert decoded.convert("RGBA").getpixel((0, 0))[3] in (0, 255)
    assert decoded.has_transparency_data


def test_an_opaque_palette_has_no_transparency_chunk() -> None:
    image = Image.new("L", (8, 8), 1)
    data = palette_png((8, 8), bytes((0, 0, 0, 255, 255, 0, 0, 255)), [segment(scanlines(image), last=True)])
    assert b"tRNS" not in data
    assert Image.open(io.BytesIO(data)).convert("RGB").getpixel((3, 3)) == (255, 0, 0)


def test_kept_rows_are_deflated_tighter_to_the_same_bytes() -> None:
    image = Image.linear_gradient("L").resize((512, 512)).point(lambda value: value // 4)
    image.paste(200, (100, 100, 300, 180))
    rows = scanlines(image)
    kept, fresh = segment(rows, last=True, kept=True), segment(rows, last=True)
    assert zlib.decompress(kept.data, -15) == zlib.decompress(fresh.data, -15) == rows
    assert (kept.adler, kept.length) == (fresh.adler, fresh.length) == (zlib.adler32(rows), len(rows))
    assert len(kept.data) < len(fresh.data)


def test_an_answers_rows_deflate_to_the_same_bytes_by_zlib_ng(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("zlib_ng")
    image = Image.linear_gradient("L").resize((700, 90)).point(lambda value: 60 + value // 8)
    font = ImageFont.load_default(size=60)
    ImageDraw.Draw(image).text((20, 5), "a fox, jumpy (quirky) 1234", fill=255, font=font)
    rows = scanlines(image)
    by_zlib_ng = segment(rows, last=False)
    monkeypatch.setattr(_png, "_RUNS", zlib)
    assert segment(rows, last=False) == by_zlib_ng
