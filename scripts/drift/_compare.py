"""Our surface against an upstream's: each difference with its verdict, checked against the record.

Verdicts: **behind** (upstream has what we lack, or we are stricter: we would refuse what it takes),
**ahead** (we have what upstream lacks, or we are looser), **deviation** (a difference on record in
openapi.yaml's `x-deviations`, with its reason) and **conflict** (on record, but the record's
upstream or our value is no longer what is observed: the reason may not hold any more). A record
that no difference matches any more is **stale**.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from fnmatch import fnmatchcase
from typing import Any

from ._facts import FACTS, Facts, Surface, plain

UNREVIEWED = ("behind", "ahead", "conflict")
RULE = "rule"
"""The `change` of a record of a looser or dated rule of the table: on record for review, unchecked."""
_LOWER_BOUNDS = ("minimum", "min_length", "min_items")
_UPPER_BOUNDS = ("maximum", "max_length", "max_items")


@dataclass(frozen=True)
class Difference:
    against: str
    """Which upstream: `openapi` or `sdk`."""
    where: str
    what: str
    """`parameter added`, `enum value removed`, `maximum changed`, `model deprecated`, ..."""
    value: Any = None
    """The enum value or model concerned, for an enum or model difference."""
    upstream: Any = None
    ours: Any = None
    verdict: str = ""
    reason: str = ""

    def as_json(self) -> dict[str, Any]:
        shown = {k: plain(v) for k, v in self.__dict__.items()}
        return {k: v for k, v in shown.items() if v is not None and v != ""}

    def line(self) -> str:
        value = f" {self.value!r}" if self.value is not None else ""
        values = ""
        if self.upstream is not None or self.ours is not None:
            values = f" (upstream {_shown(self.upstream)}, ours {_shown(self.ours)})"
        reason = f": {self.reason}" if self.reason else ""
        return f"{self.verdict:<9} {self.against:<7} {self.where}: {self.what}{value}{values}{reason}"


def _shown(value: Any) -> str:
    return "none" if value is None else str(plain(value))


@dataclass(frozen=True)
class Record:
    """One entry of `x-deviations`: a difference we keep on purpose."""

    where: tuple[str, ...]
    """Places, or patterns of places (`createImageEdit.*`)."""
    change: str
    reason: str
    source: str = ""
    against: str = "both"
    values: tuple[Any, ...] | None = None
    """The enum values or models it covers (any, when not given)."""
    expected: Mapping[str, Any] = field(default_factory=dict)
    """`upstream` and `ours` as reviewed, when the record gives them."""

    @classmethod
    def from_entry(cls, entry: Mapping[str, Any]) -> Record:
        values, where = entry.get("values"), entry["where"]
        expected = {key: entry[key] for key in ("upstream", "ours") if key in entry}
        return cls(
            where=tuple(map(str, where)) if isinstance(where, list) else (str(where),),
            change=str(entry["change"]),
            reason=str(entry["reason"]),
            source=str(entry.get("source", "")),
            against=str(entry.get("against", "both")),
            values=tuple(values) if values is not None else None,
            expected=expected,
        )

    def covers(self, difference: Difference) -> bool:
        return (
            self.against in ("both", difference.against)
            and self.change == difference.what
            and any(fnmatchcase(difference.where, pattern) for pattern in self.where)
            and (self.values is None or difference.value in self.values)
        )

    def holds(self, difference: Difference) -> bool:
        """Whether the values the record was reviewed with are still the observed ones."""
        observed = {"upstream": plain(difference.upstream), "ours": plain(difference.ours)}
        return all(_same(observed[key], value) for key, value in self.expected.items())


def _same(observed: Any, recorded: Any) -> bool:
    if isinstance(observed, list) and isinstance(recorded, list):
        return sorted(map(str, observed)) == sorted(map(str, recorded))
    return bool(observed == recorded)


def differences(ours: Surface, upstream: Surface) -> list[Difference]:
    """Every difference between the two surfaces, with its default verdict (behind or ahead)."""
    found: list[Difference] = []
    roots = {_root(place) for place in upstream.places}
    models_stated = any(place.startswith("model ") for place in upstream.places)
    for where in sorted(set(ours.places) | set(upstream.places)):
        mine, theirs = ours.places.get(where), upstream.places.get(where)
        if mine is None and theirs is not None and _parent(where) not in _missing(ours, upstream, where):
            found.append(Difference(upstream.name, where, f"{_noun(where)} added", upstream=theirs.summary()))
        elif theirs is None and mine is not None:
            stated = models_stated if where.startswith("model ") else _root(where) in roots
            parent = _parent(where)
            if stated and (parent in ("", _root(where)) or parent in upstream.places):
                found.append(Difference(upstream.name, where, f"{_noun(where)} removed", ours=mine.summary()))
        elif mine is not None and theirs is not None:
            found += _changes(upstream, where, mine, theirs)
    return [replace(item, verdict=_default_verdict(item)) for item in found]


def _missing(ours: Surface, upstream: Surface, where: str) -> set[str]:
    """`where`'s parent when we lack it too (then only the parent is reported)."""
    parent = _parent(where)
    return {parent} if parent and parent not in ours.places and parent in upstream.places else set()


def _root(place: str) -> str:
    """The operation, answer, event or model a place belongs to."""
    if place.startswith("event("):
        return place[: place.index(")") + 1]
    return place if place.startswith("model ") else place.split(".", 1)[0]


def _parent(place: str) -> str:
    if place.endswith("[]"):
        return place[:-2]
    return "" if place == _root(place) else place.rpartition(".")[0]


def _noun(where: str) -> str:
    if where.startswith("model "):
        return "model"
    if where == _root(where):
        return "event" if where.startswith("event(") else "operation"
    return "field" if where[:1].isupper() or where.startswith("event(") else "parameter"


def _changes(upstream: Surface, where: str, mine: Facts, theirs: Facts) -> Iterator[Difference]:
    for fact in FACTS:
        if fact not in upstream.knows:
            continue
        ours_value, their_value = getattr(mine, fact), getattr(theirs, fact)
        if fact == "enum":
            yield from _enum_changes(upstream.name, where, ours_value, their_value)
        elif fact == "kind" and (ours_value is None or their_value is None):
            continue
        elif ours_value != their_value:
            yield Difference(upstream.name, where, f"{fact} changed", upstream=their_value, ours=ours_value)


def _enum_changes(against: str, where: str, ours: Any, theirs: Any) -> Iterator[Difference]:
    noun = "model" if where.endswith(".model") else "enum value"
    if ours is None or theirs is None:
        if ours != theirs:
            yield Difference(against, where, "enum changed", upstream=theirs, ours=ours)
        return
    for value in sorted(theirs - ours, key=str):
        yield Difference(against, where, f"{noun} added", value=value)
    for value in sorted(ours - theirs, key=str):
        yield Difference(against, where, f"{noun} removed", value=value)


def _default_verdict(item: Difference) -> str:
    if item.what.endswith(" added"):
        return "behind"
    if item.what.endswith(" removed"):
        return "ahead"
    return "behind" if _stricter(item.what.removesuffix(" changed"), item.ours, item.upstream) else "ahead"


def _stricter(fact: str, ours: Any, theirs: Any) -> bool:
    """Whether our value of `fact` refuses something the upstream's takes."""
    if fact in ("required", "deprecated"):
        return bool(theirs) if fact == "deprecated" else bool(ours) and not theirs
    if fact in ("nullable", "open_enum"):
        return bool(theirs) and not ours
    if fact in _LOWER_BOUNDS:
        return ours is not None and (theirs is None or ours > theirs)
    if fact in _UPPER_BOUNDS:
        return ours is not None and (theirs is None or ours < theirs)
    if fact == "pattern":
        return ours is not None
    return True  # a kind or an enum changed wholesale: assume the worst


def judged(found: Iterable[Difference], records: Iterable[Record]) -> tuple[list[Difference], list[Record]]:
    """The differences with the verdicts the record gives, and the records nothing matched."""
    records = list(records)
    used: set[int] = set()
    out: list[Difference] = []
    for item in found:
        index = next((i for i, record in enumerate(records) if record.covers(item)), None)
        if index is None:
            out.append(item)
            continue
        used.add(index)
        record = records[index]
        verdict = "deviation" if record.holds(item) else "conflict"
        reason = (
            record.reason if verdict == "deviation" else f"on record as {_expected(record)}: {record.reason}"
        )
        out.append(replace(item, verdict=verdict, reason=reason))
    return out, [record for i, record in enumerate(records) if i not in used]


def _expected(record: Record) -> str:
    return ", ".join(f"{key} {_shown(value)}" for key, value in record.expected.items())


def stale(unused: Iterable[Record], upstreams: Iterable[Surface]) -> list[Record]:
    """The unused records that one of the upstreams compared could have matched (a place of theirs
    fits, and they state the fact): stale, to be removed. A `rule` record is never stale."""
    upstreams = list(upstreams)
    return [
        record
        for record in unused
        if record.change != RULE and any(_checkable(record, upstream) for upstream in upstreams)
    ]


def _checkable(record: Record, upstream: Surface) -> bool:
    fact = record.change.removesuffix(" changed")
    if record.against not in ("both", upstream.name) or (fact in FACTS and fact not in upstream.knows):
        return False
    return any(fnmatchcase(place, pattern) for place in upstream.places for pattern in record.where)
