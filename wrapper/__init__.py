"""A typed client for the Images API that checks each request against the model's capabilities first."""

from typing import TYPE_CHECKING, Any

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
from ._raw import APIResponse, AsyncAPIResponse, AsyncImages, Images
from ._types import DEFAULT_TIMEOUT, NOT_GIVEN, FileInput, NotGiven

if TYPE_CHECKING:
    from . import types as types
    from ._capabilities import DEFAULT_MODELS, MODELS, FileRule, ModelCapabilities, SizeRule
    from ._lifecycle import RetiredError
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

# These load on first use (`wrapper.MODELS`, or the first request, which needs them anyway): a
# process that has only made a client (a service starting up, a CLI printing help) does not pay for
# the capability table, the result types or the stream decoder.
_LAZY_MODULES: dict[str, tuple[str, ...]] = {
    "_capabilities": ("DEFAULT_MODELS", "MODELS", "FileRule", "ModelCapabilities", "SizeRule"),
    "_lifecycle": ("RetiredError",),
    "_references": ("FileID", "ImageReference", "ImageURL"),
    "_results": (
        "HTTPInfo",
        "Image",
        "ImagesResponse",
        "InputTokensDetails",
        "OutputTokensDetails",
        "SvgUsage",
        "Usage",
    ),
    "_streaming": (
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
    ),
}
_LAZY = {name: module for module, names in _LAZY_MODULES.items() for name in names}


def __getattr__(name: str) -> Any:
    import importlib

    if name == "types":  # `wrapper.types`, as `openai.types`, without importing it for everyone
        return importlib.import_module(".types", __name__)
    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value  # later reads are plain attribute reads
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
