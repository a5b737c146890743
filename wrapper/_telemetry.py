"""OpenTelemetry for every call and bulk job, free when unused: the few hooks the client calls.

Telemetry is on once the process has set an OpenTelemetry tracer or meter provider (see
docs/telemetry.md). This module never imports `opentelemetry` itself: `start` first looks whether the
process has imported the API at all (two dictionary lookups: without the API no provider can have been
set), and only then asks `_otel` whether a provider is set. When none is, a call gets None, and the
client's hooks (`if call.telemetry is not None: ...`) do nothing more. The work proper (spans,
metrics, the conventions' names) is `_otel`'s, loaded by the first call that has a provider to report to.
"""

from __future__ import annotations

import functools
import inspect
import logging
import sys
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, TypeVar, cast

from ._lazy import lazy

if TYPE_CHECKING:
    from . import _otel
    from ._base import BaseClient
    from ._otel import CallTelemetry, JobTelemetry
else:
    _otel = lazy("wrapper._otel", globals(), "_otel")

F = TypeVar("F", bound=Callable[..., Any])
_API: tuple[str, str] = ("opentelemetry.trace", "opentelemetry.metrics")
_job: ContextVar[JobTelemetry | None] = ContextVar("images_client_job", default=None)


def start(client: BaseClient[Any], operation: str, params: Mapping[str, Any]) -> CallTelemetry | None:
    """The telemetry of a call about to be prepared, or None (the usual case: nothing to report to)."""
    modules = sys.modules
    if modules.get("opentelemetry.trace") is None and modules.get("opentelemetry.metrics") is None:
        return None
    try:
        return _otel.start(client, operation, params)
    except Exception:  # telemetry never fails a call: an unusable OpenTelemetry is reported and skipped
        _failed()
        return None


def _start_job(backend: str, job: Any) -> JobTelemetry | None:
    if all(sys.modules.get(name) is None for name in _API):
        return None
    try:
        return _otel.job(backend, str(job.id))
    except Exception:
        _failed()
        return None


@functools.cache  # said once per process
def _failed() -> None:
    logging.getLogger("wrapper").warning("OpenTelemetry is unusable here; no telemetry", exc_info=True)


def job_run(backend: str) -> Callable[[F], F]:
    """Decorate a run of a bulk job (a function whose first argument is the `Job`, sync or async):
    with a provider set, the run is a span with the backend and the count of lines done and failed,
    current while it runs (the calls it makes are its children). A run inside a run (`Job.run`'s
    fetch) is part of the outer one: one span, whose lines it counts."""

    def decorate(function: F) -> F:
        if inspect.iscoroutinefunction(function):

            @functools.wraps(function)
            async def arun(job: Any, *args: Any, **kwargs: Any) -> Any:
                run = _start_job(backend, job) if _job.get() is None else None
                if run is None:
                    return await function(job, *args, **kwargs)
                tokens = _enter(run)
                try:
                    result = await function(job, *args, **kwargs)
                except BaseException as exc:
                    run.end(exc)
                    raise
                finally:
                    _leave(tokens)
                run.end(None)
                return result

            return cast(F, arun)

        @functools.wraps(function)
        def run_(job: Any, *args: Any, **kwargs: Any) -> Any:
            run = _start_job(backend, job) if _job.get() is None else None
            if run is None:
                return function(job, *args, **kwargs)
            tokens = _enter(run)
            try:
                result = function(job, *args, **kwargs)
            except BaseException as exc:
                run.end(exc)
                raise
            finally:
                _leave(tokens)
            run.end(None)
            return result

        return cast(F, run_)

    return decorate


def job_line(outcome: str) -> None:
    """A line of the job running in this context is done (`succeeded` or `failed`)."""
    run = _job.get()
    if run is not None:
        run.line(outcome)


def _enter(run: JobTelemetry) -> tuple[Any, Any]:
    return _job.set(run), _otel.attach(run)


def _leave(tokens: tuple[Any, Any]) -> None:
    _otel.detach(tokens[1])
    _job.reset(tokens[0])
