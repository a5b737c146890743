"""The client against the emulator's injected faults: retries that always recover, honour Retry-After,
never repeat a 400, and streams cut mid-way that always raise. Sleeping is faked (`sleeps`)."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from typing import Any

import pytest
from conftest import invoke
from mock_support import Target, emulator_client

import wrapper
from wrapper import _retry
from wrapper.mock import Fault, create_app
from wrapper.mock.pytest_plugin import ImagesMock

pytestmark = pytest.mark.anyio
CALLS = 500
FAULT_RATE = 0.3
MAX_RETRIES = 3
BODY = {"prompt": "a fox", "model": "dall-e-2", "size": "256x256", "response_format": "b64_json"}


@pytest.fixture
async def target(kind: str, images_mock: ImagesMock) -> AsyncIterator[Target]:
    async with emulator_client(
        kind, images_mock, max_retries=MAX_RETRIES, app=create_app(max_recorded=4 * CALLS)
    ) as target:
        yield target


def fault_plan(requests: int, seed: int = 6) -> list[Fault | None]:
    """One entry per request: 30 % are 429 or 503, with or without Retry-After, at random; a run of
    faults never exceeds MAX_RETRIES (a longer one would defeat any retry policy, which is no news)."""
    draw = random.Random(seed)
    kinds = [
        Fault.rate_limit(0.25),
        Fault.rate_limit(2),
        Fault(429, message="Rate limit reached; retry later."),
        Fault(503, retry_after="1.5", message="Overloaded."),
        Fault.unavailable(),
    ]
    plan: list[Fault | None] = []
    for _ in range(requests):
        run = len(plan) - max((i for i, f in enumerate(plan) if f is None), default=-1) - 1
        plan.append(draw.choice(kinds) if draw.random() < FAULT_RATE and run < MAX_RETRIES else None)
    return plan


async def test_every_call_recovers_and_waits_as_told(target: Target, sleeps: list[float], kind: str) -> None:
    calls = CALLS
    plan = fault_plan(2 * calls)
    target.app.faults.queue(*plan)
    results = [await invoke(target.client.images.generate, **BODY) for _ in range(calls)]

    sent = sum(result.http.attempts for result in results)
    assert all(len(result.data) == 1 for result in results)
    assert [record.status for record in target.app.requests] == [
        200 if fault is None else fault.status for fault in plan[:sent]
    ]
    injected = [fault for fault in plan[:sent] if fault is not None]
    assert 0.2 < len(injected) / sent < 0.4
    assert max(result.http.attempts for result in results) == MAX_RETRIES + 1
    assert len(sleeps) == len(injected)  # one wait before each retry
    for fault, slept in zip(injected, sleeps, strict=True):
        if fault.retry_after is not None:
            assert slept == float(fault.retry_after)
        else:
            assert 0 < slept <= _retry.MAX_DELAY


BAD_REQUESTS = [
    {"prompt": "x", "model": "dall-e-3", "n": 2},
    {"prompt": "x", "model": "gpt-image-1", "style": "vivid"},
    {"prompt": "x", "model": "dall-e-2", "size": "1536x1024"},
]


@pytest.mark.parametrize("params", BAD_REQUESTS)
async def test_a_400_is_never_retried(target: Target, sleeps: list[float], params: dict[str, Any]) -> None:
    target.app.faults.set_rate(0.0)
    with pytest.raises(wrapper.BadRequestError) as raised:
        await invoke(target.client.images.generate, **params, validate=False)
    assert raised.value.status_code == 400
    assert [record.status for record in target.app.requests] == [400]
    assert sleeps == []


@pytest.mark.parametrize("after", [1, 2, 3])
@pytest.mark.parametrize("operation", ["generate", "edit"])
async def test_a_stream_cut_after_an_event_always_raises(
    target: Target, sleeps: list[float], after: int, operation: str
) -> None:
    target.app.faults.queue(Fault.cut(after_events=after))
    params: dict[str, Any] = {"prompt": "x", "model": "gpt-image-1", "stream": True, "partial_images": 3}
    if operation == "edit":
        params["image"] = _png()
    stream = await invoke(getattr(target.client.images, operation), **params)
    received: list[Any] = []
    with pytest.raises(wrapper.StreamError, match=f"after {after} event"):
        await _drain(stream, received)
    assert len(received) == after
    assert len(target.app.requests) == 1  # events were delivered: sending it again would duplicate them
    assert sleeps == []


async def _drain(stream: Any, into: list[Any]) -> None:
    if isinstance(stream, wrapper.AsyncStream):
        async for event in stream:
            into.append(event)
    else:
        into.extend(stream)


def _png() -> bytes:
    from mock_support import png

    return png((32, 32))


@pytest.mark.parametrize("operation", ["generate", "edit"])
async def test_a_multi_image_stream_cut_after_a_completed_image_raises_with_what_arrived(
    target: Target, sleeps: list[float], operation: str
) -> None:
    # n=2, three partials each: the cut falls right after image 1's completed event.
    target.app.faults.queue(Fault.cut(after_events=4))
    params: dict[str, Any] = {"prompt": "x", "model": "gpt-image-1", "n": 2, "stream": True}
    params["partial_images"] = 3
    if operation == "edit":
        params["image"] = _png()
    stream = await invoke(getattr(target.client.images, operation), **params)
    received: list[Any] = []
    with pytest.raises(wrapper.StreamError, match="1 of 2 images arrived") as raised:
        await _drain(stream, received)
    assert len(received) == 4
    assert raised.value.completed == (received[3],)
    assert raised.value.completed[0].content().startswith(b"\x89PNG")


async def test_final_of_a_multi_image_stream_cut_short_raises(target: Target, sleeps: list[float]) -> None:
    target.app.faults.queue(Fault.cut(after_events=1))
    params: dict[str, Any] = {"prompt": "x", "model": "gpt-image-1", "n": 2, "stream": True}
    stream = await invoke(target.client.images.generate, **params)
    with pytest.raises(wrapper.StreamError, match="1 of 2 images arrived"):
        await invoke(stream.final)
