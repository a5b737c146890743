"""What each image model accepts: one frozen, data-only table.

The client's validation, the emulator's validation, the defaults, the CLI's help and the README's
table all read `MODELS`. Adding a model is adding a row; nothing else branches on model names.
The rules come from the API reference (see the descriptions in `openapi.yaml`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Literal

from ._spec import Operation as Operation  # re-exported: the table is where most code meets it

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class FileRule:
    """Limits on the image files of one request part (`image` of an edit, `mask`, ...)."""

    max_count: int
    formats: tuple[str, ...]
    max_bytes: int
    square: bool = False
    same_size_as: str | None = None
    """Another file parameter whose first file these files must match in dimensions."""
    by_reference: bool = False
    """Whether the files may also be given by reference (a URL or file id) in a JSON body."""
    needs_alpha: bool = False
    """Whether the files must be able to hold transparent pixels (a PNG without alpha cannot)."""


@dataclass(frozen=True, slots=True)
class SizeRule:
    """Free-form WIDTHxHEIGHT sizes, beside the model's fixed list."""

    multiple_of: int
    max_aspect: float
    max_edge: int
    max_pixels: int
    experimental_above_pixels: int


@dataclass(frozen=True, slots=True)
class Lifecycle:
    """When a model (or an operation) could be used, and what replaces it once retired.

    None means the documents give no date: available since before the table begins, not deprecated,
    not retired. `replacements` are model names or, where the documents name none, their words.
    """

    available_from: date | None = None
    deprecated_on: date | None = None
    retired_on: date | None = None
    replacements: tuple[str, ...] = ()

    def available(self, as_of: date) -> bool:
        """Whether requests are served as of that day."""
        started = self.available_from is None or self.available_from <= as_of
        return started and (self.retired_on is None or as_of < self.retired_on)


@dataclass(frozen=True, slots=True)
class ModelCapabilities:
    """One row of the table: what one model accepts, and what it uses when a value is not given.

    An empty tuple means the model does not take the parameter at all.
    """

    name: str
    family: Literal["gpt-image", "dall-e"]
    operations: frozenset[Operation]
    max_prompt_chars: int
    max_n: int
    sizes: tuple[str, ...]
    default_size: str
    qualities: tuple[str, ...]
    default_quality: str
    styles: tuple[str, ...] = ()
    response_formats: tuple[str, ...] = ()
    backgrounds: tuple[str, ...] = ()
    transparent_formats: tuple[str, ...] = ()
    output_formats: tuple[str, ...] = ()
    compression_formats: tuple[str, ...] = ()
    moderations: tuple[str, ...] = ()
    input_fidelities: tuple[str, ...] = ()
    max_partial_images: int | None = None
    custom_sizes: SizeRule | None = None
    edit_images: FileRule | None = None
    mask: FileRule | None = None
    variation_image: FileRule | None = None
    revises_prompt: bool = False
    """Whether answers carry a `revised_prompt`: the prompt the model actually drew from."""
    reports_usage: bool = False
    """Whether answers carry token `usage` and the background / output_format / quality / size used."""
    edits_transparent_pixels: bool = False
    """Whether an edit without a mask edits where the first image itself is transparent."""
    animated_formats: tuple[str, ...] = ()
    """The output formats that animate (frame_count and frame_duration_ms need one)."""
    vector_formats: tuple[str, ...] = ()
    """The output formats an SVG author writes (the svg options need one)."""
    markup: FileRule | None = None
    lifecycle: Lifecycle = Lifecycle()

    @property
    def streams(self) -> bool:
        return self.max_partial_images is not None

    def supports(self, operation: Operation) -> bool:
        return operation in self.operations

    def rule(self, param: str) -> Rule | None:
        """The rule of this table that governs `param`, or None: the schema alone decides."""
        return PARAM_RULES.get(param)

    def column(self, param: str) -> object:
        """This row's value of the column that governs `param` (None for a parameter without a rule)."""
        rule = PARAM_RULES.get(param)
        return getattr(self, rule.column) if rule is not None else None

    def values(self, param: str) -> tuple[str, ...] | None:
        """The values this model takes for a `Choice` parameter (empty: it does not take it)."""
        rule = PARAM_RULES.get(param)
        return getattr(self, rule.column) if isinstance(rule, Choice) else None

    def file_rule(self, operation: Operation, param: str) -> FileRule | None:
        """The limits on the files of `param` in `operation` (None: the model takes no such file)."""
        column = FILE_COLUMNS.get((operation, param))
        return getattr(self, column) if column is not None else None


# --- which column of a row governs which request parameter ------------------------------------------


@dataclass(frozen=True, slots=True)
class Choice:
    """The value must be one of the row's `column` (an empty tuple: the model does not take it);
    `free_form` names a `SizeRule` column that admits other values too."""

    column: str
    free_form: str | None = None


@dataclass(frozen=True, slots=True)
class Limit:
    """An upper bound from the row's `column` (None: the model does not take the parameter);
    `length` bounds a string's length instead of a number."""

    column: str
    length: bool = False


@dataclass(frozen=True, slots=True)
class Switch:
    """`True` only where the row's `column` is true."""

    column: str


@dataclass(frozen=True, slots=True)
class Needs:
    """Setting the parameter (to `value`, or to anything when None) needs `other` to be one of the row's
    `column` (`other` not given counts as the first of its own choices); an empty column with
    `value` None means the model does not take the parameter."""

    column: str
    other: str
    value: object | None = None
    unless: object | None = None
    """A value taken whatever `other` is (the server's own default, which changes nothing)."""


@dataclass(frozen=True, slots=True)
class Excludes:
    """Setting the parameter (to anything but one of `unless`) is refused while `other` is one of
    `values`; with `values` None, while `other` is given at all. The same for every model."""

    other: str
    values: tuple[object, ...] | None = None
    unless: tuple[object, ...] = ()


Rule = Choice | Limit | Switch | Needs

PARAM_RULES: Mapping[str, Rule] = MappingProxyType(
    {
        "prompt": Limit("max_prompt_chars", length=True),
        "n": Limit("max_n"),
        "size": Choice("sizes", free_form="custom_sizes"),
        "quality": Choice("qualities"),
        "style": Choice("styles"),
        "response_format": Choice("response_formats"),
        "background": Choice("backgrounds"),
        "output_format": Choice("output_formats"),
        "moderation": Choice("moderations"),
        "input_fidelity": Choice("input_fidelities"),
        "stream": Switch("streams"),
        "partial_images": Limit("max_partial_images"),
        "output_compression": Needs("compression_formats", other="output_format", unless=100),
        "frame_count": Needs("animated_formats", other="output_format"),
        "frame_duration_ms": Needs("animated_formats", other="output_format"),
        "svg": Needs("vector_formats", other="output_format"),
    }
)
"""The one map from a request parameter to the column of a row that rules it. A parameter not here
(a new one in openapi.yaml, `user`) gets the schema's checks only."""

PAIRED_RULES: Mapping[str, Needs] = MappingProxyType(
    {"background": Needs("transparent_formats", other="output_format", value="transparent")}
)
"""Rules that hold beside a parameter's own: a transparent background needs a format with alpha."""

FILE_COLUMNS: Mapping[tuple[Operation, str], str] = MappingProxyType(
    {
        ("edit", "image"): "edit_images",
        ("edit", "mask"): "mask",
        ("edit", "markup"): "markup",
        ("variation", "image"): "variation_image",
    }
)
"""The row's `FileRule` column of each file parameter of an operation."""

_STILL_ONLY = ("gif", "svg")
EXCLUSIONS: Mapping[str, tuple[Excludes, ...]] = MappingProxyType(
    {
        "stream": (Excludes("output_format", _STILL_ONLY, unless=(False,)),),
        "partial_images": (Excludes("output_format", _STILL_ONLY, unless=(0,)),),
        "output_compression": (
            Excludes("output_format", ("gif",), unless=(100,)),
            Excludes("output_format", ("svg",)),
        ),
        "n": (Excludes("output_format", ("svg",), unless=(1,)),),
        "mask": (Excludes("output_format", ("gif",)),),
        "markup": (Excludes("mask"),),
    }
)
"""Combinations the API refuses whatever the model (file parameters count as given when sent): GIF
and SVG output neither stream nor send partial images; GIF takes only the default compression and
no mask, SVG no compression and one image; markup and mask do not go together."""

DEFAULT_COLUMNS: Mapping[str, str] = MappingProxyType({"size": "default_size", "quality": "default_quality"})
"""The row's default of a parameter; a `Choice` parameter not here defaults to its first value."""


GPT_SIZES = ("auto", "1024x1024", "1536x1024", "1024x1536")
DALLE2_SIZES = ("256x256", "512x512", "1024x1024")
PNG_UNDER_4MB = FileRule(max_count=1, formats=("png",), max_bytes=4 * MB)
MASK = FileRule(max_count=1, formats=("png",), max_bytes=4 * MB, same_size_as="image")
GPT_MASK = FileRule(max_count=1, formats=("png",), max_bytes=4 * MB, same_size_as="image", by_reference=True)
SQUARE_PNG_UNDER_4MB = FileRule(max_count=1, formats=("png",), max_bytes=4 * MB, square=True)
GPT_EDIT_IMAGES = FileRule(
    max_count=16, formats=("png", "webp", "jpeg"), max_bytes=50 * MB, by_reference=True
)
MARKUP = FileRule(max_count=1, formats=("png",), max_bytes=50 * MB, same_size_as="image", needs_alpha=True)
"""The documents give markup no byte limit of its own: the edit images' 50 MB applies."""
RETIRED_DALL_E = Lifecycle(retired_on=date(2026, 5, 12), replacements=("a GPT image model",))
GPT_IMAGE_2_5 = date(2026, 9, 8)
GPT_IMAGE_2_6 = date(2026, 11, 5)
"""The official SDK first names the 2.6 models in 3.46.0 (2026-11-05); the 2026-08 description does not."""
GPT_IMAGE_2_SIZES = SizeRule(
    multiple_of=16,
    max_aspect=3.0,
    max_edge=3840,
    max_pixels=3840 * 2160,
    experimental_above_pixels=2560 * 1440,
)


def _gpt(
    name: str,
    *,
    fidelity: bool = True,
    free_sizes: bool = False,
    finest: bool = False,
    markup: bool = False,
    lifecycle: Lifecycle = Lifecycle(),
) -> ModelCapabilities:
    """A GPT image model's row; `finest` adds the xhigh and max qualities, `markup` markup edits."""
    return ModelCapabilities(
        name=name,
        family="gpt-image",
        operations=frozenset({"generate", "edit"}),
        max_prompt_chars=32000,
        max_n=10,
        sizes=GPT_SIZES,
        default_size="auto",
        qualities=("low", "medium", "high", *(("xhigh", "max") if finest else ()), "auto"),
        default_quality="auto",
        backgrounds=("transparent", "opaque", "auto"),
        transparent_formats=("png", "webp"),
        output_formats=("png", "jpeg", "webp", "gif", "svg"),
        compression_formats=("jpeg", "webp"),
        moderations=("low", "auto"),
        input_fidelities=("high", "low") if fidelity else (),
        max_partial_images=3,
        custom_sizes=GPT_IMAGE_2_SIZES if free_sizes else None,
        edit_images=GPT_EDIT_IMAGES,
        mask=GPT_MASK,
        reports_usage=True,
        animated_formats=("gif",),
        vector_formats=("svg",),
        markup=MARKUP if markup else None,
        lifecycle=lifecycle,
    )


_ROWS = (
    _gpt(
        "gpt-image-1",
        lifecycle=Lifecycle(
            retired_on=date(2026, 10, 23), replacements=("gpt-image-2.5-sunburst", "gpt-image-2.5-flare")
        ),
    ),
    _gpt("gpt-image-1-mini", fidelity=False),
    _gpt("gpt-image-1.5"),
    _gpt("gpt-image-2", free_sizes=True),  # transparent backgrounds in preview (2026-08)
    _gpt("gpt-image-2-2026-04-21", free_sizes=True, lifecycle=Lifecycle(available_from=date(2026, 4, 21))),
    _gpt("chatgpt-image-latest"),
    ModelCapabilities(
        name="dall-e-2",
        family="dall-e",
        operations=frozenset({"generate", "edit", "variation"}),
        max_prompt_chars=1000,
        max_n=10,
        sizes=DALLE2_SIZES,
        default_size="1024x1024",
        qualities=("standard", "auto"),
        default_quality="standard",
        response_formats=("url", "b64_json"),
        edit_images=SQUARE_PNG_UNDER_4MB,
        mask=MASK,
        variation_image=SQUARE_PNG_UNDER_4MB,
        edits_transparent_pixels=True,
        lifecycle=RETIRED_DALL_E,
    ),
    ModelCapabilities(
        name="dall-e-3",
        family="dall-e",
        operations=frozenset({"generate"}),
        max_prompt_chars=4000,
        max_n=1,
        sizes=("1024x1024", "1792x1024", "1024x1792"),
        default_size="1024x1024",
        qualities=("standard", "hd", "auto"),
        default_quality="standard",
        styles=("vivid", "natural"),
        response_formats=("url", "b64_json"),
        revises_prompt=True,
        lifecycle=RETIRED_DALL_E,
    ),
    *(
        _gpt(
            name, free_sizes=True, finest=True, markup=True, lifecycle=Lifecycle(available_from=GPT_IMAGE_2_5)
        )
        for name in (
            "gpt-image-2.5-sunburst",
            "gpt-image-2.5-sunburst-2026-09-08",
            "gpt-image-2.5-flare",
            "gpt-image-2.5-flare-2026-09-08",
        )
    ),
    _gpt("gpt-image-2.6-sunburst", lifecycle=Lifecycle(available_from=GPT_IMAGE_2_6)),
    _gpt("gpt-image-2.6-flare", lifecycle=Lifecycle(available_from=GPT_IMAGE_2_6)),
)

MODELS: Mapping[str, ModelCapabilities] = MappingProxyType({row.name: row for row in _ROWS})
"""Every known model by name, in the order of the API reference."""

DEFAULT_MODELS: Mapping[Operation, str] = MappingProxyType(
    {"generate": "dall-e-2", "edit": "gpt-image-1.5", "variation": "dall-e-2"}
)
"""The model the API uses when a request names none."""

GPT_DEFAULT_MODEL = "gpt-image-1.5"
"""The generation model used instead of dall-e-2 when a GPT-only parameter is set."""

OPERATION_LIFECYCLE: Mapping[Operation, Lifecycle] = MappingProxyType(
    {"variation": Lifecycle(retired_on=date(2026, 5, 12), replacements=("edits with a GPT image model",))}
)
"""Operations with dates of their own: variations (only dall-e-2 made them) take no requests since
dall-e-2's retirement."""

DEFAULTS_UNTIL = date(2026, 5, 12)
"""`DEFAULT_MODELS` and `GPT_DEFAULT_MODEL` describe the API before this day. Since dall-e-2's
retirement the reference asks for the model to be named and gives no default."""

MAX_FILE_BYTES = max(
    rule.max_bytes
    for row in _ROWS
    for rule in (row.edit_images, row.mask, row.markup, row.variation_image)
    if rule is not None
)
"""The largest file any known model takes: the limit for a model outside the table."""
