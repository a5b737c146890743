"""The one door to the generated client (`images_api`), and every conversion to and from its types.

Requests: the generated endpoint's public `build_request` makes every httpx2 request, plain calls
and streams alike. A JSON body goes to it as the wrapper's plain values (checked against the spec,
they are the JSON already); a multipart body becomes the generated request model first (enums,
`File`s, `UNSET` for what is not given), whose `to_multipart` writes the parts. Which module and
model belong to an operation comes from `_spec` (generated from openapi.yaml); the enum fields from
the model's own annotations, so a parameter added to the spec needs no edit here.

Everything here is imported on first use, not with `import wrapper`: the generated package and attrs
take ~80 ms to import, a third of the package's import time, and a process that has not sent a
request yet (a service starting up, a CLI printing help) should not pay for them.
"""

from __future__ import annotations

import importlib
import typing
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cache
from types import ModuleType, UnionType
from typing import TYPE_CHECKING, Any

from ._spec import OPERATIONS, Operation

if TYPE_CHECKING:
    from images_api.types import File, RequestOptions

    from ._files import PreparedFile

PACKAGE = "images_api"
JSON = "application/json"


@dataclass(frozen=True)
class Surface:
    """What the wrapper needs of one generated request model (multipart bodies go through it)."""

    body: type[Any]
    enums: Mapping[str, type[Enum]]
    """The request fields the generated model types as closed enums; the wrapper takes plain strings."""
    objects: Mapping[str, type[Any]]
    """The request fields the generated model types as nested models; the wrapper takes mappings."""


@cache
def endpoint(operation: Operation) -> ModuleType:
    """The generated endpoint module of `operation` (its `build_request`), imported once."""
    return importlib.import_module(f"{PACKAGE}.api.images.{OPERATIONS[operation].endpoint}")


@cache
def surface(operation: Operation, body_name: str | None = None) -> Surface:
    """The request model and its enum and object fields of `operation` (its first body, or the one
    named `body_name`: JSON edits by reference), imported once."""
    body = getattr(_models(), body_name or OPERATIONS[operation].body)
    return Surface(body, _enum_fields(body), _object_fields(body))


def _models() -> ModuleType:
    return importlib.import_module(f"{PACKAGE}.models")


class _ModelNames(Mapping[str, Any]):
    """The generated models by name, each imported when an annotation being resolved names it (the
    models package imports its modules on first use)."""

    def __getitem__(self, name: str) -> Any:
        try:
            return getattr(_models(), name)
        except AttributeError:
            raise KeyError(name) from None

    def __iter__(self) -> Iterator[str]:
        return iter(_models().__all__)

    def __len__(self) -> int:
        return len(_models().__all__)


def _hints(model: type[Any]) -> dict[str, Any]:
    """The model's annotations, resolved; nested models are imported only for type checking there."""
    return typing.get_type_hints(model, localns=_ModelNames())


def _enum_fields(model: type[Any]) -> dict[str, type[Enum]]:
    """Fields annotated `SomeEnum | Unset` (a closed enum): the value must become the enum member.
    Fields that also take a plain `str` (open enums: model, size) are sent as given."""
    hints = _hints(model)
    enums: dict[str, type[Enum]] = {}
    for name, hint in hints.items():
        members = typing.get_args(hint) if isinstance(hint, UnionType) else (hint,)
        found = [m for m in members if isinstance(m, type) and issubclass(m, Enum)]
        if found and str not in members:
            enums[name] = found[0]
    return enums


def _object_fields(model: type[Any]) -> dict[str, type[Any]]:
    """Fields annotated `SomeModel | Unset`: a mapping must become that generated model."""
    hints = _hints(model)
    objects: dict[str, type[Any]] = {}
    for name, hint in hints.items():
        members = typing.get_args(hint) if isinstance(hint, UnionType) else (hint,)
        found = [m for m in members if isinstance(m, type) and hasattr(m, "from_dict")]
        if found:
            objects[name] = found[0]
    return objects


def request_body(
    operation: Operation,
    fields: Mapping[str, Any],
    files: Mapping[str, Sequence[PreparedFile]],
    body_name: str | None = None,
) -> Any:
    """The body for the generated request builder of `operation` (or of its body `body_name`): the
    plain values themselves for a JSON body, else the generated request model of the values and the
    prepared files."""
    if _is_json(operation, body_name):
        return {name: _json_value(value) for name, value in fields.items()}
    generated = surface(operation, body_name)
    enums, objects = generated.enums, generated.objects
    values = dict(fields)
    for name, value in fields.items():
        if name in enums and isinstance(value, str):
            values[name] = _member(enums[name], value)
        elif name in objects and isinstance(value, Mapping):
            values[name] = objects[name].from_dict(value)
    for param in OPERATIONS[operation].files if body_name is None else ():
        prepared = [to_file(item) for item in files.get(param.name, ())]
        if param.kind == "files":
            values[param.name] = prepared
        elif prepared:
            values[param.name] = prepared[0]
    return generated.body(**values)


class _Unlisted(str):
    """A value the generated enum does not list, sent as given: the generated model writes a closed
    enum's `.value`, and the API may take values newer than the spec."""

    __slots__ = ()

    @property
    def value(self) -> str:
        return str(self)


def _member(enum: type[Enum], value: str) -> Enum | _Unlisted:
    try:
        return enum(value)
    except ValueError:
        return _Unlisted(value)


_SCALARS = (str, int, float, bool)


def _json_value(value: Any) -> Any:
    """`value` as the json module writes it: any mapping (a `MappingProxyType` too) a dict, at any depth."""
    if type(value) in _SCALARS:
        return value
    if isinstance(value, Mapping):
        return {key: _json_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(item) for item in value]
    return value


@cache
def _is_json(operation: Operation, body_name: str | None) -> bool:
    spec = OPERATIONS[operation]
    body = next(s for s in (spec, *spec.variants) if body_name in (None, s.body))
    return body.content_type == JSON


def to_file(prepared: PreparedFile) -> File:
    """A prepared upload as the generated client's `File` (its stream is sent as it is, not read)."""
    from images_api.types import File

    return File(payload=prepared.stream, file_name=prepared.filename, mime_type=prepared.content_type)  # type: ignore[arg-type]


def request_kwargs(operation: Operation, body: Any, options: RequestOptions) -> dict[str, Any]:
    """The keyword arguments of `httpx2.Client.build_request`, from the generated request builder."""
    kwargs: dict[str, Any] = endpoint(operation).build_request(body=body, request_options=options)
    return kwargs


@cache
def unset() -> Any:
    """The generated client's `UNSET`."""
    from images_api.types import UNSET

    return UNSET


def from_unset(value: Any) -> Any:
    """Translate the generated client's `UNSET` in a parsed response into None."""
    return None if value is unset() else value
