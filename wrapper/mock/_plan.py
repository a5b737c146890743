"""From a parsed, validated request to what to produce: model row, output, count, delivery.

Everything here reads the capability table; no model is named. A model outside the table is
rendered like the newest GPT image model, within the largest size any known model offers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from .._capabilities import DEFAULT_MODELS, GPT_DEFAULT_MODEL, MODELS, ModelCapabilities, Operation
from .._spec import P
from ._errors import APIErrorResponse
from ._render import Output


def _largest_area() -> int:
    areas = [row.custom_sizes.max_pixels for row in MODELS.values() if row.custom_sizes]
    areas += [_area(size) for row in MODELS.values() for size in row.sizes if size != "auto"]
    return max(areas)


def _largest_edge() -> int:
    edges = [row.custom_sizes.max_edge for row in MODELS.values() if row.custom_sizes]
    edges += [
        int(side)
        for row in MODELS.values()
        for size in row.sizes
        if size != "auto"
        for side in size.split("x")
    ]
    return max(edges)


def _area(size: str) -> int:
    width, height = size.split("x")
    return int(width) * int(height)


MAX_OUTPUT_PIXELS = _largest_area()
MAX_OUTPUT_EDGE = _largest_edge()
# Output tokens per 1024x1024 image by quality, and input tokens per image, in the API's ballpark.
_OUTPUT_TOKENS = {
    "low": 272,
    "medium": 1056,
    "high": 4160,
    "xhigh": 8320,
    "max": 16640,
    "standard": 1056,
    "hd": 4160,
}
# The API's GIF defaults and limits (frame delays are encoded in hundredths of a second, 16 bits).
GIF_FRAMES, GIF_FRAME_MS, GIF_MAX_FRAME_MS = 9, 200, 655350
GIF_MAX_PIXELS = 16 * 1536 * 1024
"""The emulator's bound on a GIF's pixels over all its frames: its encoder holds every frame at once.
The API has GIF size limits of its own that the documents do not give."""
SVG_AUTHOR = "svg-author"
"""What `svg_usage.model` says when the request leaves the SVG author to the API."""
_REASONING_TOKENS = {
    "none": 0,
    "minimal": 64,
    "low": 256,
    "medium": 1024,
    "high": 4096,
    "xhigh": 8192,
    "max": 16384,
}
_IMAGE_INPUT_TOKENS = {"low": 194, "high": 1536}


@dataclass(frozen=True, slots=True)
class Plan:
    """What one request asks for, with every default filled in from the model's row."""

    operation: Operation
    model: str
    row: ModelCapabilities
    prompt: str
    n: int
    out: Output
    response_format: str
    stream: bool
    partial_images: int
    quality: str
    input_fidelity: str
    style: str
    frames: int = 1
    frame_ms: int = GIF_FRAME_MS
    svg_author: str = SVG_AUTHOR
    svg_effort: str = "medium"
    safety_identifier: str | None = None

    def response_fields(self) -> dict[str, object]:
        """The response's background / output_format / quality / size fields (GPT image models)."""
        return self.resolved() if self.row.reports_usage else {}

    def resolved(self) -> dict[str, object]:
        """Background, output format, quality and size as drawn: what `auto` and the defaults became."""
        return {
            "background": "transparent" if self.out.transparent else "opaque",
            "output_format": self.out.format,
            "quality": self.quality,
            "size": f"{self.out.width}x{self.out.height}",
        }

    def usage(self, input_images: int, images: int) -> dict[str, object]:
        """Plausible token counts: ~4 characters a text token, a per-image input cost, area-scaled output."""
        text = max(1, math.ceil(len(self.prompt) / 4)) if self.prompt else 0
        image_in = input_images * _IMAGE_INPUT_TOKENS.get(self.input_fidelity, 194)
        per_image = _OUTPUT_TOKENS.get(self.quality, 1056) * self.out.width * self.out.height
        output = images * max(1, per_image // (1024 * 1024))
        return {
            "input_tokens": text + image_in,
            "input_tokens_details": {"text_tokens": text, "image_tokens": image_in},
            "output_tokens": output,
            "output_tokens_details": {"image_tokens": output, "text_tokens": 0},
            "total_tokens": text + image_in + output,
        }

    def svg_usage(self) -> dict[str, object]:
        """Token counts of the SVG author: the prompt in, the document out, reasoning by effort."""
        text = max(1, math.ceil(len(self.prompt) / 4))
        output = 600 + self.out.width * self.out.height // 8192
        reasoning = _REASONING_TOKENS.get(self.svg_effort, 1024)
        return {
            "input_tokens": text,
            "model": self.svg_author,
            "output_tokens": output,
            "reasoning_tokens": reasoning,
            "total_tokens": text + output + reasoning,
        }

    def revised_prompt(self) -> str | None:
        if not self.row.revises_prompt:
            return None
        return f"{self.prompt.strip()}, drawn in a {self.style} style with careful attention to detail."


def plan(operation: Operation, model: str, params: Mapping[str, object]) -> Plan:
    """Fill in the defaults of a request that `validate_request` accepted."""
    row = MODELS.get(model) or _stand_in(operation)
    output_format = str(params.get(P.output_format) or (row.output_formats or ("png",))[0])
    background = str(params.get(P.background, "auto"))
    width, height = _size(row, params.get(P.size))
    compression = params.get(P.output_compression, 100)
    quality = str(params.get(P.quality, row.default_quality))
    frames = _int(params.get(P.frame_count, GIF_FRAMES)) if output_format == "gif" else 1
    if frames * width * height > GIF_MAX_PIXELS:
        message = (
            f"size '{width}x{height}' with {frames} frames is too large; the emulator draws at most"
            f" {GIF_MAX_PIXELS} pixels over all frames of a GIF"
        )
        raise APIErrorResponse(400, message, param=P.size, code="invalid_value")
    return Plan(
        operation=operation,
        model=model,
        row=row,
        prompt=str(params.get(P.prompt, "")),
        n=_int(params.get(P.n, 1)),
        out=Output(width, height, output_format, _int(compression), background == "transparent"),
        response_format=str(params.get(P.response_format) or (row.response_formats or ("b64_json",))[0]),
        stream=params.get(P.stream) is True,
        partial_images=_int(params.get(P.partial_images, 0)),
        quality=_resolve_quality(row, quality),
        input_fidelity=str(params.get(P.input_fidelity, "low")),
        style=str(params.get(P.style, (row.styles or ("vivid",))[0])),
        frames=frames,
        frame_ms=_frame_ms(params.get(P.frame_duration_ms, GIF_FRAME_MS)),
        **_svg(params.get(P.svg)),
        safety_identifier=_safety_identifier(params),
    )


def _stand_in(operation: Operation) -> ModelCapabilities:
    """The row that draws for an accepted model outside the table: the GPT default where it does the
    operation, else the operation's default model (a variation never answers with GPT fields)."""
    gpt = MODELS[GPT_DEFAULT_MODEL]
    return gpt if gpt.supports(operation) else MODELS[DEFAULT_MODELS[operation]]


def _frame_ms(value: object) -> int:
    """The delay the API encodes: rounded to 10 ms, from 0 to `GIF_MAX_FRAME_MS` (no lower bound is
    documented, so a negative request is drawn as 0 rather than refused)."""
    return max(0, min(GIF_MAX_FRAME_MS, 10 * round(_int(value) / 10)))


def _svg(options: object) -> dict[str, str]:
    chosen = options if isinstance(options, Mapping) else {}
    reasoning = chosen.get(P.reasoning)
    effort = reasoning.get(P.effort) if isinstance(reasoning, Mapping) else None
    return {"svg_author": str(chosen.get(P.model) or SVG_AUTHOR), "svg_effort": str(effort or "medium")}


def _safety_identifier(params: Mapping[str, object]) -> str | None:
    """The identifier the request is monitored under: a non-empty safety_identifier, else user."""
    for value in (params.get(P.safety_identifier), params.get(P.user)):
        if isinstance(value, str) and value:
            return value
    return None


def _int(value: object) -> int:
    assert isinstance(value, int)
    return value


def _size(row: ModelCapabilities, size: object) -> tuple[int, int]:
    chosen = str(size or row.default_size)
    if chosen == "auto":
        chosen = next((s for s in (row.default_size, *row.sizes) if s != "auto"), "1024x1024")
    width, height = (int(side) for side in chosen.split("x"))
    # Reached only by models outside the table, whose sizes the schema alone bounds (99999x99999).
    if width * height > MAX_OUTPUT_PIXELS or max(width, height) > MAX_OUTPUT_EDGE:
        message = (
            f"size {chosen!r} is too large; the emulator draws at most {MAX_OUTPUT_PIXELS} pixels"
            f" and {MAX_OUTPUT_EDGE} pixels a side"
        )
        raise APIErrorResponse(400, message, param=P.size, code="invalid_value")
    return width, height


def _resolve_quality(row: ModelCapabilities, quality: str) -> str:
    """The quality a response reports: `auto` becomes the model's default, or (when that is `auto`
    too) the middle of its other qualities."""
    if quality != "auto":
        return quality
    if row.default_quality != "auto":
        return row.default_quality
    concrete = [q for q in row.qualities if q != "auto"] or ["standard"]
    return concrete[len(concrete) // 2]
