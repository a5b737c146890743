"""Images given by reference (a URL or an uploaded file's id) instead of uploaded: edits as JSON.

openapi.yaml gives an operation a second request body when it takes references (`x-upload` marks
each reference parameter and the upload it stands for); this module turns the caller's values into
the wire's `ImageReference` objects and checks them before anything is sent: the count, exactly one
of `image_url` / `file_id`, a URL scheme the API fetches, and a `data:` URL's content, which is an
image the model's file rules can judge like an upload. The emulator runs the same checks on what it
received, after resolving each reference to bytes.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from ._capabilities import MODELS, ModelCapabilities, Operation
from ._errors import ValidationError
from ._imageinfo import HEAD_BYTES, ImageInfo, sniff
from ._schema import OperationSpec, Param, invalid
from ._spec import OPERATIONS
from ._validation import Upload, check_file, check_same_size, validate_request

URL_KEY = "image_url"
FILE_KEY = "file_id"
"""The two keys of an `ImageReference` in openapi.yaml (tests/test_references.py checks them)."""
SCHEMES = ("https",)
"""URL schemes the API fetches; `data:` URLs carry the image itself."""
_DATA_PREFIX = "data:"


@dataclass(frozen=True, slots=True)
class ImageURL:
    """An image the API fetches from an `https://` URL, or carried in a base64 `data:` URL."""

    url: str

    def __repr__(self) -> str:
        shown = self.url if len(self.url) <= 80 else f"{self.url[:60]}...<{len(self.url)} characters>"
        return f"ImageURL({shown!r})"

    @classmethod
    def from_bytes(cls, data: bytes, media_type: str = "image/png") -> ImageURL:
        """A `data:` URL carrying `data` (e.g. an image just generated) in base64."""
        return cls(f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}")


@dataclass(frozen=True, slots=True)
class FileID:
    """An image uploaded to the Files API, by its id (`file-...`)."""

    id: str


ImageReference = ImageURL | FileID | Mapping[str, str]
"""A reference as the wrapper takes it: typed, or the API's own `{"image_url": ...}` /
`{"file_id": ...}` dict (what code written for the official SDK sends)."""


def is_reference(value: object) -> bool:
    """Whether `value` is an image reference rather than a file argument."""
    return isinstance(value, ImageURL | FileID | Mapping)


def wire_references(param: Param, value: object) -> list[dict[str, str]]:
    """The `ImageReference` objects of `param` (one, or a list for a `references` parameter), refusing
    a wrong count or an item that is not exactly one of `image_url` and `file_id`."""
    many = param.kind == "references"
    items = list(value) if many and isinstance(value, Sequence) and not isinstance(value, str) else [value]
    if many:
        low, high = param.min_items or 1, param.max_items or len(items)
        if not low <= len(items) <= high:
            shown = f"({len(items)} references)"
            raise invalid(param.name, shown, f"{low} to {high} references", quote=False)
    elif isinstance(value, Sequence) and not isinstance(value, str):
        raise invalid(param.name, f"({len(value)} references)", "one reference", quote=False)
    return [_wire(f"{param.name}[{i}]" if many else param.name, item) for i, item in enumerate(items)]


def _wire(where: str, item: object) -> dict[str, str]:
    if isinstance(item, ImageURL):
        item = {URL_KEY: item.url}
    elif isinstance(item, FileID):
        item = {FILE_KEY: item.id}
    allowed = (
        f"wrapper.ImageURL(...), wrapper.FileID(...), or an object with exactly one of {URL_KEY}, {FILE_KEY}"
    )
    if not isinstance(item, Mapping) or len(item) != 1 or next(iter(item)) not in (URL_KEY, FILE_KEY):
        shown = sorted(map(str, item)) if isinstance(item, Mapping) else type(item).__name__
        raise invalid(where, shown, allowed)
    key, text = next(iter(item.items()))
    if not isinstance(text, str):
        raise invalid(f"{where}.{key}", text, "a string")
    return {key: text}


def locations(param: Param, references: Sequence[Mapping[str, str]]) -> list[str]:
    """Where each reference of `param` sits in the body, for messages: `images[0].image_url`."""
    many = param.kind == "references"
    return [
        f"{param.name}[{i}].{next(iter(ref))}" if many else f"{param.name}.{next(iter(ref))}"
        for i, ref in enumerate(references)
    ]


def check_url(where: str, url: str, *, http_origin: str | None = None) -> Upload | None:
    """Refuse a URL the API does not fetch; a `data:` URL is decoded and returned as an `Upload` for
    the file rules (None for a URL, whose content only the server sees). `http_origin` (the
    client's own base URL, e.g. a local emulator) is the one origin allowed over plain http."""
    if url[: len(_DATA_PREFIX)].lower() == _DATA_PREFIX:
        return Upload(*_decoded(where, url), filename=None)
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}".lower()
    if parts.netloc and (parts.scheme.lower() in SCHEMES or origin == (http_origin or "").lower()):
        return None
    raise invalid(where, url, "an https:// URL or a base64 data: URL of an image")


def decode_data_url(where: str, url: str) -> bytes:
    """The bytes of a base64 `data:` URL; `ValidationError` naming `where` if it is not one."""
    header, comma, payload = url.partition(",")
    if not comma or not header.lower().endswith(";base64"):
        raise invalid(where, url, "a data: URL in base64 (data:image/png;base64,...)")
    try:
        return base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise invalid(where, url, "a data: URL whose payload is valid base64") from None


def _decoded(where: str, url: str) -> tuple[ImageInfo, int]:
    data = decode_data_url(where, url)
    info = sniff(data[:HEAD_BYTES])
    if info is None:
        raise invalid(where, "(a data: URL that is not an image)", "a PNG, JPEG or WebP image", quote=False)
    return info, len(data)


def validate_references(
    operation: Operation,
    spec: OperationSpec,
    model: str | None,
    uploads: Mapping[str, Sequence[Upload | None]],
    *,
    model_rules: bool = True,
) -> None:
    """The model's rules for images given by reference: the model takes references at all (dall-e-2
    edits need uploads), their count, and the file rules for each reference whose content is known
    (a data: URL on the client; everything on the emulator, which resolves them). None: unknown."""
    row = MODELS.get(model) if model is not None else None
    if row is None or not model_rules:
        return
    for param in spec.references:
        found = uploads.get(param.name, ())
        rule = row.file_rule(operation, param.upload or param.name)
        if not found:
            continue
        if rule is None or not rule.by_reference:
            takers = [name for name, other in MODELS.items() if _takes_references(other, operation, param)]
            raise ValidationError(
                f"{param.name} (references) is not supported by {model}; it takes uploaded files "
                f"(multipart) only; references are taken by: {', '.join(takers)}",
                param=param.name,
                value=None,
                model=model,
                allowed=", ".join(takers),
            )
        if len(found) > rule.max_count:
            allowed = f"at most {rule.max_count} image{'s' if rule.max_count > 1 else ''}"
            raise invalid(param.name, f"({len(found)} references)", allowed, model=model, quote=False)
        many = param.kind == "references"
        for i, upload in enumerate(found):
            if upload is not None:
                check_file(f"{param.name}[{i}]" if many else param.name, upload, rule, row.name)
        other = next((p.name for p in spec.references if p.upload == rule.same_size_as), None)
        first = next(iter(uploads.get(other, ())), None) if other else None
        if first is not None and found[0] is not None:
            check_same_size(param.name, found[0], [first], row.name)


def _takes_references(row: ModelCapabilities, operation: Operation, param: Param) -> bool:
    rule = row.file_rule(operation, param.upload or param.name)
    return rule is not None and rule.by_reference


def split_references(
    spec: OperationSpec, given: dict[str, object], extra_body: Mapping[str, object] | None = None
) -> tuple[OperationSpec, dict[str, list[dict[str, str]]]]:
    """Take the references out of `given` (and the reference parameters out of `extra_body`, the way
    code written for the official SDK sends them) and return the body to send with them: the
    operation's reference variant, or `spec` itself when there are none. Uploads and references
    in one call are a `ValidationError`."""
    variant = spec.by_reference
    if variant is None:
        return spec, {}
    found: dict[str, object] = {}
    uploads = {upload.name for upload in spec.files}
    for param in variant.references:
        extra = (extra_body or {}).get(param.name)
        if extra is not None and (param.name not in uploads or _all_references(extra)):
            found[param.name] = extra
        if param.name not in uploads and given.get(param.name) is not None:
            found[param.name] = given.pop(param.name)
    for upload in spec.files:
        value = given.get(upload.name)
        items = value if isinstance(value, list) else [value]
        refs = [item for item in items if is_reference(item)]
        if not refs:
            continue
        if len(refs) != len(items):
            raise _mixed(upload.name)
        target = next(param for param in variant.references if param.upload == upload.name)
        if target.name in found and target.name != upload.name:
            allowed = f"references in either {upload.name} or {target.name}"
            raise invalid(target.name, "(given twice)", allowed, quote=False)
        found[target.name] = value
        del given[upload.name]
    if found and any(upload.name in given for upload in spec.files):
        raise _mixed(next(upload.name for upload in spec.files if upload.name in given))
    if not found:
        return spec, {}
    wired = {name: wire_references(variant.params[name], value) for name, value in found.items()}
    return variant, wired


def _all_references(value: object) -> bool:
    items = value if isinstance(value, list) else [value]
    return all(is_reference(item) for item in items)


def _mixed(param: str) -> ValidationError:
    return invalid(
        param,
        "(uploads and references)",
        "uploaded files or image references in one call, not both",
        quote=False,
    )


def checked_urls(
    spec: OperationSpec, references: Mapping[str, Sequence[Mapping[str, str]]], http_origin: str | None
) -> dict[str, list[Upload | None]]:
    """`check_url` for every reference: an `Upload` for each data: URL, None for the rest."""
    uploads: dict[str, list[Upload | None]] = {}
    for name, refs in references.items():
        where = locations(spec.params[name], refs)
        uploads[name] = [
            check_url(at, ref[URL_KEY], http_origin=http_origin) if URL_KEY in ref else None
            for at, ref in zip(where, refs, strict=True)
        ]
    return uploads


def wire_value(param: Param, references: list[dict[str, str]]) -> object:
    """The body value of `param`: the list, or the one reference."""
    return references if param.kind == "references" else references[0]


def validate_by_reference(
    operation: Operation,
    model: str | None,
    params: dict[str, object],
    *,
    model_rules: bool = True,
    http_origin: str | None = None,
    as_of: date | None = None,
    send_unknown_values: bool = False,
) -> None:
    """Check a JSON request of an operation that takes uploads (an edit in a batch line, a recorded
    JSON edit) as its by-reference variant, the way a call with references is checked, as of
    `as_of` (default today). The references are taken out of `params`. `send_unknown_values` as
    for `validate_request`."""
    spec = OPERATIONS[operation]
    variant, references = split_references(spec, params)
    if not references or variant.content_type != "application/json":
        name = spec.files[0].name if spec.files else operation
        allowed = "images by reference (image_url or file_id)"
        raise ValidationError(
            f"{name} is missing; allowed: {allowed}", param=name, model=model, allowed=allowed
        )
    uploads = checked_urls(variant, references, http_origin)
    validate_request(
        operation,
        model,
        params,
        model_rules=model_rules,
        content_type=variant.content_type,
        as_of=as_of,
        send_unknown_values=send_unknown_values,
    )
    validate_references(operation, variant, model, uploads, model_rules=model_rules)
