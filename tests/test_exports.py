"""`wrapper.__all__` is pinned: sorted, complete, and every name importable."""

from __future__ import annotations

import subprocess
import sys

import wrapper

EXPECTED = [
    "DEFAULT_MODELS", "DEFAULT_TIMEOUT", "MODELS", "NOT_GIVEN",
    "APIConnectionError", "APIError", "APIResponse", "APIResponseValidationError", "APIStatusError",
    "APITimeoutError", "AsyncAPIResponse", "AsyncClient", "AsyncImages", "AsyncOpenAI", "AsyncStream",
    "AuthenticationError", "BadRequestError", "Client",
    "ConflictError", "DownloadError", "FileError", "FileID", "FileInput", "FileRule", "HTTPInfo", "Image",
    "ImageEditCompletedEvent",
    "ImageEditPartialImageEvent", "ImageEditStreamEvent", "ImageGenCompletedEvent",
    "ImageGenPartialImageEvent", "ImageGenStreamEvent", "ImageReference", "ImageURL", "Images",
    "ImagesResponse",
    "InputTokensDetails",
    "InternalServerError",
    "ModelCapabilities", "NotFoundError", "NotGiven", "OpenAI", "OutputTokensDetails",
    "PermissionDeniedError",
    "RateLimitError", "RetiredError", "SizeRule", "Stream", "StreamError", "StreamEvent", "SvgUsage",
    "UnknownEvent",
    "UnprocessableEntityError", "Usage", "ValidationError", "WrapperError",
]  # fmt: skip


def test_all_is_pinned() -> None:
    assert wrapper.__all__ == EXPECTED


def test_all_is_sorted_constants_first() -> None:
    constants = [n for n in wrapper.__all__ if n.isupper()]
    others = [n for n in wrapper.__all__ if not n.isupper()]
    assert wrapper.__all__ == sorted(constants) + sorted(others)


def test_every_name_exists() -> None:
    for name in wrapper.__all__:
        assert getattr(wrapper, name) is not None


def test_import_stays_light() -> None:
    code = (
        "import sys, wrapper; print(' '.join(m for m in ('PIL', 'hypothesis', 'anyio') if m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "PIL" not in loaded
    assert "anyio" not in loaded


def test_official_names_are_the_clients() -> None:
    assert wrapper.OpenAI is wrapper.Client
    assert wrapper.AsyncOpenAI is wrapper.AsyncClient


def test_types_has_the_official_type_names() -> None:
    from wrapper import types

    assert types.ImagesResponse is wrapper.ImagesResponse
    assert types.ImageGenStreamEvent == wrapper.ImageGenStreamEvent
    assert wrapper.types is types
    for name in types.__all__:
        assert getattr(types, name) is not None


def test_image_model_names_the_models_of_the_table() -> None:
    from typing import get_args

    from wrapper.types import ImageModel

    assert list(get_args(ImageModel)) == list(wrapper.MODELS)
