"""The emulator's /files, /batches and rate limits, in-process through httpx2.ASGITransport."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx2
import pytest

from wrapper.mock import FakeClock, MockApp, create_app
from wrapper.mock._ratelimit import RateLimits

pytestmark = pytest.mark.anyio
AUTH = {"Authorization": "Bearer sk-test"}
LINE = {"method": "POST", "url": "/v1/images/generations"}
BODY = {"prompt": "a fox", "model": "dall-e-2", "size": "256x256", "response_format": "b64_json"}


@pytest.fixture
async def api(images_mock_app: MockApp) -> AsyncIterator[httpx2.AsyncClient]:
    transport = httpx2.ASGITransport(app=images_mock_app)  # type: ignore[arg-type]
    async with httpx2.AsyncClient(transport=transport, base_url="http://test/v1", headers=AUTH) as client:
        yield client


async def submit(api: httpx2.AsyncClient, lines: list[dict[str, Any]]) -> dict[str, Any]:
    data = "".join(json.dumps(line) + "\n" for line in lines).encode()
    stored = await api.post("/files", files={"file": ("in.jsonl", data)}, data={"purpose": "batch"})
    assert stored.status_code == 200, stored.text
    body = {"input_file_id": stored.json()["id"], "endpoint": LINE["url"], "completion_window": "24h"}
    created = await api.post("/batches", json=body)
    assert created.status_code == 200, created.text
    batch: dict[str, Any] = created.json()
    assert batch["status"] == "validating"
    return batch


def lines(count: int, **changes: Any) -> list[dict[str, Any]]:
    return [{"custom_id": f"r{i}", **LINE, "body": {**BODY, **changes}} for i in range(count)]


async def content(api: httpx2.AsyncClient, file_id: str) -> list[dict[str, Any]]:
    answer = await api.get(f"/files/{file_id}/content")
    return [json.loads(line) for line in answer.text.splitlines()]


async def test_a_batch_moves_through_its_statuses_on_the_clock(
    api: httpx2.AsyncClient, images_mock_app: MockApp
) -> None:
    clock = images_mock_app.clock
    assert isinstance(clock, FakeClock)
    images_mock_app.batch_duration = 100
    batch = await submit(api, lines(4))
    seen = []
    for _ in range(6):
        answer = (await api.get(f"/batches/{batch['id']}")).json()
        seen.append((answer["status"], answer["request_counts"]["completed"]))
        clock.advance(25)
    assert seen[0] == ("validating", 0)
    assert seen[1:3] == [("in_progress", 0), ("in_progress", 2)]
    assert seen[-1] == ("completed", 4)
    output = await content(api, answer["output_file_id"])
    assert sorted(line["custom_id"] for line in output) == ["r0", "r1", "r2", "r3"]
    assert {line["response"]["status_code"] for line in output} == {200}
    assert output[0]["response"]["body"]["data"][0]["b64_json"]


async def test_invalid_bodies_go_to_the_error_file_as_the_api_answers_them(api: httpx2.AsyncClient) -> None:
    batch = await submit(api, [*lines(1), {"custom_id": "bad", **LINE, "body": {**BODY, "size": "1x1"}}])
    answer = (await api.get(f"/batches/{batch['id']}")).json()
    assert answer["request_counts"] == {"total": 2, "completed": 1, "failed": 1}
    (error,) = await content(api, answer["error_file_id"])
    assert error["custom_id"] == "bad"
    assert error["response"]["status_code"] == 400
    assert error["response"]["body"]["error"]["param"] == "size"


async def test_a_malformed_input_fails_the_batch_naming_the_line(api: httpx2.AsyncClient) -> None:
    batch = await submit(api, [*lines(1), {"custom_id": "r0", **LINE, "body": BODY}])
    answer = (await api.get(f"/batches/{batch['id']}")).json()
    assert answer["status"] == "failed"
    assert answer["errors"]["data"][0]["line"] == 2


@pytest.mark.parametrize("outcome", ["failed", "expired", "cancelled"])
async def test_outcomes_on_demand(api: httpx2.AsyncClient, images_mock_app: MockApp, outcome: str) -> None:
    images_mock_app.faults.queue_batch(outcome)
    batch = await submit(api, lines(4))
    answer = (await api.get(f"/batches/{batch['id']}")).json()
    assert answer["status"] == outcome
    if outcome != "failed":
        assert answer["request_counts"] == {"total": 4, "completed": 2, "failed": 2}


async def test_cancel_keeps_what_was_done(api: httpx2.AsyncClient, images_mock_app: MockApp) -> None:
    clock = images_mock_app.clock
    assert isinstance(clock, FakeClock)
    images_mock_app.batch_duration = 100
    batch = await submit(api, lines(4))
    clock.advance(50)
    running = (await api.get(f"/batches/{batch['id']}")).json()
    assert running["status"] == "in_progress"
    assert running["request_counts"]["completed"] == 2
    cancelled = (await api.post(f"/batches/{batch['id']}/cancel")).json()
    assert cancelled["status"] == "cancelling"
    answer = (await api.get(f"/batches/{batch['id']}")).json()
    assert answer["status"] == "cancelled"
    assert len(await content(api, answer["output_file_id"])) == 2
    errors = await content(api, answer["error_file_id"])
    assert [line["error"]["code"] for line in errors] == ["batch_cancelled"] * 2


async def test_files_and_batches_answer_unknown_ids_with_404_in_the_api_shape(
    api: httpx2.AsyncClient,
) -> None:
    for answer in (await api.get("/files/file-x"), await api.get("/batches/batch_x")):
        assert answer.status_code == 404
        assert set(answer.json()["error"]) == {"message", "type", "param", "code"}
    stored = (
        await api.post("/files", files={"file": ("a.jsonl", b"{}\n")}, data={"purpose": "batch"})
    ).json()
    assert (await api.delete(f"/files/{stored['id']}")).json()["deleted"] is True
    assert (await api.get(f"/files/{stored['id']}/content")).status_code == 404


async def test_a_batch_needs_an_image_endpoint_and_a_batch_file(api: httpx2.AsyncClient) -> None:
    stored = (
        await api.post("/files", files={"file": ("a.jsonl", b"{}\n")}, data={"purpose": "vision"})
    ).json()
    body = {"input_file_id": stored["id"], "endpoint": "/v1/images/generations", "completion_window": "24h"}
    assert (await api.post("/batches", json=body)).json()["error"]["param"] == "input_file_id"
    wrong = await api.post("/batches", json={**body, "endpoint": "/v1/embeddings"})
    assert wrong.status_code == 400
    assert wrong.json()["error"]["param"] == "endpoint"


async def test_rate_limits_answer_429_with_retry_after_and_headers_on_every_answer() -> None:
    now = [1000.0]
    app = create_app(limits=RateLimits(rpm=120, burst_seconds=1, clock=lambda: now[0]))
    transport = httpx2.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx2.AsyncClient(transport=transport, base_url="http://test/v1", headers=AUTH) as api:
        first = await api.post("/images/generations", json=BODY)
        second = await api.post("/images/generations", json=BODY)
        third = await api.post("/images/generations", json=BODY)
        listed = await api.get("/batches")
        now[0] += 0.5
        later = await api.post("/images/generations", json=BODY)
    assert [first.status_code, second.status_code, third.status_code, later.status_code] == [
        200,
        200,
        429,
        200,
    ]
    assert first.headers["x-ratelimit-limit-requests"] == "120"
    assert first.headers["x-ratelimit-remaining-requests"] == "1"
    assert float(third.headers["retry-after"]) == pytest.approx(0.5)
    assert third.json()["error"]["type"] == "rate_limit_error"
    assert listed.headers["x-ratelimit-remaining-requests"] == "0"
    assert listed.headers["x-ratelimit-reset-requests"] == "1.000s"
