"""The files of one emulator (Batch API inputs and outputs, images edits name by `file_id`).

Files are spooled (1 MB in memory, the rest in a temporary file), so a 200 MB batch input costs
the emulator disk, not memory. State only: `_files.py` serves the `/files` routes.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from tempfile import SpooledTemporaryFile
from typing import IO

from .._capabilities import MB

MAX_FILE_BYTES = 512 * MB
MAX_BATCH_FILE_BYTES = 200 * MB
PURPOSES = ("assistants", "batch", "fine-tune", "vision", "user_data", "evals")
CHUNK = 64 * 1024
_SPOOL = 1 * MB


@dataclass(slots=True)
class StoredFile:
    """One file: what `GET /files/{id}` describes, and its bytes."""

    id: str
    filename: str
    purpose: str
    created_at: int
    data: IO[bytes] = field(repr=False)
    size: int = 0

    def describe(self) -> dict[str, object]:
        return {
            "id": self.id,
            "object": "file",
            "bytes": self.size,
            "created_at": self.created_at,
            "expires_at": None,
            "filename": self.filename,
            "purpose": self.purpose,
            "status": "processed",
        }

    def lines(self, limit: int) -> Iterator[bytes]:
        """The file's lines, each read up to `limit` bytes (a longer one arrives cut, without its newline)."""
        self.data.seek(0)
        while line := self.data.readline(limit):
            yield line


class FileStore:
    """The files of one app, by id. Thread-safe."""

    def __init__(self) -> None:
        self._files: dict[str, StoredFile] = {}
        self._lock = threading.Lock()

    def new(self, filename: str, purpose: str, created_at: int) -> StoredFile:
        """An empty file, not yet listed: `add` it once written."""
        data: IO[bytes] = SpooledTemporaryFile(max_size=_SPOOL)  # noqa: SIM115 - kept open in the store
        return StoredFile("file-" + secrets.token_hex(12), filename, purpose, created_at, data)

    def add(self, stored: StoredFile) -> StoredFile:
        with self._lock:
            self._files[stored.id] = stored
        return stored

    def get(self, file_id: str) -> StoredFile | None:
        with self._lock:
            return self._files.get(file_id)

    def pop(self, file_id: str) -> StoredFile | None:
        with self._lock:
            return self._files.pop(file_id, None)

    def clear(self) -> None:
        with self._lock:
            files, self._files = list(self._files.values()), {}
        for stored in files:
            stored.data.close()

    def __len__(self) -> int:
        return len(self._files)

    def __del__(self) -> None:
        # The store owns its temporary files: an app dropped without a reset (a test's app, the
        # CLI's in-process emulator) must not leave them to the garbage collector's warnings.
        for stored in self._files.values():
            stored.data.close()
