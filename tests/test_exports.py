"""`wrapper.__all__` is pinned: sorted, complete, and every name importable."""

from __future__ import annotations

import subprocess
import sys

import wrapper

EXPECTED = [
    "DEFAULT_MODELS", "DEFAULT_TIMEOUT", "MODELS", "NOT_GIVEN",
    "APIConnectionError", "APIError", "APIResponseValidationError", "APIStatusError", "APITimeoutError",
    "AsyncClient", "AsyncImages", "AsyncStream", "AuthenticationError", "BadRequestError", "Client",
    "ConflictError", "DownloadError", "FileError", "FileID", "FileInput", "FileRule", "HTTPInfo", "Image",
    "ImageEditCompletedEvent",
    "ImageEditPartialImageEvent", "ImageEditStreamEvent", "ImageGenCompletedEvent",
    "ImageGenPartialImageEvent", "ImageGenStreamEvent", "ImageReference", "ImageURL", "Images",
    "ImagesResponse",
    "InputTokensDetails",
    "InternalServerError",
    "ModelCapabilities", "NotFoundError", "NotGiven", "OutputTokensDetails", "PermissionDeniedError",
    "RateLimitError", "SizeRule", "Stream", "StreamError", "StreamEvent", "UnknownEvent",
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
