"""Images served by URL: unguessable ids, a time to live, and a cap on what is kept."""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

Clock = Callable[[], float]


class FakeClock:
    """A clock for tests: the real time plus an offset that `advance` moves forward."""

    def __init__(self, start: float | None = None) -> None:
        self._offset = 0.0 if start is None else start - time.time()

    def __call__(self) -> float:
        return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        self._offset += seconds


@dataclass(frozen=True, slots=True)
class StoredImage:
    data: bytes
    media_type: str
    expires_at: float


class ImageStore:
    """Image files by id until they expire; the oldest go first beyond `max_items` or `max_bytes`."""

    def __init__(self, ttl: float, clock: Clock, *, max_items: int = 256, max_bytes: int = 256 << 20) -> None:
        self.ttl = ttl
        self.clock = clock
        self.max_items = max_items
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, StoredImage] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def put(self, data: bytes, media_type: str) -> str:
        """Keep a file and return its new id (192 random bits)."""
        key = secrets.token_urlsafe(24)
        with self._lock:
            self._items[key] = StoredImage(data, media_type, self.clock() + self.ttl)
            self._bytes += len(data)
            while self._items and (len(self._items) > self.max_items or self._bytes > self.max_bytes):
                self._bytes -= len(self._items.popitem(last=False)[1].data)
        return key

    def get(self, key: str) -> StoredImage | None:
        """The file, or None when it never existed, was evicted or has expired."""
        with self._lock:
            item = self._items.get(key)
            if item is not None and item.expires_at <= self.clock():
                self._bytes -= len(self._items.pop(key).data)
                return None
            return item

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._items)
