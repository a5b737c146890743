"""The result and event types under the official SDK's names, for type hints: `from wrapper.types import
ImagesResponse` where code said `from openai.types import ImagesResponse`.

The stream event types load on first use, as in `wrapper` itself.
"""

from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from ._results import Image, ImagesResponse, Usage

if TYPE_CHECKING:
    from ._streaming import (
        ImageEditCompletedEvent,
        ImageEditPartialImageEvent,
        ImageEditStreamEvent,
        ImageGenCompletedEvent,
        ImageGenPartialImageEvent,
        ImageGenStreamEvent,
    )

ImageModel: TypeAlias = Literal[
    "gpt-image-1",
    "gpt-image-1-mini",
    "gpt-image-1.5",
    "gpt-image-2",
    "gpt-image-2-2026-04-21",
    "chatgpt-image-latest",
    "dall-e-2",
    "dall-e-3",
    "gpt-image-2.5-sunburst",
    "gpt-image-2.5-sunburst-2026-09-08",
    "gpt-image-2.5-flare",
    "gpt-image-2.5-flare-2026-09-08",
    "gpt-image-2.6-sunburst",
    "gpt-image-2.6-flare",
]
"""The models of the capability table (a test keeps the two in step); any other name is accepted too."""

__all__ = [
    "Image",
    "ImageEditCompletedEvent",
    "ImageEditPartialImageEvent",
    "ImageEditStreamEvent",
    "ImageGenCompletedEvent",
    "ImageGenPartialImageEvent",
    "ImageGenStreamEvent",
    "ImageModel",
    "ImagesResponse",
    "Usage",
]

_LAZY = frozenset(__all__) - {"Image", "ImageModel", "ImagesResponse", "Usage"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from . import _streaming

        return getattr(_streaming, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
