"""What the emulator received: one record per request, the newest kept within a count and a memory budget.

A record is a bounded summary, never the request itself: a 1 MB JSON body of nested lists parses
into ~20 MB of objects, and a thousand such records would exhaust the machine. Values are
truncated, containers beyond a few dozen items summarised, files kept as metadata only.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice

MAX_RECORDED_BYTES = 32 * 1024 * 1024
"""The default memory budget of the whole record store (an estimate from each record's size)."""
MAX_ITEMS = 64
"""Parameters, headers and container items kept per record; the rest are counted."""
MAX_CHARS = 256
"""Characters kept of a text value (the rest are counted)."""
_NODES = 64
"""How many values a nested container may hold in all to be kept as it is rather than summarised."""


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
    markup: RecordedFile | None = None


def bounded(value: object) -> object:
    """`value` as a record keeps it: scalars as they are, text truncated, small containers copied
    (bounded), large ones summarised as text such as `<list of 330000 items: not recorded>`."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return text(value)
    if isinstance(value, list | dict) and _nodes(value, _NODES) <= _NODES:
        if isinstance(value, dict):
            return {text(str(key)): bounded(item) for key, item in value.items()}
        return [bounded(item) for item in value]
    if isinstance(value, list | dict):
        return f"<{type(value).__name__} of {len(value)} items: not recorded>"
    return text(repr(value))


def bounded_mapping(values: Mapping[str, object], *, note: str = "parameters") -> dict[str, object]:
    """The first `MAX_ITEMS` entries of `values`, bounded, and a note of how many more there were."""
    kept = {text(key): bounded(value) for key, value in islice(values.items(), MAX_ITEMS)}
    if len(values) > MAX_ITEMS:
        kept["..."] = f"{len(values) - MAX_ITEMS} more {note} not recorded"
    return kept


def text(value: str) -> str:
    if len(value) <= MAX_CHARS:
        return value
    return f"{value[:MAX_CHARS]}... ({len(value)} characters)"


def _nodes(value: object, budget: int) -> int:
    """How many values `value` holds, counting no further than past `budget` (so it costs little)."""
    count, stack = 0, [value]
    while stack:
        item = stack.pop()
        count += 1
        if count > budget:
            break
        if isinstance(item, dict):
            stack.extend(islice(item.values(), budget + 1))
        elif isinstance(item, list):
            stack.extend(islice(item, budget + 1))
    return count


def _size(record: RecordedRequest) -> int:
    """An estimate of a record's memory: its text plus a fixed cost per value."""
    return 512 + len(repr(record.params)) + len(repr(record.headers)) + 256 * (len(record.images) + 1)


class Recorder:
    """The recorded requests in arrival order; a sequence a test can index, iterate and clear.

    At most `limit` records are kept, and at most about `max_bytes` of them: the oldest go first.
    """

    def __init__(self, limit: int = 1000, max_bytes: int = MAX_RECORDED_BYTES) -> None:
        self._items: deque[tuple[RecordedRequest, int]] = deque()
        self._limit = limit
        self._max_bytes = max_bytes
        self._bytes = 0
        self._lock = threading.Lock()

    def add(self, record: RecordedRequest) -> None:
        size = _size(record)
        with self._lock:
            self._items.append((record, size))
            self._bytes += size
            while len(self._items) > 1 and (len(self._items) > self._limit or self._bytes > self._max_bytes):
                self._bytes -= self._items.popleft()[1]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0

    def snapshot(self) -> list[RecordedRequest]:
        with self._lock:
            return [record for record, _ in self._items]

    @property
    def last(self) -> RecordedRequest:
        """The newest record; IndexError when there is none."""
        with self._lock:
            return self._items[-1][0]

    def __getitem__(self, index: int) -> RecordedRequest:
        return self.snapshot()[index]

    def __iter__(self) -> Iterator[RecordedRequest]:
        return iter(self.snapshot())

    def __len__(self) -> int:
        return len(self._items)
