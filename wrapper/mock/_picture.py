"""A generation's picture, cheaply: palette indices drawn at full size, captions from cached lines.

The picture (a gradient between two colours, three shapes, a caption on a dark band; see `_render`)
has about seventy colours, so it is drawn as one byte a pixel, each byte an index into a palette
made from the seed: four times fewer bytes to fill than RGBA, and PNG encodes a palette image five
to six times faster than the same picture in RGB (no per-row filter search, a third of the bytes to
deflate). The gradient's indices are kept per size and copied; the caption's lines are composed of
glyphs rasterised (and mapped to indices) once per character and size. A transparent picture
carries its alphas in the palette (PNG's tRNS chunk), so it decodes to real RGBA. `png_file` writes
the PNG of a picture deflating only the rows its first caption line inks anew (`_png`): the rest
repeats from one prompt to the next.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from PIL import Image, ImageChops, ImageDraw, ImageFont

from . import _png

RAMP = 64
"""Steps of the gradient: indices 0 to RAMP - 1, top to bottom."""
SHAPE = RAMP
"""The three shapes: indices SHAPE to SHAPE + 2."""
BAND = SHAPE + 3
"""The caption's band; the text's edges are INK - 3 to INK - 1 (blends of band and ink)."""
INK = BAND + 4
"""The caption's text."""
WHITE = 255
"""An extra opaque white, for what is drawn on a picture afterwards (a GIF's travelling dot)."""
BAND_RGB, BAND_ALPHA = (24, 24, 24), 200
_LEVELS = INK - BAND
_TO_INDEX = [BAND + (value * _LEVELS + 127) // 255 for value in range(256)]
"""An antialiased text mask (0-255) to indices: the band, three blends, the ink."""


@functools.lru_cache(maxsize=4)
def _ramp(width: int, height: int) -> Image.Image:
    """The gradient's indices at this size (never changed: callers copy it)."""
    column = bytes(row * RAMP // height for row in range(height))
    return Image.frombytes("L", (1, height), column).resize((width, height), Image.Resampling.NEAREST)


@functools.lru_cache(maxsize=64)
def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


@functools.lru_cache(maxsize=128)
def line_mask(text: str, size: int) -> Image.Image:
    """One caption line, white on black (antialiased), as tall as any line of this size: composed of
    glyphs rasterised once per character and size (each prompt brings a new line; its characters
    repeat), without kerning."""
    mask = Image.new("L", line_size(text, size))
    for ink, place in _placed(text, size):
        mask.paste(255, place, ink.mask)
    return mask


def line_size(text: str, size: int) -> tuple[int, int]:
    """The box of `line_mask(text, size)`, measured from the glyphs' advances, nothing drawn."""
    face = font(size)
    ascent, descent = face.getmetrics() if isinstance(face, ImageFont.FreeTypeFont) else (size, 0)
    return max(1, int(advance(text, size)) + 1), ascent + descent


@functools.lru_cache(maxsize=512)
def advance(text: str, size: int) -> float:
    """How wide `text` is written at `size` (the sum of its glyphs' advances): measured, not drawn."""
    return sum(_glyph(char, size).advance for char in text)


@dataclass(frozen=True, slots=True)
class _Ink:
    """What a glyph draws: its antialiased mask, and the mask as the band's and the ink's indices."""

    mask: Image.Image
    indices: Image.Image
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class _Glyph:
    advance: float
    left: int
    top: int
    ink: _Ink | None  # None: nothing to draw (a space)


@functools.lru_cache(maxsize=4096)
def _glyph(char: str, size: int) -> _Glyph:
    face = font(size)
    left, top, right, bottom = (int(edge) for edge in face.getbbox(char))
    if right <= left or bottom <= top:
        return _Glyph(face.getlength(char), 0, 0, None)
    mask = Image.new("L", (right - left, bottom - top))
    ImageDraw.Draw(mask).text((-left, -top), char, fill=255, font=face)
    return _Glyph(face.getlength(char), left, top, _Ink(mask, mask.point(_TO_INDEX), *mask.size))


def _placed(text: str, size: int) -> Iterator[tuple[_Ink, tuple[int, int]]]:
    """What the glyphs of `text` draw, each with its place in the line's box."""
    pen = 0.0
    for char in text:
        glyph = _glyph(char, size)
        if glyph.ink is not None:
            yield glyph.ink, (round(pen) + glyph.left, glyph.top)
        pen += glyph.advance


@dataclass(frozen=True, slots=True)
class _Line:
    indices: Image.Image
    """`line_mask(text, size)` as indices into the palette."""
    inked: tuple[int, int]
    """The rows of the line's box that its glyphs may ink (the others are the band's alone)."""


@functools.lru_cache(maxsize=128)
def _line(text: str, size: int) -> _Line:
    """A caption line as indices, composed of glyphs already mapped (no pass over the whole line for
    each prompt; the mapping keeps order, so where glyphs overlap the brighter index is the brighter
    ink's)."""
    line = Image.new("L", line_size(text, size), BAND)
    right = 0  # where the glyphs so far end: beyond it the line is all band, to be overwritten
    top, bottom = line.height, 0
    core = line.im  # Image.paste's checks cost as much as a glyph's paste: each prompt pastes ~20
    for ink, (x, y) in _placed(text, size):
        box = (x, y, x + ink.width, y + ink.height)
        if x >= right:
            core.paste(ink.indices.im, box)  # unmasked, 2-4x faster than through the mask
        else:  # over the glyphs before it: the brighter wins, as where FreeType draws a whole line
            line.paste(ImageChops.lighter(line.crop(box), ink.indices), box)
        right, top, bottom = max(right, box[2]), min(top, y), max(bottom, box[3])
    inked = (max(0, top), min(line.height, bottom)) if top < bottom else (0, line.height)
    return _Line(line, inked)


@dataclass(frozen=True, slots=True)
class Caption:
    """Where a caption goes: its font size, its band's box, and each line's mask and place."""

    size: int
    pad: int
    box: tuple[int, int, int, int]
    lines: tuple[tuple[str, tuple[int, int]], ...]


def layout(lines: Sequence[str], box: tuple[int, int, int, int]) -> Caption | None:
    """The caption of `lines` written large in the middle of `box`, sized to it so that it stays
    legible in a thumbnail; None when there is nothing to write or no room."""
    left, top, right, bottom = box
    width, height = right - left, bottom - top
    if not lines or width < 16 or height < 16:
        return None
    size = max(6, min(height // (len(lines) * 2 + 3), width // 12))
    widest = max(advance(line, size) for line in lines)  # measured, not drawn: may be huge
    if widest > width * 0.86:  # shrink long lines to the box
        size = max(6, int(size * width * 0.86 / widest))
    boxes = [line_size(line, size) for line in lines]
    spacing, pad = size // 4, size // 2
    # As wide as the box allows, whatever the lines: so the band's rows do not depend on the prompt's.
    band_w = min(width, int(width * 0.86) + 2 * pad)
    band_h = sum(box_h for _, box_h in boxes) + spacing * (len(boxes) - 1) + 2 * pad
    x0 = max(0, left + (width - band_w) // 2)
    y0 = max(0, top + (height - band_h) // 2)
    placed, y = [], y0 + pad
    for line, (line_w, line_h) in zip(lines, boxes, strict=True):
        placed.append((line, (x0 + (band_w - line_w) // 2, y)))
        y += line_h + spacing
    return Caption(size, pad, (x0, y0, x0 + band_w - 1, y0 + band_h - 1), tuple(placed))


def picture(
    digest: bytes,
    size: tuple[int, int],
    transparent: bool,
    lines: Sequence[str],
    shapes: bytes | None = None,
) -> Image.Image:
    """The picture at `size`, captioned with `lines`: a palette image (mode P) whose colours come from
    `digest` and whose shapes from `shapes` (default: `digest`)."""
    image = _drawn(shapes or digest, size, layout(lines, (0, 0, *size)))
    image.putpalette(palette(digest, transparent), "RGBA" if transparent else "RGB")
    return image


def png_file(
    digest: bytes, size: tuple[int, int], transparent: bool, lines: Sequence[str], shapes: bytes | None = None
) -> bytes:
    """`picture(...)` as a PNG file, written by `_png`: only the rows the first line (the prompt)
    inks are deflated anew, those above and below are kept deflated per size, shapes, other lines
    and inked rows."""
    caption = layout(lines, (0, 0, *size))
    colours = _rgba(digest, transparent)
    if caption is None:
        rows = _png.scanlines(_drawn(shapes or digest, size, None))
        return _png.palette_png(size, colours, [_png.segment(rows, last=True)])
    (first, (x, y)), *others = caption.lines
    line = _line(first, caption.size)  # the rows above and below what it inks are the blank line's
    parts = _parts(shapes or digest, size, replace(caption, lines=(("", (0, y)), *others)), line.inked)
    strip = parts.strip.copy()
    strip.paste(line.indices, (x + 1, -line.inked[0]))
    middle = _png.segment(strip.tobytes(), last=False)  # its first column is each row's filter byte
    return _png.palette_png(size, colours, [parts.top, middle, parts.rest])


@dataclass(frozen=True, slots=True)
class _Parts:
    top: _png.Segment
    strip: Image.Image
    """The first line's inked rows with a column of zeros before them: as bytes, PNG's scanlines."""
    rest: _png.Segment


@functools.lru_cache(maxsize=64)
def _parts(shapes: bytes, size: tuple[int, int], caption: Caption, rows: tuple[int, int]) -> _Parts:
    """A picture without its first line: the rows above that line's `rows` (of its box) and those
    below, deflated once for every prompt whose line inks these rows (a handful of spans per size),
    and the rows between (band, shapes, gradient) to write the line on."""
    width, height = size
    image = _drawn(shapes, size, caption)
    line_top = caption.lines[0][1][1]
    top, bottom = min(height, line_top + rows[0]), min(height, line_top + rows[1])
    return _Parts(
        _png.segment(_png.scanlines(image.crop((0, 0, width, top))), last=False, kept=True),
        image.crop((-1, top, width, bottom)),  # the column left of the picture: zeros
        _png.segment(_png.scanlines(image.crop((0, bottom, width, height))), last=True, kept=True),
    )


def _drawn(shapes: bytes, size: tuple[int, int], caption: Caption | None) -> Image.Image:
    """The picture's indices (mode L): the gradient, three shapes from `shapes`, the caption."""
    width, height = size
    image = _ramp(width, height).copy()
    pen = ImageDraw.Draw(image)
    for shape in range(3):
        chunk = shapes[4 + shape * 9 : 13 + shape * 9]
        x0, y0 = chunk[3] * width // 512, chunk[4] * height // 512
        x1, y1 = x0 + (64 + chunk[5]) * width // 384, y0 + (64 + chunk[6]) * height // 384
        (pen.ellipse if chunk[7] % 2 else pen.rectangle)((x0, y0, x1, y1), fill=SHAPE + shape)
    if caption is not None:
        pen.rounded_rectangle(caption.box, radius=caption.pad, fill=BAND)
        for line, place in caption.lines:
            if line:
                image.paste(_line(line, caption.size).indices, place)
    return image


def palette(digest: bytes, transparent: bool) -> bytes:
    """The colours of `picture`'s indices (RGBA entries when `transparent`, else RGB)."""
    rgba = _rgba(digest, transparent)
    return rgba if transparent else _png.rgb(rgba)


def _rgba(digest: bytes, transparent: bool) -> bytes:
    """Each index's colour, four bytes an entry: the gradient and the shapes (from `digest`), then the
    band, its blends into the ink, black and the white (the same for every picture)."""
    top, bottom = digest[0:3], digest[31:28:-1]
    ramp = bytearray([0 if transparent else 255]) * (4 * RAMP)
    for channel in range(3):  # start + span * step // (RAMP - 1), in C: all in 0-255, so mod 256 is exact
        ramp[channel::4] = _steps(bottom[channel] - top[channel]).translate(_plus(top[channel]))
    shapes = b"".join(digest[4 + shape * 9 : 7 + shape * 9] + b"\xff" for shape in range(3))
    return bytes(ramp) + shapes + _fixed_rgba(transparent)


@functools.cache  # one per span from -255 to 255
def _steps(span: int) -> bytes:
    return bytes(span * step // (RAMP - 1) % 256 for step in range(RAMP))


@functools.cache  # one per start from 0 to 255
def _plus(start: int) -> bytes:
    """A table for `bytes.translate` that adds `start` (mod 256)."""
    return bytes((value + start) % 256 for value in range(256))


@functools.lru_cache(maxsize=2)
def _fixed_rgba(transparent: bool) -> bytes:
    """The entries after the shapes, which no digest changes."""
    band = (0, 0, 0, BAND_ALPHA) if transparent else (*BAND_RGB, 255)
    colours: list[tuple[int, ...]] = []
    for level in range(_LEVELS + 1):  # the band, its blends towards the ink, the ink
        red, green, blue = (b + (255 - b) * level // _LEVELS for b in band[:3])
        colours.append((red, green, blue, band[3] + (255 - band[3]) * level // _LEVELS))
    colours += [(0, 0, 0, 255)] * (WHITE - BAND - len(colours)) + [(255, 255, 255, 255)]
    return bytes(value for colour in colours for value in colour)


def caption_rgba(
    image: Image.Image, lines: Sequence[str], box: tuple[int, int, int, int] | None
) -> Image.Image:
    """`image` (RGBA, changed in place) with `lines` on a translucent band in the middle of `box`
    (default: all of it): the same caption as `picture`'s, for pictures made from uploads."""
    caption = layout(lines, box or (0, 0, *image.size))
    if caption is None:
        return image
    x0, y0, x1, y1 = caption.box
    band = Image.new("RGBA", (x1 - x0 + 1, y1 - y0 + 1), (0, 0, 0, 0))
    ImageDraw.Draw(band).rounded_rectangle(
        (0, 0, band.width - 1, band.height - 1), radius=caption.pad, fill=(0, 0, 0, BAND_ALPHA)
    )
    for line, (x, y) in caption.lines:
        band.paste((255, 255, 255, 255), (x - x0, y - y0), mask=line_mask(line, caption.size))
    image.alpha_composite(band, dest=(x0, y0))
    return image
