"""Check a request against openapi.yaml's schema and the model's row of the capability table.

The client calls `validate_request` before it opens a connection; the emulator calls the same
function on what it parsed from the wire, so both reject the same requests naming the same `param`.
Model rules apply only to models in `MODELS`: an unknown name gets the schema-level checks alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from ._capabilities import (
    DEFAULT_MODELS,
    ENUMS,
    GPT_DEFAULT_MODEL,
    MAX_EDIT_IMAGES,
    MAX_FILE_BYTES,
    MAX_N,
    MAX_PARTIAL_IMAGES,
    MAX_PROMPT_CHARS,
    MAX_USER_CHARS,
    MB,
    MODELS,
    OPERATION_PARAMS,
    FileRule,
    ModelCapabilities,
    Operation,
    SizeRule,
)
from ._errors import ValidationError
from ._imageinfo import ImageInfo

_SIZE_PATTERN = re.compile(r"^([1-9][0-9]{0,4})x([1-9][0-9]{0,4})$")
_OPERATION_NOUNS = {"generate": "generations", "edit": "edits", "variation": "variations"}

# Which table column says whether (and with which values) a model takes a parameter.
_CHOICES: Mapping[str, Callable[[ModelCapabilities], tuple[str, ...]]] = {
    "background": lambda row: row.backgrounds,
    "input_fidelity": lambda row: row.input_fidelities,
    "moderation": lambda row: row.moderations,
    "output_format": lambda row: row.output_formats,
    "quality": lambda row: row.qualities,
    "response_format": lambda row: row.response_formats,
    "style": lambda row: row.styles,
}


@dataclass(frozen=True, slots=True)
class Upload:
    """What validation needs to know of one uploaded file: its header, if it is an image, and its size."""

    info: ImageInfo | None
    size: int | None = None
    filename: str | None = None


def resolve_model(
    operation: Operation, model: str | None, params: Mapping[str, object], default_model: str | None = None
) -> str:
    """The model a request runs on: the one named, the client's default (when it does the operation),
    or the API's default.

    Like the API, a generation that sets a parameter only GPT image models take runs on the GPT
    default instead of dall-e-2.
    """
    if model is not None:
        return model
    if default_model is not None and _can(default_model, operation):
        return default_model
    if operation == "generate" and gpt_only_params(params):
        return GPT_DEFAULT_MODEL
    return DEFAULT_MODELS[operation]


def _can(model: str, operation: Operation) -> bool:
    """Whether `model` does `operation`; a model outside the table is given the benefit of the doubt."""
    row = MODELS.get(model)
    return row is None or row.supports(operation)


def gpt_only_params(params: Mapping[str, object]) -> list[str]:
    """The parameters in `params` that dall-e-2 does not take but the GPT default does.

    For a parameter with a list of values (quality, size, ...) the value decides: quality "high"
    or size "1536x1024" is GPT-only, quality "standard" is not.
    """
    dalle, gpt = MODELS[DEFAULT_MODELS["generate"]], MODELS[GPT_DEFAULT_MODEL]
    return [name for name in params if _takes(gpt, name, params) and not _takes(dalle, name, params)]


def _takes(row: ModelCapabilities, name: str, params: Mapping[str, object]) -> bool:
    if name in _CHOICES:
        return params[name] in _CHOICES[name](row)
    if name == "size":
        return params[name] in row.sizes
    if name == "output_compression":
        return bool(row.compression_formats)
    if name == "partial_images" or (name == "stream" and params.get(name) is True):
        return row.streams
    return True


def validate_request(
    operation: Operation,
    model: str,
    params: Mapping[str, object],
    *,
    images: Sequence[Upload] = (),
    mask: Upload | None = None,
    model_rules: bool = True,
) -> None:
    """Raise `ValidationError` for the first thing wrong with a request; return None if it is fine.

    `params` holds the non-file parameters the caller set (not `model`, which is passed resolved);
    `images` and `mask` describe the files. With `model_rules=False` only the schema is checked.
    """
    _check_schema(operation, model, params, images, mask)
    row = MODELS.get(model)
    if row is not None and model_rules:
        _check_model(operation, row, params, images, mask)


# --- schema level ---------------------------------------------------------------------------------


def _check_schema(
    operation: Operation,
    model: str,
    params: Mapping[str, object],
    images: Sequence[Upload],
    mask: Upload | None,
) -> None:
    if not OPERATION_PARAMS[operation].issuperset(params):
        unknown = sorted(set(params) - OPERATION_PARAMS[operation])
        raise _invalid(
            unknown[0], params[unknown[0]], f"{_OPERATION_NOUNS[operation]} take no such parameter"
        )
    if not (isinstance(model, str) and 1 <= len(model) <= 256):
        raise _invalid("model", model, "a model name of 1 to 256 characters")
    if operation != "variation":
        _check_prompt(params.get("prompt"), MAX_PROMPT_CHARS)
    _check_int(params, "n", 1, MAX_N)
    _check_int(params, "output_compression", 0, 100)
    _check_int(params, "partial_images", 0, MAX_PARTIAL_IMAGES)
    if "stream" in params and not isinstance(params["stream"], bool):
        raise _invalid("stream", params["stream"], "true or false")
    if "user" in params and not (isinstance(params["user"], str) and len(params["user"]) <= MAX_USER_CHARS):
        raise _invalid("user", params["user"], f"a string of at most {MAX_USER_CHARS} characters")
    for name, value in params.items():
        allowed = ENUMS[name].get(operation) if name in ENUMS else None
        if allowed is not None and value not in allowed:
            raise _invalid(name, value, ", ".join(allowed))
    if "size" in params and operation != "variation":
        size = params["size"]
        if not (isinstance(size, str) and (size == "auto" or _SIZE_PATTERN.match(size))):
            raise _invalid("size", size, "auto or WIDTHxHEIGHT, e.g. 1024x1024")
    _check_uploads(operation, images, mask)


def _check_prompt(prompt: object, limit: int, model: str | None = None) -> None:
    if not isinstance(prompt, str) or not prompt:
        raise _invalid("prompt", prompt, "a non-empty string")
    if len(prompt) > limit:
        shown = f"<{len(prompt)} characters>"
        raise _invalid("prompt", shown, f"at most {limit} characters", model=model, quote=False)


def _check_int(
    params: Mapping[str, object], name: str, low: int, high: int, model: str | None = None
) -> None:
    if name not in params:
        return
    value = params[name]
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _invalid(name, value, f"an integer from {low} to {high}", model=model)


def _check_uploads(operation: Operation, images: Sequence[Upload], mask: Upload | None) -> None:
    if operation == "generate":
        return
    limit = MAX_EDIT_IMAGES if operation == "edit" else 1
    if not 1 <= len(images) <= limit:
        raise _invalid("image", f"({len(images)} files)", f"1 to {limit} image files", quote=False)
    for upload in [*images, *([mask] if mask else [])]:
        param = "mask" if upload is mask else "image"
        if upload.info is None:
            raise _invalid(param, _describe(upload), "a PNG, JPEG or WebP image", quote=False)
        if upload.size is not None and upload.size > MAX_FILE_BYTES:
            raise _invalid(
                param, _describe(upload), f"files of at most {MAX_FILE_BYTES // MB} MB", quote=False
            )


# --- model level ----------------------------------------------------------------------------------


def _check_model(
    operation: Operation,
    row: ModelCapabilities,
    params: Mapping[str, object],
    images: Sequence[Upload],
    mask: Upload | None,
) -> None:
    if not row.supports(operation):
        able = [name for name, other in MODELS.items() if other.supports(operation)]
        raise _invalid(
            "model",
            row.name,
            ", ".join(able),
            model=row.name,
            verb=f"cannot do {_OPERATION_NOUNS[operation]};",
        )
    if "prompt" in params:
        _check_prompt(params["prompt"], row.max_prompt_chars, row.name)
    _check_int(params, "n", 1, row.max_n, row.name)
    if "size" in params:
        _check_size(operation, row, params["size"])
    for name in sorted(_CHOICES.keys() & params.keys()):
        _check_choice(row, name, params[name], _CHOICES[name](row))
    _check_streaming(row, params)
    _check_output(row, params)
    _check_files(operation, row, images, mask)


def _check_choice(row: ModelCapabilities, name: str, value: object, allowed: tuple[str, ...]) -> None:
    if not allowed:
        takers = [other.name for other in MODELS.values() if _CHOICES[name](other)]
        raise _invalid(name, value, f"not set (only {', '.join(takers)} take {name})", model=row.name)
    if value not in allowed:
        raise _invalid(name, value, ", ".join(allowed), model=row.name)


def _check_size(operation: Operation, row: ModelCapabilities, size: object) -> None:
    sizes = ENUMS["size"]["variation"] if operation == "variation" else row.sizes
    if size in sizes:
        return
    rule = row.custom_sizes if operation != "variation" else None
    allowed = ", ".join(sizes)
    if rule is not None:
        allowed += f", or {_describe_rule(rule)}"
        if isinstance(size, str) and _fits(size, rule):
            return
    raise _invalid("size", size, allowed, model=row.name)


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


def _describe_rule(rule: SizeRule) -> str:
    return (
        f"WIDTHxHEIGHT with both sides multiples of {rule.multiple_of}, an aspect ratio within "
        f"1:{rule.max_aspect:g} to {rule.max_aspect:g}:1, a longest side of at most {rule.max_edge} "
        f"and at most {rule.max_pixels} pixels"
    )


def _check_streaming(row: ModelCapabilities, params: Mapping[str, object]) -> None:
    if params.get("stream") is True and not row.streams:
        raise _invalid("stream", True, f"false (only {_streaming_models()} stream)", model=row.name)
    if "partial_images" in params:
        if row.max_partial_images is None:
            allowed = f"not set (only {_streaming_models()} stream)"
            raise _invalid("partial_images", params["partial_images"], allowed, model=row.name)
        _check_int(params, "partial_images", 0, row.max_partial_images, row.name)


def _streaming_models() -> str:
    return ", ".join(other.name for other in MODELS.values() if other.streams)


def _check_output(row: ModelCapabilities, params: Mapping[str, object]) -> None:
    output_format = params.get("output_format", row.output_formats[:1][0] if row.output_formats else None)
    if params.get("background") == "transparent" and output_format not in row.transparent_formats:
        needs = " or ".join(row.transparent_formats) or "a format with alpha"
        allowed = f"opaque or auto with output_format {output_format}; transparent needs {needs}"
        raise _invalid("background", "transparent", allowed, model=row.name)
    if "output_compression" in params:
        if not row.compression_formats:
            takers = ", ".join(other.name for other in MODELS.values() if other.compression_formats)
            raise _invalid(
                "output_compression",
                params["output_compression"],
                f"not set (only {takers} take it)",
                model=row.name,
            )
        if output_format not in row.compression_formats:
            allowed = f"only with output_format {' or '.join(row.compression_formats)}, not {output_format}"
            raise _invalid("output_compression", params["output_compression"], allowed, model=row.name)


def _check_files(
    operation: Operation, row: ModelCapabilities, images: Sequence[Upload], mask: Upload | None
) -> None:
    if operation == "generate":
        return
    rule = row.edit_images if operation == "edit" else row.variation_image
    if rule is None:  # the operation check above already rejected the model
        return
    if len(images) > rule.max_count:
        allowed = f"at most {rule.max_count} image file{'s' if rule.max_count > 1 else ''}"
        raise _invalid("image", f"({len(images)} files)", allowed, model=row.name, quote=False)
    for upload in images:
        _check_file("image", upload, rule, row.name)
    if mask is not None:
        if row.mask is None:
            raise _invalid("mask", _describe(mask), "no mask", model=row.name, quote=False)
        _check_file("mask", mask, row.mask, row.name)
        first = images[0].info if images else None
        if (
            mask.info
            and first
            and mask.info.width
            and first.width
            and mask.info.dimensions != first.dimensions
        ):
            allowed = f"the first image's dimensions, {first.dimensions}"
            raise _invalid("mask", f"({mask.info.dimensions})", allowed, model=row.name, quote=False)


def _check_file(param: str, upload: Upload, rule: FileRule, model: str) -> None:
    info = upload.info
    described = _describe(upload)
    if info is None or info.format not in rule.formats:
        raise _invalid(param, described, f"{' or '.join(rule.formats)} files", model=model, quote=False)
    if upload.size is not None and upload.size > rule.max_bytes:
        raise _invalid(
            param, described, f"files of at most {rule.max_bytes // MB} MB", model=model, quote=False
        )
    if rule.square and info.width is not None and info.width != info.height:
        raise _invalid(param, described, "square images", model=model, quote=False)


def _describe(upload: Upload) -> str:
    """How an upload shows in a message: `'fox.png' (PNG, 1024x1024, 5.0 MB)`."""
    facts = [upload.info.format.upper() if upload.info else "not an image"]
    if upload.info and upload.info.width is not None:
        facts.append(upload.info.dimensions)
    if upload.size is not None:
        facts.append(f"{upload.size / MB:.1f} MB" if upload.size >= MB // 10 else f"{upload.size} bytes")
    described = f"({', '.join(facts)})"
    return f"{upload.filename!r} {described}" if upload.filename else described


def _invalid(
    param: str,
    value: object,
    allowed: str,
    *,
    model: str | None = None,
    quote: bool = True,
    verb: str = "",
) -> ValidationError:
    shown = repr(value) if quote else str(value)
    if verb:
        message = f"{param} {shown} {verb} allowed: {allowed}"
    elif model:
        message = f"{param} {shown} is not supported by {model}; allowed: {allowed}"
    else:
        message = f"{param} {shown} is invalid; allowed: {allowed}"
    return ValidationError(message, param=param, value=value, model=model, allowed=allowed)
