"""The batches of one emulator: each batch's public fields, its lines and where its results go.

State only: `_batches.py` serves the routes and runs the lines.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from ._filestore import StoredFile

WINDOW = "24h"
WINDOW_SECONDS = 24 * 3600


@dataclass(slots=True)
class BatchLine:
    """One request of a batch's input file: its id and its body."""

    custom_id: str
    body: dict[str, object]


@dataclass(slots=True)
class BatchState:
    """One batch: its public fields (`describe()`), its lines and where its results go."""

    id: str
    endpoint: str
    input_file_id: str
    created_at: int
    metadata: dict[str, str] | None
    outcome: str | None = None
    status: str = "validating"
    times: dict[str, int] = field(default_factory=dict)
    lines: list[BatchLine] = field(default_factory=list)
    done: int = 0
    """Lines claimed by a runner."""
    written: int = 0
    """Lines whose answer is in the output or error file."""
    completed: int = 0
    failed: int = 0
    errors: list[dict[str, object]] = field(default_factory=list)
    output: StoredFile | None = None
    error: StoredFile | None = None
    output_file_id: str | None = None
    error_file_id: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def describe(self) -> dict[str, object]:
        body: dict[str, object] = {
            "id": self.id,
            "object": "batch",
            "endpoint": self.endpoint,
            "input_file_id": self.input_file_id,
            "completion_window": WINDOW,
            "status": self.status,
            "output_file_id": self.output_file_id,
            "error_file_id": self.error_file_id,
            "errors": {"object": "list", "data": self.errors} if self.errors else None,
            "created_at": self.created_at,
            "expires_at": self.created_at + WINDOW_SECONDS,
            "request_counts": {"total": len(self.lines), "completed": self.completed, "failed": self.failed},
            "metadata": self.metadata,
        }
        for name in (
            "in_progress",
            "finalizing",
            "completed",
            "failed",
            "expired",
            "cancelling",
            "cancelled",
        ):
            body[f"{name}_at"] = self.times.get(name)
        return body


class BatchStore:
    """The batches of one app, oldest first. Thread-safe."""

    def __init__(self) -> None:
        self._batches: dict[str, BatchState] = {}
        self._lock = threading.Lock()

    def add(self, batch: BatchState) -> None:
        with self._lock:
            self._batches[batch.id] = batch

    def get(self, batch_id: str) -> BatchState | None:
        with self._lock:
            return self._batches.get(batch_id)

    def newest_first(self) -> list[BatchState]:
        with self._lock:
            return list(reversed(self._batches.values()))

    def __del__(self) -> None:
        self.clear()  # result files not yet published are this store's to close

    def clear(self) -> None:
        with self._lock:
            batches, self._batches = list(self._batches.values()), {}
        for batch in batches:  # result files not yet published are closed here, published ones by FileStore
            for stored in (batch.output, batch.error):
                if stored is not None:
                    stored.data.close()
