"""The one door to the generated client (`images_api`), and every conversion to and from its types.

Requests: the wrapper's plain values become the generated request model (enums, `File`s, `UNSET`
for what is not given), and the generated endpoint's public `build_request` makes the httpx
request, for plain calls and streams alike. Which module and model belong to an operation comes
from `_spec` (generated from openapi.yaml); the enum fields from the model's own annotations, so a
parameter added to the spec needs no edit here.

Everything here is imported on first use, not with `import wrapper`: the generated package and attrs
take ~80 ms to import, a third of the package's import time, and a process that has not sent a
request yet (a service starting up, a CLI printing help) should not pay for them.
"""

from __future__ import annotations

import importlib
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cache
from types import ModuleType, UnionType
from typing import TYPE_CHECKING, Any

from ._spec import OPERATIONS, Operation

if TYPE_CHECKING:
    import httpx
    from images_api.types import File, RequestOptions

    from ._download import Downloader
    from ._files import PreparedFile
    from ._results import ImagesResponse, SvgUsage, Usage

PACKAGE = "images_api"


@dataclass(frozen=True)
class Surface:
    """What the wrapper needs of one generated operation."""

    endpoint: ModuleType
    body: type[Any]
    enums: Mapping[str, type[Enum]]
    """The request fields the generated model types as closed enums; the wrapper takes plain strings."""
    objects: Mapping[str, type[Any]]
    """The request fields the generated model types as nested models; the wrapper takes mappings."""


@cache
def surface(operation: Operation, body_name: str | None = None) -> Surface:
    """The generated endpoint, request model and enum fields of `operation` (its first body, or the
    one named `body_name`: JSON edits by reference), imported once."""
    spec = OPERATIONS[operation]
    endpoint = importlib.import_module(f"{PACKAGE}.api.images.{spec.endpoint}")
    body = getattr(importlib.import_module(f"{PACKAGE}.models"), body_name or spec.body)
    return Surface(endpoint, body, _enum_fields(body), _object_fields(body))


def _hints(model: type[Any]) -> dict[str, Any]:
    """The model's annotations, resolved; nested models are imported only for type checking there."""
    return typing.get_type_hints(model, localns=vars(importlib.import_module(f"{PACKAGE}.models")))


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
    """The generated request model of `operation` (or of its body `body_name`) from plain values and
    prepared files."""
    generated = surface(operation, body_name)
    values = {name: _convert(generated.enums.get(name), value) for name, value in fields.items()}
    for name, model in generated.objects.items():
        if isinstance(values.get(name), Mapping):
            values[name] = model.from_dict(values[name])
    for param in OPERATIONS[operation].files if body_name is None else ():
        prepared = [to_file(item) for item in files.get(param.name, ())]
        if param.kind == "files":
            values[param.name] = prepared
        elif prepared:
            values[param.name] = prepared[0]
    return generated.body(**values)


def _convert(enum: type[Enum] | None, value: Any) -> Any:
    if enum is None or not isinstance(value, str):
        return value
    return enum(value)


def to_file(prepared: PreparedFile) -> File:
    """A prepared upload as the generated client's `File` (its stream is sent as it is, not read)."""
    from images_api.types import File

    return File(payload=prepared.stream, file_name=prepared.filename, mime_type=prepared.content_type)  # type: ignore[arg-type]


def request_kwargs(operation: Operation, body: Any, options: RequestOptions) -> dict[str, Any]:
    """The keyword arguments of `httpx.Client.build_request`, from the generated request builder."""
    kwargs: dict[str, Any] = surface(operation).endpoint.build_request(body=body, request_options=options)
    return kwargs


@cache
def _images_response() -> Any:
    from images_api.models import ImagesResponse

    return ImagesResponse


def images_response(http: httpx.Response, attempts: int, downloader: Downloader | None) -> ImagesResponse:
    """The wrapper's `ImagesResponse` of a 200 answer, parsed by the generated model (ValueError,
    KeyError or TypeError if the body is not one). Each object keeps the JSON it came from."""
    from ._results import HTTPInfo, Image, ImageList, ImagesResponse

    document = http.json()
    parsed = _images_response().from_dict(document)
    output_format = from_unset(parsed.output_format)
    items = from_unset(parsed.data) or ()  # the API may leave `data` out
    return ImagesResponse(
        created=parsed.created,
        data=ImageList(
            Image(
                b64_json=from_unset(item.b64_json),
                url=from_unset(item.url),
                revised_prompt=from_unset(item.revised_prompt),
                output_format=output_format,
                _downloader=downloader,
                _source=source,
            )
            for item, source in zip(items, document.get("data") or (), strict=True)
        ),
        background=from_unset(parsed.background),
        output_format=output_format,
        quality=from_unset(parsed.quality),
        size=from_unset(parsed.size),
        usage=_usage(from_unset(parsed.usage), document.get("usage")),
        safety_identifier=from_unset(parsed.safety_identifier),
        svg_usage=_svg_usage(from_unset(parsed.svg_usage), document.get("svg_usage")),
        http=HTTPInfo.from_response(http, attempts),
        _source=document,
    )


def _usage(usage: Any, source: Any) -> Usage | None:
    from ._results import InputTokensDetails, OutputTokensDetails, Usage

    if usage is None:
        return None
    details = from_unset(usage.output_tokens_details)
    return Usage(
        input_tokens=usage.input_tokens,
        output_tokens=usage.output_tokens,
        total_tokens=usage.total_tokens,
        input_tokens_details=InputTokensDetails(
            usage.input_tokens_details.image_tokens, usage.input_tokens_details.text_tokens
        ),
        output_tokens_details=OutputTokensDetails(details.image_tokens, details.text_tokens)
        if details
        else None,
        _source=source,
    )


def _svg_usage(usage: Any, source: Any) -> SvgUsage | None:
    from ._results import SvgUsage

    if usage is None:
        return None
    names = ("input_tokens", "model", "output_tokens", "reasoning_tokens", "total_tokens")
    return SvgUsage(*(getattr(usage, name) for name in names), _source=source)


@cache
def unset() -> Any:
    """The generated client's `UNSET`."""
    from images_api.types import UNSET

    return UNSET


def from_unset(value: Any) -> Any:
    """Translate the generated client's `UNSET` in a parsed response into None."""
    return None if value is unset() else value
