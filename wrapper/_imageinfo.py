"""Format and dimensions of PNG, JPEG and WebP files (and of GIF and SVG results), from their first bytes.

Nothing is decoded: the client learns what it needs to validate an upload (format, width, height,
whether a PNG has an alpha channel) from a few hundred bytes, so large files are never read whole.
The emulator uses the same reader. Pillow would also do it, but it is an optional dependency and
costs ~100 ms to import; these three formats are what the API accepts.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

HEAD_BYTES = 256 * 1024
"""How many leading bytes `sniff` wants: enough for a JPEG's frame header after large EXIF blocks."""

MIME_TYPES = {
    "png": "image/png",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
    "gif": "image/gif",
    "svg": "image/svg+xml",
}
EXTENSIONS = {"png": ".png", "jpeg": ".jpg", "webp": ".webp", "gif": ".gif", "svg": ".svg"}

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_JPEG_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


@dataclass(frozen=True, slots=True)
class ImageInfo:
    """What the header of an image file says. `width`/`height` are None when the header is cut short."""

    format: str
    width: int | None = None
    height: int | None = None
    has_alpha: bool | None = None

    @property
    def mime_type(self) -> str:
        return MIME_TYPES[self.format]

    @property
    def dimensions(self) -> str:
        return f"{self.width}x{self.height}"


def sniff(head: bytes) -> ImageInfo | None:
    """Identify a PNG, JPEG or WebP file from its leading bytes; None for anything else."""
    if head.startswith(_PNG_SIGNATURE):
        return _png(head)
    if head.startswith(b"\xff\xd8\xff"):
        return _jpeg(head)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return _webp(head)
    return None


def sniff_result(head: bytes) -> ImageInfo | None:
    """`sniff`, plus the formats the API only sends back: animated GIF and SVG (read by imagesize)."""
    info = sniff(head)
    if info is not None:
        return info
    start = head[:512].lstrip()
    if head.startswith((b"GIF87a", b"GIF89a")):
        kind = "gif"
    elif start.startswith(b"<svg") or (start.startswith(b"<?xml") and b"<svg" in head[:4096]):
        kind = "svg"
    else:
        return None
    import io

    import imagesize  # type: ignore[import-untyped]  # late: only GIF and SVG results need it

    width, height = imagesize.get(io.BytesIO(head))
    if width < 0 or height < 0:
        return ImageInfo(kind)
    return ImageInfo(kind, int(width), int(height))


def _png(head: bytes) -> ImageInfo:
    if len(head) < 26 or head[12:16] != b"IHDR":
        return ImageInfo("png")
    width, height = struct.unpack(">II", head[16:24])
    color_type = head[25]
    # Colour types 4 and 6 carry alpha; a tRNS chunk gives other types transparency.
    has_alpha = color_type in (4, 6) or b"tRNS" in head[33:4096]
    return ImageInfo("png", width, height, has_alpha)


def _jpeg(head: bytes) -> ImageInfo:
    pos = 2
    while pos + 9 <= len(head):
        if head[pos] != 0xFF:
            return ImageInfo("jpeg")
        marker = head[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD8)):  # markers without a length
            pos += 2
            continue
        (length,) = struct.unpack(">H", head[pos + 2 : pos + 4])
        if marker in _JPEG_SOF:
            height, width = struct.unpack(">HH", head[pos + 5 : pos + 9])
            return ImageInfo("jpeg", width, height, False)
        pos += 2 + length
    return ImageInfo("jpeg")


def _webp(head: bytes) -> ImageInfo:
    chunk = head[12:16]
    if chunk == b"VP8X" and len(head) >= 30:
        width = 1 + int.from_bytes(head[24:27], "little")
        height = 1 + int.from_bytes(head[27:30], "little")
        return ImageInfo("webp", width, height, bool(head[20] & 0x10))
    if chunk == b"VP8L" and len(head) >= 25:
        bits = int.from_bytes(head[21:25], "little")
        return ImageInfo("webp", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, bool(bits >> 28 & 1))
    if chunk == b"VP8 " and len(head) >= 30:
        width, height = struct.unpack("<HH", head[26:30])
        return ImageInfo("webp", width & 0x3FFF, height & 0x3FFF, False)
    return ImageInfo("webp")
