"""A block-style YAML mapping whose entries are parsed when first read.

The official description is several MB of YAML, and PyYAML builds Python objects at ~1 MB/s even
with libyaml's parser; a comparison needs a dozen operations and the schemas they reach. So the
text is cut at its keys (top level, then `paths`, `components` and each components section) and a
piece is parsed only when read. A text that is not cut cleanly (flow style, anchors) is parsed
whole, as is a JSON document.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_LAZY_DEPTH = {(): 0, ("paths",): 2, ("components",): 2}
"""The blocks cut into pieces, with the indent of their keys; each components section too (4)."""


def load_text(text: str) -> Any:
    """The document of `text`: a lazy mapping when it is block-style YAML cut cleanly, else parsed whole."""
    if "&" in text and re.search(r"(^|\s)&\w", text):  # anchors may be used across pieces
        return yaml.load(text, Loader=_LOADER)
    pieces = _cut(text, 0)
    if pieces is None or "paths" not in pieces:
        return yaml.load(text, Loader=_LOADER)
    return LazyMapping(pieces, ())


def _cut(text: str, indent: int) -> dict[str, str] | None:
    """`text` (a block mapping whose keys are at `indent`) cut into key -> the text of its value,
    or None when a line at that indent is not a key."""
    key = re.compile(
        rf"^ {{{indent}}}(?![ #-])(?P<key>'[^']*'|\"[^\"]*\"|[^:\n]+):(?P<rest>.*)$", re.MULTILINE
    )
    lines = re.compile(rf"^ {{{indent}}}(?![ #\n-])", re.MULTILINE)  # "- " continues a key's list
    starts = [
        match.start()
        for match in lines.finditer(text)
        if match.start() < len(text) and not text.startswith("---", match.start())
    ]
    found = list(key.finditer(text))
    if [match.start() for match in found] != starts:
        return None
    pieces: dict[str, str] = {}
    for index, match in enumerate(found):
        end = found[index + 1].start() if index + 1 < len(found) else len(text)
        name = match["key"].strip()
        name = name[1:-1] if name[:1] in "'\"" else name
        pieces[name] = match["rest"] + "\n" + text[match.end() + 1 : end]
    return pieces


class LazyMapping(Mapping[str, Any]):
    """Keys known at once, each value parsed from its piece of text on first read."""

    def __init__(self, pieces: dict[str, str], path: tuple[str, ...]) -> None:
        self._pieces = pieces
        self._path = path
        self._values: dict[str, Any] = {}

    def text(self, key: str) -> str:
        """The raw text of `key`'s value: to pick pieces without parsing them."""
        return self._pieces[key]

    def __getitem__(self, key: str) -> Any:
        if key not in self._values:
            self._values[key] = self._parse(key, self._pieces[key])
        return self._values[key]

    def _parse(self, key: str, piece: str) -> Any:
        path = (*self._path, key)
        indent = _LAZY_DEPTH.get(path, 4 if path[:1] == ("components",) and len(path) == 2 else None)
        if indent is not None and not piece.split("\n", 1)[0].strip():
            pieces = _cut(piece.split("\n", 1)[1], indent)
            if pieces is not None:
                return LazyMapping(pieces, path)
        return _parsed(piece)

    def __iter__(self) -> Iterator[str]:
        return iter(self._pieces)

    def __len__(self) -> int:
        return len(self._pieces)


@cache
def _parsed(piece: str) -> Any:
    """One value's text (its first line is what followed the key) parsed."""
    return yaml.load("value:" + piece, Loader=_LOADER)["value"]


def plain(value: Any) -> Any:
    """`value` with every lazy mapping inside it parsed into a dict (for tests and JSON)."""
    if isinstance(value, Mapping):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value
