"""OpenTelemetry spans and metrics of calls and bulk jobs, following the GenAI semantic conventions.

Loaded by `_telemetry` only once the process has imported the OpenTelemetry API and set a tracer or
meter provider; `docs/telemetry.md` says what is recorded. A call's `CallTelemetry` opens its span
before validation (so a refusal is a span too, without HTTP), counts the HTTP attempts and the retry
waits, and ends when the call returns or raises, or for a stream when the stream is closed: completed,
broken or abandoned. The span's context goes into every HTTP request (`traceparent`, through the
global propagator) so that the server's and the caller's traces join.

The names below are those of the GenAI conventions as published in open-telemetry/semantic-conventions-genai
(the successor of semantic-conventions 1.41's gen-ai pages; the same names as the constants of
opentelemetry-semantic-conventions 0.66b2). Images have no operation name of their own: every call is
`generate_content`, the predefined name for multimodal generation, with `gen_ai.output.type` `image`.
What the conventions have no name for carries the `images_client.` prefix.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Final

import httpx2
from opentelemetry import context as otel_context
from opentelemetry import metrics, propagate, trace
from opentelemetry.trace import SpanKind, Status, StatusCode

from ._errors import APIStatusError, WrapperError
from ._spec import P

if TYPE_CHECKING:
    from ._base import BaseClient
    from ._calls import Call

# --- names: the GenAI semantic conventions (see the docstring for the version) ---------------------
OPERATION_NAME: Final = "gen_ai.operation.name"
PROVIDER_NAME: Final = "gen_ai.provider.name"
OUTPUT_TYPE: Final = "gen_ai.output.type"
REQUEST_MODEL: Final = "gen_ai.request.model"
RESPONSE_MODEL: Final = "gen_ai.response.model"
REQUEST_CHOICE_COUNT: Final = "gen_ai.request.choice.count"
REQUEST_STREAM: Final = "gen_ai.request.stream"
TIME_TO_FIRST_CHUNK: Final = "gen_ai.response.time_to_first_chunk"
INPUT_TOKENS: Final = "gen_ai.usage.input_tokens"
OUTPUT_TOKENS: Final = "gen_ai.usage.output_tokens"
TOKEN_TYPE: Final = "gen_ai.token.type"
INPUT_MESSAGES: Final = "gen_ai.input.messages"
SERVER_ADDRESS: Final = "server.address"
SERVER_PORT: Final = "server.port"
ERROR_TYPE: Final = "error.type"
OPERATION_DURATION: Final = "gen_ai.client.operation.duration"
TOKEN_USAGE: Final = "gen_ai.client.token.usage"
FIRST_CHUNK: Final = "gen_ai.client.operation.time_to_first_chunk"
GENERATE_CONTENT: Final = "generate_content"
OPENAI: Final = "openai"
CAPTURE_CONTENT: Final = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT"
"""The conventions' switch for recording prompts: off unless `true` (or `span_only` / `span_and_event`)."""
# The histograms' bucket boundaries the conventions advise: 0.01 s doubling to 81.92 s; 1 token to 4**13.
DURATION_BUCKETS: Final = tuple(0.01 * 2**k for k in range(14))
TOKEN_BUCKETS: Final = tuple(float(4**k) for k in range(14))

# --- names of our own -------------------------------------------------------------------------------
SCOPE: Final = "images-client"
API_OPERATION: Final = "images_client.operation"
"""The Images API operation: generate, edit or create_variation."""
REFUSED: Final = "images_client.refused"
"""True when the client refused the request before sending it (validation, a retired model, a file)."""
REQUEST_ID: Final = "images_client.request_id"
ATTEMPTS: Final = "images_client.attempts"
PARTIAL_IMAGES: Final = "images_client.stream.partial_images"
STREAM_IMAGES: Final = "images_client.stream.images"
RETRY_EVENT: Final = "images_client.retry"
RETRY_ATTEMPT: Final = "images_client.retry.attempt"
RETRY_DELAY: Final = "images_client.retry.delay"
JOB_SPAN: Final = "images_client.job"
JOB_BACKEND: Final = "images_client.job.backend"
JOB_ID: Final = "images_client.job.id"
JOB_LINES: Final = "images_client.job.lines"
JOB_OUTCOME: Final = "images_client.job.outcome"
JOB_SUCCEEDED: Final = "images_client.job.lines.succeeded"
JOB_FAILED: Final = "images_client.job.lines.failed"
# The attributes a metric point carries (the conventions' list; the rest stay on the span).
_METRIC_KEYS: Final = (
    OPERATION_NAME, PROVIDER_NAME, REQUEST_MODEL, RESPONSE_MODEL, SERVER_ADDRESS, SERVER_PORT
)  # fmt: skip


class Signals:
    """The tracer and instruments of one pair of providers (either may be None: not configured)."""

    def __init__(self, tracer_provider: Any, meter_provider: Any) -> None:
        self.key = (tracer_provider, meter_provider)
        self.tracer = tracer_provider.get_tracer(SCOPE) if tracer_provider is not None else None
        self.metered = meter_provider is not None
        if meter_provider is not None:
            meter = meter_provider.get_meter(SCOPE)
            self.duration = _histogram(meter, OPERATION_DURATION, "s", "GenAI operation duration.")
            self.tokens = _histogram(meter, TOKEN_USAGE, "{token}", "Number of input and output tokens used.")
            self.first_chunk = _histogram(
                meter, FIRST_CHUNK, "s", "Time to receive the first chunk of a streaming response."
            )
            self.lines = meter.create_counter(JOB_LINES, "{line}", "Lines of bulk jobs done, by outcome.")


def _histogram(meter: Any, name: str, unit: str, description: str) -> Any:
    """A histogram with the conventions' bucket boundaries (an API older than 1.23 takes none)."""
    buckets = TOKEN_BUCKETS if unit == "{token}" else DURATION_BUCKETS
    try:
        return meter.create_histogram(name, unit, description, explicit_bucket_boundaries_advisory=buckets)
    except TypeError:
        return meter.create_histogram(name, unit, description)


_signals: Signals | None = None


def signals() -> Signals | None:
    """The current providers' tracer and instruments; None when neither provider is set (the API's
    default proxy or a no-op provider), which is the price of a call when OpenTelemetry is unused."""
    global _signals
    tracer_provider: Any = trace.get_tracer_provider()
    if isinstance(tracer_provider, trace.ProxyTracerProvider | trace.NoOpTracerProvider):
        tracer_provider = None
    meter_provider: Any = metrics.get_meter_provider()
    # The API's stand-in before a meter provider is set is a private class (`_ProxyMeterProvider`).
    if isinstance(meter_provider, metrics.NoOpMeterProvider) or type(meter_provider).__name__.startswith(
        "_Proxy"
    ):
        meter_provider = None
    if tracer_provider is None and meter_provider is None:
        return None
    current = _signals
    if current is None or current.key != (tracer_provider, meter_provider):
        current = _signals = Signals(tracer_provider, meter_provider)
    return current


def start(client: BaseClient[Any], operation: str, params: Mapping[str, Any]) -> CallTelemetry | None:
    """The telemetry of a call about to be prepared; None when no provider is set."""
    found = signals()
    return CallTelemetry(found, client, operation, params) if found is not None else None


class CallTelemetry:
    """One call's span and measurements, from before validation to the end of its answer or stream."""

    def __init__(
        self, signals: Signals, client: BaseClient[Any], operation: str, params: Mapping[str, Any]
    ) -> None:
        self.signals = signals
        self.started = time.perf_counter()
        self.sent_at: float | None = None
        self.attempts = 0
        self.ended = False
        self.usage: list[Any] = []
        self.partials = self.images = 0
        self.first_event: float | None = None
        """Seconds from the first request to a stream's first event."""
        base = client._base
        port = base.port or (443 if base.scheme == "https" else 80)
        self.metric: dict[str, Any] = {
            OPERATION_NAME: GENERATE_CONTENT,
            PROVIDER_NAME: OPENAI,
            SERVER_ADDRESS: base.host,
            SERVER_PORT: port,
        }
        self.named = _text(params.get(P.model))
        model = self.named or client.default_model  # the client's default is a guess until `built`
        if model:
            self.metric[REQUEST_MODEL] = model
        self.span = self.context = None
        if signals.tracer is not None:
            self.span = signals.tracer.start_span(
                f"{GENERATE_CONTENT} {model}" if model else GENERATE_CONTENT,
                kind=SpanKind.CLIENT,
                attributes={**self.metric, **_request_attributes(operation, params)},
            )
            self.context = trace.set_span_in_context(self.span)

    # --- preparation ---------------------------------------------------------------------------

    def build(self, make: Callable[[], Call]) -> Call:
        """`make()` (the call's preparation), a refusal ending the span."""
        try:
            call = make()
        except BaseException as exc:
            self.refused(exc)
            raise
        return self.built(call)

    async def abuild(self, making: Awaitable[Call]) -> Call:
        try:
            call = await making
        except BaseException as exc:
            self.refused(exc)
            raise
        return self.built(call)

    def built(self, call: Call) -> Call:
        call.telemetry = self
        if call.model:
            self.metric[RESPONSE_MODEL] = call.model
            if not self.named and self.metric.get(REQUEST_MODEL) != call.model:
                # None named, or a client default that cannot do the operation: the API's default.
                self.metric[REQUEST_MODEL] = call.model
                if self.span is not None:
                    self.span.set_attribute(REQUEST_MODEL, call.model)
                    self.span.update_name(f"{GENERATE_CONTENT} {call.model}")
        return call

    def refused(self, exc: BaseException) -> None:
        if self.span is not None:
            self.span.set_attribute(REFUSED, True)
        self.end(exc, type(exc).__qualname__)

    # --- the wire ------------------------------------------------------------------------------

    def sent(self, request: httpx2.Request) -> None:
        """An HTTP attempt is about to go out: count it, and carry the span's context in its headers."""
        self.attempts += 1
        if self.sent_at is None:
            self.sent_at = time.perf_counter()
        if self.context is not None:
            propagate.inject(request.headers, context=self.context)

    def retry(self, attempt: int, delay: float) -> None:
        """Retry number `attempt` (0-based) follows after `delay` seconds."""
        if self.span is not None:
            self.span.add_event(RETRY_EVENT, {RETRY_ATTEMPT: attempt + 1, RETRY_DELAY: delay})

    # --- the answer ----------------------------------------------------------------------------

    def run(self, answer: Callable[[Call], Any], call: Call) -> Any:
        """`answer(call)` with the span current; its result or error ends the span (a stream's close)."""
        token = otel_context.attach(self.context) if self.context is not None else None
        try:
            result = answer(call)
        except BaseException as exc:
            self.end(exc)
            raise
        finally:
            if token is not None:
                otel_context.detach(token)
        return self.settle(result)

    async def arun(self, answer: Callable[[Call], Awaitable[Any]], call: Call) -> Any:
        token = otel_context.attach(self.context) if self.context is not None else None
        try:
            result = await answer(call)
        except BaseException as exc:
            self.end(exc)
            raise
        finally:
            if token is not None:
                otel_context.detach(token)
        return self.settle(result)

    def settle(self, result: Any) -> Any:
        """Record what the answer says; a stream is followed to its close. A raw response ends the
        span at once, a streamed one too: its caller may read the body without the stream's events."""
        from ._streaming import AsyncStream, Stream

        if isinstance(result, Stream | AsyncStream):
            self.follow(result)
            return result
        parsed = getattr(result, "_parsed", result)  # a raw response's parsed result
        http = getattr(result, "http", None)
        self.answered(http.headers if http is not None else getattr(result, "headers", None))
        usage = getattr(parsed, "usage", None)
        if usage is not None:
            self.usage.append(usage)
        self.end()
        return result

    def answered(self, headers: Mapping[str, str] | None) -> None:
        if self.span is not None and headers is not None and (request_id := headers.get("x-request-id")):
            self.span.set_attribute(REQUEST_ID, request_id)

    # --- streams -------------------------------------------------------------------------------

    def follow(self, stream: Any) -> None:
        """See each event of `stream` as it passes, and end with the stream's close."""
        self.answered(stream.response.headers)
        on_close = stream._on_close

        def closed() -> None:
            try:
                if on_close is not None:
                    on_close()
            finally:
                self.stream_closed(stream.failure)

        stream._on_close = closed
        if hasattr(stream._iterator, "__anext__"):
            stream._iterator = self._aevents(stream._iterator)
        else:
            stream._iterator = self._events(stream._iterator)

    def _events(self, events: Iterator[Any]) -> Iterator[Any]:
        for event in events:
            self.event(event)
            yield event

    async def _aevents(self, events: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for event in events:
            self.event(event)
            yield event

    def event(self, event: Any) -> None:
        if self.first_event is None:
            self.first_event = time.perf_counter() - (self.sent_at or self.started)
            if self.span is not None:
                self.span.set_attribute(TIME_TO_FIRST_CHUNK, self.first_event)
        if getattr(event, "completed", False):
            self.images += 1
            if event.usage is not None:
                self.usage.append(event.usage)
        elif hasattr(event, "partial_image_index"):
            self.partials += 1

    def stream_closed(self, failure: BaseException | None) -> None:
        """The stream was closed: at its end, on a `failure` (what the stream recorded, not an
        exception its caller happens to be handling), or by the caller before its end (no error)."""
        if self.span is not None:
            self.span.set_attributes({PARTIAL_IMAGES: self.partials, STREAM_IMAGES: self.images})
        self.end(failure if isinstance(failure, WrapperError | httpx2.HTTPError) else None)

    # --- the end -------------------------------------------------------------------------------

    def end(self, error: BaseException | None = None, error_type: str | None = None) -> None:
        """End the span and record the metrics, once."""
        if self.ended:
            return
        self.ended = True
        metric: dict[str, Any] = {key: self.metric[key] for key in _METRIC_KEYS if key in self.metric}
        if error is not None:
            metric.pop(RESPONSE_MODEL, None)  # only an answer says a model ran it
            metric[ERROR_TYPE] = error_type or _error_type(error)
            if isinstance(error, APIStatusError) and self.span is not None:
                self.answered(error.response.headers if error.response is not None else None)
        if self.signals.metered:
            self.signals.duration.record(time.perf_counter() - self.started, metric)
            for kind, count in _tokens(self.usage):
                self.signals.tokens.record(count, {**metric, TOKEN_TYPE: kind})
            if self.first_event is not None:
                self.signals.first_chunk.record(self.first_event, metric)
        span = self.span
        if span is None:
            return
        if self.attempts:
            span.set_attribute(ATTEMPTS, self.attempts)
        for kind, count in _tokens(self.usage):
            span.set_attribute(INPUT_TOKENS if kind == "input" else OUTPUT_TOKENS, count)
        if RESPONSE_MODEL in metric:
            span.set_attribute(RESPONSE_MODEL, metric[RESPONSE_MODEL])
        if error is not None:
            span.set_attribute(ERROR_TYPE, metric[ERROR_TYPE])
            span.set_status(Status(StatusCode.ERROR, metric[ERROR_TYPE]))
        span.end()


def _request_attributes(operation: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """The span's attributes from the request (the prompt only when the caller opted in)."""
    attributes: dict[str, Any] = {OUTPUT_TYPE: "image", API_OPERATION: operation}
    n = params.get(P.n)
    if isinstance(n, int) and not isinstance(n, bool) and n != 1:
        attributes[REQUEST_CHOICE_COUNT] = n
    if params.get(P.stream) is True:
        attributes[REQUEST_STREAM] = True
    prompt = _text(params.get(P.prompt))
    if prompt is not None and capture_content():
        message = {"role": "user", "parts": [{"type": "text", "content": prompt}]}
        attributes[INPUT_MESSAGES] = json.dumps([message])
    return attributes


def capture_content() -> bool:
    """Whether the caller opted in to recording prompts (the conventions' switch, read per call)."""
    value = os.environ.get(CAPTURE_CONTENT, "").strip().lower()
    return value in ("true", "span_only", "span_and_event")


def _tokens(usages: list[Any]) -> list[tuple[str, int]]:
    """The input and output token totals of the answers' usages; a kind is left out when an answer
    did not count it (a partial sum would be recorded as the whole)."""
    totals: list[tuple[str, int]] = []
    for kind in ("input", "output"):
        counts = [getattr(usage, f"{kind}_tokens", None) for usage in usages]
        known = [count for count in counts if isinstance(count, int)]
        if known and len(known) == len(counts):
            totals.append((kind, sum(known)))
    return totals


def _error_type(error: BaseException) -> str:
    """The conventions' `error.type`: the HTTP status of an API error, else the exception's class."""
    if isinstance(error, APIStatusError) and error.response is not None:
        return str(error.status_code)
    return type(error).__qualname__


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


class JobTelemetry:
    """The span of one run of a bulk job, and the count of its lines by outcome."""

    def __init__(self, signals: Signals, backend: str, job_id: str) -> None:
        self.signals = signals
        self.backend = backend
        self.counts = {"succeeded": 0, "failed": 0}
        self.span = self.context = None
        if signals.tracer is not None:
            attributes = {JOB_BACKEND: backend, JOB_ID: job_id}
            self.span = signals.tracer.start_span(f"{JOB_SPAN} {backend}", attributes=attributes)
            self.context = trace.set_span_in_context(self.span)

    def line(self, outcome: str) -> None:
        """A line is done: `succeeded` or `failed`."""
        self.counts[outcome] = self.counts.get(outcome, 0) + 1
        if self.signals.metered:
            self.signals.lines.add(1, {JOB_BACKEND: self.backend, JOB_OUTCOME: outcome})

    def end(self, error: BaseException | None) -> None:
        if self.span is None:
            return
        self.span.set_attributes({JOB_SUCCEEDED: self.counts["succeeded"], JOB_FAILED: self.counts["failed"]})
        if error is not None:
            self.span.set_attribute(ERROR_TYPE, type(error).__qualname__)
            self.span.set_status(Status(StatusCode.ERROR, type(error).__qualname__))
        self.span.end()


def job(backend: str, job_id: str) -> JobTelemetry | None:
    """The telemetry of a job run about to start; None when no provider is set."""
    found = signals()
    return JobTelemetry(found, backend, job_id) if found is not None else None


def attach(telemetry: CallTelemetry | JobTelemetry) -> object | None:
    """Make the span of `telemetry` the current one (`detach` undoes it)."""
    return otel_context.attach(telemetry.context) if telemetry.context is not None else None


def detach(token: object | None) -> None:
    if token is not None:
        otel_context.detach(token)  # type: ignore[arg-type]
