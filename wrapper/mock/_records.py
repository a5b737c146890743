"""What the emulator received: one record per request, the newest few hundred kept."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class RecordedFile:
    """An uploaded file as received: its part name, filename, content type, size and sniffed format."""

    param: str
    filename: str | None
    content_type: str | None
    size: int
    format: str | None
    width: int | None
    height: int | None


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One request: operation, the parameters as parsed (typed), files, headers and the answer's status.

    `model` is the model the request ran on (resolved as the API does when none is named).
    """

    operation: str
    path: str
    params: Mapping[str, object]
    model: str | None
    status: int
    headers: Mapping[str, str]
    images: tuple[RecordedFile, ...] = ()
    mask: RecordedFile | None = None
    stream: bool = field(default=False)


class Recorder:
    """The recorded requests in arrival order; a sequence a test can index, iterate and clear."""

    def __init__(self, limit: int = 1000) -> None:
        self._items: deque[RecordedRequest] = deque(maxlen=limit)
        self._lock = threading.Lock()

    def add(self, record: RecordedRequest) -> None:
        with self._lock:
            self._items.append(record)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def snapshot(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._items)

    @property
    def last(self) -> RecordedRequest:
        """The newest record; IndexError when there is none."""
        with self._lock:
            return self._items[-1]

    def __getitem__(self, index: int) -> RecordedRequest:
        return self.snapshot()[index]

    def __iter__(self) -> Iterator[RecordedRequest]:
        return iter(self.snapshot())

    def __len__(self) -> int:
        return len(self._items)
