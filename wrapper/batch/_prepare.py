"""Preparing a job: its source validated once, in one pass, and its valid lines stored in the job's
directory (`.images-job/input-NNN.jsonl`, the Batch API's input format) with the source's absolute
path and digest. Both backends run the stored lines, so a job runs what was validated, wherever it
is opened from, and a source changed since is noticed rather than run.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._capabilities import Operation
from ._lines import OPERATION_OF, JobLine, LineError, checked_lines
from ._store import Chunk, JobDir, JobState

_ENCODE = json.JSONEncoder(separators=(",", ":"), check_circular=False).encode
"""One encoder for every line (`json.dumps` with options builds one per call); a line parsed from JSON
has no cycles to look for."""


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

    def keep_valid(self, items: Iterable[JobLine | LineError]) -> Iterator[JobLine]:
        """The valid lines of `items`, counting every line and keeping every error on the way."""
        for item in items:
            self.lines += 1
            if isinstance(item, LineError):
                self.errors.append(item)
            else:
                yield item


def prepare(
    directory: JobDir,
    source: Path,
    operation: Operation,
    defaults: Mapping[str, Any] | None,
    backend: str,
    limits: tuple[int, int],
) -> tuple[JobState, ValidationReport]:
    """Validate `source` and store its valid lines in `directory`, in one pass; the new job's state
    (not yet saved) and the validation report."""
    report = ValidationReport()
    state = JobState.new(backend, source, operation, dict(defaults or {}))
    state.source_digest = file_digest(source)
    valid = report.keep_valid(checked_lines(source, operation, defaults))
    state.chunks = write_chunks(directory, valid, *limits)
    state.lines, state.invalid = report.valid, len(report.errors)
    return state, report


def file_digest(path: Path) -> str:
    with path.open("rb") as handle:
        return "sha256:" + hashlib.file_digest(handle, "sha256").hexdigest()


def write_chunks(
    directory: JobDir, lines: Iterator[JobLine], max_lines: int, max_bytes: int, first: int = 0
) -> list[Chunk]:
    """Write the lines, in the Batch API's format, into input files of at most `max_lines` lines and
    `max_bytes` bytes, one per operation (a batch has one endpoint), numbered from `first`."""
    chunks: list[Chunk] = []
    handle: Any = None
    count = size = 0
    operation = None
    try:
        for line in lines:
            data = (_ENCODE(line.batch_line()) + "\n").encode()
            if (
                handle is None
                or count >= max_lines
                or size + len(data) > max_bytes
                or operation != line.operation
            ):
                if handle is not None:
                    chunks[-1].lines, chunks[-1].bytes = count, size
                    handle.close()
                chunks.append(Chunk(first + len(chunks), 0, 0))
                handle = directory.chunk_path(chunks[-1]).open("wb")
                count, size, operation = 0, 0, line.operation
            handle.write(data)
            count += 1
            size += len(data)
    finally:
        if handle is not None:
            chunks[-1].lines, chunks[-1].bytes = count, size
            handle.close()
    return chunks


def stored_lines(directory: JobDir, chunks: Iterable[Chunk]) -> Iterator[JobLine]:
    """The lines stored in `chunks`' input files, in order."""
    number = 0
    for chunk in chunks:
        with directory.chunk_path(chunk).open("rb") as handle:
            for raw in handle:
                document = json.loads(raw)
                number += 1
                yield JobLine(number, document["custom_id"], OPERATION_OF[document["url"]], document["body"])


def endpoint_operation(path: Path) -> Operation:
    """The operation of an input file, from its first line."""
    with path.open("rb") as handle:
        first = json.loads(handle.readline())
    return OPERATION_OF[first["url"]]
