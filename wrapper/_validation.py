"""Check a request against openapi.yaml's schema and the model's row of the capability table.

The client calls `validate_request` before it opens a connection; the emulator calls the same
function on what it parsed from the wire, so both reject the same requests naming the same `param`.
The schema comes from `_spec` (generated from openapi.yaml), the model rules from the row's columns
that `PARAM_RULES` names: no parameter of the API is named here. A model outside `MODELS`, and a
parameter without a rule, get the schema's checks alone. The client lets through a value that a
closed enum of the spec does not list (`unknown_values`): the API may be newer than the spec; the
emulator, which plays the API as the spec knows it, refuses it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from . import _lifecycle
from ._capabilities import (
    DEFAULT_COLUMNS,
    DEFAULT_MODELS,
    EXCLUSIONS,
    GPT_DEFAULT_MODEL,
    MAX_FILE_BYTES,
    MB,
    MODELS,
    PAIRED_RULES,
    Choice,
    Excludes,
    FileRule,
    Limit,
    ModelCapabilities,
    Needs,
    Rule,
    SizeRule,
    Switch,
)
from ._errors import ValidationError
from ._imageinfo import ImageInfo
from ._models import warn_unknown_values
from ._rule_text import size_rule_text
from ._schema import OperationSpec, Param, check_value, invalid, is_unknown_value
from ._spec import OPERATIONS, Operation, P

T = TypeVar("T")

MODEL = P.model
"""The parameter that names the model: resolved, not just checked."""
_SIZE_PATTERN = re.compile(r"^([1-9][0-9]{0,4})x([1-9][0-9]{0,4})$")


@dataclass(frozen=True, slots=True)
class Upload:
    """What validation needs to know of one uploaded file: its header, if it is an image, and its size."""

    info: ImageInfo | None
    size: int | None = None
    filename: str | None = None


def resolve_model(
    operation: Operation,
    model: str | None,
    params: Mapping[str, object],
    default_model: str | None = None,
    as_of: date | None = None,
) -> str | None:
    """The model a request runs on: the one named, the client's default (when it does the operation),
    or the API's default; None when the API names no default as of that day (it decides).

    Like the API before dall-e-2's retirement, a generation that sets a parameter only GPT image
    models take runs on the GPT default instead of dall-e-2.
    """
    if model is not None:
        return model
    if default_model is not None and _can(default_model, operation):
        return default_model
    if not _lifecycle.defaults_apply(as_of or _lifecycle.default_as_of()):
        return None
    if operation == "generate" and gpt_only_params(params):
        return GPT_DEFAULT_MODEL
    return DEFAULT_MODELS[operation]


def _can(model: str, operation: Operation) -> bool:
    """Whether `model` does `operation`; a model outside the table is given the benefit of the doubt."""
    row = MODELS.get(model)
    return row is None or row.supports(operation)


def gpt_only_params(params: Mapping[str, object]) -> list[str]:
    """The parameters in `params` that the default generation model refuses but the GPT default takes.

    For a parameter with a list of values (quality, size, ...) the value decides: quality "high"
    or size "1536x1024" is GPT-only, quality "standard" is not.
    """
    dalle, gpt = MODELS[DEFAULT_MODELS["generate"]], MODELS[GPT_DEFAULT_MODEL]
    return [name for name in params if _takes(gpt, name, params) and not _takes(dalle, name, params)]


def _takes(row: ModelCapabilities, name: str, params: Mapping[str, object]) -> bool:
    """Whether `row` offers `name` (with this value, for a choice); limits such as a prompt's length
    or n do not make a parameter the GPT models' own."""
    rule = row.rule(name)
    if isinstance(rule, Choice):
        try:
            _check_choice(rule, row, name, params[name])
        except ValidationError:
            return False
        return True
    if isinstance(rule, Switch):
        return params[name] is not True or bool(getattr(row, rule.column))
    if isinstance(rule, Limit):
        return getattr(row, rule.column) is not None
    if isinstance(rule, Needs):
        return bool(getattr(row, rule.column))
    return True


def validate_request(
    operation: Operation,
    model: str | None,
    params: Mapping[str, object],
    *,
    files: Mapping[str, Sequence[Upload]] | None = None,
    model_rules: bool = True,
    content_type: str | None = None,
    as_of: date | None = None,
    send_unknown_values: bool = False,
) -> None:
    """Raise `ValidationError` for the first thing wrong with a request; return None if it is fine.

    `params` holds the non-file parameters the caller set (not the model, which is passed
    resolved; None when the API chooses it); `files` the uploads of each file parameter. A model or
    operation retired as of `as_of` (default: `_lifecycle.default_as_of()`) raises `RetiredError`.
    With `model_rules=False` only the schema is checked. `content_type` picks another body of the
    operation (JSON edits by reference, whose references `_references.validate_references` checks).
    With `send_unknown_values` a string that a closed enum does not list passes, and so do the rules
    that involve it (the table cannot know a value newer than the spec); a known value the model's
    row does not offer is still refused.
    """
    spec = OPERATIONS[operation]
    spec = (spec.body_for(content_type) or spec) if content_type else spec
    unknown = frozenset(unknown_values(spec, params)) if send_unknown_values else frozenset()
    checked = (operation, spec, model, model_rules, as_of, unknown)
    try:
        _check(*checked, params, files or {})
    except Exception as first:
        # The first wrong parameter is named in the spec's order, whatever order the body's fields
        # came in, so the client and the emulator (which reads a body) name the same one. Sorting
        # only once something is wrong keeps a valid call from paying for it.
        try:
            _check(*checked, in_spec_order(spec, params), in_spec_order(spec, files or {}))
        except Exception as named:
            raise named from None
        raise first


def _check(
    operation: Operation,
    spec: OperationSpec,
    model: str | None,
    model_rules: bool,
    as_of: date | None,
    unknown: frozenset[str],
    params: Mapping[str, object],
    uploads: Mapping[str, Sequence[Upload]],
) -> None:
    if model_rules:
        _lifecycle.check_available(operation, model, as_of or _lifecycle.default_as_of())
    _check_schema(spec, model, params, uploads, unknown)
    row = MODELS.get(model) if model is not None else None
    if row is not None and model_rules:
        _check_model(operation, row, params, uploads, unknown)
    if model_rules:  # whatever the model, even one outside the table or none
        known = {name: value for name, value in params.items() if name not in unknown}
        _check_exclusions(row, known, uploads)


def warn_unknown(spec: OperationSpec, params: Mapping[str, object]) -> None:
    """Warn (once per parameter and value) of the values that no enum of the operation's bodies
    lists: the client sends them, as the API may be newer than the spec."""
    for body in (spec, *spec.variants):
        unknown = unknown_values(body, params)
        if unknown:
            warn_unknown_values(unknown, {name: body.params[name].enum or () for name in unknown})
            return


def unknown_values(spec: OperationSpec, params: Mapping[str, object]) -> dict[str, str]:
    """The parameters of `params` whose value is a string that their closed enum does not list and
    no row of the table offers (a value some model takes, such as a dall-e-3 size sent for
    variations, is known: refused as before)."""
    return {
        name: value
        for name, value in params.items()
        if isinstance(value, str)
        and name in spec.params
        and is_unknown_value(spec.params[name], value)
        and not any(value in (row.values(name) or ()) for row in MODELS.values())
    }


def in_spec_order(spec: OperationSpec, values: Mapping[str, T]) -> dict[str, T]:
    """`values` by the spec's order of the parameters; names the spec lacks last, as they came."""
    order = {name: index for index, name in enumerate(spec.params)}
    return dict(sorted(values.items(), key=lambda item: order.get(item[0], len(order))))


# --- schema level ---------------------------------------------------------------------------------


def _did_you_mean(name: str, spec: OperationSpec) -> str:
    """`; did you mean size?` for a misspelled parameter (a job line's `sise`), else nothing."""
    import difflib  # here: only a misspelling needs it

    names = [known for known, param in spec.params.items() if not (param.is_file or param.is_reference)]
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.75)
    return f"; did you mean {close[0]}?" if close else ""


def _check_schema(
    spec: OperationSpec,
    model: str | None,
    params: Mapping[str, object],
    files: Mapping[str, Sequence[Upload]],
    unknown: frozenset[str],
) -> None:
    for name, value in params.items():
        param = spec.params.get(name)
        if param is None or param.is_file or param.is_reference:
            raise invalid(name, value, f"{_noun(spec)} take no such parameter{_did_you_mean(name, spec)}")
        if name not in unknown:
            check_value(param, value)
    if MODEL in spec.params and model is not None:
        check_value(spec.params[MODEL], model)
    for name in spec.required:
        if name not in params:
            raise invalid(name, None, spec.params[name].allowed())
    for param in spec.files:
        _check_uploads(param, files.get(param.name, ()))


def _noun(spec: OperationSpec) -> str:
    return spec.path.rsplit("/", 1)[-1]


def _check_uploads(param: Param, uploads: Sequence[Upload]) -> None:
    low = param.min_items or 1 if param.required else 0
    high = param.max_items or 1 if param.kind == "files" else 1
    if not low <= len(uploads) <= high:
        limit = f"{low} to {high}" if low != high else str(low)
        raise invalid(param.name, f"({len(uploads)} files)", f"{limit} image files", quote=False)
    for upload in uploads:
        if upload.info is None:
            raise invalid(param.name, _describe(upload), "a PNG, JPEG or WebP image", quote=False)
        if upload.size is not None and upload.size > MAX_FILE_BYTES:
            allowed = f"files of at most {MAX_FILE_BYTES // MB} MB"
            raise invalid(param.name, _describe(upload), allowed, quote=False)


# --- model level ----------------------------------------------------------------------------------


def _check_model(
    operation: Operation,
    row: ModelCapabilities,
    params: Mapping[str, object],
    files: Mapping[str, Sequence[Upload]],
    unknown: frozenset[str],
) -> None:
    spec = OPERATIONS[operation]
    if not row.supports(operation):
        able = [name for name, other in MODELS.items() if other.supports(operation)]
        message = f"{MODEL} {row.name!r} cannot do {_noun(spec)}; allowed: {', '.join(able)}"
        raise ValidationError(message, param=MODEL, value=row.name, model=row.name, allowed=", ".join(able))
    for name in params:
        if name not in unknown:
            _check_param(row, name, params, unknown)
    for param in spec.files:
        _check_files(operation, param.name, row, files)


def _check_exclusions(
    row: ModelCapabilities | None, params: Mapping[str, object], files: Mapping[str, Sequence[Upload]]
) -> None:
    """Refuse the combinations of `EXCLUSIONS`; a file parameter counts as given when it has files."""
    given: dict[str, object] = {
        name: f"({len(up)} file{'s' if len(up) > 1 else ''})" for name, up in files.items() if up
    }
    given.update(params)
    for name, value in given.items():
        for rule in EXCLUSIONS.get(name, ()):
            if _excluded(rule, value, given, row):
                raise _exclusion_error(rule, name, value, given, row, quote=name not in files)


def _exclusion_error(
    rule: Excludes,
    name: str,
    value: object,
    given: Mapping[str, object],
    row: ModelCapabilities | None,
    *,
    quote: bool,
) -> ValidationError:
    """`stream True ... allowed: false with output_format gif`, `markup ... allowed: not set with mask`."""
    other = f"{rule.other} {given.get(rule.other, _default(row, rule.other))}" if rule.values else rule.other
    allowed = (
        f"{' or '.join(map(_shown, rule.unless))} with {other}" if rule.unless else f"not set with {other}"
    )
    return invalid(name, value, allowed, model=row.name if row is not None else None, quote=quote)


def _excluded(
    rule: Excludes, value: object, given: Mapping[str, object], row: ModelCapabilities | None
) -> bool:
    if value in rule.unless and type(value) is type(rule.unless[0]):
        return False
    if rule.values is None:
        return rule.other in given
    return given.get(rule.other, _default(row, rule.other)) in rule.values


def _default(row: ModelCapabilities | None, param: str) -> object:
    return default_of(row, param) if row is not None else None


def _shown(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _check_param(
    row: ModelCapabilities, name: str, params: Mapping[str, object], unknown: frozenset[str]
) -> None:
    """Raise `ValidationError` if the row's rules for `name` (own and paired) refuse its value; a
    rule that needs another parameter's value passes when that value is one the spec does not know."""
    for rule in (row.rule(name), PAIRED_RULES.get(name)):
        if rule is not None and not (isinstance(rule, Needs) and rule.other in unknown):
            _apply(rule, row, name, params)


def _apply(rule: Rule, row: ModelCapabilities, name: str, params: Mapping[str, object]) -> None:
    value, column = params[name], getattr(row, rule.column)
    if isinstance(rule, Choice):
        _check_choice(rule, row, name, value)
    elif isinstance(rule, Limit):
        _check_limit(rule, row, name, value)
    elif isinstance(rule, Switch):
        if value is True and not column:
            raise invalid(name, value, f"false (only {_takers(rule)} can)", model=row.name)
    else:
        _check_needs(rule, row, name, params)


def _takers(rule: Rule) -> str:
    return ", ".join(row.name for row in MODELS.values() if getattr(row, rule.column)) or "no model"


def _check_choice(rule: Choice, row: ModelCapabilities, name: str, value: object) -> None:
    allowed: tuple[str, ...] = getattr(row, rule.column)
    free: SizeRule | None = getattr(row, rule.free_form) if rule.free_form else None
    if not allowed and free is None:
        raise invalid(name, value, f"not set (only {_takers(rule)} take {name})", model=row.name)
    if value in allowed or (free is not None and isinstance(value, str) and _fits(value, free)):
        return
    words = ", ".join(allowed) + (f", or {size_rule_text(free)}" if free is not None else "")
    raise invalid(name, value, words, model=row.name)


def _check_limit(rule: Limit, row: ModelCapabilities, name: str, value: object) -> None:
    limit: int | None = getattr(row, rule.column)
    if limit is None:
        raise invalid(name, value, f"not set (only {_takers(rule)} take {name})", model=row.name)
    if rule.length:
        if isinstance(value, str) and len(value) > limit:
            raise invalid(name, value, f"at most {limit} characters", model=row.name)
    elif isinstance(value, int) and value > limit:
        low = next((op.params[name].minimum for op in OPERATIONS.values() if name in op.params), 0)
        raise invalid(name, value, f"an integer from {low or 0:g} to {limit}", model=row.name)


def _check_needs(rule: Needs, row: ModelCapabilities, name: str, params: Mapping[str, object]) -> None:
    value = params[name]
    needed: tuple[str, ...] = getattr(row, rule.column)
    if rule.value is None and not needed:
        raise invalid(name, value, f"not set (only {_takers(rule)} take {name})", model=row.name)
    if rule.value is not None and value != rule.value:
        return
    if rule.unless is not None and value == rule.unless:
        return
    other = params.get(rule.other, default_of(row, rule.other))
    if other not in needed:
        allowed = f"only with {rule.other} {' or '.join(needed) or '(none on this model)'}, not {other}"
        raise invalid(name, value, allowed, model=row.name)


def default_of(row: ModelCapabilities, param: str) -> object:
    """What `row`'s model uses for `param` when a request does not set it (None when unknown)."""
    if param in DEFAULT_COLUMNS:
        return getattr(row, DEFAULT_COLUMNS[param])
    values = row.values(param)
    return values[0] if values else None


def _fits(size: str, rule: SizeRule) -> bool:
    match = _SIZE_PATTERN.match(size)
    if not match:
        return False
    width, height = int(match[1]), int(match[2])
    return (
        width % rule.multiple_of == 0
        and height % rule.multiple_of == 0
        and max(width, height) <= rule.max_aspect * min(width, height)
        and max(width, height) <= rule.max_edge
        and width * height <= rule.max_pixels
    )


def _check_files(
    operation: Operation, name: str, row: ModelCapabilities, files: Mapping[str, Sequence[Upload]]
) -> None:
    uploads = files.get(name, ())
    if not uploads:
        return
    rule = row.file_rule(operation, name)
    if rule is None:
        raise invalid(name, _describe(uploads[0]), f"no {name}", model=row.name, quote=False)
    if len(uploads) > rule.max_count:
        allowed = f"at most {rule.max_count} image file{'s' if rule.max_count > 1 else ''}"
        raise invalid(name, f"({len(uploads)} files)", allowed, model=row.name, quote=False)
    for upload in uploads:
        check_file(name, upload, rule, row.name)
    if rule.same_size_as is not None:
        check_same_size(name, uploads[0], files.get(rule.same_size_as, ()), row.name)


def check_same_size(name: str, upload: Upload, others: Sequence[Upload], model: str) -> None:
    first = others[0].info if others else None
    info = upload.info
    if info and first and info.width and first.width and info.dimensions != first.dimensions:
        allowed = f"the first image's dimensions, {first.dimensions}"
        raise invalid(name, f"({info.dimensions})", allowed, model=model, quote=False)


def check_file(param: str, upload: Upload, rule: FileRule, model: str) -> None:
    info = upload.info
    described = _describe(upload)
    if info is None or info.format not in rule.formats:
        raise invalid(param, described, f"{' or '.join(rule.formats)} files", model=model, quote=False)
    if upload.size is not None and upload.size > rule.max_bytes:
        allowed = f"files of at most {rule.max_bytes // MB} MB"
        raise invalid(param, described, allowed, model=model, quote=False)
    if rule.square and info.width is not None and info.width != info.height:
        raise invalid(param, described, "square images", model=model, quote=False)
    if rule.needs_alpha and info.has_alpha is False:
        raise invalid(param, described, "png files with transparent pixels", model=model, quote=False)


def _describe(upload: Upload) -> str:
    """How an upload shows in a message: `'fox.png' (PNG, 1024x1024, 5.0 MB)`."""
    facts = [upload.info.format.upper() if upload.info else "not an image"]
    if upload.info and upload.info.width is not None:
        facts.append(upload.info.dimensions)
    if upload.size is not None:
        facts.append(f"{upload.size / MB:.1f} MB" if upload.size >= MB // 10 else f"{upload.size} bytes")
    described = f"({', '.join(facts)})"
    return f"{upload.filename!r} {described}" if upload.filename else described
