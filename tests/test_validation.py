"""Every capability rule, accept and reject side, checked through the client: a rejected request
raises `ValidationError` naming the parameter and sends nothing; an accepted one reaches the wire."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from conftest import JPEG, REFERENCE_DAY, WEBP, Recorder, invoke, png

import wrapper
from wrapper import MODELS

MB = 1024 * 1024
# These cases run as of REFERENCE_DAY (tests/conftest.py): the models of that day.
REFERENCE_MODELS = {name: row for name, row in MODELS.items() if row.lifecycle.available(REFERENCE_DAY)}
GPT = [name for name, row in REFERENCE_MODELS.items() if row.family == "gpt-image"]

# (method, kwargs) that must be rejected, and the parameter the error names.
REJECT: list[tuple[str, dict[str, Any], str]] = [
    # the acceptance list
    ("generate", {"prompt": "x", "model": "dall-e-3", "n": 2}, "n"),
    (
        "generate",
        {"prompt": "x", "model": "gpt-image-2", "background": "transparent", "output_format": "jpeg"},
        "background",
    ),
    ("generate", {"prompt": "x", "model": "gpt-image-2", "size": "1000x1000"}, "size"),
    ("create_variation", {"image": png(pad=5 * MB)}, "image"),
    # sizes
    ("generate", {"prompt": "x", "model": "dall-e-2", "size": "1792x1024"}, "size"),
    ("generate", {"prompt": "x", "model": "dall-e-3", "size": "auto"}, "size"),
    ("generate", {"prompt": "x", "model": "gpt-image-1", "size": "2048x2048"}, "size"),
    ("generate", {"prompt": "x", "model": "gpt-image-2", "size": "3840x3840"}, "size"),
    ("generate", {"prompt": "x", "model": "gpt-image-2", "size": "4096x1024"}, "size"),
    ("generate", {"prompt": "x", "model": "gpt-image-2", "size": "3856x2160"}, "size"),
    ("generate", {"prompt": "x", "size": "big"}, "size"),
    # n and prompt length
    ("generate", {"prompt": "x", "n": 11}, "n"),
    ("generate", {"prompt": "x", "n": 0}, "n"),
    ("generate", {"prompt": "x" * 1001, "model": "dall-e-2"}, "prompt"),
    ("generate", {"prompt": "x" * 4001, "model": "dall-e-3"}, "prompt"),
    ("generate", {"prompt": "x" * 32001, "model": "gpt-image-1"}, "prompt"),
    ("generate", {"prompt": ""}, "prompt"),
    # per-model choices
    ("generate", {"prompt": "x", "model": "dall-e-2", "quality": "hd"}, "quality"),
    ("generate", {"prompt": "x", "model": "dall-e-3", "quality": "high"}, "quality"),
    ("generate", {"prompt": "x", "model": "gpt-image-1", "quality": "hd"}, "quality"),
    ("generate", {"prompt": "x", "model": "dall-e-2", "style": "vivid"}, "style"),
    ("generate", {"prompt": "x", "model": "gpt-image-1", "style": "vivid"}, "style"),
    ("generate", {"prompt": "x", "model": "gpt-image-1", "response_format": "url"}, "response_format"),
    ("generate", {"prompt": "x", "model": "dall-e-3", "background": "opaque"}, "background"),
    ("generate", {"prompt": "x", "model": "dall-e-3", "output_format": "png"}, "output_format"),
    ("generate", {"prompt": "x", "model": "dall-e-2", "moderation": "low"}, "moderation"),
    ("generate", {"prompt": "x", "model": "dall-e-3", "output_compression": 50}, "output_compression"),
    (
        "generate",
        {"prompt": "x", "model": "gpt-image-1", "background": "transparent", "output_format": "jpeg"},
        "background",
    ),
    ("generate", {"prompt": "x", "model": "gpt-image-1", "output_compression": 50}, "output_compression"),
    (
        "generate",
        {"prompt": "x", "model": "gpt-image-1", "output_format": "jpeg", "output_compression": 101},
        "output_compression",
    ),
    ("generate", {"prompt": "x", "model": "dall-e-3", "stream": True}, "stream"),
    (
        "generate",
        {"prompt": "x", "model": "gpt-image-1", "stream": True, "partial_images": 4},
        "partial_images",
    ),
    ("generate", {"prompt": "x", "model": "dall-e-2", "partial_images": 1}, "partial_images"),
    ("generate", {"prompt": "x", "user": 257}, "user"),
    # edits
    ("edit", {"image": png(), "prompt": "x", "model": "dall-e-3"}, "model"),
    (
        "edit",
        {"image": png(), "prompt": "x", "model": "gpt-image-1-mini", "input_fidelity": "high"},
        "input_fidelity",
    ),
    (
        "edit",
        {"image": png(), "prompt": "x", "model": "dall-e-2", "input_fidelity": "high"},
        "input_fidelity",
    ),
    ("edit", {"image": png(512, 256), "prompt": "x", "model": "dall-e-2"}, "image"),
    ("edit", {"image": JPEG, "prompt": "x", "model": "dall-e-2"}, "image"),
    ("edit", {"image": png(pad=4 * MB), "prompt": "x", "model": "dall-e-2"}, "image"),
    ("edit", {"image": [png(), png()], "prompt": "x", "model": "dall-e-2"}, "image"),
    ("edit", {"image": [png()] * 17, "prompt": "x"}, "image"),
    ("edit", {"image": png(), "prompt": "x", "mask": JPEG}, "mask"),
    ("edit", {"image": png(), "prompt": "x", "mask": png(512, 512)}, "mask"),
    ("edit", {"image": png(), "prompt": "x", "mask": png(pad=4 * MB)}, "mask"),
    # variations
    ("create_variation", {"image": png(), "model": "gpt-image-1"}, "model"),
    ("create_variation", {"image": png(), "model": "dall-e-3"}, "model"),
    ("create_variation", {"image": png(512, 256)}, "image"),
    ("create_variation", {"image": WEBP}, "image"),
    ("create_variation", {"image": png(), "size": "1792x1024"}, "size"),
]

ACCEPT: list[tuple[str, dict[str, Any]]] = [
    ("generate", {"prompt": "x", "model": "gpt-image-2", "size": "1536x864"}),
    ("generate", {"prompt": "x", "model": "gpt-image-2", "size": "3840x2160"}),
    ("generate", {"prompt": "x", "model": "gpt-image-2-2026-04-21", "size": "768x2304"}),
    ("generate", {"prompt": "x", "model": "some-future-model", "size": "777x333", "n": 10}),
    (
        "generate",
        {"prompt": "x", "model": "dall-e-3", "quality": "hd", "style": "natural", "size": "1792x1024"},
    ),
    ("generate", {"prompt": "x" * 1000, "model": "dall-e-2", "response_format": "b64_json"}),
    ("generate", {"prompt": "x" * 32000, "model": "gpt-image-1"}),
    (
        "generate",
        {"prompt": "x", "model": "gpt-image-1", "background": "transparent", "output_format": "webp"},
    ),
    ("generate", {"prompt": "x", "model": "gpt-image-2", "background": "opaque", "moderation": "low"}),
    (
        "generate",
        {"prompt": "x", "model": "gpt-image-1", "output_format": "jpeg", "output_compression": 0},
    ),
    ("generate", {"prompt": "x", "model": "gpt-image-1.5", "stream": True, "partial_images": 3}),
    ("generate", {"prompt": "x", "model": "dall-e-2", "stream": False}),
    ("edit", {"image": [png(), JPEG, WEBP], "prompt": "x", "input_fidelity": "high"}),
    ("edit", {"image": [png()] * 16, "prompt": "x", "model": "gpt-image-1"}),
    ("edit", {"image": png(), "prompt": "x", "model": "dall-e-2", "mask": png()}),
    ("edit", {"image": png(pad=5 * MB), "prompt": "x", "model": "gpt-image-1-mini"}),
    ("create_variation", {"image": png(256, 256), "size": "256x256", "n": 10}),
]


def _table_cases() -> tuple[list[Any], list[Any]]:
    """One accept and one reject case per model for each column of the table."""
    accept: list[Any] = []
    reject: list[Any] = []
    for name, row in REFERENCE_MODELS.items():
        accept += [
            ("generate", {"prompt": "x", "model": name, "size": s})
            for s in row.sizes
            if "generate" in row.operations
        ]
        if "generate" not in row.operations:
            continue
        accept.append(("generate", {"prompt": "x" * row.max_prompt_chars, "model": name, "n": row.max_n}))
        reject.append(("generate", {"prompt": "x", "model": name, "n": row.max_n + 1}, "n"))
        reject.append(("generate", {"prompt": "x" * (row.max_prompt_chars + 1), "model": name}, "prompt"))
        for column, param in [
            ("qualities", "quality"),
            ("styles", "style"),
            ("response_formats", "response_format"),
            ("backgrounds", "background"),
            ("output_formats", "output_format"),
            ("moderations", "moderation"),
        ]:
            values = getattr(row, column)
            accept += [
                ("generate", {"prompt": "x", "model": name, param: v}) for v in values if v != "transparent"
            ]
            everything = {
                "quality": ("standard", "hd", "low"),
                "style": ("vivid",),
                "response_format": ("url",),
                "background": ("opaque",),
                "output_format": ("png",),
                "moderation": ("low",),
            }[param]
            reject += [
                ("generate", {"prompt": "x", "model": name, param: v}, param)
                for v in everything
                if v not in values
            ]
    return accept, reject


TABLE_ACCEPT, TABLE_REJECT = _table_cases()


@pytest.mark.anyio
@pytest.mark.parametrize(("method", "kwargs", "param"), REJECT + TABLE_REJECT)
async def test_rejected_before_the_wire(
    make_client: Callable[..., Any], method: str, kwargs: dict[str, Any], param: str
) -> None:
    recorder = Recorder()
    client = make_client(recorder)
    with pytest.raises(wrapper.ValidationError) as caught:
        await invoke(getattr(client.images, method), **kwargs)
    assert caught.value.param == param
    assert param in str(caught.value)
    assert isinstance(caught.value, ValueError)
    assert recorder.requests == []


@pytest.mark.anyio
@pytest.mark.parametrize(("method", "kwargs"), ACCEPT + TABLE_ACCEPT)
async def test_accepted_and_sent(
    make_client: Callable[..., Any], method: str, kwargs: dict[str, Any]
) -> None:
    recorder = Recorder()
    client = make_client(recorder)
    if kwargs.get("stream"):
        kwargs = {**kwargs, "stream": False, "partial_images": kwargs["partial_images"]}
    result = await invoke(getattr(client.images, method), **kwargs)
    assert isinstance(result, wrapper.ImagesResponse)
    assert len(recorder.requests) == 1


@pytest.mark.anyio
async def test_message_names_value_model_and_allowed(make_client: Callable[..., Any]) -> None:
    client = make_client(Recorder())
    with pytest.raises(wrapper.ValidationError) as caught:
        await invoke(client.images.generate, prompt="x", model="dall-e-3", size="4096x4096")
    assert str(caught.value) == (
        "size '4096x4096' is not supported by dall-e-3; allowed: 1024x1024, 1792x1024, 1024x1792"
    )


@pytest.mark.anyio
@pytest.mark.parametrize("where", ["client", "call"])
async def test_validate_false_turns_model_rules_off(make_client: Callable[..., Any], where: str) -> None:
    recorder = Recorder()
    client = make_client(recorder, validate=where != "client")
    per_call = {"validate": False} if where == "call" else {}
    await invoke(client.images.generate, prompt="x", model="dall-e-3", n=2, **per_call)
    assert len(recorder.requests) == 1
    with pytest.raises(wrapper.ValidationError):  # the schema still holds
        await invoke(client.images.generate, prompt="x", n=11, **per_call)
    assert len(recorder.requests) == 1


@pytest.mark.anyio
async def test_gpt_only_stream_parameter_chooses_gpt_default(make_client: Callable[..., Any]) -> None:
    recorder = Recorder()
    client = make_client(recorder)
    # dall-e-2, the plain default, takes no partial_images: accepted means validated for the GPT default,
    # and the model is left for the API to pick the same way.
    await invoke(client.images.generate, prompt="x", partial_images=2, stream=False)
    assert json.loads(recorder.requests[0].content) == {"prompt": "x", "partial_images": 2, "stream": False}


def test_every_model_has_cases() -> None:
    named = {kwargs.get("model") for _, kwargs in TABLE_ACCEPT}
    assert set(GPT) <= named
    assert {"dall-e-2", "dall-e-3"} <= named
