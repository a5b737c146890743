"""PNG files of palette images assembled from deflate segments, so that rows which repeat from one
answer to the next are compressed once.

A generated picture differs from the last one of its size, model and result number only in its
colours (the palette, a few hundred bytes) and in the rows of its caption's first line (the prompt).
Deflating its 1-4 MB of indices is most of what an answer costs, so the rows above and below that
line are deflated once, each as a segment that ends on a full flush (byte-aligned, no reference
across it), and each answer deflates only its own rows between them. The IDAT stream is the zlib
header, the segments in order and the Adler-32 of all the rows, combined from the segments' own
(as zlib's `adler32_combine` does). Pillow writes every other file; tests check these decode, pixel
for pixel, to what Pillow writes.
"""

from __future__ import annotations

import importlib
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType

from PIL import Image

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_ZLIB_HEADER = b"\x78\x01"
"""Deflate with a 32 KB window (the level it names, the fastest, is a hint that decoders ignore)."""
_ADLER_BASE = 65521


def _by_runs() -> ModuleType:
    """zlib-ng when installed (the `mock` extra brings it), else zlib: zlib-ng deflates an answer's
    rows by runs 2-2.5 times faster and sums them (Adler-32) fifteen times faster, into the same
    bytes as zlib (tested), so a file does not depend on which one wrote it."""
    try:
        return importlib.import_module("zlib_ng.zlib_ng")
    except ImportError:
        return zlib


_RUNS = _by_runs()


@dataclass(frozen=True, slots=True)
class Segment:
    """Some rows of an image, deflated: the raw deflate data, and the Adler-32 and length of the rows."""

    data: bytes
    adler: int
    length: int


def scanlines(image: Image.Image) -> bytes:
    """The rows of a one-byte-a-pixel image (L or P) as PNG stores them: each led by filter type 0."""
    width, raw = image.width, image.tobytes()
    return b"".join(b"\0" + raw[start : start + width] for start in range(0, len(raw), width))


def segment(rows: bytes, *, last: bool, kept: bool = False) -> Segment:
    """`rows` deflated on their own: ending the stream when `last`, else on a full flush. Rows `kept`
    for many answers are deflated tighter (zlib's default level: a 1024x1024 picture in ~15 KB against
    ~26 KB, for ~3 ms more once), which every answer then sends and encodes in fewer bytes; an
    answer's own rows by runs (zlib's RLE: the band, gradient and glyphs are runs along a row),
    faster than the fastest level and smaller."""
    if kept:
        compressor = zlib.compressobj(6, zlib.DEFLATED, -15, 8, zlib.Z_DEFAULT_STRATEGY)
    else:
        compressor = _RUNS.compressobj(1, zlib.DEFLATED, -15, 8, zlib.Z_RLE)
    data = compressor.compress(rows) + compressor.flush(zlib.Z_FINISH if last else zlib.Z_FULL_FLUSH)
    return Segment(data, _RUNS.adler32(rows), len(rows))


def palette_png(size: tuple[int, int], rgba: bytes, segments: Sequence[Segment]) -> bytes:
    """An 8-bit palette PNG of `size` whose rows are `segments` (the last one ends the stream) and
    whose palette is `rgba` (four bytes an entry; alphas below 255 go into a tRNS chunk)."""
    adler = 1  # the Adler-32 of nothing
    for part in segments:
        adler = _adler32_combine(adler, part.adler, part.length)
    idat = _ZLIB_HEADER + b"".join(part.data for part in segments) + struct.pack(">I", adler)
    width, height = size
    alphas = rgba[3::4]
    chunks = [
        _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)),
        _chunk(b"PLTE", rgb(rgba)),
    ]
    if alphas.count(255) < len(alphas):
        chunks.append(_chunk(b"tRNS", alphas))
    chunks += [_chunk(b"IDAT", idat), _chunk(b"IEND", b"")]
    return _SIGNATURE + b"".join(chunks)


def rgb(rgba: bytes) -> bytes:
    """RGBA entries without their alphas (byte slicing: a palette is built for every answer)."""
    out = bytearray(len(rgba) // 4 * 3)
    for channel in range(3):
        out[channel::3] = rgba[channel::4]
    return bytes(out)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _adler32_combine(first: int, second: int, second_length: int) -> int:
    """The Adler-32 of two byte strings one after the other, from each one's (zlib's adler32_combine)."""
    remainder = second_length % _ADLER_BASE
    low = (first & 0xFFFF) + (second & 0xFFFF) + _ADLER_BASE - 1
    high = (remainder * (first & 0xFFFF)) % _ADLER_BASE
    high += (first >> 16) + (second >> 16) + _ADLER_BASE - remainder
    low %= _ADLER_BASE
    high %= _ADLER_BASE
    return low | (high << 16)
