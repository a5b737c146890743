"""Prepare images for dall-e-2 edits and variations (needs Pillow: the `pillow` extra).

dall-e-2 takes one square RGBA PNG under 4 MB, and a mask of the same size whose transparent
pixels mark where to edit. Pillow is imported only when a function here is called.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Literal

from ._capabilities import MB, MODELS
from ._install import extra_needed

if TYPE_CHECKING:
    from PIL import Image as PILImage

_DALL_E_2 = MODELS["dall-e-2"]
MAX_BYTES = min(rule.max_bytes for rule in (_DALL_E_2.edit_images, _DALL_E_2.variation_image) if rule)
SIZES = tuple(sorted((int(size.split("x")[0]) for size in _DALL_E_2.sizes), reverse=True))


def for_dall_e_2(image: bytes | str, *, fit: Literal["pad", "crop"] = "pad", size: int = 1024) -> bytes:
    """An RGBA PNG, square (padded with transparency or centre-cropped), at most `size` and under 4 MB.

    Steps down to 512 and 256 pixels when a larger PNG would exceed 4 MB.
    """
    square = _square(_open(image).convert("RGBA"), fit)
    for side in (s for s in SIZES if s <= size):
        data = _png(square.resize((side, side)) if square.width != side else square)
        if len(data) < MAX_BYTES:
            return data
    raise ValueError(f"the image does not fit in {MAX_BYTES // MB} MB even at {SIZES[-1]}x{SIZES[-1]}")


def mask_from_box(size: tuple[int, int], box: tuple[int, int, int, int]) -> bytes:
    """A mask PNG of `size`, opaque except for the transparent `box` (left, top, right, bottom)."""
    with extra_needed("wrapper.prepare", "pillow"):
        from PIL import Image

    mask = Image.new("RGBA", size, (0, 0, 0, 255))
    mask.paste((0, 0, 0, 0), box)
    return _png(mask)


def mask_from_alpha(image: bytes | str, threshold: int = 128) -> bytes:
    """A mask PNG from an image's alpha channel: pixels under `threshold` become fully transparent."""
    with extra_needed("wrapper.prepare", "pillow"):
        from PIL import Image

    alpha = _open(image).convert("RGBA").getchannel("A").point(lambda a: 0 if a < threshold else 255)
    mask = Image.new("RGBA", alpha.size, (0, 0, 0, 255))
    mask.putalpha(alpha)
    return _png(mask)


def _open(image: bytes | str) -> PILImage.Image:
    with extra_needed("wrapper.prepare", "pillow"):
        from PIL import Image

    return Image.open(io.BytesIO(image) if isinstance(image, bytes) else image)


def _square(image: PILImage.Image, fit: str) -> PILImage.Image:
    with extra_needed("wrapper.prepare", "pillow"):
        from PIL import Image

    side = min(image.size) if fit == "crop" else max(image.size)
    if fit == "crop":
        left, top = (image.width - side) // 2, (image.height - side) // 2
        return image.crop((left, top, left + side, top + side))
    canvas = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    canvas.paste(image, ((side - image.width) // 2, (side - image.height) // 2))
    return canvas


def _png(image: PILImage.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
