"""The drift guard: what openapi.yaml says against what the hand-written table and result types know.

Request parameters need no guard: their signatures, schema checks, form typing and CLI options are
generated from the spec (tests/test_spec_driven.py shows a new one works everywhere). `drift(spec_path)`
lists, one line each, every model of `ImageModel` without a capability row (and every row the enum
lacks) and every response or event property the wrapper's result types do not expose. The guard runs
on openapi.yaml, and on edited copies to show it fails, naming what is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
import yaml

import wrapper
from wrapper import _streaming
from wrapper._capabilities import MODELS, Operation

SPEC_PATH = Path(__file__).resolve().parents[1] / "openapi.yaml"
OPERATIONS: Mapping[str, tuple[Operation, str]] = {
    "createImage": ("generate", "generate"),
    "createImageEdit": ("edit", "edit"),
    "createImageVariation": ("variation", "create_variation"),
}
# Response schemas and the wrapper types that expose them.
RESULT_TYPES: Mapping[str, type] = {
    "ImagesResponse": wrapper.ImagesResponse,
    "Image": wrapper.Image,
    "ImagesUsage": wrapper.Usage,
    "InputTokensDetails": wrapper.InputTokensDetails,
    "OutputTokensDetails": wrapper.OutputTokensDetails,
    "ImageGenPartialImageEvent": wrapper.ImageGenPartialImageEvent,
    "ImageGenCompletedEvent": wrapper.ImageGenCompletedEvent,
    "ImageEditPartialImageEvent": wrapper.ImageEditPartialImageEvent,
    "ImageEditCompletedEvent": wrapper.ImageEditCompletedEvent,
    "SvgUsage": wrapper.SvgUsage,
}
STREAM_EVENT_UNIONS = ("ImageGenStreamEvent", "ImageEditStreamEvent")


class Spec:
    """openapi.yaml, with local `$ref`s resolved on demand."""

    def __init__(self, path: Path) -> None:
        self.document: dict[str, Any] = yaml.safe_load(path.read_text())
        self.schemas: dict[str, Any] = self.document["components"]["schemas"]

    def resolve(self, schema: Mapping[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            schema = self.schemas[schema["$ref"].rsplit("/", 1)[1]]
        return dict(schema)

    def operations(self) -> Iterator[tuple[str, dict[str, Any]]]:
        for methods in self.document["paths"].values():
            for operation in methods.values():
                content = operation["requestBody"]["content"]
                yield operation["operationId"], self.resolve(next(iter(content.values()))["schema"])

    def kind(self, schema: Mapping[str, Any]) -> str | None:
        """integer, boolean, binary, enum or None (anything else), through $refs and arrays."""
        schema = self.resolve(schema)
        if schema.get("type") == "array":
            return self.kind(schema["items"])
        if schema.get("format") == "binary":
            return "binary"
        if "enum" in schema:
            return "enum"
        return schema.get("type") if schema.get("type") in ("integer", "boolean") else None


def drift(spec_path: Path) -> list[str]:
    """Everything openapi.yaml has that the code does not know, one line each; empty when in step."""
    spec = Spec(spec_path)
    problems: list[str] = []
    problems += _model_drift(spec)
    problems += _response_drift(spec)
    return problems


def _model_drift(spec: Spec) -> list[str]:
    enum = spec.schemas["ImageModel"]["enum"]
    problems = [
        f"model {name!r} (ImageModel) has no row in MODELS (wrapper/_capabilities.py)"
        for name in enum
        if name not in MODELS
    ]
    problems += [
        f"model {name!r} has a row in MODELS but is not in ImageModel (openapi.yaml)"
        for name in MODELS
        if name not in enum
    ]
    return problems


def _response_drift(spec: Spec) -> list[str]:
    problems = []
    for schema_name, result_type in RESULT_TYPES.items():
        exposed = {field.name for field in fields(result_type)}
        for name in sorted(set(spec.schemas[schema_name]["properties"]) - exposed):
            problems.append(f"{schema_name}.{name}: not exposed by wrapper.{result_type.__name__}")
    for union in STREAM_EVENT_UNIONS:
        for member in spec.schemas[union]["oneOf"]:
            event = spec.resolve(member)
            kind = event["properties"]["type"]["const"]
            if kind not in _streaming.EVENT_TYPES:
                problems.append(
                    f"{union}: event {kind!r} has no class in EVENT_TYPES (wrapper/_streaming.py)"
                )
    for name in sorted(set(spec.schemas) - set(RESULT_TYPES) - _KNOWN_SCHEMAS):
        problems.append(
            f"schema {name}: unknown to the drift guard; map it to a wrapper type in tests/test_drift.py"
        )
    return problems


# Schemas that are request parts, unions, frames or errors rather than result types.
_KNOWN_SCHEMAS = frozenset(
    {
        "ImageModel", "ModelName", "ImageSize", "Size", "Background", "OutputFormat", "OutputCompression",
        "PartialImages", "ResponseFormat", "N", "User", "CreateImageRequest", "CreateImageEditRequest",
        "CreateImageVariationRequest", "ImageGenStreamEvent", "ImageEditStreamEvent", "ImageGenStreamFrame",
        "ImageEditStreamFrame", "Error", "ErrorResponse", "EditImageJsonRequest", "ImageReference",
        "Complexity", "FrameCount", "FrameDurationMs", "SafetyIdentifier", "SvgOptions", "SvgReasoning",
    }
) | frozenset(
    # The /files and /batches schemas: wrapper.batch parses them with the generated models
    # (images_api.models) rather than result types of its own, so no field can go unexposed.
    {
        "CreateFileRequest", "OpenAIFile", "DeleteFileResponse", "CreateBatchRequest", "Metadata", "Batch",
        "OptionalTime", "BatchErrors", "BatchError", "BatchRequestCounts", "ListBatchesResponse",
    }
)  # fmt: skip


def test_the_spec_and_the_code_are_in_step() -> None:
    assert drift(SPEC_PATH) == []


def edited_copy(tmp_path: Path, edit: Callable[[dict[str, Any]], None]) -> Path:
    document = yaml.safe_load(SPEC_PATH.read_text())
    edit(document)
    copy = tmp_path / "openapi.yaml"
    copy.write_text(yaml.safe_dump(document, sort_keys=False))
    return copy


def _schemas(document: dict[str, Any]) -> dict[str, Any]:
    schemas: dict[str, Any] = document["components"]["schemas"]
    return schemas


def add_progress_event(document: dict[str, Any]) -> None:
    _schemas(document)["ImageGenStreamEvent"]["oneOf"].append({"$ref": "#/components/schemas/Progress"})
    _schemas(document)["Progress"] = {"properties": {"type": {"const": "image_generation.progress"}}}


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            lambda d: _schemas(d)["ImageModel"]["enum"].append("gpt-image-3"),
            ["model 'gpt-image-3' (ImageModel) has no row in MODELS (wrapper/_capabilities.py)"],
        ),
        (
            lambda d: _schemas(d)["ImagesResponse"]["properties"].update(seed={"type": "integer"}),
            ["ImagesResponse.seed: not exposed by wrapper.ImagesResponse"],
        ),
        (
            lambda d: _schemas(d)["ImageEditCompletedEvent"]["properties"].update(moderation={}),
            ["ImageEditCompletedEvent.moderation: not exposed by wrapper.ImageEditCompletedEvent"],
        ),
        (
            add_progress_event,
            [
                "ImageGenStreamEvent: event 'image_generation.progress' has no class in EVENT_TYPES "
                "(wrapper/_streaming.py)",
                "schema Progress: unknown to the drift guard; "
                "map it to a wrapper type in tests/test_drift.py",
            ],
        ),
    ],
    ids=["model", "response-property", "event-property", "event-type"],
)  # fmt: skip
def test_other_drift_is_named(
    tmp_path: Path, edit: Callable[[dict[str, Any]], None], expected: list[str]
) -> None:
    assert drift(edited_copy(tmp_path, edit)) == expected
