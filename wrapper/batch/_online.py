"""The online backend: a job's lines sent now through `AsyncClient`, at most `concurrency` at once,
paced by the API's rate-limit headers, each result saved and recorded as it arrives.

Lines already settled in the manifest (succeeded, or refused for good) are skipped, so a run
stopped by Ctrl-C (or a crash) and started again carries on, and sends again the lines that failed
for a reason worth retrying (no connection, 408/409/429/5xx, an unreadable answer). A request's
images are written and its manifest line appended with no `await` in between, so cancelling the
run can never leave one without the other. One line's failure is its own record; only a full
disk stops the run (`JobStopped`), since nothing more could be saved.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import anyio
import anyio.abc

from .. import _telemetry
from .._client import AsyncClient
from .._errors import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    PreflightError,
    RateLimitError,
    WrapperError,
)
from .._retry import parse_retry_after, retry_delay, should_retry
from . import _save
from ._lines import stems
from ._pacer import Pacer
from ._store import DISK_FULL, JobStopped, digest

if TYPE_CHECKING:
    from ._job import FetchReport, Job
    from ._lines import JobLine

OnlineProgress = Callable[["OnlineProgressInfo"], None]
MAX_RATE_LIMITED = 10
"""How many 429s in a row (after the client's own retries) a line may meet before it counts as failed."""


@dataclass(frozen=True, slots=True)
class OnlineProgressInfo:
    """Progress of an online run: lines done (now and before), failed, and skipped as already done."""

    succeeded: int
    failed: int
    skipped: int
    rate_limited: int


@dataclass(frozen=True, slots=True)
class _Answer:
    contents: list[bytes]
    output_format: str | None
    usage: dict[str, Any] | None
    request_id: str | None


@_telemetry.job_run("online")
async def run_online(
    job: Job,
    client: AsyncClient,
    *,
    concurrency: int = 8,
    on_progress: OnlineProgress | None = None,
    pacer: Pacer | None = None,
) -> FetchReport:
    """Send every line of `job` not yet settled in its manifest; save each result as it comes.
    Returns what this run did, and how many lines of the job are still missing an image."""
    from ._job import FetchReport

    report = FetchReport()
    run = _Run(job, client, pacer or Pacer(), report, on_progress)
    with job.running("online"):
        job.dir.repair()
        settled = job.dir.settled()
        slots = anyio.Semaphore(max(1, concurrency))
        async with anyio.create_task_group() as group:
            run.group = group
            for line in job.lines():
                if digest(line.custom_id) in settled:
                    report.skipped += 1
                    continue
                await slots.acquire()
                if run.stopped is not None:
                    break
                group.start_soon(run.line, line, slots)
        report.missing = job.missing()
    if run.stopped is not None:
        raise JobStopped(
            f"the run stopped: {run.stopped}; free space and run the job again to carry on "
            f"({report.missing} lines still missing)"
        ) from run.stopped
    return report


class _Run:
    def __init__(
        self,
        job: Job,
        client: AsyncClient,
        pacer: Pacer,
        report: FetchReport,
        on_progress: OnlineProgress | None,
    ) -> None:
        self.job, self.client, self.pacer, self.report = job, client, pacer, report
        self.on_progress = on_progress
        self.rate_limited = 0
        self.stopped: OSError | None = None
        self.group: anyio.abc.TaskGroup | None = None

    async def line(self, line: JobLine, slots: anyio.Semaphore) -> None:
        try:
            try:
                outcome = await self._send(line)
            except Exception as exc:  # a surprise of one line is that line's failure, not the run's end
                outcome = _save.failed(line.custom_id, _unexpected(exc))
            # No await from here on: the images and their manifest line land together or not at all.
            record = outcome if isinstance(outcome, dict) else self._save(line, outcome)
            if record is not None and self._append(record):
                self.report.add(record)
                self._progress()
        finally:
            slots.release()

    def _save(self, line: JobLine, answer: _Answer) -> dict[str, Any] | None:
        try:
            saved = _save.save_images(
                self.job.path, line.custom_id, stems(line), answer.contents, answer.output_format
            )
        except OSError as exc:
            if exc.errno in DISK_FULL:
                self._stop(exc)
                return None
            error = {"status_code": None, "message": f"the answer could not be saved: {exc}"}
            return _save.failed(line.custom_id, error, answer.request_id)
        except Exception as exc:
            return _save.failed(line.custom_id, _unexpected(exc), answer.request_id)
        return _save.succeeded(line.custom_id, saved.files, answer.usage, answer.request_id, saved.dropped)

    def _append(self, record: dict[str, Any]) -> bool:
        try:
            self.job.dir.append(record)
        except OSError as exc:
            self._stop(exc)
            return False
        return True

    def _stop(self, exc: OSError) -> None:
        """Send nothing more: answers arriving now could not be saved either."""
        if self.stopped is None:
            self.stopped = exc
            if self.group is not None:
                self.group.cancel_scope.cancel()

    def _progress(self) -> None:
        if self.on_progress is not None:
            info = OnlineProgressInfo(
                self.report.succeeded, self.report.failed, self.report.skipped, self.rate_limited
            )
            self.on_progress(info)

    async def _send(self, line: JobLine) -> dict[str, Any] | _Answer:
        method = getattr(self.client.images, _METHODS[line.operation])
        body = {name: value for name, value in line.body.items() if value is not None}
        for attempt in range(MAX_RATE_LIMITED):
            try:
                return await self._call(method, body)
            except RateLimitError as exc:
                # The client's own Retry-After policy, so that one rule holds everywhere.
                delay = retry_delay(attempt, parse_retry_after(exc.response.headers))
                if delay is None:
                    return _save.failed(line.custom_id, _status_error(exc), exc.request_id, retryable=True)
                self.rate_limited += 1
                self.pacer.pause(delay)
            except PreflightError as exc:
                # Refused by the client before anything was sent (a model retired since the job was
                # made, say): sending it again would meet the same refusal.
                return _save.failed(line.custom_id, _status_error(exc))
            except APIStatusError as exc:
                retryable = should_retry(exc.status_code, exc.response.headers)
                return _save.failed(line.custom_id, _status_error(exc), exc.request_id, retryable=retryable)
            except WrapperError as exc:
                # No answer, or one that could not be read (a proxy's page, a cut body): worth a retry.
                retryable = isinstance(exc, APIConnectionError | APIResponseValidationError)
                error = {"status_code": None, "message": str(exc)}
                return _save.failed(line.custom_id, error, retryable=retryable)
        message = f"still rate limited after {MAX_RATE_LIMITED} waits"
        return _save.failed(line.custom_id, {"status_code": 429, "message": message}, retryable=True)

    async def _call(self, method: Any, body: dict[str, Any]) -> _Answer:
        sent_at = await self.pacer.acquire()
        headers: Mapping[str, str] = {}
        tokens = None
        try:
            result = await method(**body)
            headers = result.http.headers if result.http else {}
            tokens = result.usage.total_tokens if result.usage else None
            contents = [await image.acontent() for image in result.data]
            return _Answer(contents, result.output_format, _usage(result.usage), result.request_id)
        except APIStatusError as exc:
            headers = exc.response.headers if exc.response is not None else {}  # None: never sent
            raise
        finally:
            # Every outcome reports back, no answer at all included: until the first report the
            # pacer lets a single request out, and one that never reported would stall the run.
            self.pacer.observe(headers, sent_at, tokens)


_METHODS = {"generate": "generate", "edit": "edit"}


def _status_error(exc: APIStatusError) -> dict[str, Any]:
    return {"status_code": exc.status_code, "message": exc.message, "param": exc.param, "code": exc.code}


def _unexpected(exc: Exception) -> dict[str, Any]:
    return {"status_code": None, "message": f"unexpected {type(exc).__name__}: {exc}"}


def _usage(usage: Any) -> dict[str, Any] | None:
    if usage is None:
        return None
    return {
        "input_tokens": usage.input_tokens,
        "output_tokens": usage.output_tokens,
        "total_tokens": usage.total_tokens,
    }
