"""OpenTelemetry: each call's span and metrics read back from the SDK's in-memory exporters, sync and
async; nothing recorded (nor imported) without a provider; the prompt only when the caller opts in."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from conftest import OK, Recorder, invoke, png
from opentelemetry import metrics, trace
from opentelemetry.metrics import _internal as metrics_internal
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode
from opentelemetry.util._once import Once
from test_streaming import Chunks, completed, frame, partial, recorded

import wrapper
from wrapper import _otel, _telemetry

PROMPT = "a lighthouse at dusk, secret words 7f3a"
USAGE = {"input_tokens": 12, "output_tokens": 300, "total_tokens": 312}
ANSWER = {**OK, "usage": USAGE}
HEADERS = {"x-request-id": "req_123"}


class Telemetry:
    """The process's providers for one test: spans and metric points as the SDK exports them."""

    def __init__(self) -> None:
        self.exporter = InMemorySpanExporter()
        self.reader = InMemoryMetricReader()
        tracer_provider = TracerProvider()
        tracer_provider.add_span_processor(SimpleSpanProcessor(self.exporter))
        _reset_globals()
        trace.set_tracer_provider(tracer_provider)
        metrics.set_meter_provider(MeterProvider(metric_readers=[self.reader]))

    def spans(self) -> list[ReadableSpan]:
        return list(self.exporter.get_finished_spans())

    def span(self) -> ReadableSpan:
        (span,) = self.spans()
        return span

    def points(self, name: str) -> list[Any]:
        data = self.reader.get_metrics_data()
        return [
            point
            for resource in (data.resource_metrics if data else [])
            for scope in resource.scope_metrics
            for metric in scope.metrics
            if metric.name == name
            for point in metric.data.data_points
        ]


def _reset_globals() -> None:
    """Forget the global providers (the API sets each once per process; its own tests reset so too)."""
    trace._TRACER_PROVIDER_SET_ONCE = Once()
    trace._TRACER_PROVIDER = None
    metrics_internal._METER_PROVIDER_SET_ONCE = Once()
    metrics_internal._METER_PROVIDER = None


@pytest.fixture
def telemetry() -> Iterator[Telemetry]:
    yield Telemetry()
    _reset_globals()


def attributes(span: ReadableSpan) -> dict[str, Any]:
    return dict(span.attributes or {})


@pytest.mark.anyio
async def test_a_plain_call_is_one_client_span_with_the_conventions_attributes(
    telemetry: Telemetry, make_client: Callable[..., Any], kind: str
) -> None:
    recorder = Recorder(httpx2.Response(200, json=ANSWER, headers=HEADERS))
    client = make_client(recorder)
    await invoke(client.images.generate, prompt=PROMPT, model="gpt-image-1.5", size="1024x1024")
    span = telemetry.span()
    assert span.name == "generate_content gpt-image-1.5"
    assert span.kind is SpanKind.CLIENT
    assert span.status.status_code is StatusCode.UNSET
    assert attributes(span) == {
        "gen_ai.operation.name": "generate_content",
        "gen_ai.provider.name": "openai",
        "gen_ai.output.type": "image",
        "gen_ai.request.model": "gpt-image-1.5",
        "gen_ai.response.model": "gpt-image-1.5",
        "gen_ai.usage.input_tokens": 12,
        "gen_ai.usage.output_tokens": 300,
        "server.address": "api.test",
        "server.port": 443,
        "images_client.operation": "generate",
        "images_client.request_id": "req_123",
        "images_client.attempts": 1,
    }
    # The request carries the span's context, so the server's trace joins the caller's.
    context = span.get_span_context()
    version, trace_id, parent_id, _flags = recorder.requests[0].headers["traceparent"].split("-")
    assert (version, trace_id, parent_id) == ("00", f"{context.trace_id:032x}", f"{context.span_id:016x}")


@pytest.mark.anyio
async def test_an_edit_and_a_variation_say_their_operation_and_how_many_images_were_asked(
    telemetry: Telemetry, make_client: Callable[..., Any]
) -> None:
    client = make_client(Recorder(httpx2.Response(200, json=ANSWER)), as_of="2026-04-30")
    await invoke(client.images.edit, image=png(), prompt=PROMPT, model="gpt-image-1.5", n=2)
    with pytest.warns(DeprecationWarning, match="variation"):  # the endpoint, retired since
        await invoke(client.images.create_variation, image=png(256, 256), model="dall-e-2")
    edit, variation = (attributes(span) for span in telemetry.spans())
    assert (edit["images_client.operation"], edit["gen_ai.request.choice.count"]) == ("edit", 2)
    assert variation["images_client.operation"] == "variation"
    assert "gen_ai.request.choice.count" not in variation  # n not given: one image


@pytest.mark.anyio
@pytest.mark.parametrize("switch", ["span_only", "SPAN_AND_EVENT", " true "])
async def test_each_value_of_the_conventions_switch_records_the_prompt(
    telemetry: Telemetry, make_client: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, switch: str
) -> None:
    monkeypatch.setenv("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", switch)
    await invoke(make_client(Recorder()).images.generate, prompt=PROMPT, model="gpt-image-1.5")
    assert PROMPT in attributes(telemetry.span())["gen_ai.input.messages"]


@pytest.mark.anyio
async def test_a_call_records_its_duration_and_tokens(
    telemetry: Telemetry, make_client: Callable[..., Any]
) -> None:
    client = make_client(Recorder(httpx2.Response(200, json=ANSWER)))
    await invoke(client.images.generate, prompt=PROMPT, model="gpt-image-1.5")
    (duration,) = telemetry.points("gen_ai.client.operation.duration")
    assert duration.count == 1
    assert duration.sum > 0
    assert dict(duration.attributes) == {
        "gen_ai.operation.name": "generate_content",
        "gen_ai.provider.name": "openai",
        "gen_ai.request.model": "gpt-image-1.5",
        "gen_ai.response.model": "gpt-image-1.5",
        "server.address": "api.test",
        "server.port": 443,
    }
    tokens = {
        point.attributes["gen_ai.token.type"]: point.sum
        for point in telemetry.points("gen_ai.client.token.usage")
    }
    assert tokens == {"input": 12, "output": 300}


@pytest.mark.anyio
async def test_a_count_the_answer_leaves_out_is_not_recorded(
    telemetry: Telemetry, make_client: Callable[..., Any]
) -> None:
    answer = {**OK, "usage": {"output_tokens": 300, "total_tokens": 312}}  # no input_tokens
    await invoke(make_client(Recorder(httpx2.Response(200, json=answer))).images.generate, prompt=PROMPT)
    tokens = {
        point.attributes["gen_ai.token.type"]: point.sum
        for point in telemetry.points("gen_ai.client.token.usage")
    }
    assert tokens == {"output": 300}
    assert "gen_ai.usage.input_tokens" not in attributes(telemetry.span())
    assert attributes(telemetry.span())["gen_ai.usage.output_tokens"] == 300


@pytest.mark.anyio
async def test_a_call_naming_no_model_reports_the_default_the_client_resolved(
    telemetry: Telemetry, make_client: Callable[..., Any]
) -> None:
    client = make_client(Recorder())
    await invoke(client.images.generate, prompt=PROMPT)
    span = telemetry.span()
    assert span.name == "generate_content dall-e-2"  # the API's default on the 2026-04 reference's day
    assert attributes(span)["gen_ai.request.model"] == "dall-e-2"


@pytest.mark.anyio
async def test_a_retried_call_shows_its_attempts_and_waits(
    telemetry: Telemetry, make_client: Callable[..., Any], sleeps: list[float]
) -> None:
    limited = httpx2.Response(429, json={"error": {"message": "slow down"}}, headers={"retry-after": "2"})
    recorder = Recorder(limited, httpx2.Response(200, json=ANSWER, headers=HEADERS))
    await invoke(make_client(recorder).images.generate, prompt=PROMPT, model="gpt-image-1.5")
    span = telemetry.span()
    assert attributes(span)["images_client.attempts"] == 2
    assert [(event.name, dict(event.attributes or {})) for event in span.events] == [
        ("images_client.retry", {"images_client.retry.attempt": 1, "images_client.retry.delay": 2.0})
    ]
    assert sleeps == [2.0]
    assert "error.type" not in attributes(span)
    # Each attempt carries the same span as its parent.
    assert len({request.headers["traceparent"] for request in recorder.requests}) == 1


@pytest.mark.anyio
async def test_a_refused_call_is_marked_so_and_sends_nothing(
    telemetry: Telemetry, make_client: Callable[..., Any]
) -> None:
    recorder = Recorder()
    with pytest.raises(wrapper.ValidationError):
        await invoke(make_client(recorder).images.generate, prompt=PROMPT, model="dall-e-3", size="256x256")
    assert recorder.requests == []
    span = telemetry.span()
    assert span.status.status_code is StatusCode.ERROR
    found = attributes(span)
    assert found["images_client.refused"] is True
    assert found["error.type"] == "ValidationError"
    assert "images_client.attempts" not in found
    (duration,) = telemetry.points("gen_ai.client.operation.duration")
    assert duration.attributes["error.type"] == "ValidationError"


@pytest.mark.anyio
async def test_an_error_answer_records_its_status_as_the_error_type(
    telemetry: Telemetry, make_client: Callable[..., Any]
) -> None:
    refused = httpx2.Response(
        400, json={"error": {"message": "no", "type": "invalid_request_error"}}, headers=HEADERS
    )
    with pytest.raises(wrapper.BadRequestError):
        await invoke(make_client(Recorder(refused)).images.generate, prompt=PROMPT, model="gpt-image-1.5")
    found = attributes(telemetry.span())
    assert (found["error.type"], found["images_client.request_id"]) == ("400", "req_123")
    assert "images_client.refused" not in found
    assert "gen_ai.response.model" not in found


@pytest.mark.anyio
async def test_a_connection_failure_after_the_retries_is_its_error_type(
    telemetry: Telemetry, make_client: Callable[..., Any], sleeps: list[float]
) -> None:
    def refuse(request: httpx2.Request) -> httpx2.Response:
        raise httpx2.ConnectError("connection refused", request=request)

    with pytest.raises(wrapper.APIConnectionError):
        await invoke(make_client(refuse, max_retries=1).images.generate, prompt=PROMPT, model="gpt-image-1.5")
    found = attributes(telemetry.span())
    assert (found["error.type"], found["images_client.attempts"]) == ("APIConnectionError", 2)
    assert len(sleeps) == 1


@pytest.mark.anyio
async def test_a_raw_response_call_is_traced_like_a_plain_one(
    telemetry: Telemetry, make_client: Callable[..., Any]
) -> None:
    client = make_client(Recorder(httpx2.Response(200, json=ANSWER, headers=HEADERS)))
    raw = await invoke(client.images.with_raw_response.generate, prompt=PROMPT, model="gpt-image-1.5")
    assert raw.request_id == "req_123"
    found = attributes(telemetry.span())
    assert (found["images_client.request_id"], found["gen_ai.usage.output_tokens"]) == ("req_123", 300)


@pytest.mark.anyio
async def test_a_raw_streamed_call_ends_its_span_with_the_headers(
    telemetry: Telemetry, make_client: Callable[..., Any], kind: str
) -> None:
    client = make_client(Recorder(event_stream(recorded())))
    raw = await invoke(
        client.images.with_raw_response.generate, prompt=PROMPT, model="gpt-image-1.5", stream=True
    )
    found = attributes(telemetry.span())  # ended, though nobody reads the events
    assert (found["gen_ai.request.stream"], found["images_client.request_id"]) == (True, "req_123")
    stream = raw.parse()
    await invoke(stream.aclose if kind == "async" else stream.close)


def event_stream(body: bytes | Chunks) -> httpx2.Response:
    stream = body if isinstance(body, Chunks) else Chunks([body])
    return httpx2.Response(200, headers={"content-type": "text/event-stream", **HEADERS}, stream=stream)


async def read(stream: Any) -> list[Any]:
    if isinstance(stream, wrapper.AsyncStream):
        return [event async for event in stream]
    return list(stream)


@pytest.mark.anyio
async def test_a_stream_span_ends_with_the_stream_and_counts_its_partials(
    telemetry: Telemetry, make_client: Callable[..., Any]
) -> None:
    client = make_client(Recorder(event_stream(recorded())))
    stream = await invoke(
        client.images.generate, prompt=PROMPT, model="gpt-image-1.5", stream=True, partial_images=3
    )
    assert telemetry.spans() == []  # open while the stream is
    events = await read(stream)
    assert len(events) == 4
    found = attributes(telemetry.span())
    assert found["gen_ai.request.stream"] is True
    assert found["images_client.stream.partial_images"] == 3
    assert found["images_client.stream.images"] == 1
    assert found["gen_ai.response.time_to_first_chunk"] > 0
    assert (found["gen_ai.usage.input_tokens"], found["gen_ai.usage.output_tokens"]) == (10, 272)
    assert found["images_client.request_id"] == "req_123"
    assert "error.type" not in found
    (first,) = telemetry.points("gen_ai.client.operation.time_to_first_chunk")
    assert first.sum == found["gen_ai.response.time_to_first_chunk"]


@pytest.mark.anyio
async def test_a_broken_stream_ends_its_span_with_the_error(
    telemetry: Telemetry, make_client: Callable[..., Any]
) -> None:
    frames = [frame(partial(0)), frame(partial(1)), frame(completed())]
    client = make_client(Recorder(event_stream(Chunks(frames, fail_after=2))))
    stream = await invoke(client.images.generate, prompt=PROMPT, model="gpt-image-1.5", stream=True)
    with pytest.raises(wrapper.StreamError):
        await read(stream)
    span = telemetry.span()
    found = attributes(span)
    assert found["error.type"] == "StreamError"
    assert found["images_client.stream.partial_images"] == 2
    assert found["images_client.stream.images"] == 0
    assert span.status.status_code is StatusCode.ERROR


@pytest.mark.anyio
async def test_a_stream_read_while_its_caller_handles_an_error_ends_without_one(
    telemetry: Telemetry, make_client: Callable[..., Any]
) -> None:
    client = make_client(Recorder(event_stream(recorded())))
    try:
        raise wrapper.APIConnectionError(message="an earlier call failed")
    except wrapper.APIConnectionError:  # a fallback path reading a stream to its end
        stream = await invoke(client.images.generate, prompt=PROMPT, model="gpt-image-1.5", stream=True)
        assert len(await read(stream)) == 4
    span = telemetry.span()
    assert "error.type" not in attributes(span)
    assert span.status.status_code is not StatusCode.ERROR


@pytest.mark.anyio
async def test_an_error_event_ends_the_span_with_its_status(
    telemetry: Telemetry, make_client: Callable[..., Any]
) -> None:
    error = {"type": "error", "error": {"type": "rate_limit_error", "message": "slow down", "code": None}}
    frames = [frame(partial(0)), frame(error, event="error")]
    client = make_client(Recorder(event_stream(Chunks(frames))))
    stream = await invoke(client.images.generate, prompt=PROMPT, model="gpt-image-1.5", stream=True)
    with pytest.raises(wrapper.RateLimitError):
        await read(stream)
    span = telemetry.span()
    assert attributes(span)["error.type"] == "429"
    assert attributes(span)["images_client.stream.partial_images"] == 1
    assert span.status.status_code is StatusCode.ERROR


@pytest.mark.anyio
async def test_a_stream_sent_again_after_breaking_before_its_first_event_counts_the_retry(
    telemetry: Telemetry, make_client: Callable[..., Any], sleeps: list[float]
) -> None:
    broken = event_stream(Chunks([frame(partial(0))], fail_after=0))
    recorder = Recorder(broken, event_stream(recorded()))
    client = make_client(recorder)
    stream = await invoke(client.images.generate, prompt=PROMPT, model="gpt-image-1.5", stream=True)
    assert len(await read(stream)) == 4
    span = telemetry.span()
    assert attributes(span)["images_client.attempts"] == 2
    assert [event.attributes["images_client.retry.attempt"] for event in span.events] == [1]
    assert len(sleeps) == 1
    assert len({request.headers["traceparent"] for request in recorder.requests}) == 1


@pytest.mark.anyio
async def test_a_stream_closed_before_its_end_ends_its_span_without_an_error(
    telemetry: Telemetry, make_client: Callable[..., Any], kind: str
) -> None:
    client = make_client(Recorder(event_stream(recorded())))
    stream = await invoke(client.images.generate, prompt=PROMPT, model="gpt-image-1.5", stream=True)
    if kind == "async":
        async with stream:
            await stream.__anext__()
    else:
        with stream:
            next(stream)
    found = attributes(telemetry.span())
    assert found["images_client.stream.partial_images"] == 1
    assert "error.type" not in found


@pytest.mark.anyio
async def test_the_prompt_is_recorded_only_when_the_caller_opts_in(
    telemetry: Telemetry, make_client: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    client = make_client(Recorder(httpx2.Response(200, json=ANSWER, headers=HEADERS)))
    await invoke(client.images.generate, prompt=PROMPT, model="gpt-image-1.5")
    with pytest.raises(wrapper.ValidationError):
        await invoke(client.images.generate, prompt=PROMPT, model="dall-e-3", size="256x256")
    for span in telemetry.spans():
        shown = json.dumps(attributes(span)) + json.dumps([dict(e.attributes or {}) for e in span.events])
        assert "secret words" not in shown + span.name + str(span.status.description)
    monkeypatch.setenv("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "true")
    await invoke(client.images.generate, prompt=PROMPT, model="gpt-image-1.5")
    messages = json.loads(attributes(telemetry.spans()[-1])["gen_ai.input.messages"])
    assert messages == [{"role": "user", "parts": [{"type": "text", "content": PROMPT}]}]


@pytest.mark.anyio
async def test_calls_inside_a_callers_span_are_its_children(
    telemetry: Telemetry, make_client: Callable[..., Any]
) -> None:
    client = make_client(Recorder())
    with trace.get_tracer("service").start_as_current_span("handle request") as parent:
        await invoke(client.images.generate, prompt=PROMPT, model="gpt-image-1.5")
    call, outer = telemetry.spans()
    assert outer.name == "handle request"
    assert call.parent is not None
    assert call.parent.span_id == parent.get_span_context().span_id


def test_without_a_provider_a_call_does_no_telemetry_work(make_client: Callable[..., Any]) -> None:
    _reset_globals()  # the API is imported (this module did) but no provider is set
    recorder = Recorder()
    client = make_client(recorder)
    assert _telemetry.start(client, "generate", {"prompt": PROMPT}) is None
    call = client._build("generate", {"prompt": PROMPT})
    assert call.telemetry is None
    assert "traceparent" not in client._http_request(call).headers


def test_an_unusable_opentelemetry_never_fails_a_call(
    telemetry: Telemetry,
    make_client: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(*args: Any) -> None:
        raise TypeError("an API too old for this call")

    monkeypatch.setattr(_otel, "start", broken)
    _telemetry._failed.cache_clear()
    client = make_client(Recorder())
    call = client._build("generate", {"prompt": PROMPT})
    assert call.telemetry is None
    call.close()
    assert "OpenTelemetry is unusable here" in caplog.text
    assert telemetry.spans() == []


def test_a_bulk_run_is_a_span_with_its_counts(telemetry: Telemetry, tmp_path: Path, images_mock: Any) -> None:
    from wrapper.batch import Job

    source = tmp_path / "job.jsonl"
    lines = [
        {"custom_id": f"c{i}", "prompt": f"fox {i}", "model": "dall-e-2", "size": "256x256"} for i in range(3)
    ]
    source.write_text("".join(json.dumps(line) + "\n" for line in lines))
    with wrapper.Client(api_key="sk-test", base_url=images_mock.url, max_retries=0) as client:
        report = Job.create(source, tmp_path / "out", backend="online").run_online(client, concurrency=2)
    assert (report.succeeded, report.failed) == (3, 0)
    spans = telemetry.spans()
    (job,) = [span for span in spans if span.name == "images_client.job online"]
    assert attributes(job)["images_client.job.backend"] == "online"
    assert (
        attributes(job)["images_client.job.lines.succeeded"],
        attributes(job)["images_client.job.lines.failed"],
    ) == (3, 0)
    calls = [span for span in spans if span.name.startswith("generate_content")]
    assert len(calls) == 3
    assert all(
        call.parent is not None and call.parent.span_id == job.get_span_context().span_id for call in calls
    )
    (lines_done,) = telemetry.points("images_client.job.lines")
    assert (lines_done.value, dict(lines_done.attributes)) == (
        3,
        {"images_client.job.backend": "online", "images_client.job.outcome": "succeeded"},
    )


def test_a_batch_run_is_one_span_from_its_submission_counting_the_lines_done_and_failed(
    telemetry: Telemetry, tmp_path: Path, images_mock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wrapper.batch import Job

    submitted: list[int] = []
    submit = Job.submit
    monkeypatch.setattr(
        Job, "submit", lambda job, client: submitted.append(time.time_ns()) or submit(job, client)
    )

    source = tmp_path / "job.jsonl"
    lines = [
        {"custom_id": "fine", "prompt": "a fox", "model": "dall-e-2", "size": "256x256"},
        # A model the API does not have: the emulator answers it 404 in the error file.
        {"custom_id": "unknown", "prompt": "a fox", "model": "future-model", "size": "9000x9000"},
    ]
    source.write_text("".join(json.dumps(line) + "\n" for line in lines))
    with wrapper.Client(api_key="sk-test", base_url=images_mock.url, max_retries=0) as client:
        report = Job.create(source, tmp_path / "out").run(client, interval=0.0)
    assert (report.succeeded, report.failed) == (1, 1)
    (job,) = [span for span in telemetry.spans() if span.name == "images_client.job batch"]
    assert job.start_time is not None
    assert job.start_time <= submitted[0]  # the span covers the submission, not only the fetch
    found = attributes(job)
    assert (found["images_client.job.lines.succeeded"], found["images_client.job.lines.failed"]) == (1, 1)
    assert found["images_client.job.backend"] == "batch"
    counted = {
        p.attributes["images_client.job.outcome"]: p.value
        for p in telemetry.points("images_client.job.lines")
    }
    assert counted == {"succeeded": 1, "failed": 1}


BLOCKER = """
import sys
{block}
import httpx2, wrapper
def answer(request):
    return httpx2.Response(200, json={{"created": 1, "data": [{{"b64_json": "aGk="}}]}})
http = httpx2.Client(transport=httpx2.MockTransport(answer))
client = wrapper.Client(api_key="sk-test", base_url="http://api.test/v1", http_client=http)
client.images.generate(prompt="x", model="gpt-image-1.5")
loaded = [name for name, module in sys.modules.items() if module is not None]
print(sorted(name for name in loaded if name.split(".")[0] == "opentelemetry"))
"""


@pytest.mark.parametrize(
    "block",
    [
        'sys.modules["opentelemetry"] = None  # the extra is not installed: importing it fails',
        "",  # installed, but the process never imports it: neither does the wrapper
    ],
)
def test_a_call_loads_no_opentelemetry_module_of_its_own(block: str) -> None:
    code = textwrap.dedent(BLOCKER.format(block=block))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == "[]"


DOCS = Path(__file__).resolve().parent.parent / "docs" / "telemetry.md"


@pytest.mark.network
@pytest.mark.parametrize("source", re.findall(r"^```python\n(.*?)^```", DOCS.read_text(), re.DOTALL | re.M))
def test_the_docs_example_runs_and_reports_its_span(source: str, images_mock: Any, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "OTEL_"))}
    env.update(OPENAI_BASE_URL=images_mock.url, OPENAI_API_KEY="sk-mock")
    done = subprocess.run(
        [sys.executable, "-c", source], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert '"name": "generate_content gpt-image-1.5"' in done.stdout
    assert '"name": "gen_ai.client.operation.duration"' in done.stdout
