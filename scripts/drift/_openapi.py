"""An OpenAPI description (ours, or the official one: an extract or the whole multi-MB file) as a `Surface`.

Both styles of nullable are read: OpenAPI 3.0's `nullable: true` (the official file) and 3.1's
`anyOf: [..., {type: 'null'}]` (ours). Only the operations asked for are walked, and a `$ref` is
resolved when it is reached, so the size of the rest of a file costs only its parsing (libyaml's C
loader when PyYAML has it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ._facts import Facts
from ._lazy_yaml import LazyMapping, load_text

Schema = Mapping[str, Any]
Keep = Callable[[str, str], bool]
METHODS = ("get", "put", "post", "delete", "patch")
_OPERATION_ID = re.compile(r"operationId:\s*['\"]?([\w.-]+)")
_CONSTRAINT_ONLY = frozenset({"required", "not", "description", "title"})
"""Keys of an `anyOf`/`oneOf` member that only constrains its siblings (one of two keys required)."""


def load(path: Path) -> Mapping[str, Any]:
    """Parse a description, JSON or YAML; raise OSError or ValueError when it cannot be read."""
    text = path.read_text(encoding="utf-8")
    try:
        document = json.loads(text) if text.lstrip().startswith("{") else load_text(text)
    except yaml.YAMLError as exc:
        raise ValueError(f"not YAML: {exc}") from exc
    if not isinstance(document, Mapping) or not isinstance(document.get("paths"), Mapping):
        raise ValueError("not an OpenAPI description (no paths)")
    return document


@dataclass(frozen=True)
class Operation:
    """One operation of a description, with the document its `$ref`s point into."""

    document: Mapping[str, Any]
    path: str
    method: str
    body: Schema

    @property
    def operation_id(self) -> str:
        return str(self.body.get("operationId") or f"{self.method.upper()} {self.path}")


def operations(documents: Iterable[Mapping[str, Any]], keep: Keep | None = None) -> dict[str, Operation]:
    """Every operation of the documents by operationId (the first document that has it wins); of a
    lazily parsed document only the paths that `keep(path, text)` keeps are parsed."""
    found: dict[str, Operation] = {}
    for document in documents:
        paths = document["paths"]
        for path in paths:
            if keep is not None and isinstance(paths, LazyMapping) and not keep(path, paths.text(path)):
                continue
            item = paths[path]
            for method in METHODS:
                if isinstance(item, Mapping) and isinstance(item.get(method), Mapping):
                    operation = Operation(document, path, method, item[method])
                    found.setdefault(operation.operation_id, operation)
    return found


class Walker:
    """Flattens the schemas of one document into `where -> Facts`."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document

    def resolve(self, schema: Any) -> Schema:
        seen = 0
        while isinstance(schema, Mapping) and "$ref" in schema:
            node: Any = self.document
            for part in str(schema["$ref"]).lstrip("#/").split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
            schema, seen = node, seen + 1
            if seen > 50:
                raise ValueError(f"a $ref cycle at {schema!r:.80}")
        return schema if isinstance(schema, Mapping) else {}

    def flat(self, schema: Any) -> dict[str, Any]:
        """One schema without `$ref`, `allOf` or null members: its keys, with `nullable` set when
        null is allowed and the members of a union of strings or uploads folded into one."""
        node = dict(self.resolve(schema))
        for part in node.pop("allOf", ()):
            node = {**self.flat(part), **node}
        nullable = node.get("nullable") is True or "null" in _types(node)
        if isinstance(node.get("type"), list):
            kinds = [kind for kind in node["type"] if kind != "null"]
            node["type"] = kinds[0] if len(kinds) == 1 else kinds
        if isinstance(node.get("enum"), list) and None in node["enum"]:
            node["enum"], nullable = [value for value in node["enum"] if value is not None], True
        for key in ("anyOf", "oneOf"):
            if key in node:
                members = [self.flat(member) for member in node.pop(key)]
                members = [m for m in members if not set(m) - {"nullable"} <= _CONSTRAINT_ONLY]
                nullable = nullable or any(m.get("type") == "null" or m.get("nullable") for m in members)
                node = _fold(node, [m for m in members if m.get("type") != "null"])
                nullable = nullable or node.pop("nullable", False) is True
        node["nullable"] = nullable
        return node

    def places(self, prefix: str, schema: Any, *, required: bool = False) -> Iterator[tuple[str, Facts]]:
        """The facts of `schema` at `prefix`, then those of its properties and items below it."""
        node = self.flat(schema)
        yield prefix, facts_of(node, required)
        yield from self.children(prefix, node)

    def children(self, prefix: str, node: Mapping[str, Any]) -> Iterator[tuple[str, Facts]]:
        if node.get("type") == "array" and "items" in node and not _is_upload(self.flat(node["items"])):
            yield from self.places(f"{prefix}[]", node["items"])
            return
        needed = set(node.get("required", ()))
        for name, child in (node.get("properties") or {}).items():
            yield from self.places(f"{prefix}.{name}", child, required=name in needed)


def _types(node: Mapping[str, Any]) -> list[Any]:
    kind = node.get("type")
    return kind if isinstance(kind, list) else [kind]


def _fold(node: dict[str, Any], members: list[dict[str, Any]]) -> dict[str, Any]:
    """`node` with its union `members` (nulls taken out) folded in: one member is merged; strings
    with and without an enum make an open enum; an upload or a list of them make `files`."""
    if not members:
        return node
    if len(members) == 1:
        return {**members[0], **{k: v for k, v in node.items() if k not in ("type",)}}
    if all(_is_upload(m) or (m.get("type") == "array" and _is_upload(m.get("items", {}))) for m in members):
        array = next((m for m in members if m.get("type") == "array"), {})
        return {**node, "type": "array", "items": {"type": "string", "format": "binary"}, **_bounds(array)}
    if all(m.get("type") == "string" for m in members):
        enums = [value for m in members for value in m.get("enum") or ([m["const"]] if "const" in m else [])]
        open_ = any("enum" not in m and "const" not in m for m in members)
        pattern = next((m["pattern"] for m in members if "pattern" in m), None)
        folded = {**node, "type": "string", "enum": enums, "x-open-enum": open_}
        return {**folded, "pattern": pattern} if pattern else folded
    return {**node, "x-union": members}


def _bounds(array: Mapping[str, Any]) -> dict[str, Any]:
    return {key: array[key] for key in ("minItems", "maxItems") if key in array}


def _is_upload(node: Mapping[str, Any]) -> bool:
    return node.get("type") == "string" and node.get("format") == "binary"


def facts_of(node: Mapping[str, Any], required: bool) -> Facts:
    """The `Facts` of one flattened schema."""
    kind = node.get("type")
    if _is_upload(node):
        kind = "file"
    elif kind == "array" and _is_upload(node.get("items") or {}):
        kind = "files"
    enum = node.get("enum")
    if enum is None and "const" in node:
        enum = [node["const"]]
    return Facts(
        kind=kind if isinstance(kind, str) else None,
        enum=frozenset(enum) if enum is not None else None,
        open_enum=bool(node.get("x-open-enum")),
        required=required,
        nullable=bool(node.get("nullable")),
        minimum=node.get("minimum"),
        maximum=node.get("maximum"),
        min_length=node.get("minLength") if kind not in ("file", "files") else None,
        max_length=node.get("maxLength"),
        min_items=node.get("minItems", 1 if kind == "files" else None),
        max_items=node.get("maxItems"),
        pattern=node.get("pattern"),
        deprecated=node.get("deprecated") is True,
    )


def operation_places(operation: Operation) -> Iterator[tuple[str, Facts]]:
    """The operation itself, its parameters (path, query, each request body) and its 200 answer."""
    walker, body, name = Walker(operation.document), operation.body, operation.operation_id
    yield name, Facts(kind="operation", deprecated=body.get("deprecated") is True)
    for parameter in body.get("parameters", ()):
        parameter = walker.resolve(parameter)
        if parameter.get("in") in ("path", "query"):
            place = f"{name}.{parameter['name']}"
            yield from walker.places(
                place, parameter.get("schema", {}), required=bool(parameter.get("required"))
            )
    content = walker.resolve(body.get("requestBody", {})).get("content") or {}
    for index, (media, entry) in enumerate(content.items()):
        prefix = name if index == 0 else f"{name}+{_short(media)}"
        yield from walker.children(prefix, walker.flat(entry.get("schema", {})))
    yield from answer_places(walker, name, body)


def _short(media: str) -> str:
    return media.split("/")[-1].split("-")[0]


def answer_places(walker: Walker, name: str, body: Schema) -> Iterator[tuple[str, Facts]]:
    """The fields of the 200 JSON answer (under its schema's name) and of each streamed event."""
    answer = walker.resolve((body.get("responses") or {}).get("200", {}))
    for media, entry in (answer.get("content") or {}).items():
        schema = entry.get("schema", {})
        if media == "application/json":
            ref = schema.get("$ref") if isinstance(schema, Mapping) else None
            root = str(ref).rsplit("/", 1)[-1] if ref else f"{name}.answer"
            yield from walker.children(root, walker.flat(schema))
        elif media == "text/event-stream":
            for kind, event in events(walker, schema):
                yield f"event({kind})", Facts(kind="event")
                yield from walker.children(f"event({kind})", event)


def events(walker: Walker, schema: Any, depth: int = 0) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each event a stream may carry, by its `type`: through frames (`data.contentSchema`) and unions;
    an object without a one-valued `type` (an error) is none."""
    node = walker.flat(schema)
    if depth > 8:
        return
    data = (node.get("properties") or {}).get("data")
    inner = node.get("contentSchema") or (walker.resolve(data).get("contentSchema") if data else None)
    if inner is not None:
        yield from events(walker, inner, depth + 1)
        return
    for member in node.get("x-union", ()):
        yield from events(walker, member, depth + 1)
    kind = walker.flat((node.get("properties") or {}).get("type", {}))
    values = kind.get("enum") or ([kind["const"]] if "const" in kind else [])
    if len(values) == 1 and "x-union" not in node:
        yield (
            str(values[0]),
            {**node, "properties": {k: v for k, v in node["properties"].items() if k != "type"}},
        )


def surface_places(
    documents: Iterable[Mapping[str, Any]], wanted: Iterable[str], also: str = "/images"
) -> dict[str, Facts]:
    """The places of the operations `wanted` (by operationId), and of any other operation under
    `also` (a new image operation upstream): what a comparison with our spec needs."""
    wanted = set(wanted)

    def keep(path: str, text: str) -> bool:
        return path.startswith(also) or bool(wanted & set(_OPERATION_ID.findall(text)))

    found = operations(documents, keep)
    names = wanted | {name for name, op in found.items() if op.path.startswith(also)}
    places: dict[str, Facts] = {}
    for name in sorted(names & set(found)):
        for place, facts in operation_places(found[name]):
            places.setdefault(place, facts)
    return places
