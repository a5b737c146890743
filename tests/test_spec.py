"""openapi.yaml is valid and carries every operation, parameter, model and event the API documents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

SPEC_PATH = Path(__file__).parents[1] / "openapi.yaml"
MODELS = {
    "gpt-image-1", "gpt-image-1-mini", "gpt-image-1.5", "gpt-image-2",
    "gpt-image-2-2026-04-21", "chatgpt-image-latest", "dall-e-2", "dall-e-3",
    "gpt-image-2.5-sunburst", "gpt-image-2.5-sunburst-2026-09-08", "gpt-image-2.5-flare",
    "gpt-image-2.5-flare-2026-09-08", "gpt-image-2.6-sunburst", "gpt-image-2.6-flare",
}  # fmt: skip
REQUEST_FIELDS = {
    "createImage": {
        "prompt", "background", "model", "moderation", "n", "output_compression", "output_format",
        "partial_images", "quality", "response_format", "size", "stream", "style", "user",
        "complexity", "frame_count", "frame_duration_ms", "safety_identifier", "svg",
    },
    "createImageEdit": {
        "image", "prompt", "background", "input_fidelity", "mask", "model", "n",
        "output_compression", "output_format", "partial_images", "quality", "response_format",
        "size", "stream", "user", "complexity", "frame_count", "frame_duration_ms", "markup",
        "safety_identifier", "svg",
    },
    "createImageVariation": {"image", "model", "n", "response_format", "size", "user"},
}  # fmt: skip
EVENT_TYPES = {
    "ImageGenPartialImageEvent": "image_generation.partial_image",
    "ImageGenCompletedEvent": "image_generation.completed",
    "ImageEditPartialImageEvent": "image_edit.partial_image",
    "ImageEditCompletedEvent": "image_edit.completed",
}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text())
    return loaded


def operations(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {op["operationId"]: op for path in spec["paths"].values() for op in path.values()}


def resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = spec["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def test_spec_validates(spec: dict[str, Any]) -> None:
    validate(spec)


def test_every_operation_is_authenticated_and_served_under_v1(spec: dict[str, Any]) -> None:
    assert spec["servers"][0]["url"] == "https://api.openai.com/v1"
    assert spec["components"]["securitySchemes"]["ApiKeyAuth"]["scheme"] == "bearer"
    for op in operations(spec).values():
        assert op["security"] == [{"ApiKeyAuth": []}]


@pytest.mark.parametrize("operation_id", sorted(REQUEST_FIELDS))
def test_request_fields(spec: dict[str, Any], operation_id: str) -> None:
    """No field the API documents is lost; a field added to the spec is welcome (`make generate` lists
    what the hand-written parts do not know of it: scripts/spec_checklist.py)."""
    body = operations(spec)[operation_id]["requestBody"]["content"]
    schema = resolve(spec, next(iter(body.values()))["schema"])
    assert REQUEST_FIELDS[operation_id] <= set(schema["properties"])


def test_model_names(spec: dict[str, Any]) -> None:
    assert set(spec["components"]["schemas"]["ImageModel"]["enum"]) == MODELS


def test_no_request_defaults(spec: dict[str, Any]) -> None:
    """Server defaults live in descriptions: a `default:` would always be sent by a generated client."""

    def keys(node: Any) -> set[str]:
        if isinstance(node, dict):
            return set(node) | {k for v in node.values() for k in keys(v)}
        if isinstance(node, list):
            return {k for v in node for k in keys(v)}
        return set()

    assert "default" not in keys(spec["components"]["schemas"])


@pytest.mark.parametrize(("schema_name", "event_type"), sorted(EVENT_TYPES.items()))
def test_stream_events(spec: dict[str, Any], schema_name: str, event_type: str) -> None:
    schema = spec["components"]["schemas"][schema_name]
    assert schema["properties"]["type"]["const"] == event_type
    expected = {"type", "b64_json", "background", "created_at", "output_format", "quality", "size"}
    expected |= {"partial_image_index"} if "Partial" in schema_name else {"usage", "safety_identifier"}
    assert set(schema["properties"]) == expected


@pytest.mark.parametrize("operation_id", ["createImage", "createImageEdit"])
def test_streaming_operations_describe_sse_frames(spec: dict[str, Any], operation_id: str) -> None:
    content = operations(spec)[operation_id]["responses"]["200"]["content"]
    frame = resolve(spec, content["text/event-stream"]["schema"])
    assert frame["properties"]["data"]["contentMediaType"] == "application/json"


def test_rate_limit_carries_retry_after(spec: dict[str, Any]) -> None:
    assert "Retry-After" in spec["components"]["responses"]["RateLimited"]["headers"]
