"""The parameters the official SDK 3.57 documents, each inside and outside its rule, as of today.

Every case is written out from the docstrings of `openai/types/image_generate_params.py` and
`image_edit_params.py` (model, parameter, value, expected outcome), never derived from the table:
- complexity: low, medium or high;
- frame_count: 2 through 16, only with output_format=gif; frame_duration_ms: only with gif;
- GIF output: no streaming, partial images, masks or custom output compression;
- svg: requires output_format=svg; SVG output requires n=1 and no streaming, partial images or
  output_compression; reasoning.effort one of none, minimal, low, medium, high, xhigh, max;
- markup: a transparent PNG, same dimensions as the first image, GPT Image 2.5, not with mask;
- quality xhigh and max: gpt-image-2.5-sunburst and gpt-image-2.5-flare and their 2026-09-08 snapshots;
- safety_identifier: any string; user (deprecated) is still accepted.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from conftest import Recorder, invoke
from mock_support import half_transparent, png
from PIL import Image

import wrapper

pytestmark = [pytest.mark.anyio, pytest.mark.as_of("today")]

FLARE, SUNBURST = "gpt-image-2.5-flare", "gpt-image-2.5-sunburst"


def _rgb_png(size: tuple[int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 20, 30)).save(buffer, "PNG")
    return buffer.getvalue()


RGB_PNG = _rgb_png((64, 64))  # no alpha channel: no transparent pixel possible

GENERATE_OK: list[dict[str, Any]] = [
    {"model": "gpt-image-2.6-flare", "complexity": "high"},
    {"model": FLARE, "complexity": "low", "quality": "medium"},
    {"model": FLARE, "output_format": "gif", "frame_count": 2},
    {"model": FLARE, "output_format": "gif", "frame_count": 16, "frame_duration_ms": 200},
    {"model": FLARE, "output_format": "gif", "frame_duration_ms": 700000},  # the API caps the delay
    {"model": FLARE, "output_format": "gif", "stream": False, "n": 3},
    {"model": SUNBURST, "output_format": "svg"},
    {"model": SUNBURST, "output_format": "svg", "n": 1, "svg": {"model": "author-1"}},
    {"model": SUNBURST, "output_format": "svg", "svg": {"model": "a", "reasoning": {"effort": "max"}}},
    {"model": SUNBURST, "quality": "xhigh"},
    {"model": "gpt-image-2.5-sunburst-2026-09-08", "quality": "max"},
    {"model": "gpt-image-2.5-flare-2026-09-08", "quality": "xhigh"},
    {"model": FLARE, "safety_identifier": "hashed-42"},
    {"model": FLARE, "user": "user-1", "safety_identifier": ""},
    {"model": FLARE, "size": "1536x864"},  # free-form sizes, like gpt-image-2
    # Nothing documents a bound for these: the API decides, the client sends them.
    {"model": FLARE, "safety_identifier": "h" * 300},
    {"model": FLARE, "output_format": "gif", "frame_duration_ms": -10},
    {"model": SUNBURST, "output_format": "svg", "svg": {"model": "m" * 300}},
    # "Omitted or null effort uses the author model's default."
    {"model": SUNBURST, "output_format": "svg", "svg": {"model": "a", "reasoning": {"effort": None}}},
    {"model": SUNBURST, "output_format": "svg", "svg": {"model": "a", "reasoning": None}},
]

GENERATE_REFUSED: list[tuple[dict[str, Any], str, str]] = [
    # (request, the parameter named, words the message holds)
    ({"model": FLARE, "output_format": "gif", "frame_count": 1}, "frame_count", "from 2 to 16"),
    ({"model": FLARE, "output_format": "gif", "frame_count": 17}, "frame_count", "from 2 to 16"),
    ({"model": FLARE, "frame_count": 4}, "frame_count", "only with output_format gif, not png"),
    ({"model": FLARE, "output_format": "webp", "frame_duration_ms": 100}, "frame_duration_ms", "gif"),
    ({"model": FLARE, "output_format": "gif", "stream": True}, "stream", "with output_format gif"),
    ({"model": FLARE, "output_format": "gif", "partial_images": 2}, "partial_images", "0 with"),
    ({"model": FLARE, "output_format": "gif", "output_compression": 50}, "output_compression", "gif"),
    ({"model": SUNBURST, "output_format": "svg", "n": 2}, "n", "1 with output_format svg"),
    ({"model": SUNBURST, "output_format": "svg", "stream": True}, "stream", "svg"),
    ({"model": SUNBURST, "output_format": "svg", "output_compression": 100}, "output_compression", "svg"),
    ({"model": SUNBURST, "svg": {"model": "author-1"}}, "svg", "only with output_format svg"),
    (
        {"model": SUNBURST, "output_format": "svg", "svg": {"reasoning": {"effort": "huge"}}},
        "svg[reasoning][effort]",
        "none, minimal, low, medium, high, xhigh, max",
    ),
    ({"model": SUNBURST, "output_format": "svg", "svg": {"author": "x"}}, "svg[author]", "model"),
    ({"model": "gpt-image-1.5", "quality": "xhigh"}, "quality", "low, medium, high, auto"),
    ({"model": "gpt-image-2", "quality": "max"}, "quality", "low, medium, high, auto"),
    ({"model": "gpt-image-2.6-sunburst", "quality": "xhigh"}, "quality", "low, medium, high, auto"),
]

EDIT_OK: list[dict[str, Any]] = [
    {"model": FLARE, "markup": half_transparent((64, 64))},
    {"model": "gpt-image-2.5-sunburst-2026-09-08", "markup": half_transparent((64, 64)), "quality": "max"},
    {"model": FLARE, "output_format": "gif", "frame_count": 5, "complexity": "medium"},
    {"model": SUNBURST, "output_format": "svg", "svg": {"model": "author-2", "reasoning": {"effort": "low"}}},
]

EDIT_REFUSED: list[tuple[dict[str, Any], str, str]] = [
    ({"model": FLARE, "output_format": "gif", "mask": half_transparent((64, 64))}, "mask", "gif"),
    ({"model": "gpt-image-1.5", "markup": half_transparent((64, 64))}, "markup", "no markup"),
    ({"model": "gpt-image-2.6-flare", "markup": half_transparent((64, 64))}, "markup", "no markup"),
    (
        {"model": FLARE, "markup": half_transparent((64, 64)), "mask": half_transparent((64, 64))},
        "markup",
        "not set with mask",
    ),
    ({"model": FLARE, "markup": half_transparent((32, 64))}, "markup", "the first image's dimensions"),
    ({"model": FLARE, "markup": RGB_PNG}, "markup", "transparent pixels"),
]


def _sent(recorder: Recorder) -> Any:
    return json.loads(recorder.requests[-1].content)


@pytest.mark.parametrize("params", GENERATE_OK)
async def test_generation_inside_the_rules_is_sent(
    make_client: Callable[..., Any], params: dict[str, Any]
) -> None:
    recorder = Recorder()
    await invoke(make_client(recorder).images.generate, prompt="a kite", **params)
    assert _sent(recorder) == {"prompt": "a kite", **params}  # svg goes out as JSON, as given


@pytest.mark.parametrize(("params", "param", "words"), GENERATE_REFUSED)
async def test_generation_outside_the_rules_is_refused(
    make_client: Callable[..., Any], params: dict[str, Any], param: str, words: str
) -> None:
    recorder = Recorder()
    with pytest.raises(wrapper.ValidationError) as caught:
        await invoke(make_client(recorder).images.generate, prompt="a kite", **params)
    assert caught.value.param == param
    assert words in str(caught.value)
    assert recorder.requests == []


@pytest.mark.parametrize("params", EDIT_OK)
async def test_edit_inside_the_rules_is_sent(make_client: Callable[..., Any], params: dict[str, Any]) -> None:
    recorder = Recorder()
    await invoke(make_client(recorder).images.edit, image=png((64, 64)), prompt="mark it", **params)
    assert len(recorder.requests) == 1


@pytest.mark.parametrize(("params", "param", "words"), EDIT_REFUSED)
async def test_edit_outside_the_rules_is_refused(
    make_client: Callable[..., Any], params: dict[str, Any], param: str, words: str
) -> None:
    recorder = Recorder()
    with pytest.raises(wrapper.ValidationError) as caught:
        await invoke(make_client(recorder).images.edit, image=png((64, 64)), prompt="mark it", **params)
    assert caught.value.param == param
    assert words in str(caught.value)
    assert recorder.requests == []
