"""A job on disk: its state (`.images-job/job.json`) and its manifest (`manifest.jsonl`).

The output directory is the job's handle: a web request can submit a job and a worker fetch it
later, each opening the directory. The state file is replaced whole (written beside, then moved),
so it is never half-written; it records each step before the next one starts, which is what
lets a run resume without sending a line twice. The manifest gets one JSON line per finished
request (written in one `write` after the request's images are in place), so a run stopped at any
moment leaves whole lines, each naming files that exist; a torn last line is ignored on reading,
and cut off before the next append. A request sent again after a retryable failure gets a second
line: the last line of a custom_id is its outcome.

A process running the job holds `.images-job/lock` (`fcntl.flock`, exclusive, not waiting): a
second process is refused at once instead of sending the same lines again. flock, from the standard
library, rather than a lock-file package: the kernel drops the lock when its holder dies, even by
`kill -9`, so there is never a stale lock to clean up (where `fcntl` is missing, Windows, jobs are
not locked).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Final

from .._errors import WrapperError
from .._results import publish
from .._retry import should_retry

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

STATE_DIR: Final = ".images-job"
MANIFEST: Final = "manifest.jsonl"
LOCK: Final = "lock"


class JobConflict(WrapperError):
    """The job's directory cannot be used this way now: another process runs it, it holds another
    job or another backend's run, or its source changed. The message says how to proceed."""


class JobBusy(JobConflict):
    """Another process is running the job."""


class JobStopped(WrapperError):
    """A run stopped before its end because nothing more could be saved (a full or read-only disk);
    running the job again carries on."""


DISK_FULL: Final = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS})
"""Save errors that no later line could escape: the run stops instead of paying for more answers."""


@dataclass(slots=True)
class Chunk:
    """One input file of the job (at most 50,000 lines and 200 MB) and the batch that runs it."""

    index: int
    lines: int
    bytes: int
    input_file_id: str | None = None
    batch_id: str | None = None
    status: str | None = None
    fetched: bool = False
    retry: bool = False
    """Lines of earlier chunks sent again after a retryable failure."""

    @property
    def filename(self) -> str:
        return f"input-{self.index:03d}.jsonl"


@dataclass(slots=True)
class JobState:
    """What `job.json` holds."""

    job_id: str
    backend: str
    source: str
    operation: str = "generate"
    defaults: dict[str, Any] = field(default_factory=dict)
    lines: int = 0
    invalid: int = 0
    chunks: list[Chunk] = field(default_factory=list)
    cancelled: bool = False
    source_digest: str | None = None
    """The sha256 of the source as it was validated: a changed source is refused."""
    started: bool = False
    """True once a backend has sent anything: from then on the job keeps that backend."""

    @classmethod
    def new(cls, backend: str, source: Path, operation: str, defaults: dict[str, Any]) -> JobState:
        return cls("job_" + secrets.token_hex(8), backend, str(source), operation, defaults)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> JobState:
        chunks = [Chunk(**chunk) for chunk in data.pop("chunks", [])]
        return cls(**data, chunks=chunks)


class JobDir:
    """The output directory of a job: its images, manifest and state."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.state_dir = self.path / STATE_DIR
        self.manifest = self.path / MANIFEST
        self._held = 0

    @property
    def holding(self) -> bool:
        """True while this process holds the job's lock (through this object)."""
        return self._held > 0

    @property
    def state_file(self) -> Path:
        return self.state_dir / "job.json"

    def exists(self) -> bool:
        return self.state_file.exists()

    def load(self) -> JobState:
        try:
            return JobState.from_json(json.loads(self.state_file.read_text()))
        except FileNotFoundError:
            raise WrapperError(
                f"{self.path} holds no job (no {STATE_DIR}/job.json): submit one first"
            ) from None
        except (ValueError, TypeError) as exc:
            raise WrapperError(f"{self.state_file} is not a job state file: {exc}") from None

    def save(self, state: JobState) -> None:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        publish(self.state_file, json.dumps(state.to_json(), indent=1).encode())

    def chunk_path(self, chunk: Chunk) -> Path:
        return self.state_dir / chunk.filename

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the job's lock for the block (re-entrant); `JobBusy` at once if another process has it."""
        if self._held or fcntl is None:
            self._held += 1
            try:
                yield
            finally:
                self._held -= 1
            return
        self.state_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.state_dir / LOCK, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.read(fd, 32).decode(errors="replace").strip() or "?"
                raise JobBusy(
                    f"{self.path} is being run by another process (pid {holder}); wait for it to end "
                    "(or stop it), then run this again"
                ) from None
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
            self._held = 1
            try:
                yield
            finally:
                self._held = 0
        finally:
            os.close(fd)  # closing the descriptor releases the lock

    def append(self, record: dict[str, Any]) -> None:
        """Add one line to the manifest, in one write. A write cut short (a full disk) is taken back
        before the error is raised, so the next append starts a whole line."""
        line = (json.dumps(record, separators=(",", ":")) + "\n").encode()
        self.path.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.manifest, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o666)
        try:
            end = os.fstat(fd).st_size  # only the lock holder appends, so this is where the line goes
            try:
                written = os.write(fd, line)
                if written != len(line):
                    raise OSError(28, f"only {written} of {len(line)} bytes of a manifest line written")
            except OSError:
                os.ftruncate(fd, end)
                raise
        finally:
            os.close(fd)

    def repair(self) -> None:
        """Cut a torn last line (left by a crash mid-write) so the next line starts whole."""
        if not self.manifest.exists():
            return
        with self.manifest.open("rb+") as handle:
            size = handle.seek(0, os.SEEK_END)
            position = size
            while position > 0:
                step = min(64 * 1024, position)
                handle.seek(position - step)
                block = handle.read(step)
                newline = block.rfind(b"\n")
                if newline >= 0:
                    position = position - step + newline + 1
                    break
                position -= step
            if position != size:
                handle.truncate(position)

    def records(self) -> Iterator[dict[str, Any]]:
        """The manifest's whole lines (a torn last line, left by a crash, is skipped)."""
        if not self.manifest.exists():
            return
        with self.manifest.open("rb") as handle:
            for raw in handle:
                if not raw.endswith(b"\n"):
                    return
                try:
                    yield json.loads(raw)
                except ValueError:
                    continue

    def settled(self) -> set[bytes]:
        """Digests (8 bytes each) of the custom_ids whose last record needs no new request: succeeded,
        or refused for a reason that sending again would not change."""
        outcome: dict[bytes, bool] = {}
        for record in self.records():
            if "custom_id" in record:
                outcome[digest(record["custom_id"])] = not _retryable(record)
        return {key for key, final in outcome.items() if final}

    def succeeded(self) -> set[bytes]:
        """Digests of the custom_ids with a succeeded record."""
        return {digest(r["custom_id"]) for r in self.records() if r.get("status") == "succeeded"}

    def fetched(self) -> set[bytes]:
        """Digests of (batch id, custom_id) of the records a fetch has saved from a batch's output."""
        return {
            digest(f"{record['batch_id']}\0{record['custom_id']}")
            for record in self.records()
            if record.get("batch_id") and "custom_id" in record
        }


def _retryable(record: dict[str, Any]) -> bool:
    if record.get("status") == "succeeded":
        return False
    if "retryable" in record:
        return bool(record["retryable"])
    status = (record.get("error") or {}).get("status_code")  # a record written before `retryable`
    return should_retry(status if isinstance(status, int) else None)


def digest(custom_id: str) -> bytes:
    return hashlib.blake2b(custom_id.encode(), digest_size=8).digest()
