"""What openapi.yaml says of a request parameter, and the checks that follow from it alone.

`wrapper/_spec.py` (generated from openapi.yaml) holds one `Param` per request property of each
operation; this module gives them meaning: `check_value` refuses a value the schema rules out,
naming the parameter and what the schema allows. No parameter name appears here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from ._errors import ValidationError

Kind = Literal["string", "integer", "number", "boolean", "file", "files", "reference", "references", "object"]


@dataclass(frozen=True, slots=True)
class Param:
    """One request property: its JSON kind and the schema's constraints.

    `enum` with `open_enum` lists the known values of a field that also takes other strings (a
    model name, a size); without it the enum is closed.
    """

    name: str
    kind: Kind
    required: bool = False
    nullable: bool = False
    enum: tuple[object, ...] | None = None
    open_enum: bool = False
    minimum: float | None = None
    maximum: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    pattern_words: str | None = None
    """What `pattern` accepts, in words (the spec's `x-pattern-words`), for error messages."""
    min_items: int | None = None
    max_items: int | None = None
    cli_flag: str | None = None
    upload: str | None = None
    """For an image reference: the file parameter of the operation's upload body it stands for."""
    description: str = ""
    fields: tuple[Param, ...] = ()
    """An object's properties, each checked like a parameter (named `object[property]` in errors)."""

    @property
    def is_file(self) -> bool:
        return self.kind in ("file", "files")

    @property
    def is_reference(self) -> bool:
        return self.kind in ("reference", "references")

    @property
    def flag(self) -> str:
        """The `images` CLI's option for this parameter."""
        return self.cli_flag or "--" + self.name.replace("_", "-")

    def allowed(self) -> str:
        """What the schema allows, in words: `png, jpeg, webp` or `an integer from 1 to 10`."""
        if self.enum is not None and not self.open_enum:
            return ", ".join(str(value) for value in self.enum)
        if self.kind in ("integer", "number"):
            noun = "an integer" if self.kind == "integer" else "a number"
            if self.minimum is not None and self.maximum is not None:
                return f"{noun} from {self.minimum:g} to {self.maximum:g}"
            return noun
        if self.kind == "boolean":
            return "true or false"
        if self.kind == "object":
            return "an object"
        return self._string_allowed()

    def _string_allowed(self) -> str:
        words = "a string"
        if self.min_length and self.max_length:
            words = f"a string of {self.min_length} to {self.max_length} characters"
        elif self.max_length:
            words = f"a string of at most {self.max_length} characters"
        elif self.min_length:
            words = "a non-empty string" if self.min_length == 1 else words
        if self.pattern_words is not None:
            words = self.pattern_words
        elif self.pattern is not None:
            words += f" matching {self.pattern}"
        if self.enum is not None:
            words = f"{', '.join(str(value) for value in self.enum)}, or {words}"
        return words


@dataclass(frozen=True)
class OperationSpec:
    """One operation of the spec: its wrapper names, its generated endpoint and body, its parameters."""

    name: str
    method: str
    path: str
    endpoint: str
    """The module of `images_api.api.images` that builds its request."""
    body: str
    """The request model of `images_api.models`."""
    content_type: str
    streams: bool
    params: Mapping[str, Param]
    variants: tuple[OperationSpec, ...] = ()
    """The same operation with another request body (content type): e.g. edits by image reference."""

    @cached_property
    def files(self) -> tuple[Param, ...]:
        return tuple(param for param in self.params.values() if param.is_file)

    @cached_property
    def references(self) -> tuple[Param, ...]:
        return tuple(param for param in self.params.values() if param.is_reference)

    @cached_property
    def required(self) -> tuple[str, ...]:
        return tuple(
            name
            for name, param in self.params.items()
            if param.required and not param.is_file and not param.is_reference
        )

    def body_for(self, content_type: str) -> OperationSpec | None:
        """This operation's body of `content_type` (itself or a variant), or None."""
        return next((spec for spec in (self, *self.variants) if spec.content_type == content_type), None)

    @cached_property
    def by_reference(self) -> OperationSpec | None:
        """The variant that takes images by reference, if the operation has one."""
        return next((spec for spec in self.variants if spec.references), None)


def check_value(param: Param, value: object, path: str | None = None) -> None:
    """Raise `ValidationError` if `value` breaks the schema of `param` (files are checked elsewhere);
    an object's properties are checked too, named by their path (`svg[reasoning][effort]`)."""
    name = path or param.name
    if not _fits(param, value):
        raise invalid(name, value, param.allowed())
    if param.kind == "object" and param.fields and isinstance(value, Mapping):
        fields = {field.name: field for field in param.fields}
        for key, inner in value.items():
            if key not in fields:
                raise invalid(f"{name}[{key}]", inner, f"one of {', '.join(fields)}")
            if inner is not None or not fields[key].nullable:
                check_value(fields[key], inner, f"{name}[{key}]")


def is_unknown_value(param: Param, value: object) -> bool:
    """Whether `value` is a string that `param`'s closed enum of strings does not list: a value an
    API newer than this spec may take (sent with a warning by the client, refused by the emulator)."""
    enum = param.enum
    return (
        enum is not None
        and not param.open_enum
        and isinstance(value, str)
        and isinstance(enum[0], str)
        and value not in enum
    )


def invalid(
    param: str, value: object, allowed: str, *, model: str | None = None, quote: bool = True
) -> ValidationError:
    """The `ValidationError` for `value` of `param`; a long string shows as its length, and a value
    with `quote=False` (a file's description) as it is."""
    shown = f"<{len(value)} characters>" if isinstance(value, str) and len(value) > 80 else repr(value)
    shown = str(value) if not quote else shown
    verdict = f"is not supported by {model}" if model else "is invalid"
    return ValidationError(
        f"{param} {shown} {verdict}; allowed: {allowed}",
        param=param,
        value=value,
        model=model,
        allowed=allowed,
    )


def _fits(param: Param, value: object) -> bool:
    if param.enum is not None and value in param.enum and type(value) is type(param.enum[0]):
        return True
    if param.enum is not None and not param.open_enum:
        return False
    if param.kind in ("integer", "number"):
        return _number_fits(param, value)
    if param.kind == "boolean":
        return isinstance(value, bool)
    if param.kind == "object":
        return isinstance(value, Mapping)
    return isinstance(value, str) and _string_fits(param, value)


def _number_fits(param: Param, value: object) -> bool:
    kinds = (int,) if param.kind == "integer" else (int, float)
    if isinstance(value, bool) or not isinstance(value, kinds):
        return False
    return (param.minimum is None or value >= param.minimum) and (
        param.maximum is None or value <= param.maximum
    )


def _string_fits(param: Param, value: str) -> bool:
    if param.min_length is not None and len(value) < param.min_length:
        return False
    if param.max_length is not None and len(value) > param.max_length:
        return False
    return param.pattern is None or _compiled(param.pattern).search(value) is not None


_PATTERNS: dict[str, re.Pattern[str]] = {}


def _compiled(pattern: str) -> re.Pattern[str]:
    compiled = _PATTERNS.get(pattern)
    if compiled is None:
        compiled = _PATTERNS[pattern] = re.compile(pattern)
    return compiled
