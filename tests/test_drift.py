"""The drift guard: what openapi.yaml says against what the wrapper, the table and the emulator know.

`drift(spec_path)` lists, one line each, every request property a wrapper method (sync or async) or
the emulator does not accept, every model of `ImageModel` without a capability row (and every row
the enum lacks), every enum value the shared validation does not know, and every response or event
property the wrapper's result types do not expose. The guard runs on openapi.yaml, and on edited
copies to show it fails, naming what is missing.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator, Mapping
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
import yaml

import wrapper
from wrapper import _generated, _streaming
from wrapper._capabilities import ENUMS, MODELS, OPERATION_PARAMS, Operation
from wrapper.mock import _forms

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
    for operation_id, request in spec.operations():
        if operation_id not in OPERATIONS:
            problems.append(f"operation {operation_id}: no wrapper method or emulator route knows it")
            continue
        problems += _request_drift(spec, operation_id, request)
    problems += _model_drift(spec)
    problems += _response_drift(spec)
    return problems


def _request_drift(spec: Spec, operation_id: str, request: dict[str, Any]) -> list[str]:
    operation, method = OPERATIONS[operation_id]
    problems = []
    for client in (wrapper.Client(api_key="drift"), wrapper.AsyncClient(api_key="drift")):
        accepted = set(inspect.signature(getattr(client.images, method)).parameters)
        for name in sorted(set(request["properties"]) - accepted):
            problems.append(
                f"{operation_id}: {type(client).__name__}.images.{method}() has no parameter {name!r} "
                "(scripts/generate_resources.py METHODS)"
            )
    for name, schema in sorted(request["properties"].items()):
        where = f"{operation_id}.{name}"
        if name not in OPERATION_PARAMS[operation]:
            problems.append(
                f"{where}: not in OPERATION_PARAMS (wrapper/_capabilities.py); client and emulator refuse it"
            )
        problems += _value_drift(spec, operation, where, name, schema)
        if operation != "generate":
            problems += _form_drift(spec, where, name, schema)
    return problems


def _value_drift(spec: Spec, operation: Operation, where: str, name: str, schema: Any) -> list[str]:
    kind = spec.kind(schema)
    problems = []
    if kind == "enum":
        values = tuple(spec.resolve(schema)["enum"])
        known = ENUMS.get(name, {}).get(operation)
        if known is None or set(known) != set(values):
            problems.append(f"{where}: enum {list(values)} but ENUMS (wrapper/_capabilities.py) has {known}")
        if name not in _generated.surface(operation).enums:
            problems.append(f"{where}: enum missing from the enum maps of wrapper/_generated.py")
    if kind == "integer" and name not in _forms.INTEGER_FIELDS:
        problems.append(f"{where}: integer not in INTEGER_FIELDS (wrapper/mock/_forms.py)")
    return problems


def _form_drift(spec: Spec, where: str, name: str, schema: Any) -> list[str]:
    """A multipart field must reach the emulator typed: files as files, numbers and booleans coerced."""
    kind = spec.kind(schema)
    if kind == "binary":
        return (
            []
            if name in _forms.FILE_FIELDS
            else [f"{where}: file not in FILE_FIELDS (wrapper/mock/_forms.py)"]
        )
    sample = {"integer": ("1", 1), "boolean": ("true", True)}.get(kind or "")
    if sample is not None and _forms.coerce({name: sample[0]}).get(name) != sample[1]:
        return [
            f"{where}: the emulator does not read {kind} form fields named {name!r} (wrapper/mock/_forms.py)"
        ]
    return []


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
        "ImageEditStreamFrame", "Error", "ErrorResponse",
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


def test_an_added_request_property_is_named_for_every_method_and_the_emulator(tmp_path: Path) -> None:
    def add_seed(document: dict[str, Any]) -> None:
        _schemas(document)["CreateImageEditRequest"]["properties"]["seed"] = {"type": "integer", "minimum": 0}

    methods = "has no parameter 'seed' (scripts/generate_resources.py METHODS)"
    assert drift(edited_copy(tmp_path, add_seed)) == [
        f"createImageEdit: Client.images.edit() {methods}",
        f"createImageEdit: AsyncClient.images.edit() {methods}",
        "createImageEdit.seed: not in OPERATION_PARAMS (wrapper/_capabilities.py); "
        "client and emulator refuse it",
        "createImageEdit.seed: integer not in INTEGER_FIELDS (wrapper/mock/_forms.py)",
        "createImageEdit.seed: the emulator does not read integer form fields named 'seed' "
        "(wrapper/mock/_forms.py)",
    ]


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
            lambda d: _schemas(d)["OutputFormat"]["enum"].append("avif"),
            [
                "createImage.output_format: enum ['png', 'jpeg', 'webp', 'avif'] but ENUMS "
                "(wrapper/_capabilities.py) has ('png', 'jpeg', 'webp')",
                "createImageEdit.output_format: enum ['png', 'jpeg', 'webp', 'avif'] but ENUMS "
                "(wrapper/_capabilities.py) has ('png', 'jpeg', 'webp')",
            ],
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
    ids=["model", "enum-value", "response-property", "event-property", "event-type"],
)  # fmt: skip
def test_other_drift_is_named(
    tmp_path: Path, edit: Callable[[dict[str, Any]], None], expected: list[str]
) -> None:
    assert drift(edited_copy(tmp_path, edit)) == expected
