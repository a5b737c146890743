"""The official `openai` package's image types as a `Surface`, read by introspection.

The request parameters come from the `TypedDict`s of `openai.types` (`typing.get_type_hints`:
`Required`, `Optional`, `Literal` arguments), the answers and events from the pydantic models'
fields, the models from the `ImageModel` literal. What is deprecated comes from the methods of
`openai.resources.images.Images`: an endpoint marked `@deprecated`, and the models listed under
"Deprecated values" in a method's docstring (the only docstrings a running package keeps). Whatever
package `import openai` finds is read: a newer one after `pip install -U openai`, or a stand-in.
"""

from __future__ import annotations

import importlib
import re
import types
import typing
from collections.abc import Iterator
from typing import Any

import typing_extensions

from ._facts import SDK_FACTS, Facts, Surface

# Our operationId -> (the module of openai.types with its params, the TypedDicts, the method of Images)
OPERATIONS = {
    "createImage": ("image_generate_params", ("ImageGenerateParamsNonStreaming",), "generate"),
    "createImageEdit": ("image_edit_params", ("ImageEditParamsNonStreaming",), "edit"),
    "createImageVariation": (
        "image_create_variation_params",
        ("ImageCreateVariationParams",),
        "create_variation",
    ),
}
ANSWERS = {"ImagesResponse": "ImagesResponse"}
STREAMS = ("ImageGenStreamEvent", "ImageEditStreamEvent")
_DEPRECATED_VALUE = re.compile(r'^\s*- ((?:"[^"]+"(?:, )?)+):', re.MULTILINE)


def read() -> Surface:
    """The surface of the installed package; raises ImportError when there is none."""
    openai = importlib.import_module("openai")
    kinds = importlib.import_module("openai.types")
    places: dict[str, Facts] = {}
    for operation, (module, names, _) in OPERATIONS.items():
        params = importlib.import_module(f"openai.types.{module}")
        places[operation] = Facts(kind="operation")
        for name in names:
            places.update(typed_dict_places(operation, getattr(params, name)))
    for root, name in ANSWERS.items():
        places.update(model_places(root, getattr(kinds, name)))
    for union in STREAMS:
        for event in members(getattr(kinds, union)):
            kind = typing.get_args(event.model_fields["type"].annotation)[0]
            places[f"event({kind})"] = Facts(kind="event")
            places.update(model_places(f"event({kind})", event, skip=("type",)))
    places.update(model_list(kinds.ImageModel))
    places.update(deprecations(importlib.import_module("openai.resources.images").Images))
    version = f"openai {getattr(openai, '__version__', '?')}"
    return Surface("sdk", places, knows=SDK_FACTS, version=version)


def typed_dict_places(prefix: str, typed: type) -> Iterator[tuple[str, Facts]]:
    for name, hint in typing.get_type_hints(typed, include_extras=True).items():
        required = typing.get_origin(hint) is typing.Required
        yield from places_of(f"{prefix}.{name}", _unwrapped(hint), required)


def model_places(prefix: str, model: Any, skip: tuple[str, ...] = ()) -> Iterator[tuple[str, Facts]]:
    for name, field in model.model_fields.items():
        if name in skip:
            continue
        for place, facts in places_of(f"{prefix}.{name}", field.annotation, field.is_required()):
            # `Optional[X] = None` on an answer says the field may be missing, not that it is null
            optional = place == f"{prefix}.{name}" and not field.is_required()
            yield place, _with(facts, facts.required, False) if optional else facts


def places_of(place: str, hint: Any, required: bool) -> Iterator[tuple[str, Facts]]:
    """The facts of one annotation, then those of what it holds (a TypedDict's or model's fields,
    a list's items)."""
    options = _options(hint)
    nullable = type(None) in options
    options = [option for option in options if option is not type(None)]
    literals = [value for option in options for value in _literal_values(option)]
    others = [option for option in options if typing.get_origin(option) is not typing.Literal]
    if literals and all(isinstance(value, bool) for value in literals):
        yield place, Facts(kind="boolean", required=required, nullable=nullable)
        return
    if _is_upload(options):
        kind = "files" if any(_is_sequence(option) for option in options) else "file"
        yield place, Facts(kind=kind, required=required, nullable=nullable)
        return
    if literals:
        facts = Facts(kind="string", enum=frozenset(literals), open_enum=str in others)
        yield place, _with(facts, required, nullable)
        return
    (single,) = others if len(others) == 1 else (None,)
    yield place, Facts(kind=_kind(single), required=required, nullable=nullable)
    yield from _inside(place, single)


def _with(facts: Facts, required: bool, nullable: bool) -> Facts:
    return Facts(**{**facts.__dict__, "required": required, "nullable": nullable})


def _inside(place: str, hint: Any) -> Iterator[tuple[str, Facts]]:
    if typing_extensions.is_typeddict(hint):
        yield from typed_dict_places(place, hint)
    elif hasattr(hint, "model_fields"):
        yield from model_places(place, hint)
    elif typing.get_origin(hint) in (list, typing.List):  # noqa: UP006 - what get_origin may give
        yield from places_of(f"{place}[]", typing.get_args(hint)[0], False)


def _kind(hint: Any) -> str | None:
    origin = typing.get_origin(hint)
    if hint is bool:
        return "boolean"
    if hint is int:
        return "integer"
    if hint is float:
        return "number"
    if hint is str:
        return "string"
    if origin is list:
        return "array"
    if (
        typing_extensions.is_typeddict(hint)
        or hasattr(hint, "model_fields")
        or origin in (dict, typing.Mapping)
    ):
        return "object"
    return None


def _unwrapped(hint: Any) -> Any:
    while typing.get_origin(hint) in (typing.Required, typing.NotRequired, typing.Annotated):
        hint = typing.get_args(hint)[0]
    return hint


def _options(hint: Any) -> list[Any]:
    """The members of a union (nested unions and aliases flattened), or the hint itself."""
    hint = _unwrapped(hint)
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return [option for member in typing.get_args(hint) for option in _options(member)]
    return [hint]


def _literal_values(hint: Any) -> tuple[Any, ...]:
    return typing.get_args(hint) if typing.get_origin(hint) is typing.Literal else ()


def _is_sequence(hint: Any) -> bool:
    return typing.get_origin(hint) is not None and getattr(typing.get_origin(hint), "__name__", "") in (
        "Sequence",
        "SequenceNotStr",
        "list",
    )


def _is_upload(options: list[Any]) -> bool:
    """A file argument: bytes among the options (directly, or in a list of them)."""
    flat = []
    for option in options:
        inner = typing.get_args(option)
        flat += _options(inner[0]) if _is_sequence(option) and inner else [option]
    return bytes in flat


def members(union: Any) -> list[Any]:
    return [option for option in _options(union) if hasattr(option, "model_fields")]


def model_list(image_model: Any) -> Iterator[tuple[str, Facts]]:
    for name in _literal_values(_unwrapped(image_model)):
        yield f"model {name}", Facts(kind="model")


def deprecations(images: type) -> Iterator[tuple[str, Facts]]:
    """The endpoints marked deprecated, and the models under "Deprecated values" of a `model`
    argument in the methods' docstrings."""
    for operation, (_, _, method) in OPERATIONS.items():
        function = getattr(images, method)
        if getattr(function, "__deprecated__", None) is not None:
            yield operation, Facts(kind="operation", deprecated=True)
        for name in deprecated_values(_doc(function), "model"):
            yield f"model {name}", Facts(kind="model", deprecated=True)


def _doc(function: Any) -> str:
    """A method's docstring, or its first overload's (an overloaded method's own has none)."""
    if function.__doc__:
        return str(function.__doc__)
    overloads = typing.get_overloads(function)
    return str(overloads[0].__doc__ or "") if overloads else ""


def deprecated_values(doc: str, argument: str) -> list[str]:
    """The values listed under "Deprecated values:" in the block of `argument` of an Args section."""
    start = re.search(rf"^(\s*){re.escape(argument)}: ", doc, re.MULTILINE)
    if start is None:
        return []
    indent = start.group(1)
    end = re.compile(rf"^{indent}\w+: ", re.MULTILINE).search(doc, start.end())
    block = doc[start.end() : end.start() if end else len(doc)]
    if "Deprecated values:" not in block:
        return []
    listed = block.split("Deprecated values:", 1)[1]
    return [
        value for match in _DEPRECATED_VALUE.finditer(listed) for value in re.findall(r'"([^"]+)"', match[1])
    ]
