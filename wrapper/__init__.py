"""A typed client for the Images API that checks each request against the model's capabilities first.

Every name here loads on first use (`wrapper.Client`, `from wrapper import Client`): `import wrapper`
itself imports nothing heavy, so the `images` command can catch Ctrl-C from its first moment, and a
process pays only for what it touches (a client: ~5 ms over httpx2; the capability table, the result
types and the generated client on the first request).
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import types as types
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
        NotAnImageError,
        NotFoundError,
        OpenAIError,
        PermissionDeniedError,
        PreflightError,
        RateLimitError,
        StreamError,
        UnprocessableEntityError,
        ValidationError,
        WrapperError,
    )
    from ._http import DEFAULT_CONNECTION_LIMITS, DefaultAsyncHttpxClient, DefaultHttpxClient
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
    from ._types import DEFAULT_TIMEOUT, NOT_GIVEN, FileInput, NotGiven

    OpenAI = Client
    AsyncOpenAI = AsyncClient
    DefaultHttpx2Client = DefaultHttpxClient
    DefaultAsyncHttpx2Client = DefaultAsyncHttpxClient

__all__ = [
    "DEFAULT_CONNECTION_LIMITS",
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
    "DefaultAsyncHttpx2Client",
    "DefaultAsyncHttpxClient",
    "DefaultHttpx2Client",
    "DefaultHttpxClient",
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
    "NotAnImageError",
    "NotFoundError",
    "NotGiven",
    "OpenAI",
    "OpenAIError",
    "OutputTokensDetails",
    "PermissionDeniedError",
    "PreflightError",
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

_LAZY_MODULES: dict[str, tuple[str, ...]] = {
    "_client": ("AsyncClient", "Client"),
    "_http": ("DEFAULT_CONNECTION_LIMITS", "DefaultAsyncHttpxClient", "DefaultHttpxClient"),
    "_errors": (
        "APIConnectionError",
        "APIError",
        "APIResponseValidationError",
        "APIStatusError",
        "APITimeoutError",
        "AuthenticationError",
        "BadRequestError",
        "ConflictError",
        "DownloadError",
        "FileError",
        "InternalServerError",
        "NotAnImageError",
        "NotFoundError",
        "OpenAIError",
        "PermissionDeniedError",
        "PreflightError",
        "RateLimitError",
        "StreamError",
        "UnprocessableEntityError",
        "ValidationError",
        "WrapperError",
    ),
    "_raw": ("APIResponse", "AsyncAPIResponse", "AsyncImages", "Images"),
    "_types": ("DEFAULT_TIMEOUT", "NOT_GIVEN", "FileInput", "NotGiven"),
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
_ALIASES = {
    "OpenAI": "Client",
    "AsyncOpenAI": "AsyncClient",
    "DefaultHttpx2Client": "DefaultHttpxClient",
    "DefaultAsyncHttpx2Client": "DefaultAsyncHttpxClient",
}
"""The official SDK's names: `from wrapper import OpenAI` is a drop-in import (3.x names its default
httpx2 clients both ways)."""


def __getattr__(name: str) -> Any:
    import importlib

    if name == "types":  # `wrapper.types`, as `openai.types`
        return importlib.import_module(".types", __name__)
    target = _ALIASES.get(name, name)
    if target in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[target]}", __name__), target)
        globals()[name] = value  # later reads are plain attribute reads
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
