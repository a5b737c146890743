"""Format and dimensions are read from headers, for files Pillow writes."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from wrapper._imageinfo import sniff


def encode(mode: str, size: tuple[int, int], fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, fmt, **options)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("mode", "fmt", "options", "expected_format", "alpha"),
    [
        ("RGBA", "PNG", {}, "png", True),
        ("RGB", "PNG", {}, "png", False),
        ("LA", "PNG", {}, "png", True),
        ("RGB", "JPEG", {}, "jpeg", False),
        ("RGB", "JPEG", {"progressive": True}, "jpeg", False),
        ("RGB", "WEBP", {"lossless": False}, "webp", False),
        ("RGBA", "WEBP", {"lossless": True}, "webp", True),
        ("RGBA", "WEBP", {"lossless": False}, "webp", True),
    ],
)
def test_sniff_reads_format_dimensions_and_alpha(
    mode: str, fmt: str, options: dict[str, object], expected_format: str, alpha: bool
) -> None:
    info = sniff(encode(mode, (123, 45), fmt, **options))
    assert info is not None
    assert (info.format, info.width, info.height) == (expected_format, 123, 45)
    assert info.has_alpha is alpha


def test_jpeg_with_large_exif_block_before_the_frame_header() -> None:
    image = Image.new("RGB", (64, 32))
    exif = Image.Exif()
    exif[0x010E] = "x" * 60000  # ImageDescription
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    info = sniff(buffer.getvalue())
    assert info is not None
    assert (info.width, info.height) == (64, 32)


@pytest.mark.parametrize("data", [b"", b"GIF89a" + b"\x00" * 20, b"hello world", b"RIFF\x00\x00\x00\x00WAVE"])
def test_non_images_are_not_recognised(data: bytes) -> None:
    assert sniff(data) is None


def test_truncated_header_gives_format_without_dimensions() -> None:
    info = sniff(encode("RGB", (10, 10), "PNG")[:12])
    assert info is not None
    assert info.format == "png"
    assert info.width is None
