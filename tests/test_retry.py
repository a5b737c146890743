"""The retry rules as pure functions, and the send loop against a fake clock."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import httpx2
import pytest
from conftest import KEY, OK, Recorder, invoke

import wrapper
from wrapper._retry import MAX_DELAY, MAX_RETRY_AFTER, parse_retry_after, retry_delay, should_retry


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after": "3"}, 3.0),
        ({"retry-after": "0.25"}, 0.25),
        ({"retry-after-ms": "250", "retry-after": "9"}, 0.25),
        ({"retry-after": "Wed, 21 Oct 2015 07:28:10 GMT"}, 10.0),
        ({"retry-after": "soon"}, None),
        ({"retry-after": "nan"}, None),
        ({}, None),
    ],
)
def test_parse_retry_after(headers: dict[str, str], seconds: float | None) -> None:
    now = 1445412480.0  # 2015-10-21 07:28:00 GMT
    assert parse_retry_after(headers, now=now) == seconds


@pytest.mark.parametrize(
    ("status", "retry"),
    [(None, True), (408, True), (409, True), (429, True), (500, True), (502, True), (503, True)]
    + [(s, False) for s in (400, 401, 403, 404, 413, 415, 422)],
)
def test_should_retry(status: int | None, retry: bool) -> None:
    assert should_retry(status) is retry


def test_server_may_override_with_x_should_retry() -> None:
    assert should_retry(400, {"x-should-retry": "true"})
    assert not should_retry(503, {"x-should-retry": "false"})


def test_backoff_doubles_with_jitter_and_a_cap() -> None:
    assert [retry_delay(n, jitter=0) for n in range(6)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert retry_delay(1, jitter=1) == 0.75
    assert all(0.375 <= retry_delay(0) <= 0.5 for _ in range(50))
    assert retry_delay(10) <= MAX_DELAY


def test_server_delay_is_honoured_within_the_sdks_window() -> None:
    """The official SDK waits a `Retry-After` in (0, 120] seconds, backs off for 0 or less, and does not
    retry when asked to wait longer."""
    assert retry_delay(0, 7.0) == 7.0
    assert retry_delay(0, 90.0) == 90.0  # 61..120: waited, as the SDK does
    assert retry_delay(0, 120.0) == 120.0
    assert retry_delay(0, 120.5) is None
    assert retry_delay(3, 0.0, jitter=0) == 4.0  # Retry-After: 0 backs off like no header
    assert retry_delay(0, -1.0, jitter=0) == 0.5
    assert MAX_RETRY_AFTER == 120.0


@pytest.mark.anyio
async def test_a_wait_over_the_cap_raises_at_once(
    make_client: Callable[..., Any], sleeps: list[float]
) -> None:
    recorder = Recorder(
        httpx2.Response(429, json={"error": {"message": "slow down"}}, headers={"retry-after": "121"})
    )
    with pytest.raises(wrapper.RateLimitError) as caught:
        await invoke(make_client(recorder).images.generate, prompt="x")
    assert caught.value.response.headers["retry-after"] == "121"
    assert len(recorder.requests) == 1
    assert sleeps == []


@pytest.mark.anyio
@pytest.mark.parametrize("status", [408, 409, 429, 500, 503])
async def test_retryable_statuses_are_retried(
    make_client: Callable[..., Any], sleeps: list[float], status: int
) -> None:
    recorder = Recorder(
        httpx2.Response(status, json={}, headers={"retry-after-ms": "20"}), httpx2.Response(200, json=OK)
    )
    result = await invoke(make_client(recorder).images.generate, prompt="x")
    assert len(recorder.requests) == 2
    assert sleeps == [0.02]
    assert result.http.attempts == 2


@pytest.mark.anyio
@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
async def test_other_4xx_never_retried(
    make_client: Callable[..., Any], sleeps: list[float], status: int
) -> None:
    recorder = Recorder(httpx2.Response(status, json={}))
    with pytest.raises(wrapper.APIStatusError):
        await invoke(make_client(recorder).images.generate, prompt="x")
    assert len(recorder.requests) == 1
    assert sleeps == []


@pytest.mark.anyio
async def test_gives_up_after_max_retries(make_client: Callable[..., Any], sleeps: list[float]) -> None:
    recorder = Recorder(httpx2.Response(429, json={"error": {"message": "slow down", "type": "rate_limit"}}))
    with pytest.raises(wrapper.RateLimitError, match="slow down"):
        await invoke(make_client(recorder, max_retries=3).images.generate, prompt="x")
    assert len(recorder.requests) == 4
    assert len(sleeps) == 3
    assert sleeps[0] < sleeps[1] < sleeps[2]


@pytest.mark.anyio
async def test_connection_errors_are_retried(make_client: Callable[..., Any], sleeps: list[float]) -> None:
    def flaky(request: httpx2.Request) -> httpx2.Response:
        raise httpx2.ConnectError("reset", request=request)

    recorder = Recorder(flaky, httpx2.Response(200, json=OK))
    await invoke(make_client(recorder).images.generate, prompt="x")
    assert len(recorder.requests) == 2
    assert len(sleeps) == 1


@pytest.mark.anyio
async def test_files_are_resent_whole_on_retry(make_client: Callable[..., Any], sleeps: list[float]) -> None:
    from conftest import png

    recorder = Recorder(httpx2.Response(500, json={}), httpx2.Response(200, json=OK))
    await invoke(make_client(recorder).images.edit, image=png(pad=100), prompt="x")
    first, second = recorder.requests
    assert png(pad=100) in first.content
    assert png(pad=100) in second.content


@pytest.mark.anyio
async def test_decisions_logged_at_debug_without_key(
    make_client: Callable[..., Any], sleeps: list[float], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="wrapper")
    recorder = Recorder(httpx2.Response(503, json={}), httpx2.Response(400, json={}))
    with pytest.raises(wrapper.BadRequestError):
        await invoke(make_client(recorder).images.generate, prompt="x")
    messages = [r.getMessage() for r in caplog.records if r.name == "wrapper"]
    assert any(m.startswith("retrying POST https://api.test/v1/images/generations") for m in messages)
    assert any(m.startswith("not retrying") and "status 400" in m for m in messages)
    assert all(r.levelno == logging.DEBUG for r in caplog.records if r.name == "wrapper")
    assert KEY not in caplog.text
