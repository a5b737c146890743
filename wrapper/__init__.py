"""A typed client for the Images API that checks each request against the model's capabilities first."""

from typing import TYPE_CHECKING, Any

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
from ._lifecycle import RetiredError
from ._raw import APIResponse, AsyncAPIResponse, AsyncImages, Images
from ._references import FileID, ImageReference, ImageURL
from ._results import (
    HTTPInfo,
    Image,
    ImagesResponse,
    InputTokensDetails,
    OutputTokensDetails,
    SvgUsage,
    Usage,
)
from ._types import DEFAULT_TIMEOUT, NOT_GIVEN, FileInput, NotGiven

if TYPE_CHECKING:
    from . import types as types
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
    "APIResponse",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncAPIResponse",
    "AsyncClient",
    "AsyncImages",
    "AsyncOpenAI",
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
    "OpenAI",
    "OutputTokensDetails",
    "PermissionDeniedError",
    "RateLimitError",
    "RetiredError",
    "SizeRule",
    "Stream",
    "StreamError",
    "StreamEvent",
    "SvgUsage",
    "UnknownEvent",
    "UnprocessableEntityError",
    "Usage",
    "ValidationError",
    "WrapperError",
]

OpenAI = Client
"""`Client` under the official SDK's name: `from wrapper import OpenAI` is a drop-in import."""
AsyncOpenAI = AsyncClient
"""`AsyncClient` under the official SDK's name."""

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
    if name == "types":  # `wrapper.types`, as `openai.types`, without importing it for everyone
        import importlib

        return importlib.import_module(".types", __name__)
    if name in _LAZY:
        from . import _streaming

        return getattr(_streaming, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
