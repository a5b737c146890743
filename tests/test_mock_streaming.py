"""Streamed generations and edits: partial events then a completed event, as SSE frames the spec describes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from httpx2 import ServerSentEvent
from mock_support import assert_matches, client, decode, files, form, png

pytestmark = pytest.mark.anyio


async def stream(path: str, **kwargs: Any) -> list[ServerSentEvent]:
    async with client() as http, http.sse(method="POST", url=path, **kwargs) as source:
        assert source.response.headers["content-type"].startswith("text/event-stream")
        return [event async for event in source]


@pytest.mark.parametrize("partial_images", [0, 1, 2, 3])
async def test_generation_stream(partial_images: int) -> None:
    body = {
        "prompt": "x",
        "model": "gpt-image-1",
        "stream": True,
        "partial_images": partial_images,
        "size": "1024x1536",
    }
    events = await stream("/images/generations", json=body)
    assert [event.event for event in events] == [
        *["image_generation.partial_image"] * partial_images,
        "image_generation.completed",
    ]
    for index, event in enumerate(events):
        payload = json.loads(event.data)
        assert payload["type"] == event.event
        assert_matches("ImageGenStreamEvent", payload)
        assert decode(payload["b64_json"]).size == (1024, 1536)
        if index < partial_images:
            assert payload["partial_image_index"] == index
    assert json.loads(events[-1].data)["usage"]["output_tokens"] > 0


async def test_edit_stream() -> None:
    parts = form(
        {"prompt": "x", "model": "gpt-image-1", "stream": "true", "partial_images": "2"}, files(png(), png())
    )
    events = await stream("/images/edits", files=parts)
    assert [event.event for event in events] == [
        "image_edit.partial_image",
        "image_edit.partial_image",
        "image_edit.completed",
    ]
    for event in events:
        assert_matches("ImageEditStreamEvent", json.loads(event.data))


async def test_frames_match_the_spec_frame_schema() -> None:
    events = await stream("/images/generations", json={"prompt": "x", "model": "gpt-image-1", "stream": True})
    for event in events:
        assert_matches("ImageGenStreamFrame", {"event": event.event, "data": event.data})


async def test_stream_false_answers_json() -> None:
    async with client() as http:
        response = await http.post(
            "/images/generations", json={"prompt": "x", "model": "gpt-image-1", "stream": False}
        )
    assert response.headers["content-type"] == "application/json"


@pytest.mark.parametrize(
    ("extra", "size", "background"),
    [
        ({}, "1024x1024", "opaque"),
        ({"background": "transparent", "size": "1536x1024"}, "1536x1024", "transparent"),
    ],
)
async def test_events_carry_the_resolved_values_as_the_json_answer_does(
    extra: dict[str, str], size: str, background: str
) -> None:
    body = {"prompt": "x", "model": "gpt-image-1", **extra}
    async with client() as http:
        answer = (await http.post("/images/generations", json=body)).json()
    events = await stream("/images/generations", json={**body, "stream": True, "partial_images": 1})
    for event in events:
        payload = json.loads(event.data)
        resolved = {key: payload[key] for key in ("size", "background", "quality", "output_format")}
        assert resolved == {
            "size": size,
            "background": background,
            "quality": "medium",
            "output_format": "png",
        }
        assert resolved == {key: answer[key] for key in resolved}
