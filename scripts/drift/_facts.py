"""What a surface states of each place of the API, in one shape whatever it was read from.

A `Surface` maps a place (`where`) to its `Facts`:

- `createImage.quality`: a request parameter of an operation (its first body); `createImageEdit+json.images`
  one of another body of the operation; `svg.reasoning.effort`-style dots for object properties and `[]`
  for array items (`createImageEdit+json.images[].file_id`);
- `ImagesResponse.usage.input_tokens`: a field of a 200 JSON answer, under its schema's name;
- `event(image_generation.completed).size`: a field of a streamed event, under its `type`;
- `createImage`: the operation itself (deprecated or not).

`knows` says which facts the source can state: an OpenAPI description states bounds, the SDK's types
do not, so a bound is compared only between descriptions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FACTS = (
    "kind",
    "enum",
    "open_enum",
    "required",
    "nullable",
    "minimum",
    "maximum",
    "min_length",
    "max_length",
    "min_items",
    "max_items",
    "pattern",
    "deprecated",
)
SDK_FACTS = frozenset({"kind", "enum", "open_enum", "required", "nullable", "deprecated"})


@dataclass(frozen=True)
class Facts:
    """What a source states of one place; None is "says nothing"."""

    kind: str | None = None
    """string, integer, number, boolean, object, array, file (one upload), files (one or more), operation."""
    enum: frozenset[Any] | None = None
    open_enum: bool = False
    """The enum lists known values of a field that takes other strings too (a model name, a size)."""
    required: bool = False
    nullable: bool = False
    minimum: float | None = None
    maximum: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    min_items: int | None = None
    max_items: int | None = None
    pattern: str | None = None
    deprecated: bool = False

    def summary(self) -> str:
        """The facts in a few words, for a place one side lacks: `string enum (3 values), nullable`."""
        words = [self.kind or "any"]
        if self.enum is not None:
            words.append(f"{'open ' if self.open_enum else ''}enum ({len(self.enum)} values)")
        words += [name for name in ("required", "nullable", "deprecated") if getattr(self, name)]
        return ", ".join(words)


@dataclass
class Surface:
    """Every place a source states, with the facts it can state, and what it names itself."""

    name: str
    """The upstream's name in verdicts and records: `openapi` or `sdk` (`ours` for openapi.yaml)."""
    places: dict[str, Facts] = field(default_factory=dict)
    knows: frozenset[str] = frozenset(FACTS)
    version: str = ""
    """The source's version line: the description's sha256, the package's version."""


def plain(value: Any) -> Any:
    """A fact's value as JSON writes it: an enum as a sorted list."""
    if isinstance(value, frozenset):
        return sorted(value, key=str)
    return value
