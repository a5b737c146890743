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
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import anyio.to_thread
import httpx2

from .. import _telemetry
from .._capabilities import Operation
from .._client import AsyncClient, Client
from .._errors import WrapperError
from .._results import publish
from . import _remote, _save
from ._lines import ENDPOINTS, JobLine, LineError, checked_lines, stems
from ._prepare import ValidationReport, endpoint_operation, file_digest, prepare, stored_lines, write_chunks
from ._store import DISK_FULL, LOCK, Chunk, JobConflict, JobDir, JobState, JobStopped, digest

INVALID: Final = "invalid.jsonl"
"""The lines `skip_invalid` left out of a job, one JSON record each (line, custom_id, param, message)."""

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
    skipped: int = 0
    """Lines settled by an earlier run, not sent again."""
    missing: int = 0
    """Lines of the whole job without a saved image yet (failed, pending or not sent)."""

    def add(self, record: dict[str, Any]) -> None:
        if record["status"] == "succeeded":
            self.succeeded += 1
            self.files += len(record["files"])
        else:
            self.failed += 1
            self.errors.append({"custom_id": record["custom_id"], **record["error"]})
        _telemetry.job_line("succeeded" if record["status"] == "succeeded" else "failed")

    def to_json(self) -> dict[str, Any]:
        return {
            "succeeded": self.succeeded,
            "failed": self.failed,
            "files": self.files,
            "pending_batches": self.pending,
            "skipped": self.skipped,
            "missing": self.missing,
            "errors": self.errors,
        }


def validate_job(
    source: str | Path, operation: Operation = "generate", defaults: Mapping[str, Any] | None = None
) -> ValidationReport:
    """Check every line of a job file as a single call would be checked; every invalid line reported."""
    report = ValidationReport()
    for _ in report.keep_valid(checked_lines(source, operation, defaults)):
        pass
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
        backend: str | None = None,
        max_lines: int = MAX_LINES,
        max_bytes: int = MAX_BYTES,
    ) -> Job:
        """Validate `source` (once) and store its valid lines in `out_dir`; `JobInvalid` (nothing
        prepared) if a line is invalid, unless `skip_invalid`. A directory that already holds the job
        of this very file is reopened as it is, so running the same command again resumes; another
        file, a changed one, or another backend than the one that has started (`backend`: "batch",
        the default for a new job, or "online") is refused with `JobConflict`."""
        source = Path(source).resolve()
        directory = JobDir(out_dir)
        made = [path for path in (directory.path, directory.state_dir) if not path.exists()]
        with directory.locked():
            if directory.exists():
                job = cls(directory, directory.load())
                job._check_reopen(source, backend)
                return job
            state, report = prepare(
                directory, source, operation, defaults, backend or "batch", (max_lines, max_bytes)
            )
            if report.errors and not skip_invalid:
                for chunk in state.chunks:
                    directory.chunk_path(chunk).unlink()
                (directory.state_dir / LOCK).unlink()
                for path in reversed(made):
                    path.rmdir()
                raise JobInvalid(report.errors, report.lines)
            if report.errors:  # skipped, not lost: each invalid line and why, beside the manifest
                records = "".join(json.dumps(error.to_json()) + "\n" for error in report.errors)
                publish(directory.path / INVALID, records.encode())
            directory.save(state)
        return cls(directory, state)

    def _check_reopen(self, source: Path, backend: str | None) -> None:
        known = self.state.source
        if Path(known) != source:
            raise JobConflict(
                f"{self.path} holds the job of {known}, not {source}: give another output directory"
            )
        if self.state.source_digest and file_digest(source) != self.state.source_digest:
            raise JobConflict(
                f"{source} has changed since the job in {self.path} was made from it; the job runs "
                "the lines as they were validated: restore the file to carry on, or give another "
                "output directory to run the new one"
            )
        if backend is not None and backend != self.state.backend and self.state.started:
            raise JobConflict(self._backend_conflict(backend))

    def _backend_conflict(self, wanted: str) -> str:
        if self.state.backend == "online":
            how = f"carry on with `images batch run {self.state.source} -o {self.path} --online`"
            where = "online"
        else:
            how = f"carry on with `images batch fetch {self.path} --wait`"
            where = "to the Batch API"
        other = "online" if wanted == "online" else "on the Batch API"
        return (
            f"{self.path} holds a job already sent {where}; {how}, "
            f"or give another output directory to run it {other}"
        )

    @contextmanager
    def running(self, backend: str | None = None) -> Iterator[None]:
        """Hold the job's lock for the block (`JobBusy` if another process runs it), with its state
        read afresh; with `backend`, the job runs on it from now on (`JobConflict` if another backend
        has sent anything already)."""
        first = not self.dir.holding
        with self.dir.locked():
            if first:
                self.state = self.dir.load()
            if backend is not None and (backend != self.state.backend or not self.state.started):
                if backend != self.state.backend and self.state.started:
                    raise JobConflict(self._backend_conflict(backend))
                self.state.backend, self.state.started = backend, True
                self.dir.save(self.state)
            yield

    def lines(self) -> Iterator[JobLine]:
        """The job's valid lines, as validated (read as a stream from the job's directory)."""
        if not self.state.chunks and self.state.lines:  # a job prepared before lines were stored
            operation: Any = self.state.operation
            return _valid(self.state.source, operation, self.state.defaults)
        return stored_lines(self.dir, (chunk for chunk in self.state.chunks if not chunk.retry))

    def missing(self) -> int:
        """How many of the job's lines have no saved image yet."""
        return max(0, self.state.lines - len(self.dir.succeeded()))

    # --- the Batch API ----------------------------------------------------------------------

    def submit(self, client: Client) -> list[_remote.BatchInfo]:
        """Upload each input file and create its batch, skipping what is already submitted; once every
        batch is fetched, the lines that failed for a retryable reason go out again in a new batch."""
        with self.running("batch"):
            self._add_retry_chunk()
            submitted = []
            for chunk in self.state.chunks:
                if chunk.batch_id is None:
                    self._submit_chunk(client, chunk)
                submitted.append(_remote.BatchInfo(str(chunk.batch_id), chunk.status or "validating"))
            return submitted

    def _add_retry_chunk(self) -> None:
        if self.state.cancelled or not self.state.chunks or not all(c.fetched for c in self.state.chunks):
            return
        settled = self.dir.settled()
        again = (line for line in self.lines() if digest(line.custom_id) not in settled)
        chunks = write_chunks(self.dir, again, MAX_LINES, MAX_BYTES, first=len(self.state.chunks))
        for chunk in chunks:
            chunk.retry = True
        if chunks:
            self.state.chunks.extend(chunks)
            self.dir.save(self.state)

    def _submit_chunk(self, client: Client, chunk: Chunk) -> None:
        label = {"images_job": self.id, "images_chunk": str(chunk.index)}
        if chunk.input_file_id is not None:  # stopped after the upload: the batch may exist already
            found = _remote.find(client, label)
            if found is not None:
                self._record(chunk, batch_id=found.id, status=found.status)
                return
        else:
            self._record(chunk, input_file_id=_remote.upload(client, self.dir.chunk_path(chunk)))
        endpoint = ENDPOINTS[endpoint_operation(self.dir.chunk_path(chunk))]
        batch = _remote.create(client, str(chunk.input_file_id), endpoint, label)
        self._record(chunk, batch_id=batch.id, status=batch.status)

    def _record(self, chunk: Chunk, **changes: Any) -> None:
        for name, value in changes.items():
            setattr(chunk, name, value)
        if self.dir.holding:  # only the lock's holder writes the state: no update is lost
            self.dir.save(self.state)

    def status(self, client: Client) -> JobStatus:
        """Each submitted batch as the API describes it now (also while another process runs the job)."""
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

    @_telemetry.job_run("batch")
    def fetch(self, client: Client) -> FetchReport:
        """Save the results of every batch that has ended (images, then one manifest line each);
        a result already in the manifest is skipped, so fetching again is safe. Only the job's own
        lines are saved; a full disk stops the fetch (`JobStopped`) with nothing lost: the results
        stay in the batch's output file for the next fetch. A job that runs online has no batch:
        nothing is pending, and the report counts what is missing."""
        report = FetchReport()
        with self.running(), httpx2.Client() as downloads:  # URL results: a client without the key
            self.dir.repair()
            fetched = self.dir.fetched()
            for chunk in self.state.chunks:
                if chunk.fetched or self.state.backend == "online":
                    continue  # saved whole by an earlier fetch, or never sent to the Batch API
                info = _remote.retrieve(client, chunk.batch_id) if chunk.batch_id else None
                if info is None or not info.finished:
                    report.pending += 1
                    continue
                own = {digest(line.custom_id): stems(line) for line in stored_lines(self.dir, [chunk])}
                for file_id in (info.output_file_id, info.error_file_id):
                    if file_id:
                        self._fetch_file(client, file_id, _Fetch(info.id, own, fetched, downloads, report))
                if info.status == "failed":
                    for message in info.errors or ("the batch failed",):
                        report.errors.append({"batch_id": info.id, "message": message})
                self._record(chunk, status=info.status, fetched=True)
            report.missing = self.missing()
        return report

    def _fetch_file(self, client: Client, file_id: str, fetch: _Fetch) -> None:
        with _remote.lines(client, file_id) as lines:
            for text in lines:
                if text.strip():
                    self._fetch_line(text, fetch)

    def _fetch_line(self, text: str, fetch: _Fetch) -> None:
        try:
            record = json.loads(text)
            custom_id = record["custom_id"]
        except (ValueError, TypeError, KeyError):
            fetch.report.errors.append(
                {"batch_id": fetch.batch_id, "message": f"unreadable line: {text[:80]!r}"}
            )
            return
        if not isinstance(custom_id, str) or digest(custom_id) not in fetch.own:
            # Never a path of the server's choosing: only the batch's own lines name files.
            message = "not a line of this batch: not saved"
            fetch.report.errors.append(
                {"batch_id": fetch.batch_id, "custom_id": str(custom_id)[:80], "message": message}
            )
            return
        key = digest(f"{fetch.batch_id}\0{custom_id}")
        if key in fetch.done:
            return
        try:
            saved = self._saved(record, custom_id, fetch)
            self.dir.append(saved)
        except OSError as exc:
            raise JobStopped(
                f"the fetch stopped: {exc}; the results stay in batch {fetch.batch_id}'s output "
                f"file: free space and fetch again (images batch fetch {self.path})"
            ) from exc
        fetch.done.add(key)
        fetch.report.add(saved)

    def _saved(self, record: dict[str, Any], custom_id: str, fetch: _Fetch) -> dict[str, Any]:
        """The line's manifest record, its images saved; a line that cannot be saved for a reason of
        its own is that line's failure, while a full disk (raised) stops the fetch."""
        try:
            saved = _save.from_output_line(self.path, record, fetch.own[digest(custom_id)], fetch.downloads)
        except Exception as exc:  # anything but a full disk is this line's alone: the fetch goes on
            if isinstance(exc, OSError) and exc.errno in DISK_FULL:
                raise
            why = (
                str(exc)
                if isinstance(exc, OSError | WrapperError)
                else f"unexpected {type(exc).__name__}: {exc}"
            )
            message = f"the result could not be saved: {why}; it is in batch {fetch.batch_id}'s output file"
            saved = _save.failed(custom_id, {"status_code": None, "message": message})
        saved["batch_id"] = fetch.batch_id
        return saved

    def cancel(self, client: Client) -> list[_remote.BatchInfo]:
        """Cancel every submitted batch that has not ended; what was done stays fetchable."""
        with self.running():
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

    @_telemetry.job_run("batch")
    def run(self, client: Client, **wait: Any) -> FetchReport:
        """Submit, wait and fetch: the whole job on the Batch API, holding the job's lock throughout
        (with telemetry on, one span from the submission to the last result saved)."""
        with self.running("batch"):
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


@dataclass(slots=True)
class _Fetch:
    """What a fetch of one batch's files needs: the batch, its own lines, what is saved already."""

    batch_id: str
    own: dict[bytes, list[str]]
    """Each of the batch's lines (by custom_id digest): the stems its images are saved under."""
    done: set[bytes]
    downloads: httpx2.Client
    report: FetchReport
