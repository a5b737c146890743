"""The result and event types under the official SDK's names, for type hints: `from wrapper.types import
ImagesResponse` where code said `from openai.types import ImagesResponse`.

The stream event types load on first use, as in `wrapper` itself.
"""

from typing import TYPE_CHECKING, Any, TypeAlias

from . import _spec
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

ImageModel: TypeAlias = _spec.ImageModel
"""The models openapi.yaml knows (generated from its `ImageModel` enum); any other name is accepted too."""

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
