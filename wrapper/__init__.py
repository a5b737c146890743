"""A typed client for the Images API that checks each request against the model's capabilities first."""

from typing import TYPE_CHECKING, Any

from ._async_resources import AsyncImages
from ._capabilities import DEFAULT_MODELS, MODELS, FileRule, ModelCapabilities, SizeRule
from ._client import AsyncClient, Client
from ._errors import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    DownloadError,
    FileError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    StreamError,
    UnprocessableEntityError,
    ValidationError,
    WrapperError,
)
from ._references import FileID, ImageReference, ImageURL
from ._resources import Images
from ._results import HTTPInfo, Image, ImagesResponse, InputTokensDetails, OutputTokensDetails, Usage
from ._types import DEFAULT_TIMEOUT, NOT_GIVEN, FileInput, NotGiven

if TYPE_CHECKING:
    from ._streaming import (
        AsyncStream,
        ImageEditCompletedEvent,
        ImageEditPartialImageEvent,
        ImageEditStreamEvent,
        ImageGenCompletedEvent,
        ImageGenPartialImageEvent,
        ImageGenStreamEvent,
        Stream,
        StreamEvent,
        UnknownEvent,
    )

__all__ = [
    "DEFAULT_MODELS",
    "DEFAULT_TIMEOUT",
    "MODELS",
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncClient",
    "AsyncImages",
    "AsyncStream",
    "AuthenticationError",
    "BadRequestError",
    "Client",
    "ConflictError",
    "DownloadError",
    "FileError",
    "FileID",
    "FileInput",
    "FileRule",
    "HTTPInfo",
    "Image",
    "ImageEditCompletedEvent",
    "ImageEditPartialImageEvent",
    "ImageEditStreamEvent",
    "ImageGenCompletedEvent",
    "ImageGenPartialImageEvent",
    "ImageGenStreamEvent",
    "ImageReference",
    "ImageURL",
    "Images",
    "ImagesResponse",
    "InputTokensDetails",
    "InternalServerError",
    "ModelCapabilities",
    "NotFoundError",
    "NotGiven",
    "OutputTokensDetails",
    "PermissionDeniedError",
    "RateLimitError",
    "SizeRule",
    "Stream",
    "StreamError",
    "StreamEvent",
    "UnknownEvent",
    "UnprocessableEntityError",
    "Usage",
    "ValidationError",
    "WrapperError",
]


# The stream types load on first use (`wrapper.Stream`, or the first `stream=True` call), which keeps
# `import wrapper` light for the many processes that never stream.
_LAZY = frozenset(
    {
        "AsyncStream",
        "ImageEditCompletedEvent",
        "ImageEditPartialImageEvent",
        "ImageEditStreamEvent",
        "ImageGenCompletedEvent",
        "ImageGenPartialImageEvent",
        "ImageGenStreamEvent",
        "Stream",
        "StreamEvent",
        "UnknownEvent",
    }
)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from . import _streaming

        return getattr(_streaming, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
