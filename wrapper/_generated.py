"""The one door to the generated client (`images_api`): endpoints, request models, the API client.

Everything here is imported on first use, not with `import wrapper`: the generated package and attrs
take ~80 ms to import, a third of the package's import time, and a process that has not sent a
request yet (a service starting up, a CLI printing help) should not pay for them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING, Any

from ._capabilities import Operation

if TYPE_CHECKING:
    from images_api import AuthenticatedClient


@dataclass(frozen=True)
class Surface:
    """What the wrapper needs of one generated operation."""

    endpoint: ModuleType
    body: type[Any]
    enums: Mapping[str, type[StrEnum]]
    """The request fields the generated model types as enums; the wrapper takes plain strings."""


@cache
def surface(operation: Operation) -> Surface:
    """The generated endpoint, request model and enum fields of `operation`, imported once."""
    return _load()[operation]


@cache
def _load() -> Mapping[Operation, Surface]:
    from images_api.api.images import create_image, create_image_edit, create_image_variation
    from images_api.models import (
        Background,
        CreateImageEditRequest,
        CreateImageEditRequestInputFidelity,
        CreateImageEditRequestQuality,
        CreateImageRequest,
        CreateImageRequestModeration,
        CreateImageRequestQuality,
        CreateImageRequestStyle,
        CreateImageVariationRequest,
        CreateImageVariationRequestSize,
        OutputFormat,
        ResponseFormat,
    )

    generate_enums = {
        "background": Background,
        "moderation": CreateImageRequestModeration,
        "output_format": OutputFormat,
        "quality": CreateImageRequestQuality,
        "response_format": ResponseFormat,
        "style": CreateImageRequestStyle,
    }
    edit_enums = {
        "background": Background,
        "input_fidelity": CreateImageEditRequestInputFidelity,
        "output_format": OutputFormat,
        "quality": CreateImageEditRequestQuality,
        "response_format": ResponseFormat,
    }
    variation_enums = {"response_format": ResponseFormat, "size": CreateImageVariationRequestSize}
    return {
        "generate": Surface(create_image, CreateImageRequest, generate_enums),
        "edit": Surface(create_image_edit, CreateImageEditRequest, edit_enums),
        "variation": Surface(create_image_variation, CreateImageVariationRequest, variation_enums),
    }


def api_client(base_url: str, api_key: str) -> AuthenticatedClient:
    """The generated client for `base_url`; the caller hands it its own httpx client."""
    from images_api import AuthenticatedClient

    return AuthenticatedClient(base_url=base_url, token=api_key)
