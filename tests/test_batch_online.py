"""The online backend against hostile upstreams (httpx2.MockTransport and a closed loopback port):
it always ends, honours Retry-After by the client's own policy, and a resume retries what failed
for a retryable reason. Every run is bounded by `anyio.fail_after`."""

from __future__ import annotations

import base64
import json
import socket
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import anyio
import httpx2
import pytest

import wrapper
from wrapper.batch import FetchReport, Job, Pacer, _save

pytestmark = pytest.mark.anyio
PNG_B64 = "iVBORw0KGgo="  # a PNG signature: enough for the saved file to be named .png
OK = {"created": 1, "data": [{"b64_json": PNG_B64}]}
BOUND = 10.0
"""Seconds any run here may take; the defects these tests pin were hangs."""


def job_of(tmp_path: Path, count: int) -> Job:
    source = tmp_path / "job.jsonl"
    lines = [{"custom_id": f"c{n}", "prompt": f"fox {n}", "model": "gpt-image-1.5"} for n in range(count)]
    source.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return Job.create(source, tmp_path / "out", backend="online")


def client_of(handler: Callable[[httpx2.Request], httpx2.Response]) -> wrapper.AsyncClient:
    http = httpx2.AsyncClient(transport=httpx2.MockTransport(handler))
    return wrapper.AsyncClient(
        api_key="sk-test", base_url="https://api.test/v1", http_client=http, max_retries=0
    )


async def run(job: Job, client: wrapper.AsyncClient, **options: Any) -> FetchReport:
    with anyio.fail_after(BOUND):
        async with client:
            return await job.arun_online(client, concurrency=3, **options)


def records(job: Job) -> list[dict[str, Any]]:
    return list(job.dir.records())


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_run_against_a_closed_port_ends_with_every_line_failed(tmp_path: Path) -> None:
    job = job_of(tmp_path, 5)
    url = f"http://127.0.0.1:{closed_port()}/v1"

    async def main() -> FetchReport:
        return await run(job, wrapper.AsyncClient(api_key="sk-test", base_url=url, max_retries=0))

    report = anyio.run(main)
    assert (report.succeeded, report.failed) == (0, 5)
    assert {record["error"]["status_code"] for record in records(job)} == {None}


@pytest.mark.parametrize(
    "answer",
    [
        httpx2.Response(200, text="<html>maintenance</html>", headers={"content-type": "text/html"}),
        httpx2.Response(
            200, text='{"created": 1, "data": [{"b64_', headers={"content-type": "application/json"}
        ),
    ],
    ids=["html", "truncated-json"],
)
async def test_a_first_answer_that_is_not_a_status_error_does_not_stall_the_run(
    tmp_path: Path, answer: httpx2.Response
) -> None:
    job = job_of(tmp_path, 4)
    report = await run(job, client_of(lambda request: answer))
    assert (report.succeeded, report.failed) == (0, 4)


def http_date(seconds_from_now: float) -> str:
    return format_datetime(datetime.now(UTC) + timedelta(seconds=seconds_from_now), usegmt=True)


@pytest.mark.parametrize(
    ("retry_after", "succeeded"),
    [
        ("1000000000", False),  # ~31 years: longer than the client honours, so the line fails now
        (http_date(10**8), False),
        ("inf", True),  # unreadable or nonsensical: the client's own short backoff, then a retry
        ("nan", True),
        ("-5", True),
        (http_date(-3600), True),
        ("0", True),
    ],
    ids=["31-years", "far-date", "inf", "nan", "negative", "past-date", "zero"],
)
async def test_retry_after_follows_the_clients_policy(
    tmp_path: Path, retry_after: str, succeeded: bool
) -> None:
    answers = iter(
        [httpx2.Response(429, json={"error": {"message": "slow down"}}, headers={"retry-after": retry_after})]
    )

    def handler(request: httpx2.Request) -> httpx2.Response:
        return next(answers, httpx2.Response(200, json=OK))

    job = job_of(tmp_path, 1)
    report = await run(job, client_of(handler))
    assert (report.succeeded, report.failed) == ((1, 0) if succeeded else (0, 1))
    if not succeeded:
        assert records(job)[0]["error"]["status_code"] == 429


async def test_a_resume_retries_lines_that_failed_for_a_retryable_reason(tmp_path: Path) -> None:
    job = job_of(tmp_path, 6)
    refused = {"c1": 500, "c2": 503, "c3": 400}  # 400: the API refused the line itself, final

    def flaky(request: httpx2.Request) -> httpx2.Response:
        prompt = json.loads(request.content)["prompt"]
        status = refused.get("c" + prompt.split()[-1])
        if status is not None:
            return httpx2.Response(status, json={"error": {"message": f"status {status}"}})
        if prompt == "fox 4":
            raise httpx2.ConnectError("refused", request=request)
        return httpx2.Response(200, json=OK)

    first = await run(job, client_of(flaky))
    assert (first.succeeded, first.failed, first.missing) == (2, 4, 4)
    second = await run(Job.open(job.path), client_of(lambda request: httpx2.Response(200, json=OK)))
    # c1, c2 (5xx) and c4 (connection) are sent again; c3's 400 is the API's final word
    assert (second.succeeded, second.failed, second.missing) == (3, 0, 1)
    assert second.skipped == 3  # c0 and c5 succeeded, c3 was refused for good
    third = await run(Job.open(job.path), client_of(lambda request: httpx2.Response(200, json=OK)))
    assert (third.succeeded, third.failed, third.missing) == (0, 0, 1)


async def test_a_line_that_cannot_be_saved_fails_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from wrapper.batch import _save

    real = _save.publish

    def publish(path: Path, content: bytes, **options: Any) -> None:
        if path.name.startswith("c1"):
            raise OSError(errno.ENAMETOOLONG, "File name too long")
        real(path, content, **options)

    monkeypatch.setattr(_save, "publish", publish)
    job = job_of(tmp_path, 4)
    report = await run(job, client_of(lambda request: httpx2.Response(200, json=OK)))
    assert (report.succeeded, report.failed, report.missing) == (3, 1, 1)
    assert [record["custom_id"] for record in records(job) if record["status"] == "failed"] == ["c1"]


async def test_a_line_refused_before_sending_fails_alone_and_the_resume_carries_on(tmp_path: Path) -> None:
    # Valid on the day the job was made (2026-04-30: dall-e-2 still served), refused by the client
    # on the day it runs (dall-e-2 retired on 2026-05-12): nothing is sent for that line.
    source = tmp_path / "job.jsonl"
    lines = [
        {"custom_id": "c0", "prompt": "fox", "model": "gpt-image-1.5"},
        {"custom_id": "old", "prompt": "fox", "model": "dall-e-2"},
        {"custom_id": "c2", "prompt": "fox", "model": "gpt-image-1.5"},
    ]
    source.write_text("".join(json.dumps(line) + "\n" for line in lines))
    job = Job.create(source, tmp_path / "out", backend="online")
    sent: list[str] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        sent.append(json.loads(request.content)["model"])
        return httpx2.Response(200, json=OK)

    def later_client() -> wrapper.AsyncClient:
        return client_of(handler).with_options(as_of="2026-06-01")

    report = await run(job, later_client())
    assert (report.succeeded, report.failed, report.missing) == (2, 1, 1)
    assert sent == ["gpt-image-1.5", "gpt-image-1.5"]
    [refused] = [record for record in records(job) if record["status"] == "failed"]
    assert refused["custom_id"] == "old"
    assert refused["retryable"] is False
    assert refused["error"]["status_code"] == 404
    assert "dall-e-2" in refused["error"]["message"]
    assert "retired" in refused["error"]["message"]
    again = await run(Job.open(job.path), later_client())
    assert (again.succeeded, again.failed, again.skipped, again.missing) == (0, 0, 3, 1)
    assert len(sent) == 2


async def test_an_unexpected_error_of_one_line_is_that_lines_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wrapper.batch import _online

    real = _online._Run._call

    async def call(self: Any, method: Any, body: dict[str, Any]) -> Any:
        if body["prompt"] == "fox 1":
            raise KeyError("surprise")
        return await real(self, method, body)

    monkeypatch.setattr(_online._Run, "_call", call)
    job = job_of(tmp_path, 3)
    report = await run(job, client_of(lambda request: httpx2.Response(200, json=OK)))
    assert (report.succeeded, report.failed, report.missing) == (2, 1, 1)
    [failed] = [record for record in records(job) if record["status"] == "failed"]
    assert failed["custom_id"] == "c1"
    assert "KeyError" in failed["error"]["message"]
    assert "surprise" in failed["error"]["message"]


def limits(limit: str, remaining: str, reset: str) -> dict[str, str]:
    return {
        "x-ratelimit-limit-requests": limit,
        "x-ratelimit-remaining-requests": remaining,
        "x-ratelimit-reset-requests": reset,
    }


@pytest.mark.parametrize(
    ("headers", "longest"),
    [
        (limits("60", "-1000000000", "1s"), 1.0),  # remaining below 0: as 0, full again in 1 s
        (limits("60", "1000000000", "1s"), 0.0),  # above the limit: as the limit
        (limits("0.000001", "0", "1ms"), 0.001),  # a trickle, but the bucket is full in 1 ms
        (limits("0.000001", "0", "1000000h"), 120.0),  # never longer than the client's own window
        (limits("0", "0", "1s"), 0.0),  # limits that say nothing are ignored
        (limits("-5", "0", "1s"), 0.0),
        (limits("inf", "0", "1s"), 0.0),
        (limits("nan", "0", "1s"), 0.0),
        (limits("60", "nan", "1s"), 0.0),
    ],
    ids=["negative", "above-limit", "tiny-limit", "tiny-limit-far-reset", "zero", "minus", "inf", "nan",
         "nan-remaining"],
)  # fmt: skip
def test_rate_limit_headers_never_pause_a_run_for_long(
    headers: dict[str, str], longest: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [1000.0]
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    monkeypatch.setattr(anyio, "sleep", sleep)
    pacer = Pacer(clock=lambda: now[0])

    async def main() -> None:
        for _ in range(5):
            sent_at = await pacer.acquire()
            pacer.observe(headers, sent_at)

    anyio.run(main)
    assert max(waits, default=0.0) <= longest


async def test_a_run_told_remaining_is_far_below_zero_still_ends(tmp_path: Path) -> None:
    headers = limits("6000", "-1000000000", "10ms")
    job = job_of(tmp_path, 5)
    report = await run(job, client_of(lambda request: httpx2.Response(200, json=OK, headers=headers)))
    assert (report.succeeded, report.missing) == (5, 0)


def png_b64(tag: str) -> str:
    return base64.b64encode(b"\x89PNG\r\n\x1a\n" + tag.encode()).decode()


def job_with_ids(tmp_path: Path, *ids: str) -> Job:
    source = tmp_path / "job.jsonl"
    lines = [{"custom_id": custom_id, "prompt": custom_id, "model": "gpt-image-1.5"} for custom_id in ids]
    source.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return Job.create(source, tmp_path / "out", backend="online")


def answer_of(count: int) -> Callable[[httpx2.Request], httpx2.Response]:
    """Each line answered with `count` images, each tagged with the line's prompt."""

    def handler(request: httpx2.Request) -> httpx2.Response:
        prompt = json.loads(request.content)["prompt"]
        data = [{"b64_json": png_b64(f"{prompt}#{index}")} for index in range(count)]
        return httpx2.Response(200, json={"created": 1, "data": data})

    return handler


async def test_images_beyond_what_a_line_asked_for_are_dropped_not_saved_over_another_line(
    tmp_path: Path,
) -> None:
    # `c0` asks for one image (no n), so its file is c0.png; `c0-1` is another line's.
    job = job_with_ids(tmp_path, "c0-1", "c0")
    report = await run(job, client_of(answer_of(2)))
    assert (report.succeeded, report.files, report.missing) == (2, 2, 0)
    saved = {record["custom_id"]: record for record in records(job)}
    assert saved["c0"]["files"] == ["c0.png"]
    assert saved["c0"]["dropped"] == 1
    assert (job.path / "c0-1.png").read_bytes().endswith(b"c0-1#0")
    assert (job.path / "c0.png").read_bytes().endswith(b"c0#0")
    assert sorted(path.name for path in job.path.glob("*.png")) == ["c0-1.png", "c0.png"]


async def test_a_file_another_lines_record_names_is_never_replaced(tmp_path: Path) -> None:
    job = job_with_ids(tmp_path, "c0", "c1")
    # A file named by another line's record (a job made before names were checked), and a file
    # left by an attempt of c1's own that was cut short before its record was written.
    (job.path / "c0.png").write_bytes(b"theirs")
    job.dir.append(_save.succeeded("other", ["c0.png"], None, None))
    (job.path / "c1.png").write_bytes(b"left by a run cut short")
    report = await run(job, client_of(answer_of(1)))
    assert (report.succeeded, report.failed) == (1, 1)
    assert (job.path / "c0.png").read_bytes() == b"theirs"
    assert (job.path / "c1.png").read_bytes().endswith(b"c1#0")
    [refused] = [record for record in records(job) if record["status"] == "failed"]
    assert refused["custom_id"] == "c0"
    assert "c0.png" in refused["error"]["message"]
