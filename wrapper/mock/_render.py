"""Real, deterministic images drawn with Pillow: cheap fills and shapes, no per-pixel Python.

A picture depends only on its seed (the prompt, model and index, or the input image) and its caption
(what the request asked for: prompt, model, size, quality, index), so the same request always yields
the same bytes. Inputs too large to decode cheaply are stood in for by a flat
colour taken from their bytes; everything else is decoded once and composed at the requested size.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageOps

from . import _picture
from ._imagedata import has_image_data

MAX_DECODE_PIXELS = 4096 * 4096
"""Inputs with more pixels are not decoded (they would cost up to 64 MB each)."""

_PIL_FORMATS = {"png": "PNG", "jpeg": "JPEG", "webp": "WEBP"}


class DecodeError(ValueError):
    """An upload whose header looks like an image but whose body is not one; says what is wrong."""


@dataclass(frozen=True, slots=True)
class Output:
    """What a result must look like: size, file format, compression (0-100) and alpha."""

    width: int
    height: int
    format: str = "png"
    compression: int = 100
    transparent: bool = False

    @property
    def size(self) -> tuple[int, int]:
        return (self.width, self.height)

    @property
    def mode(self) -> str:
        return "RGBA" if self.transparent and self.format != "jpeg" else "RGB"


def seed(*parts: object) -> bytes:
    """A 32-byte digest of the parts: the whole source of a picture's randomness."""
    return hashlib.sha256("\x00".join(map(str, parts)).encode("utf-8", "replace")).digest()


def draw(digest: bytes, out: Output) -> Image.Image:
    """A picture made from a digest, uncaptioned, RGBA in the output's size: for edits and variations,
    which blend it with their uploads (a generation's picture is `_picture.picture`, a palette image)."""
    return _picture.picture(digest, out.size, out.transparent, ()).convert("RGBA")


def caption(
    image: Image.Image, lines: Sequence[str], box: tuple[int, int, int, int] | None = None
) -> Image.Image:
    """`image` (RGBA, changed in place) with `lines` written large on a dark band in the middle of
    `box` (default: all of it), sized to the box so that it stays legible in a thumbnail."""
    return _picture.caption_rgba(image, lines, box)


def encode(image: Image.Image, out: Output) -> bytes:
    """The image file in the output format; `compression` is the jpeg/webp quality (100 = best)."""
    buffer = io.BytesIO()
    if out.format == "png":  # a palette image stays one: PNG takes it as it is, with its alphas
        image.save(buffer, "PNG", compress_level=1)
    else:
        mode = "RGBA" if out.transparent and out.format != "jpeg" else "RGB"
        source = image.convert(mode) if image.mode != mode else image
        source.save(buffer, _PIL_FORMATS[out.format], quality=max(1, out.compression), method=0)
    return buffer.getvalue()


def partial(image: Image.Image, index: int, count: int) -> Image.Image:
    """The `index`-th of `count` partial images: the final one, coarser the earlier it comes."""
    factor = 2 ** (count - index + 1)
    small = image.resize(
        (max(1, image.width // factor), max(1, image.height // factor)), Image.Resampling.BOX
    )
    return small.resize(image.size, Image.Resampling.NEAREST)


def decode(file: IO[bytes], format: str, width: int | None, height: int | None) -> Image.Image | None:
    """The pixels of an upload as RGBA, or None when it is too large to decode cheaply.

    An upload too large to decode must still hold image data past its header; DecodeError if not.
    """
    if width and height and width * height > MAX_DECODE_PIXELS:
        _require_data(file, format)
        return None
    try:
        file.seek(0)
        with Image.open(file) as opened:
            if opened.width * opened.height > MAX_DECODE_PIXELS:
                _require_data(file, format)
                return None
            return opened.convert("RGBA")
    except DecodeError:
        raise
    except Exception:  # hostile bytes raise many kinds (OSError, SyntaxError, zlib.error, ...)
        # Their text names Python objects (`<SpooledTemporaryFile object at 0x...>`): not for clients.
        raise DecodeError("its data is corrupt or truncated") from None


def _require_data(file: IO[bytes], format: str) -> None:
    if not has_image_data(file, format):
        raise DecodeError("it has a header but no image data")


def stand_in(head: bytes, size: tuple[int, int]) -> Image.Image:
    """A flat picture for an input that was not decoded, coloured by its first bytes."""
    digest = hashlib.sha256(head).digest()
    return Image.new("RGBA", size, (*digest[:3], 255))


def edit(
    base: Image.Image,
    side: Image.Image,
    region: Image.Image | None,
    digest: bytes,
    out: Output,
    lines: Sequence[str] = (),
) -> Image.Image:
    """`base` kept where `region` is 0, painted elsewhere over `side` (all inputs side by side), with
    `lines` written inside the painted part.

    All images are RGBA at the output size; `region` is L (255 = paint), None paints everything.
    """
    painted = Image.blend(side, draw(digest, out), 0.4)
    painted = caption(painted, lines, None if region is None else region.getbbox())
    result = painted if region is None else Image.composite(painted, base, region)
    keep_alpha = out.format != "jpeg" and (out.transparent or _has_alpha(base))
    return result if keep_alpha else result.convert("RGB")


def transparent_region(mask: Image.Image, size: tuple[int, int]) -> Image.Image:
    """255 where the mask (or an image's own alpha) is fully transparent, else 0."""
    alpha = fit(mask, size).getchannel("A")
    return alpha.point(lambda value: 255 if value == 0 else 0)


def variation(
    source: Image.Image, digest: bytes, index: int, out: Output, lines: Sequence[str] = ()
) -> Image.Image:
    """A variation of `source`: mirrored on odd indexes, tinted by a shape layer, captioned."""
    base = fit(source, out.size)
    if index % 2:
        base = ImageOps.mirror(base)
    return caption(Image.blend(base, draw(digest, out), 0.25), lines).convert(out.mode)


def fit(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    rgba = image if image.mode == "RGBA" else image.convert("RGBA")
    return rgba if rgba.size == size else rgba.resize(size, Image.Resampling.BILINEAR)


def side_by_side(images: Iterable[Image.Image], count: int, size: tuple[int, int]) -> Image.Image:
    """`count` images (consumed one at a time) as vertical strips of one picture."""
    canvas = Image.new("RGBA", size)
    width = size[0]
    for index, image in enumerate(images):
        left, right = index * width // count, (index + 1) * width // count
        if right > left:
            canvas.paste(fit(image, size).crop((left, 0, right, size[1])), (left, 0))
    return canvas


def _has_alpha(image: Image.Image) -> bool:
    low, _ = image.getchannel("A").getextrema()
    return image.mode == "RGBA" and isinstance(low, int) and low < 255


def animate(image: Image.Image, frames: int, frame_ms: int) -> bytes:
    """An animated GIF of `frames` frames, `frame_ms` each, looping: `image` with a dot that travels
    along its bottom edge (each frame differs, so the encoder keeps them all). A palette image keeps
    its palette (GIF's own kind of image); another is reduced to one palette once, not per frame."""
    base = image if image.mode == "P" else image.convert("RGB").quantize(colors=_picture.WHITE)
    colours = (base.getpalette() or [])[: 3 * _picture.WHITE]
    base.putpalette(colours + [0] * (3 * _picture.WHITE - len(colours)) + [255, 255, 255])
    width, height = base.size
    radius = max(2, min(width, height) // 40)
    shots = []
    for index in range(frames):
        shot = base.copy()
        x = radius + (width - 2 * radius) * index // max(1, frames - 1)
        y = height - 2 * radius
        ImageDraw.Draw(shot).ellipse((x - radius, y - radius, x + radius, y + radius), fill=_picture.WHITE)
        shots.append(shot)
    buffer = io.BytesIO()
    shots[0].save(buffer, "GIF", save_all=True, append_images=shots[1:], duration=frame_ms, loop=0)
    return buffer.getvalue()


def svg_document(digest: bytes, out: Output, lines: Sequence[str] = ()) -> bytes:
    """A well-formed SVG drawing of `out`'s size made from a digest, like `draw`: a two-colour
    gradient, three shapes, and `lines` as a caption."""
    width, height = out.size
    top, bottom = _hex(digest[0:3]), _hex(digest[31:28:-1])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}">',
        f'<defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="{top}"/>'
        f'<stop offset="1" stop-color="{bottom}"/></linearGradient></defs>',
        f'<rect width="{width}" height="{height}" fill="url(#g)"/>',
    ]
    for shape in range(3):
        chunk = digest[4 + shape * 9 : 13 + shape * 9]
        x0, y0 = chunk[3] * width // 512, chunk[4] * height // 512
        w, h = (64 + chunk[5]) * width // 384, (64 + chunk[6]) * height // 384
        fill = _hex(chunk[0:3])
        if chunk[7] % 2:
            parts.append(
                f'<ellipse cx="{x0 + w // 2}" cy="{y0 + h // 2}" rx="{w // 2}" ry="{h // 2}" fill="{fill}"/>'
            )
        else:
            parts.append(f'<rect x="{x0}" y="{y0}" width="{w}" height="{h}" fill="{fill}"/>')
    size = max(6, min(height // (len(lines) * 2 + 3), width // 12)) if lines else 0
    for index, line in enumerate(lines):
        y = height // 2 + (index - len(lines) // 2) * size * 5 // 4
        parts.append(
            f'<text x="{width // 2}" y="{y}" font-size="{size}" text-anchor="middle" fill="#fff"'
            f' stroke="#000" stroke-width="{max(1, size // 12)}" paint-order="stroke">{escape(line)}</text>'
        )
    parts.append("</svg>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + "\n".join(parts) + "\n").encode()


def _hex(rgb: bytes) -> str:
    return "#" + rgb.hex()


def drawn_region(markup: Image.Image, size: tuple[int, int]) -> Image.Image:
    """255 over the box that a markup overlay's marks (any alpha above 0) span, else 0: a ring or a
    scribble asks for a change of what it surrounds."""
    alpha = fit(markup, size).getchannel("A").point(lambda value: 255 if value > 0 else 0)
    region = Image.new("L", size, 0)
    box = alpha.getbbox()
    if box is not None:
        region.paste(255, box)
    return region
