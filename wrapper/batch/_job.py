"""`Job`: a validated JSONL job in an output directory, run on the Batch API or online.

    job = Job.create("prompts.jsonl", "out")      # validate every line; ValidationReport if invalid
    job.submit(client)                             # upload + create the batches (resumable)
    job.wait(client, on_progress=print)            # poll with backoff until every batch has ended
    job.fetch(client)                              # save the images, write out/manifest.jsonl

The directory is the handle: `Job.open("out")` in another process (a worker) picks the job up
where it is. Each step records itself in the directory's state before the next begins, and a
batch is labelled with the job id and chunk number, so a run stopped anywhere and started again
re-attaches to what was submitted and never sends a line twice.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import anyio.to_thread
import httpx2

from .._capabilities import Operation
from .._client import AsyncClient, Client
from .._errors import WrapperError
from . import _remote, _save
from ._lines import ENDPOINTS, JobLine, LineError, checked_lines
from ._store import Chunk, JobDir, JobState, digest

MAX_LINES: Final = 50_000
MAX_BYTES: Final = 200 * 1024 * 1024
Progress = Callable[["JobStatus"], None]


class JobInvalid(WrapperError, ValueError):
    """A job with invalid lines, refused before anything was sent: `errors` lists every one."""

    def __init__(self, errors: list[LineError], lines: int) -> None:
        self.errors = errors
        self.lines = lines
        shown = "\n".join(f"  {error}" for error in errors[:20])
        more = f"\n  ... and {len(errors) - 20} more" if len(errors) > 20 else ""
        super().__init__(f"{len(errors)} of {lines} lines are invalid:\n{shown}{more}")


@dataclass(slots=True)
class ValidationReport:
    """The outcome of checking a job: how many lines, and every invalid one."""

    lines: int = 0
    errors: list[LineError] = field(default_factory=list)

    @property
    def valid(self) -> int:
        return self.lines - len(self.errors)

    def to_json(self) -> dict[str, Any]:
        return {
            "lines": self.lines,
            "valid": self.valid,
            "errors": [error.to_json() for error in self.errors],
        }


@dataclass(frozen=True, slots=True)
class JobStatus:
    """Where a job is: each batch's status and counts, summed."""

    job_id: str
    batches: tuple[_remote.BatchInfo, ...]

    @property
    def total(self) -> int:
        return sum(batch.total for batch in self.batches)

    @property
    def completed(self) -> int:
        return sum(batch.completed for batch in self.batches)

    @property
    def failed(self) -> int:
        return sum(batch.failed for batch in self.batches)

    @property
    def finished(self) -> bool:
        return all(batch.finished for batch in self.batches)

    def to_json(self) -> dict[str, Any]:
        return {
            "job_id": self.job_id,
            "finished": self.finished,
            "request_counts": {"total": self.total, "completed": self.completed, "failed": self.failed},
            "batches": [
                {"id": b.id, "status": b.status, "total": b.total, "completed": b.completed,
                 "failed": b.failed, "errors": list(b.errors)}
                for b in self.batches
            ],
        }  # fmt: skip


@dataclass(slots=True)
class FetchReport:
    """What a fetch saved: requests that succeeded (their images written) and that failed."""

    succeeded: int = 0
    failed: int = 0
    files: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    pending: int = 0
    """Batches not finished yet, left for a later fetch."""

    def add(self, record: dict[str, Any]) -> None:
        if record["status"] == "succeeded":
            self.succeeded += 1
            self.files += len(record["files"])
        else:
            self.failed += 1
            self.errors.append({"custom_id": record["custom_id"], **record["error"]})

    def to_json(self) -> dict[str, Any]:
        return {
            "succeeded": self.succeeded,
            "failed": self.failed,
            "files": self.files,
            "pending_batches": self.pending,
            "errors": self.errors,
        }


def validate_job(
    source: str | Path, operation: Operation = "generate", defaults: Mapping[str, Any] | None = None
) -> ValidationReport:
    """Check every line of a job file as a single call would be checked; every invalid line reported."""
    report = ValidationReport()
    for item in checked_lines(source, operation, defaults):
        report.lines += 1
        if isinstance(item, LineError):
            report.errors.append(item)
    return report


class Job:
    """A job in its output directory. `Job.create` validates and prepares it (no network);
    `submit`/`status`/`wait`/`fetch`/`cancel` run it on the Batch API, `run_online` through the
    images endpoints now. Each has an async twin (`asubmit`, ...)."""

    def __init__(self, directory: JobDir, state: JobState) -> None:
        self.dir = directory
        self.state = state

    @property
    def id(self) -> str:
        return self.state.job_id

    @property
    def path(self) -> Path:
        return self.dir.path

    @classmethod
    def open(cls, out_dir: str | Path) -> Job:
        """The job prepared earlier in `out_dir` (by this process or another)."""
        directory = JobDir(out_dir)
        return cls(directory, directory.load())

    @classmethod
    def create(
        cls,
        source: str | Path,
        out_dir: str | Path,
        *,
        operation: Operation = "generate",
        defaults: Mapping[str, Any] | None = None,
        skip_invalid: bool = False,
        backend: str = "batch",
        max_lines: int = MAX_LINES,
        max_bytes: int = MAX_BYTES,
    ) -> Job:
        """Validate `source` and prepare its input files in `out_dir`; `JobInvalid` (nothing prepared)
        if a line is invalid, unless `skip_invalid`. A directory that already holds a job is reopened
        as it is, so running the same command again resumes instead of starting over."""
        directory = JobDir(out_dir)
        if directory.exists():
            job = cls.open(out_dir)
            if Path(job.state.source) != Path(source):
                message = f"{out_dir} holds the job of {job.state.source}, not {source}"
                raise WrapperError(message)
            return job
        report = validate_job(source, operation, defaults)
        if report.errors and not skip_invalid:
            raise JobInvalid(report.errors, report.lines)
        state = JobState.new(backend, Path(source), operation, dict(defaults or {}))
        state.lines, state.invalid = report.valid, len(report.errors)
        directory.state_dir.mkdir(parents=True, exist_ok=True)
        if backend == "batch":
            state.chunks = _write_chunks(directory, _valid(source, operation, defaults), max_lines, max_bytes)
        directory.save(state)
        return cls(directory, state)

    def lines(self) -> Iterator[JobLine]:
        """The valid lines of the job's source, again (read as a stream)."""
        operation: Any = self.state.operation
        return _valid(self.state.source, operation, self.state.defaults)

    # --- the Batch API ----------------------------------------------------------------------

    def submit(self, client: Client) -> list[_remote.BatchInfo]:
        """Upload each input file and create its batch, skipping what is already submitted."""
        submitted = []
        for chunk in self.state.chunks:
            if chunk.batch_id is None:
                self._submit_chunk(client, chunk)
            submitted.append(_remote.BatchInfo(str(chunk.batch_id), chunk.status or "validating"))
        return submitted

    def _submit_chunk(self, client: Client, chunk: Chunk) -> None:
        label = {"images_job": self.id, "images_chunk": str(chunk.index)}
        if chunk.input_file_id is not None:  # stopped after the upload: the batch may exist already
            found = _remote.find(client, label)
            if found is not None:
                self._record(chunk, batch_id=found.id, status=found.status)
                return
        else:
            self._record(chunk, input_file_id=_remote.upload(client, self.dir.chunk_path(chunk)))
        endpoint = ENDPOINTS[_endpoint_operation(self.dir.chunk_path(chunk))]
        batch = _remote.create(client, str(chunk.input_file_id), endpoint, label)
        self._record(chunk, batch_id=batch.id, status=batch.status)

    def _record(self, chunk: Chunk, **changes: Any) -> None:
        for name, value in changes.items():
            setattr(chunk, name, value)
        self.dir.save(self.state)

    def status(self, client: Client) -> JobStatus:
        """Each submitted batch as the API describes it now."""
        batches = []
        for chunk in self.state.chunks:
            if chunk.batch_id is None:
                continue
            info = _remote.retrieve(client, chunk.batch_id)
            if info.status != chunk.status:
                self._record(chunk, status=info.status)
            batches.append(info)
        return JobStatus(self.id, tuple(batches))

    def wait(
        self,
        client: Client,
        *,
        on_progress: Progress | None = None,
        interval: float = 2.0,
        max_interval: float = 60.0,
        timeout: float | None = None,
    ) -> JobStatus:
        """Poll until every batch has ended, the interval growing 1.5x from `interval` to `max_interval`
        (`TimeoutError` after `timeout` seconds); `on_progress` sees each status."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            status = self.status(client)
            if on_progress is not None:
                on_progress(status)
            if status.finished:
                return status
            if deadline is not None and time.monotonic() + interval > deadline:
                raise TimeoutError(
                    f"job {self.id} has not finished: {status.completed} of {status.total} done"
                )
            time.sleep(interval)
            interval = min(max_interval, interval * 1.5)

    def fetch(self, client: Client) -> FetchReport:
        """Save the results of every batch that has ended (images, then one manifest line each);
        a request already in the manifest is skipped, so fetching again is safe."""
        report = FetchReport()
        self.dir.repair()
        done = self.dir.finished()
        with httpx2.Client() as downloads:  # URL results: a plain client, without the API key
            for chunk in self.state.chunks:
                if chunk.fetched:
                    continue  # saved whole by an earlier fetch
                info = _remote.retrieve(client, chunk.batch_id) if chunk.batch_id else None
                if info is None or not info.finished:
                    report.pending += 1
                    continue
                for file_id in (info.output_file_id, info.error_file_id):
                    if file_id:
                        self._fetch_file(client, file_id, done, downloads, report)
                if info.status == "failed":
                    for message in info.errors or ("the batch failed",):
                        report.errors.append({"batch_id": info.id, "message": message})
                self._record(chunk, status=info.status, fetched=True)
        return report

    def _fetch_file(
        self, client: Client, file_id: str, done: set[bytes], downloads: httpx2.Client, report: FetchReport
    ) -> None:
        with _remote.lines(client, file_id) as lines:
            for text in lines:
                if not text.strip():
                    continue
                record = json.loads(text)
                key = digest(str(record.get("custom_id")))
                if key in done:
                    continue
                saved = _save.from_output_line(self.path, record, downloads)
                self.dir.append(saved)
                done.add(key)
                report.add(saved)

    def cancel(self, client: Client) -> list[_remote.BatchInfo]:
        """Cancel every submitted batch that has not ended; what was done stays fetchable."""
        self.state.cancelled = True
        self.dir.save(self.state)
        cancelled = []
        for chunk in self.state.chunks:
            if chunk.batch_id is not None and chunk.status not in (
                "completed",
                "failed",
                "expired",
                "cancelled",
            ):
                info = _remote.cancel(client, chunk.batch_id)
                self._record(chunk, status=info.status)
                cancelled.append(info)
        return cancelled

    def run(self, client: Client, **wait: Any) -> FetchReport:
        """Submit, wait and fetch: the whole job on the Batch API."""
        self.submit(client)
        self.wait(client, **wait)
        return self.fetch(client)

    # --- async twins: the same work in a worker thread, off the event loop -----------------

    async def asubmit(self, client: Client) -> list[_remote.BatchInfo]:
        return await anyio.to_thread.run_sync(self.submit, client)

    async def astatus(self, client: Client) -> JobStatus:
        return await anyio.to_thread.run_sync(self.status, client)

    async def afetch(self, client: Client) -> FetchReport:
        return await anyio.to_thread.run_sync(self.fetch, client)

    async def acancel(self, client: Client) -> list[_remote.BatchInfo]:
        return await anyio.to_thread.run_sync(self.cancel, client)

    # --- online -----------------------------------------------------------------------------

    async def arun_online(self, client: AsyncClient, **options: Any) -> FetchReport:
        """Run the job now through the images endpoints (see `wrapper.batch.run_online`)."""
        from ._online import run_online

        return await run_online(self, client, **options)

    def run_online(self, client: Client, **options: Any) -> FetchReport:
        """`arun_online` from synchronous code, with an `AsyncClient` configured like `client`."""
        from ._online import run_online

        async def main() -> FetchReport:
            async with AsyncClient(
                api_key=client.api_key,
                base_url=client.base_url,
                timeout=client.timeout,
                max_retries=client.max_retries,
                validate=client.validate,
            ) as aclient:
                return await run_online(self, aclient, **options)

        return anyio.run(main)


def _valid(source: str | Path, operation: Operation, defaults: Mapping[str, Any] | None) -> Iterator[JobLine]:
    return (item for item in checked_lines(source, operation, defaults) if isinstance(item, JobLine))


def _write_chunks(directory: JobDir, lines: Iterator[JobLine], max_lines: int, max_bytes: int) -> list[Chunk]:
    """Write the valid lines, in the Batch API's format, into input files of at most `max_lines`
    lines and `max_bytes` bytes, one per operation (a batch has one endpoint)."""
    chunks: list[Chunk] = []
    current: tuple[Chunk, Any, Operation] | None = None
    try:
        for line in lines:
            data = (json.dumps(line.batch_line(), separators=(",", ":")) + "\n").encode()
            if current is not None:
                chunk, handle, operation = current
                if (
                    chunk.lines >= max_lines
                    or chunk.bytes + len(data) > max_bytes
                    or operation != line.operation
                ):
                    handle.close()
                    current = None
            if current is None:
                chunk = Chunk(len(chunks), 0, 0)
                chunks.append(chunk)
                current = (chunk, directory.chunk_path(chunk).open("wb"), line.operation)
            chunk, handle, _ = current
            handle.write(data)
            chunk.lines += 1
            chunk.bytes += len(data)
    finally:
        if current is not None:
            current[1].close()
    return chunks


def _endpoint_operation(path: Path) -> Operation:
    """The operation of an input file, from its first line."""
    with path.open("rb") as handle:
        first = json.loads(handle.readline())
    from ._lines import OPERATION_OF

    return OPERATION_OF[first["url"]]
