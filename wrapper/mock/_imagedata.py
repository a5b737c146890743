"""Whether an upload too large to decode holds image data at all, found without decoding it.

A header alone (a PNG signature and IHDR, a JPEG up to its frame header, a RIFF/WEBP header) is
enough to sniff a size, so the emulator walks the file's chunks or segments up to the first one
that carries pixels: an IDAT chunk, a JPEG scan, VP8/VP8L/ANMF data. It reads a few bytes per
chunk and seeks past the rest, so memory stays constant whatever the file's size.
"""

from __future__ import annotations

import os
from typing import IO

MAX_CHUNKS = 4096
"""Chunks or segments looked at before giving up: real files reach their image data in a few."""

_WEBP_DATA = frozenset({b"VP8 ", b"VP8L", b"ANMF"})
_JPEG_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})


def has_image_data(file: IO[bytes], format: str) -> bool:
    """True when `file` (a PNG, JPEG or WebP by its header) has a complete first block of pixel data."""
    size = file.seek(0, os.SEEK_END)
    walk = {"png": _png, "jpeg": _jpeg, "webp": _webp}.get(format)
    return walk is not None and walk(file, size)


def _png(file: IO[bytes], size: int) -> bool:
    position = 8
    for _ in range(MAX_CHUNKS):
        header = _read(file, position, 8)
        if len(header) < 8:
            return False
        length, kind = int.from_bytes(header[:4], "big"), header[4:8]
        end = position + 12 + length  # length, type, data, CRC
        if kind == b"IDAT":
            return length > 0 and end <= size
        if kind == b"IEND":
            return False
        position = end
    return False


def _jpeg(file: IO[bytes], size: int) -> bool:
    position = 2
    for _ in range(MAX_CHUNKS):
        header = _read(file, position, 4)
        if len(header) < 2 or header[0] != 0xFF:
            return False
        marker = header[1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in _JPEG_STANDALONE:
            position += 2
            continue
        if marker == 0xD9 or len(header) < 4:  # end of image before any scan
            return False
        length = int.from_bytes(header[2:4], "big")
        if marker == 0xDA:  # start of scan: its header, then entropy-coded data
            return length >= 2 and position + 2 + length < size
        position += 2 + length
    return False


def _webp(file: IO[bytes], size: int) -> bool:
    position = 12
    for _ in range(MAX_CHUNKS):
        header = _read(file, position, 8)
        if len(header) < 8:
            return False
        kind, length = header[:4], int.from_bytes(header[4:8], "little")
        if kind in _WEBP_DATA:
            return length > 0 and position + 8 + length <= size
        position += 8 + length + (length & 1)  # chunks are padded to an even length
    return False


def _read(file: IO[bytes], position: int, count: int) -> bytes:
    file.seek(position)
    return file.read(count)
