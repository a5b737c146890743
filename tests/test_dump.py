"""The dump methods give what the official SDK gives for the same body: results and stream events."""

from __future__ import annotations

from typing import Any

import httpx2
import openai.types
import pytest

import wrapper
from wrapper._streaming import EVENT_TYPES

USAGE = {
    "input_tokens": 50,
    "input_tokens_details": {"image_tokens": 40, "text_tokens": 10},
    "output_tokens": 272,
    "total_tokens": 322,
}
BODIES = {
    "gpt": {
        "created": 1,
        "data": [{"b64_json": "aGk="}],
        "background": "opaque",
        "output_format": "png",
        "quality": "low",
        "size": "1024x1024",
        "usage": {**USAGE, "output_tokens_details": {"image_tokens": 272, "text_tokens": 0}},
    },
    "dall-e-3": {"created": 2, "data": [{"url": "https://x/1.png", "revised_prompt": "a fox, painted"}]},
    "nulls and unknown fields": {
        "created": 3,
        "data": [{"b64_json": "aGk=", "url": None, "extra_image_field": 1}, {"b64_json": "aGk="}],
        "quality": None,
        "safety_identifier": "user-1",
        "future_field": {"a": [1, 2]},
    },
    "usage without output details": {"created": 4, "data": [], "usage": USAGE},
}
EVENTS = {
    "image_generation.partial_image": {
        "type": "image_generation.partial_image",
        "b64_json": "aGk=",
        "background": "auto",
        "created_at": 5,
        "output_format": "png",
        "quality": "low",
        "size": "1024x1024",
        "partial_image_index": 0,
    },
    "image_edit.completed": {
        "type": "image_edit.completed",
        "b64_json": "aGk=",
        "background": "transparent",
        "created_at": 6,
        "output_format": "webp",
        "quality": "high",
        "size": "1024x1536",
        "usage": USAGE,
        "future_field": True,
    },
}
OPTIONS: list[dict[str, Any]] = [
    {},
    {"exclude_none": True},
    {"exclude_unset": True},
    {"exclude_defaults": True},
    {"mode": "json"},
    {"exclude_unset": True, "exclude_none": True},
]
JSON_OPTIONS: list[dict[str, Any]] = [{}, {"indent": 2}, {"indent": 2, "exclude_none": True}]


def ours(body: dict[str, Any]) -> wrapper.ImagesResponse:
    return wrapper.ImagesResponse.from_dict(
        body, wrapper.HTTPInfo(200, httpx2.Headers({"x-request-id": "r"}))
    )


@pytest.mark.parametrize("name", list(BODIES))
def test_result_dumps_equal_the_official_sdk(name: str) -> None:
    body = BODIES[name]
    official = openai.types.ImagesResponse.model_validate(body)
    result = ours(body)
    for options in OPTIONS:
        assert result.model_dump(**options) == official.model_dump(**options), options
    for options in JSON_OPTIONS:
        assert result.model_dump_json(**options) == official.model_dump_json(**options), options
    assert result.to_dict() == official.to_dict()
    assert result.to_json() == official.to_json()
    assert result.to_json(indent=None, exclude_none=True) == official.to_json(indent=None, exclude_none=True)
    for mine, theirs in zip(result.data, official.data or [], strict=True):
        assert mine.model_dump(exclude_unset=True) == theirs.model_dump(exclude_unset=True)
        assert mine.model_dump() == theirs.model_dump()


@pytest.mark.parametrize("kind", list(EVENTS))
def test_event_dumps_equal_the_official_sdk(kind: str) -> None:
    payload = EVENTS[kind]
    official_class = {
        "image_generation.partial_image": openai.types.ImageGenPartialImageEvent,
        "image_edit.completed": openai.types.ImageEditCompletedEvent,
    }[kind]
    official = official_class.model_validate(payload)
    event = EVENT_TYPES[kind].from_dict(payload)
    for options in OPTIONS:
        assert event.model_dump(**options) == official.model_dump(**options), options
    for options in JSON_OPTIONS:
        assert event.model_dump_json(**options) == official.model_dump_json(**options), options
    assert event.to_json() == official.to_json()


def test_a_result_built_by_hand_dumps_its_fields_without_the_wrapper_ones() -> None:
    result = wrapper.ImagesResponse(
        created=7, data=[wrapper.Image(b64_json="aGk=", output_format="png")], size="1024x1024"
    )
    assert result.to_dict() == {
        "created": 7,
        "background": None,
        "data": [{"b64_json": "aGk=", "url": None, "revised_prompt": None}],
        "output_format": None,
        "quality": None,
        "size": "1024x1024",
        "usage": None,
        "safety_identifier": None,
        "svg_usage": None,
    }
    assert "http" not in result.model_dump()
    assert result.model_dump(include={"created"}) == {"created": 7}


def test_data_reads_as_a_list() -> None:
    images = ours(BODIES["nulls and unknown fields"]).data
    assert images == list(images)
    assert list(images) == images
    assert images != list(images)[:1]
    assert images[:1] == [images[0]]
    assert isinstance(images[1:], type(images))
    assert repr(images).startswith("[Image(")
