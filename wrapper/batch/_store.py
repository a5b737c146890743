"""A job on disk: its state (`.images-job/job.json`) and its manifest (`manifest.jsonl`).

The output directory is the job's handle: a web request can submit a job and a worker fetch it
later, each opening the directory. The state file is replaced whole (written beside, then moved),
so it is never half-written; it records each step before the next one starts, which is what
lets a run resume without sending a line twice. The manifest gets one JSON line per finished
request (written in one `write` after the request's images are in place), so a run stopped at any
moment leaves whole lines, each naming files that exist; a torn last line is ignored on reading.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Final

from .._errors import WrapperError
from .._results import publish

STATE_DIR: Final = ".images-job"
MANIFEST: Final = "manifest.jsonl"


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

    def append(self, record: dict[str, Any]) -> None:
        """Add one line to the manifest, in one write (a crash leaves whole lines or a torn last one)."""
        line = (json.dumps(record, separators=(",", ":")) + "\n").encode()
        self.path.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.manifest, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o666)
        try:
            os.write(fd, line)
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

    def finished(self) -> set[bytes]:
        """Digests of the custom_ids the manifest records as finished (8 bytes each)."""
        return {digest(record["custom_id"]) for record in self.records() if "custom_id" in record}


def digest(custom_id: str) -> bytes:
    return hashlib.blake2b(custom_id.encode(), digest_size=8).digest()
