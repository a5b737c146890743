"""`model_dump()`, `model_dump_json()`, `to_dict()` and `to_json()` for results and stream events.

Code written for the official SDK serialises its pydantic models with these four methods. The
wrapper's frozen dataclasses get them from `Dumpable`, and their output is what the official SDK
produces for the same response body: the official models' fields in their declaration order (the
shapes below), a field the API did not send is "unset" (left out by `exclude_unset`, None otherwise),
fields the shapes do not know are kept after the known ones, and the wrapper's own fields (`http`,
`Image.output_format`) never appear. A result keeps the body it was parsed from (`_source`) so the
dump is made from what the API sent, only when asked for.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import fields
from typing import Any, ClassVar, Final, Literal, TypeAlias

Shape: TypeAlias = Mapping[str, "Field"]
"""A model's fields in the official SDK's order: name -> what the field holds."""


class Field:
    """One field of a shape: required or defaulting to None; a nested model, a list of them, or a value."""

    __slots__ = ("many", "nested", "required")

    def __init__(self, required: bool = False, nested: Shape | None = None, many: bool = False) -> None:
        self.required = required
        self.nested = nested
        self.many = many


VALUE: Final = Field()
REQUIRED: Final = Field(required=True)
_TOKENS_DETAILS: Final[Shape] = {"image_tokens": REQUIRED, "text_tokens": REQUIRED}
_USAGE_FIELDS: Final[Shape] = {
    "input_tokens": REQUIRED,
    "input_tokens_details": Field(True, _TOKENS_DETAILS),
    "output_tokens": REQUIRED,
    "total_tokens": REQUIRED,
}
RESULT_USAGE: Final[Shape] = {**_USAGE_FIELDS, "output_tokens_details": Field(nested=_TOKENS_DETAILS)}
EVENT_USAGE: Final[Shape] = _USAGE_FIELDS
SVG_USAGE: Final[Shape] = dict.fromkeys(
    ("input_tokens", "model", "output_tokens", "reasoning_tokens", "total_tokens"), REQUIRED
)
IMAGE: Final[Shape] = {"b64_json": VALUE, "revised_prompt": VALUE, "url": VALUE}
IMAGES_RESPONSE: Final[Shape] = {
    "created": REQUIRED,
    "background": VALUE,
    "data": Field(nested=IMAGE, many=True),
    "output_format": VALUE,
    "quality": VALUE,
    "safety_identifier": VALUE,
    "size": VALUE,
    "svg_usage": Field(nested=SVG_USAGE),
    "usage": Field(nested=RESULT_USAGE),
}
_EVENT_COMMON = ("b64_json", "background", "created_at", "output_format")
PARTIAL_EVENT: Final[Shape] = dict.fromkeys(
    (*_EVENT_COMMON, "partial_image_index", "quality", "size", "type"), REQUIRED
)
COMPLETED_EVENT: Final[Shape] = {
    **dict.fromkeys((*_EVENT_COMMON, "quality", "size", "type"), REQUIRED),
    "usage": Field(True, EVENT_USAGE),
    "safety_identifier": VALUE,
}


class Options:
    """The keyword arguments of one dump call that change what is kept."""

    __slots__ = ("exclude_defaults", "exclude_none", "exclude_unset")

    def __init__(self, exclude_unset: bool, exclude_defaults: bool, exclude_none: bool) -> None:
        self.exclude_unset = exclude_unset
        self.exclude_defaults = exclude_defaults
        self.exclude_none = exclude_none


def dump(source: Mapping[str, Any], shape: Shape, options: Options) -> dict[str, Any]:
    """`source` (the fields as sent) dumped in `shape`'s order, then the fields `shape` does not know."""
    out: dict[str, Any] = {}
    for name, spec in shape.items():
        if name in source:
            value = _value(source[name], spec, options)
        elif options.exclude_unset:
            continue  # a field the API left out, even a required one, is None like the SDK's
        else:
            value = None
        if value is None and (options.exclude_none or (options.exclude_defaults and not spec.required)):
            continue
        out[name] = value
    for name, value in source.items():
        if name not in shape and not (value is None and options.exclude_none):
            out[name] = value
    return out


def _value(value: Any, spec: Field, options: Options) -> Any:
    if spec.nested is None or value is None:
        return value
    if spec.many:
        return [dump(item, spec.nested, options) if isinstance(item, Mapping) else item for item in value]
    return dump(value, spec.nested, options) if isinstance(value, Mapping) else value


def dataclass_source(obj: Any, hidden: Collection[str] = ()) -> dict[str, Any]:
    """The fields of a dataclass built by hand (not parsed from a body), nested ones as dicts."""
    out: dict[str, Any] = {}
    for item in fields(obj):
        if item.name.startswith("_") or item.name in hidden:
            continue
        out[item.name] = _plain(getattr(obj, item.name))
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, Dumpable):
        return value._fields()
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    return value


class Dumpable:
    """The official SDK's serialisation methods, for a dataclass that names its `_shape`."""

    __slots__ = ()
    _shape: ClassVar[Shape]

    def _fields(self) -> Mapping[str, Any]:
        """The fields as the API sent them (overridden by classes that keep their source body)."""
        return dataclass_source(self)

    def model_dump(
        self,
        *,
        mode: Literal["json", "python"] | str = "python",
        include: Collection[str] | None = None,
        exclude: Collection[str] | None = None,
        by_alias: bool | None = None,
        exclude_unset: bool = False,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        round_trip: bool = False,
        warnings: bool | Literal["none", "warn", "error"] = True,
    ) -> dict[str, Any]:
        """A dict of the fields, as the official SDK's `model_dump` makes it (the values are the same in
        `mode="json"`: all of them are JSON types). `include` / `exclude` name top-level fields."""
        out = dump(self._fields(), self._shape, Options(exclude_unset, exclude_defaults, exclude_none))
        if include is not None:
            out = {name: value for name, value in out.items() if name in include}
        return {name: value for name, value in out.items() if name not in (exclude or ())}

    def model_dump_json(
        self,
        *,
        indent: int | None = None,
        include: Collection[str] | None = None,
        exclude: Collection[str] | None = None,
        by_alias: bool | None = None,
        exclude_unset: bool = False,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        round_trip: bool = False,
        warnings: bool | Literal["none", "warn", "error"] = True,
    ) -> str:
        """`model_dump` as JSON text, formatted as pydantic formats it (compact without `indent`)."""
        data = self.model_dump(
            include=include,
            exclude=exclude,
            exclude_unset=exclude_unset,
            exclude_defaults=exclude_defaults,
            exclude_none=exclude_none,
        )
        return _json(data, indent)

    def to_dict(
        self,
        *,
        mode: Literal["json", "python"] = "python",
        use_api_names: bool = True,
        exclude_unset: bool = True,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        warnings: bool = True,
    ) -> dict[str, object]:
        """The fields the API sent, as a dict (the official SDK's `to_dict`: unset fields left out)."""
        return self.model_dump(
            exclude_unset=exclude_unset, exclude_defaults=exclude_defaults, exclude_none=exclude_none
        )

    def to_json(
        self,
        *,
        indent: int | None = 2,
        use_api_names: bool = True,
        exclude_unset: bool = True,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        warnings: bool = True,
    ) -> str:
        """`to_dict` as JSON text, indented by 2 unless told otherwise (the official SDK's `to_json`)."""
        return self.model_dump_json(
            indent=indent,
            exclude_unset=exclude_unset,
            exclude_defaults=exclude_defaults,
            exclude_none=exclude_none,
        )


def _json(data: Any, indent: int | None) -> str:
    if indent is None:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return json.dumps(data, ensure_ascii=False, indent=indent)
