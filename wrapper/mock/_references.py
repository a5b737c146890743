"""Edits by reference in the emulator: each `image_url` / `file_id` resolved to bytes, without network.

- a base64 `data:` URL is decoded;
- an http(s) URL is served only from an allow-list: the image URLs this emulator handed out itself
  (under its `/files/images/`, looked up in its store in-process) and the URLs a test registered
  with `MockApp.allow_image_url`; any other host is answered 400 naming `images[i].image_url`;
- a `file_id` is one registered with `MockApp.add_file` (the stand-in for the Files API); any other
  is answered 404, as the API answers an unknown file.

The resolved images become the same `FilePart`s a multipart edit carries, so validation, rendering
and the request record treat both bodies alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from tempfile import SpooledTemporaryFile
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .._capabilities import MAX_FILE_BYTES
from .._errors import ValidationError
from .._imageinfo import HEAD_BYTES, sniff
from .._references import FILE_KEY, URL_KEY, decode_data_url, locations, wire_references
from .._schema import OperationSpec
from ._errors import APIErrorResponse
from ._forms import SPOOL_BYTES, FilePart, Form

if TYPE_CHECKING:
    from ._filestore import FileStore, StoredFile
    from ._store import ImageStore

FILE_ID_PREFIX = "file-"


def take_references(variant: OperationSpec, document: dict[str, object]) -> dict[str, list[dict[str, str]]]:
    """Pull the reference parameters out of a JSON body, checked for shape (400 naming the item)."""
    found: dict[str, list[dict[str, str]]] = {}
    for param in variant.references:
        if param.name not in document:
            continue
        value = document.pop(param.name)
        if value is None and param.nullable:
            continue
        if param.kind == "references" and not isinstance(value, list):
            message = f"{param.name} must be an array of image references."
            raise APIErrorResponse(400, message, param=param.name)
        try:
            found[param.name] = wire_references(param, value)
        except ValidationError as exc:
            raise APIErrorResponse.invalid(exc) from None
    missing = [p.name for p in variant.references if p.required and p.name not in found]
    if missing:
        message = f"{missing[0]} is required: 1 or more image references."
        raise APIErrorResponse(400, message, param=missing[0])
    return found


def resolve(
    variant: OperationSpec,
    references: Mapping[str, list[dict[str, str]]],
    *,
    store: ImageStore,
    files: FileStore,
    allowed_urls: Mapping[str, bytes],
    own_prefix: str,
) -> Form:
    """A `Form` holding the referenced images as file parts (the upload each reference stands for);
    URLs under `own_prefix` name images of `store`."""
    form = Form()
    try:
        for name, refs in references.items():
            param = variant.params[name]
            for where, ref in zip(locations(param, refs), refs, strict=True):
                data = _bytes(where, ref, store, files, allowed_urls, own_prefix)
                part = _part(param.upload or name, where, data)
                if part.info is None:  # named like the client names it: the reference, not the upload
                    assert part.spool is not None
                    part.spool.close()
                    message = f"{where} is not a PNG, JPEG or WebP image."
                    raise APIErrorResponse(400, message, param=where, code="invalid_image")
                if param.kind == "reference":
                    form.singles[param.upload or name] = part
                else:
                    form.images.append(part)
    except BaseException:
        form.close()
        raise
    return form


def _bytes(
    where: str,
    ref: Mapping[str, str],
    store: ImageStore,
    files: FileStore,
    allowed_urls: Mapping[str, bytes],
    own_prefix: str,
) -> bytes:
    if FILE_KEY in ref:
        stored = files.get(ref[FILE_KEY])
        if stored is None or not ref[FILE_KEY].startswith(FILE_ID_PREFIX):
            message = f"No such File object: {ref[FILE_KEY]!r} ({where})."
            raise APIErrorResponse(404, message, param=where, code="file_not_found")
        return _read_bounded(where, stored)
    url = ref[URL_KEY]
    if url[:5].lower() == "data:":
        try:
            return decode_data_url(where, url)
        except ValidationError as exc:
            raise APIErrorResponse.invalid(exc) from None
    if url in allowed_urls:
        return allowed_urls[url]
    if url.startswith(own_prefix):
        key = urlsplit(url).path.rsplit("/", 1)[-1].split(".")[0]
        served = store.get(key)
        if served is None:
            message = f"{where} could not be fetched: the image does not exist or its URL has expired."
            raise APIErrorResponse(400, message, param=where, code="invalid_image_url")
        return served.data
    shown = url if len(url) <= 120 else url[:100] + "..."
    message = (
        f"{where} {shown!r} could not be fetched: the emulator fetches only the image URLs it served"
        " itself and the ones allowed with allow_image_url(), never another host."
    )
    raise APIErrorResponse(400, message, param=where, code="invalid_image_url")


def _part(upload: str, where: str, data: bytes) -> FilePart:
    spool = SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - closed by Form
    spool.write(data)
    return FilePart(upload, where, None, spool, size=len(data), info=sniff(data[:HEAD_BYTES]))


def _read_bounded(where: str, stored: StoredFile) -> bytes:
    """A registered file's bytes, refused past the largest image any model takes."""
    if stored.size > MAX_FILE_BYTES:
        message = f"{where} names a file of {stored.size} bytes; images may be at most {MAX_FILE_BYTES}."
        raise APIErrorResponse(400, message, param=where, code="file_too_large")
    stored.data.seek(0)
    return stored.data.read()
