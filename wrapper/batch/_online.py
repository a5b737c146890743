"""The online backend: a job's lines sent now through `AsyncClient`, at most `concurrency` at once,
paced by the API's rate-limit headers, each result saved and recorded as it arrives.

Lines already in the manifest are skipped, so a run stopped by Ctrl-C (or a crash) and started
again carries on. A request's images are written and its manifest line appended with no `await`
in between, so cancelling the run can never leave one without the other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import anyio

from .._client import AsyncClient
from .._errors import APIConnectionError, APIStatusError, RateLimitError, WrapperError
from .._retry import parse_retry_after
from . import _save
from ._pacer import Pacer
from ._store import digest

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


async def run_online(
    job: Job,
    client: AsyncClient,
    *,
    concurrency: int = 8,
    on_progress: OnlineProgress | None = None,
    pacer: Pacer | None = None,
) -> FetchReport:
    """Send every line of `job` not yet in its manifest; save each result as it comes. Returns what
    this run did (the manifest holds everything)."""
    from ._job import FetchReport

    job.dir.repair()
    done = job.dir.finished()
    report = FetchReport()
    run = _Run(job, client, pacer or Pacer(), report, on_progress)
    slots = anyio.Semaphore(max(1, concurrency))
    async with anyio.create_task_group() as group:
        for line in job.lines():
            if digest(line.custom_id) in done:
                run.skipped += 1
                continue
            await slots.acquire()
            group.start_soon(run.line, line, slots)
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
        self.skipped = 0
        self.rate_limited = 0

    async def line(self, line: JobLine, slots: anyio.Semaphore) -> None:
        try:
            record = await self._send(line)
            # No await from here on: the images and their manifest line land together or not at all.
            self.job.dir.append(record)
            self.report.add(record)
            if self.on_progress is not None:
                info = OnlineProgressInfo(
                    self.report.succeeded, self.report.failed, self.skipped, self.rate_limited
                )
                self.on_progress(info)
        finally:
            slots.release()

    async def _send(self, line: JobLine) -> dict[str, Any]:
        method = getattr(self.client.images, _METHODS[line.operation])
        body = {name: value for name, value in line.body.items() if value is not None}
        for _ in range(MAX_RATE_LIMITED):
            sent_at = await self.pacer.acquire()
            try:
                result = await method(**body)
            except RateLimitError as exc:
                self.rate_limited += 1
                self.pacer.observe(exc.response.headers, sent_at)
                self.pacer.pause(parse_retry_after(exc.response.headers) or 1.0)
                continue
            except APIStatusError as exc:
                self.pacer.observe(exc.response.headers, sent_at)
                return _save.failed(line.custom_id, _status_error(exc), exc.request_id)
            except (APIConnectionError, WrapperError) as exc:
                return _save.failed(line.custom_id, {"status_code": None, "message": str(exc)})
            http = result.http
            usage = result.usage
            self.pacer.observe(http.headers if http else {}, sent_at, usage.total_tokens if usage else None)
            contents = [await image.acontent() for image in result.data]
            files = _save.save_images(self.job.path, line.custom_id, contents, result.output_format)
            usage_json = _usage(usage)
            return _save.succeeded(line.custom_id, files, usage_json, result.request_id)
        message = f"still rate limited after {MAX_RATE_LIMITED} waits"
        return _save.failed(line.custom_id, {"status_code": 429, "message": message})


_METHODS = {"generate": "generate", "edit": "edit"}


def _status_error(exc: APIStatusError) -> dict[str, Any]:
    return {"status_code": exc.status_code, "message": exc.message, "param": exc.param, "code": exc.code}


def _usage(usage: Any) -> dict[str, Any] | None:
    if usage is None:
        return None
    return {
        "input_tokens": usage.input_tokens,
        "output_tokens": usage.output_tokens,
        "total_tokens": usage.total_tokens,
    }
