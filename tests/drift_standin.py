"""Stand-ins for the two upstreams of `make drift` (tests/test_api_drift.py), written from our own spec.

- `official_style(document)`: openapi.yaml as the official description writes it: OpenAPI 3.0,
  nullable values as `nullable: true` rather than a union with `type: 'null'`.
- `write_openai(root, places)`: an `openai` package (under `root`) whose image types state the given
  places as the official SDK does: `TypedDict`s with `Required`/`Optional`/`Literal`, pydantic models
  for answers and events, the `ImageModel` literal, and `Images` methods whose docstrings list the
  deprecated models (and `create_variation` marked deprecated).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from pathlib import Path
from typing import Any

NULL = {"type": "null"}
PARAMS = {
    "createImage": ("image_generate_params", "ImageGenerateParamsNonStreaming"),
    "createImageEdit": ("image_edit_params", "ImageEditParamsNonStreaming"),
    "createImageVariation": ("image_create_variation_params", "ImageCreateVariationParams"),
}
METHODS = {"createImage": "generate", "createImageEdit": "edit", "createImageVariation": "create_variation"}


def official_style(document: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of `document` in OpenAPI 3.0's style of nullable values."""
    converted = _nullable(copy.deepcopy(dict(document)))
    converted["openapi"] = "3.0.3"
    return converted


def _nullable(node: Any) -> Any:
    if isinstance(node, list):
        return [_nullable(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _nullable(value) for key, value in node.items()}
    members = node.get("anyOf")
    if isinstance(members, list) and NULL in members:
        rest = [member for member in members if member != NULL]
        del node["anyOf"]
        if len(rest) == 1 and "$ref" not in rest[0]:
            node.update(rest[0])
        else:
            node["allOf" if len(rest) == 1 else "anyOf"] = rest
        node["nullable"] = True
    return node


class _Writer:
    """Python source for the places, one class per object."""

    def __init__(self, places: Mapping[str, Any]) -> None:
        self.places = places
        self.classes: list[str] = []
        self.count = 0

    def children(self, place: str) -> list[str]:
        prefix = place + "."
        return [
            p
            for p in self.places
            if p.startswith(prefix) and not p.endswith("[]") and "." not in p[len(prefix) :].replace("[]", "")
        ]

    def define(self, place: str, base: str, skip: tuple[str, ...] = ()) -> str:
        self.count += 1
        name = f"C{self.count}"
        lines = [f"class {name}({base}):"]
        if base == "BaseModel" and skip:
            lines.append(f"    type: Literal[{place.split('(')[1].rstrip(')')!r}]")
        for child in self.children(place):
            field = child.rsplit(".", 1)[1]
            if field not in skip:
                lines.append(f"    {field}: {self.field(child, answer=base == 'BaseModel')}")
        # nested classes were appended while the fields were written: each comes before its user
        self.classes.append("\n".join(lines if len(lines) > 1 else [*lines, "    pass"]))
        return name

    def field(self, place: str, *, answer: bool) -> str:
        facts = self.places[place]
        kind = self.annotation(place, answer=answer)
        if answer:
            optional = facts.nullable or not facts.required
            return f"Optional[{kind}]" + ("" if facts.required else " = None") if optional else kind
        kind = f"Optional[{kind}]" if facts.nullable else kind
        return f"Required[{kind}]" if facts.required else kind

    def annotation(self, place: str, *, answer: bool) -> str:
        facts = self.places[place]
        if facts.enum is not None:
            literal = f"Literal[{', '.join(repr(value) for value in sorted(facts.enum))}]"
            return f"Union[str, {literal}]" if facts.open_enum else literal
        if facts.kind == "object":
            children = self.children(place)
            return (
                self.define(place, "BaseModel" if answer else "TypedDict")
                if children
                else "Dict[str, object]"
            )
        if facts.kind == "array":
            item = f"{place}[]"
            return f"List[{self.annotation(item, answer=answer) if item in self.places else 'object'}]"
        simple = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "file": "bytes"}
        return simple.get(
            facts.kind or "", "Union[bytes, Sequence[bytes]]" if facts.kind == "files" else "Any"
        )


def write_openai(root: Path, places: Mapping[str, Any], version: str = "9.9.9") -> None:
    """An `openai` package under `root` stating `places` (a drift `Surface`'s) as the SDK's types do."""
    writer = _Writer(places)
    names = {op: writer.define(op, "TypedDict, total=False") for op in PARAMS}
    answer = writer.define("ImagesResponse", "BaseModel")
    events = [p for p in places if p.startswith("event(") and "." not in p.split(")", 1)[1]]
    event_classes = {event: writer.define(event, "BaseModel", skip=("type",)) for event in events}
    models = sorted(p.removeprefix("model ") for p in places if p.startswith("model "))
    lines = [
        "from collections.abc import Sequence",
        "from typing import Any, Dict, List, Literal, Optional, Required, TypedDict, Union",
        "from pydantic import BaseModel",
        *writer.classes,
        f"ImagesResponse = {answer}",
        f"ImageModel = Literal[{', '.join(map(repr, models))}]",
        _union("ImageGenStreamEvent", event_classes, "image_generation."),
        _union("ImageEditStreamEvent", event_classes, "image_edit."),
    ]
    package = root / "openai"
    (package / "types").mkdir(parents=True)
    (package / "resources").mkdir()
    (package / "__init__.py").write_text(f"__version__ = {version!r}\n")
    (package / "types" / "__init__.py").write_text("\n\n".join(lines) + "\n")
    for op, (module, cls) in PARAMS.items():
        (package / "types" / f"{module}.py").write_text(f"from . import {names[op]} as {cls}\n")
    (package / "resources" / "__init__.py").write_text("")
    (package / "resources" / "images.py").write_text(_images(places))


def _union(name: str, classes: Mapping[str, str], prefix: str) -> str:
    members = [cls for event, cls in classes.items() if event.startswith(f"event({prefix}")]
    return f"{name} = Union[{', '.join(members)}]"


def _images(places: Mapping[str, Any]) -> str:
    deprecated = [
        p.removeprefix("model ") for p, facts in places.items() if p.startswith("model ") and facts.deprecated
    ]
    listed = "\n".join(f'          - "{name}": retired.' for name in deprecated)
    doc = f"Args:\n  model: The model.\n\n      Deprecated values:\n\n{listed}\n\n  n: How many."
    methods = []
    for op, method in METHODS.items():
        methods.append(f"    def {method}(self) -> None:\n        {doc!r}\n")
        if places[op].deprecated:
            methods.append(f"    {method}.__deprecated__ = 'deprecated'\n")
    return "class Images:\n" + "".join(methods)
