"""Fault injection: off by default; queued or drawn at a rate; statuses, delays, cut and garbled answers."""

from __future__ import annotations

import json

import pytest
from mock_support import client

from wrapper.mock import Fault, Faults, create_app
from wrapper.mock.__main__ import parse_args

pytestmark = pytest.mark.anyio
BODY = {"prompt": "x", "model": "gpt-image-1", "size": "1024x1024", "quality": "low"}


async def statuses(app: object, count: int) -> list[int]:
    async with client(app) as http:  # type: ignore[arg-type]
        return [(await http.post("/images/generations", json=BODY)).status_code for _ in range(count)]


async def test_no_faults_by_default() -> None:
    assert await statuses(create_app(), 5) == [200] * 5


@pytest.mark.parametrize(
    ("fault", "status"), [(Fault.rate_limit(2), 429), (Fault.server_error(), 500), (Fault.unavailable(), 503)]
)
async def test_status_faults_answer_error_json(fault: Fault, status: int) -> None:
    app = create_app()
    app.faults.queue(fault)
    async with client(app) as http:
        response = await http.post("/images/generations", json=BODY)
    assert response.status_code == status
    assert response.json()["error"]["message"]
    if status == 429:
        assert response.headers["retry-after"] == "2"
        assert response.json()["error"]["type"] == "rate_limit_error"


async def test_a_queued_sequence_applies_in_order_then_stops() -> None:
    app = create_app()
    app.faults.queue(Fault.rate_limit(), None, Fault.server_error())
    assert await statuses(app, 4) == [429, 200, 500, 200]
    assert app.faults.pending == ()


async def test_invalid_requests_do_not_use_up_queued_faults() -> None:
    app = create_app()
    app.faults.queue(Fault.unavailable())
    async with client(app) as http:
        invalid = await http.post("/images/generations", json={"prompt": ""})
        faulted = await http.post("/images/generations", json=BODY)
    assert (invalid.status_code, faulted.status_code) == (400, 503)


async def test_a_rate_of_faults_is_reproducible() -> None:
    first = await statuses(create_app(faults=Faults(rate=0.5, fault=Fault.unavailable(), seed=7)), 40)
    second = await statuses(create_app(faults=Faults(rate=0.5, fault=Fault.unavailable(), seed=7)), 40)
    assert first == second
    assert 8 < first.count(503) < 32
    assert set(first) == {200, 503}


async def test_set_rate_per_test_and_clear() -> None:
    app = create_app()
    app.faults.set_rate(1.0, Fault.server_error())
    assert await statuses(app, 2) == [500, 500]
    app.faults.clear()
    assert await statuses(app, 2) == [200, 200]


async def test_latency_is_waited_out_with_the_apps_sleep() -> None:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    app = create_app(faults=Faults(latency=0.2), sleep=sleep)
    assert await statuses(app, 1) == [200]
    app.faults.queue(Fault.latency(0.15), Fault(503, delay=0.5))
    assert await statuses(app, 3) == [200, 503, 200]
    app.faults.latency = 0.0
    assert await statuses(app, 1) == [200]
    assert waits == [0.2, pytest.approx(0.35), pytest.approx(0.7), 0.2]


async def test_a_cut_stream_ends_before_the_completed_event() -> None:
    app = create_app()
    app.faults.queue(Fault.cut(after_events=2))
    body = {**BODY, "stream": True, "partial_images": 3}
    async with client(app) as http, http.sse(method="POST", url="/images/generations", json=body) as source:
        events = [event.event async for event in source]
    assert events == ["image_generation.partial_image"] * 2


async def test_a_cut_json_answer_is_truncated() -> None:
    app = create_app()
    app.faults.queue(Fault.cut())
    async with client(app) as http:
        response = await http.post("/images/generations", json=BODY)
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        response.json()


async def test_a_garbled_json_answer() -> None:
    app = create_app()
    app.faults.queue(Fault.garbled())
    async with client(app) as http:
        response = await http.post("/images/generations", json=BODY)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    with pytest.raises(json.JSONDecodeError):
        response.json()


async def test_a_garbled_stream_ends_with_an_unparseable_frame() -> None:
    app = create_app()
    app.faults.queue(Fault.garbled())
    async with (
        client(app) as http,
        http.sse(method="POST", url="/images/generations", json={**BODY, "stream": True}) as source,
    ):
        events = [event async for event in source]
    assert events[0].event == "image_generation.completed"
    with pytest.raises(json.JSONDecodeError):
        json.loads(events[-1].data)


def test_command_line_faults() -> None:
    args = parse_args(["--port", "5000", "--error-rate", "0.1", "--error-status", "429", "--latency", "0.5"])
    assert (args.port, args.error_rate, args.error_status, args.latency) == (5000, 0.1, 429, 0.5)
