"""Typed, frozen results: every field of ImagesResponse, helpers to get the bytes, and the raw HTTP.

`ImagesResponse.from_dict` parses a 200 answer's JSON straight into these, as the stream events are
parsed in `_streaming`: a trip through the generated response models cost a plain call more than
the rest of the wrapper's work on it. Each keeps the JSON it came from (`_source`) for the official
SDK's dumps.
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import MISSING, dataclass, field, fields
from functools import partial
from pathlib import Path
from typing import Any, ClassVar, SupportsIndex, TypeVar, overload

import httpx2

from . import _dump
from ._download import DOWNLOAD_TIMEOUT, MAX_DOWNLOAD_BYTES, Downloader, adownload, checked_url, download
from ._errors import APIResponseValidationError, WrapperError
from ._imageinfo import EXTENSIONS, HEAD_BYTES, sniff_result

T = TypeVar("T", bound="Parsed")
_NOT_IN_STEMS = frozenset({"/", "\\", "\0", os.sep, os.altsep or os.sep})


@dataclass(frozen=True, slots=True)
class HTTPInfo:
    """What the HTTP exchange looked like: status, headers, the request id, and how many tries it took."""

    status_code: int
    headers: Mapping[str, str] = field(repr=False)
    attempts: int = 1

    @property
    def request_id(self) -> str | None:
        """The `x-request-id` the API answered with: quote it when reporting a problem."""
        return self.headers.get("x-request-id")

    def __repr__(self) -> str:
        return (
            f"HTTPInfo(status_code={self.status_code}, request_id={self.request_id!r}, "
            f"attempts={self.attempts})"
        )

    @classmethod
    def from_response(cls, response: httpx2.Response, attempts: int = 1) -> HTTPInfo:
        return cls(response.status_code, response.headers, attempts)


class Parsed(_dump.Dumpable):
    """A result type with the official SDK's dump methods, made from the body the API sent (`_source`:
    a generated model or the event's JSON object; None for one built by hand)."""

    __slots__ = ()
    _hidden: ClassVar[tuple[str, ...]] = ()

    def _fields(self) -> Mapping[str, Any]:
        source = getattr(self, "_source", None)
        if source is None:
            return _dump.dataclass_source(self, self._hidden)
        parsed: Mapping[str, Any] = source  # the JSON the object was parsed from
        return parsed


@dataclass(frozen=True, slots=True)
class InputTokensDetails(Parsed):
    """A count the API leaves out is None: the official SDK does not refuse such an answer either, and
    an image already generated (and billed) is never lost to its accounting."""

    image_tokens: int | None = None
    text_tokens: int | None = None

    _shape: ClassVar[_dump.Shape] = _dump.RESULT_USAGE["input_tokens_details"].nested or {}


@dataclass(frozen=True, slots=True)
class OutputTokensDetails(Parsed):
    """As `InputTokensDetails`: a count the API leaves out is None."""

    image_tokens: int | None = None
    text_tokens: int | None = None

    _shape: ClassVar[_dump.Shape] = InputTokensDetails._shape


@dataclass(frozen=True, slots=True)
class Usage(Parsed):
    """Token accounting of a GPT image model request.

    A count the API leaves out, or sends as something other than an integer, is None: the official
    SDK keeps such an answer's usage too, and what was counted is not thrown away with what was not.
    """

    input_tokens: int | None = None
    output_tokens: int | None = None
    total_tokens: int | None = None
    input_tokens_details: InputTokensDetails | None = None
    output_tokens_details: OutputTokensDetails | None = None
    _source: Any = field(default=None, repr=False, compare=False, kw_only=True)

    _shape: ClassVar[_dump.Shape] = _dump.RESULT_USAGE

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Usage:
        """The usage of the API's JSON object `data` (TypeError for anything else), each count or
        details object it has that is of the spec's type, None for the others."""
        if not isinstance(data, Mapping):
            raise TypeError(f"usage must be a JSON object, not {type(data).__name__}")
        return cls(
            input_tokens=_count(data.get("input_tokens")),
            output_tokens=_count(data.get("output_tokens")),
            total_tokens=_count(data.get("total_tokens")),
            input_tokens_details=_details(InputTokensDetails, data.get("input_tokens_details")),
            output_tokens_details=_details(OutputTokensDetails, data.get("output_tokens_details")),
            _source=data,
        )


Details = TypeVar("Details", InputTokensDetails, OutputTokensDetails)


def _details(cls: type[Details], data: object) -> Details | None:
    """The counts of a JSON object, kept as `Usage.from_dict` keeps its own; None for anything else."""
    if not isinstance(data, Mapping):
        return None
    return cls(**{name: _count(value) for name, value in _picked(cls, data).items()})


def _count(value: object) -> int | None:
    """A token count as the spec has it (a JSON integer; not a boolean, which Python counts as one),
    else None."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass(frozen=True, slots=True)
class Image(Parsed):
    """One result image: base64 data (`b64_json`) or a `url`, and dall-e-3's `revised_prompt`.

    `output_format` is copied from the response so `save` can pick the file extension.
    """

    b64_json: str | None = field(default=None, repr=False)
    url: str | None = None
    revised_prompt: str | None = None
    output_format: str | None = None
    _downloader: Downloader | None = field(default=None, repr=False, compare=False)
    """How a URL result is fetched by default: through the client that made the request."""
    _source: Any = field(default=None, repr=False, compare=False, kw_only=True)

    _shape: ClassVar[_dump.Shape] = _dump.IMAGE
    _hidden: ClassVar[tuple[str, ...]] = ("output_format",)

    def content(
        self,
        *,
        timeout: httpx2.Timeout | float = DOWNLOAD_TIMEOUT,
        max_bytes: int = MAX_DOWNLOAD_BYTES,
        http_client: httpx2.Client | None = None,
    ) -> bytes:
        """The image file's bytes: decoded from base64, or downloaded from `url` (http/https only,
        all within `timeout`, at most `max_bytes`, and only if they are an image of the expected
        format; `DownloadError` otherwise). A result of a `Client` downloads through its connection
        pool, without its key; `http_client` chooses another."""
        if self.b64_json is not None:
            return decode_b64(self.b64_json, self.output_format)
        url = checked_url(self.url)
        fetch = partial(download, url=url, timeout=timeout, max_bytes=max_bytes, expected=self.output_format)
        own = self._downloader
        if http_client is not None:
            return fetch(http_client)
        if own is not None and isinstance(own.http, httpx2.Client):
            return fetch(own.http, private=own.private)
        with httpx2.Client() as http:
            return fetch(http)

    async def acontent(
        self,
        *,
        timeout: httpx2.Timeout | float = DOWNLOAD_TIMEOUT,
        max_bytes: int = MAX_DOWNLOAD_BYTES,
        http_client: httpx2.AsyncClient | None = None,
    ) -> bytes:
        """`content`, downloading without blocking the event loop (through an `AsyncClient`'s pool)."""
        if self.b64_json is not None:
            return decode_b64(self.b64_json, self.output_format)
        url = checked_url(self.url)
        fetch = partial(adownload, url=url, timeout=timeout, max_bytes=max_bytes, expected=self.output_format)
        own = self._downloader
        if http_client is not None:
            return await fetch(http_client)
        if own is not None and isinstance(own.http, httpx2.AsyncClient):
            return await fetch(own.http, private=own.private)
        async with httpx2.AsyncClient() as http:
            return await fetch(http)

    def save(self, path_or_dir: str | Path, *, stem: str = "image") -> Path:
        """Write the image; given a directory, name it `<stem><ext>` with the extension of its format."""
        return write_image(path_or_dir, self.content(), self.output_format, stem)

    async def asave(
        self, path_or_dir: str | Path, *, stem: str = "image", http_client: httpx2.AsyncClient | None = None
    ) -> Path:
        """`save` for async code: a URL result is downloaded without blocking the event loop."""
        content = await self.acontent(http_client=http_client)
        return write_image(path_or_dir, content, self.output_format, stem)


class ImageList(tuple[Image, ...]):
    """`ImagesResponse.data`: an immutable sequence that reads like the official SDK's list (it equals
    a list of the same images, and a slice is an `ImageList` too)."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, list):
            return tuple.__eq__(self, tuple(other))
        return tuple.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = tuple.__hash__

    @overload
    def __getitem__(self, index: SupportsIndex) -> Image: ...

    @overload
    def __getitem__(self, index: slice) -> ImageList: ...

    def __getitem__(self, index: SupportsIndex | slice) -> Image | ImageList:
        if isinstance(index, slice):
            return ImageList(tuple.__getitem__(self, index))
        return tuple.__getitem__(self, index)

    def __repr__(self) -> str:
        return repr(list(self))


@dataclass(frozen=True, slots=True)
class SvgUsage(Parsed):
    """Tokens spent writing an SVG (output_format svg), counted apart from the image's `usage`; kept
    as `Usage` is (a value left out or of another type than the spec's is None)."""

    input_tokens: int | None = None
    model: str | None = None
    output_tokens: int | None = None
    reasoning_tokens: int | None = None
    total_tokens: int | None = None
    _source: Any = field(default=None, repr=False, compare=False, kw_only=True)

    _shape: ClassVar[_dump.Shape] = _dump.SVG_USAGE

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SvgUsage:
        if not isinstance(data, Mapping):
            raise TypeError(f"svg_usage must be a JSON object, not {type(data).__name__}")
        model = data.get("model")
        return cls(
            input_tokens=_count(data.get("input_tokens")),
            model=model if isinstance(model, str) else None,
            output_tokens=_count(data.get("output_tokens")),
            reasoning_tokens=_count(data.get("reasoning_tokens")),
            total_tokens=_count(data.get("total_tokens")),
            _source=data,
        )


@dataclass(frozen=True, slots=True)
class ImagesResponse(Parsed):
    """The result of a generation, edit or variation, with every field the API sends.

    `model_dump()`, `model_dump_json()`, `to_dict()` and `to_json()` serialise it as the official SDK
    does (without the wrapper's `http`).
    """

    created: int
    data: ImageList = field(default_factory=ImageList)
    """The images; the API may leave it out (an empty list)."""
    background: str | None = None
    output_format: str | None = None
    quality: str | None = None
    size: str | None = None
    usage: Usage | None = None
    safety_identifier: str | None = None
    """The end-user identifier the request was monitored under (its safety_identifier, else its user)."""
    svg_usage: SvgUsage | None = None
    http: HTTPInfo | None = field(default=None, compare=False)
    _source: Any = field(default=None, repr=False, compare=False, kw_only=True)

    _shape: ClassVar[_dump.Shape] = _dump.IMAGES_RESPONSE
    _hidden: ClassVar[tuple[str, ...]] = ("http",)

    @classmethod
    def from_dict(
        cls, document: Mapping[str, Any], http: HTTPInfo | None = None, downloader: Downloader | None = None
    ) -> ImagesResponse:
        """Parse the API's JSON into the fields this type has (KeyError, TypeError or AttributeError
        when it is not an ImagesResponse); a field the answer leaves out is None, `data` may be left
        out too, and a field this version does not know stays in the JSON the dumps serialise."""
        values = _picked(cls, document)
        output_format = values.get("output_format")
        extra = {"output_format": output_format, "_downloader": downloader}
        items = values.get("data") or ()
        values["data"] = ImageList(known(Image, item, **extra, _source=item) for item in items)
        if (usage := values.get("usage")) is not None:
            values["usage"] = optional_part(Usage.from_dict, usage)
        if (svg_usage := values.get("svg_usage")) is not None:
            values["svg_usage"] = optional_part(SvgUsage.from_dict, svg_usage)
        return cls(**values, http=http, _source=document)

    def __post_init__(self) -> None:
        if type(self.data) is not ImageList:  # built by hand with a list or a tuple
            object.__setattr__(self, "data", ImageList(self.data))

    @property
    def request_id(self) -> str | None:
        return self.http.request_id if self.http else None

    @property
    def _request_id(self) -> str | None:
        """`request_id` under the official SDK's (documented) name."""
        return self.request_id

    def save_all(self, directory: str | Path, stem: str = "image") -> list[Path]:
        """Write every image into `directory` as `<stem>-<i><ext>` (just `<stem><ext>` for one image)."""
        return [image.save(target, stem=name) for image, target, name in self._targets(directory, stem)]

    async def asave_all(
        self, directory: str | Path, stem: str = "image", *, http_client: httpx2.AsyncClient | None = None
    ) -> list[Path]:
        """`save_all` for async code: URL results are downloaded without blocking the event loop."""
        targets = self._targets(directory, stem)
        return [await image.asave(to, stem=name, http_client=http_client) for image, to, name in targets]

    def _targets(self, directory: str | Path, stem: str) -> list[tuple[Image, Path, str]]:
        check_stem(stem)
        target = Path(directory)
        target.mkdir(parents=True, exist_ok=True)
        if len(self.data) == 1:
            return [(self.data[0], target, stem)]
        return [(image, target, f"{stem}-{index}") for index, image in enumerate(self.data, 1)]


def optional_part(parse: Callable[[Any], T], data: object) -> T | None:
    """An optional part of an answer (its usage, say) parsed, or None when it is not what the spec
    says: the images of a good answer are never lost to its accounting, and the dumps keep the JSON
    as it came (the official SDK keeps such values unchecked too)."""
    try:
        return parse(data)
    except (KeyError, TypeError, AttributeError, ValueError):
        return None


def known(cls: type[T], data: Mapping[str, Any], **extra: Any) -> T:
    """A `cls` (a result dataclass) of the fields of `data` it has, plus `extra`."""
    return cls(**_picked(cls, data), **extra)


def _picked(cls: type[Parsed], data: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of the API's JSON `data` that `cls` has (KeyError for a missing one without a
    default): a field a newer API adds is left in the JSON (`_source`), not refused."""
    if not isinstance(data, Mapping):
        raise TypeError(f"{cls.__name__} must be a JSON object, not {type(data).__name__}")
    names, required = _FIELDS.get(cls) or _fields_of(cls)
    for name in required:
        if name not in data:
            raise KeyError(name)
    return {name: data[name] for name in names if name in data}


_FIELDS: dict[type[Parsed], tuple[tuple[str, ...], tuple[str, ...]]] = {}


def _fields_of(cls: type[Parsed]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The fields of a result dataclass that come from the API's JSON (not private, not `_hidden`),
    and those without a default (kept in `_FIELDS`)."""
    public = [f for f in fields(cls) if not f.name.startswith("_") and f.name not in cls._hidden]  # type: ignore[arg-type]
    required = [f.name for f in public if f.default is MISSING and f.default_factory is MISSING]
    _FIELDS[cls] = (tuple(f.name for f in public), tuple(required))
    return _FIELDS[cls]


def decode_b64(data: str, expected: str | None = None) -> bytes:
    """The image in `b64_json`, checked as a download is: a PNG, JPEG, WebP, GIF or SVG image (of
    the `expected` format when one is known), so that nothing else is handed out or saved as one."""
    try:
        content = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise WrapperError(f"b64_json is not valid base64: {exc}") from exc
    info = sniff_result(content[:HEAD_BYTES])
    if info is None:
        raise WrapperError(f"b64_json does not hold an image: its content starts {content[:24]!r}")
    if expected is not None and info.format != expected:
        raise WrapperError(f"b64_json holds a {info.format} image; expected {expected}")
    return content


def write_image(path_or_dir: str | Path, content: bytes, output_format: str | None, stem: str) -> Path:
    """Write `content` to a file, or into a directory as `<stem><ext>` (the extension from the format,
    or the bytes). A path that is a directory, ends with a separator or has no suffix is a directory,
    created if missing; anything else is the file to write. An existing file of that name is
    replaced, but only once the new one is whole: a write that fails leaves no torn file. A file's
    missing folders are created; a file named for another image format (a JPEG as `x.png`) is refused
    before anything is written, rather than saved under a name that misleads."""
    check_stem(stem)
    path = Path(path_or_dir)
    if path.is_dir() or str(path_or_dir).endswith(("/", os.sep)) or not path.suffix:
        path.mkdir(parents=True, exist_ok=True)
        path = path / f"{stem}{extension_for(output_format, content)}"
    else:
        _check_suffix(path, extension_for(output_format, content))
        path.parent.mkdir(parents=True, exist_ok=True)
    publish(path, content)
    return path


_SUFFIX_ALIASES = {".jpeg": ".jpg", ".jpe": ".jpg"}


def _check_suffix(path: Path, extension: str) -> None:
    """Refuse a file name whose image suffix says another format than the image's own."""
    suffix = path.suffix.lower()
    named = _SUFFIX_ALIASES.get(suffix, suffix)
    if named in EXTENSIONS.values() and named != extension:
        kind = next(name for name, ext in EXTENSIONS.items() if ext == extension).upper()
        raise ValueError(
            f"{path} names a {named.lstrip('.').upper()} file but the image is {kind}: save it as "
            f"{path.with_suffix(extension).name}, or give a directory to have it named"
        )


MAX_STEM_BYTES = 200
"""The longest stem saved: with a suffix (`-12-partial-3.jpeg`) and the temporary name of `publish`
(19 bytes more), a file name stays within the 255 bytes most file systems allow."""


def check_stem(stem: str) -> None:
    """Refuse a stem that is not a plain file name: it must not leave the directory it is saved in,
    and it must fit a file name (checked before a request is paid for, not when its answer is saved)."""
    if not stem or stem in (".", "..") or any(char in stem for char in _NOT_IN_STEMS):
        raise ValueError(f"stem {stem!r} is not a file name; use a name without path separators, '..' or NUL")
    try:
        size = len(stem.encode())
    except UnicodeEncodeError:
        raise ValueError(f"stem {stem!r} is not a file name; it has characters UTF-8 cannot encode") from None
    if size > MAX_STEM_BYTES:
        raise ValueError(f"stem of {size} bytes is too long for a file name; use at most {MAX_STEM_BYTES}")


def publish(path: Path, content: bytes, *, exclusive: bool = False) -> None:
    """Write `content` to a temporary file beside `path`, then move it into place in one step, so
    `path` is never seen half-written. `exclusive` refuses to replace an existing file
    (`FileExistsError`): the name is claimed atomically, which parallel writers can rely on."""
    # Not tempfile.mkstemp: its files are private (0600), while a saved image gets the umask's mode.
    temporary = path.parent / f".{path.name}.{secrets.token_hex(6)}.part"
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        if exclusive:
            os.link(temporary, path)  # fails if the name exists: an atomic exclusive create, whole
        else:
            os.replace(temporary, path)
    finally:
        if os.path.lexists(temporary):
            os.unlink(temporary)


def extension_for(output_format: str | None, content: bytes = b"") -> str:
    if output_format in EXTENSIONS:
        return EXTENSIONS[output_format]
    info = sniff_result(content[:4096])
    return EXTENSIONS[info.format] if info else ".png"


def parse_failure(response: httpx2.Response, exc: Exception) -> APIResponseValidationError:
    return APIResponseValidationError(
        f"the {response.status_code} answer is not an ImagesResponse: {type(exc).__name__}: {exc}",
        response=response,
    )
