"""Turning a plan and its uploads into image files, JSON documents and event frames.

The Pillow work runs in worker threads (at most `RENDER_THREADS` at once, which also bounds the
memory of decoded inputs); the event loop assembles answers, and draws a generation's PNG itself
when nothing else is drawing (`_cheap`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import TypeVar, TypeVarTuple, Unpack

import anyio
from PIL import Image

from .._spec import P
from . import _picture, _render
from ._errors import APIErrorResponse
from ._forms import FilePart, Form
from ._plan import Plan

RENDER_THREADS = 4
INLINE_PIXELS = 2048 * 2048
"""The largest generation drawn on the event loop when nothing else is drawing (`_cheap`)."""
ANSWERS_KEPT = 32
"""Generated files kept for identical requests (a few MB at most: the pictures compress well)."""
LARGE_INPUT_BYTES = 8 * 1024 * 1024
"""Requests with an upload this large are decoded one at a time: Pillow may read a file whole."""

_T = TypeVar("_T")
_Ts = TypeVarTuple("_Ts")
_limiters: dict[int, anyio.CapacityLimiter] = {}
_MEDIA_TYPES = {
    "png": "image/png",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
    "gif": "image/gif",
    "svg": "image/svg+xml",
}
_EVENT_PREFIX = {"generate": "image_generation", "edit": "image_edit"}


@dataclass(frozen=True, slots=True)
class Inputs:
    """The decoded uploads at the output size: the first image, all images side by side, the paint region."""

    base: Image.Image | None = None
    side: Image.Image | None = None
    region: Image.Image | None = None
    digest: bytes = b""
    count: int = 0


async def in_thread(function: Callable[[Unpack[_Ts]], _T], *args: *_Ts, threads: int = RENDER_THREADS) -> _T:
    """Run Pillow work off the event loop, at most `threads` such jobs at once."""
    if threads not in _limiters:
        _limiters[threads] = anyio.CapacityLimiter(threads)
    return await anyio.to_thread.run_sync(function, *args, limiter=_limiters[threads])


async def decoded(plan: Plan, form: Form | None) -> Inputs:
    """`prepare` off the event loop; one request at a time when its uploads are large."""
    if form is None or not form.images:
        return Inputs()  # a generation: nothing to decode, no thread to wake
    parts = form.parts()
    large = any(part.size > LARGE_INPUT_BYTES for part in parts)
    return await in_thread(prepare, plan, form, threads=1 if large else RENDER_THREADS)


def prepare(plan: Plan, form: Form | None) -> Inputs:
    """Decode the uploads of an edit or variation (nothing for a generation)."""
    if form is None or not form.images:
        return Inputs()
    size = plan.out.size
    first = _decode(form.images[0], size)
    others = (_decode(part, size) for part in form.images[1:])
    side = _render.side_by_side(chain([first], others), len(form.images), size)
    region = None
    if form.mask is not None:
        region = _render.transparent_region(_decode(form.mask, size), size)
    elif form.markup is not None:
        region = _markup_region(form.markup, size)
    elif plan.row.edits_transparent_pixels and plan.operation == "edit":
        region = _render.transparent_region(first, size)
    digest = hashlib.sha256(form.images[0].head()).digest()
    return Inputs(first, side, region, digest, len(form.images))


def _markup_region(part: FilePart, size: tuple[int, int]) -> Image.Image:
    """Where a markup overlay asks for change; 400 when it has no transparent pixel, as the API wants."""
    markup = _decode(part, size)
    low, _ = markup.getchannel("A").getextrema()
    if isinstance(low, int) and low > 0:
        message = "markup has no transparent pixels; draw the marks on a transparent PNG"
        raise APIErrorResponse(400, message, param=P.markup, code="invalid_value")
    return _render.drawn_region(markup, size)


def _decode(part: FilePart, size: tuple[int, int]) -> Image.Image:
    info = part.upload().info
    if part.spool is None or info is None:
        raise APIErrorResponse(400, f"{part.param} is not a PNG, JPEG or WebP image", param=part.param)
    try:
        image = _render.decode(part.spool, info.format, info.width, info.height)
    except _render.DecodeError as exc:
        name = f" {part.filename!r}" if part.filename else ""
        message = f"{part.param}{name} is not a valid {info.format.upper()} image: {exc}"
        raise APIErrorResponse(400, message, param=part.param, code="invalid_image") from None
    return _render.fit(image if image is not None else _render.stand_in(part.head(), size), size)


def render(plan: Plan, inputs: Inputs, index: int) -> Image.Image:
    """Result number `index` of a request, captioned with what the request asked for."""
    lines = label(plan, index)
    if plan.operation == "variation" and inputs.base is not None:
        digest = _render.seed(inputs.digest.hex(), plan.model, index)
        return _render.variation(inputs.base, digest, index, plan.out, lines)
    digest = _render.seed(plan.prompt, plan.model, index)
    if plan.operation == "edit" and inputs.base is not None and inputs.side is not None:
        return _render.edit(inputs.base, inputs.side, inputs.region, digest, plan.out, lines)
    return _picture.picture(digest, plan.out.size, plan.out.mode == "RGBA", lines, _shapes(plan, index))


def _shapes(plan: Plan, index: int) -> bytes:
    """What a generation's shapes come from: its model and result number, not its prompt (which gives
    the colours and the caption), so that answers to other prompts share their rows and
    `_picture.png_file` deflates those once."""
    return _render.seed(plan.model, index)


def label(plan: Plan, index: int, words: int = 4) -> list[str]:
    """The caption of a result: the prompt's first words, model, size, quality, and which image it is."""
    prompt = plan.prompt.split()
    first = " ".join(prompt[:words]) + (" ..." if len(prompt) > words else "")
    lines = [f'"{first}"' if first else plan.operation, plan.model]
    lines.append(f"{plan.out.width}x{plan.out.height} {plan.quality}")
    lines.append(f"image {index + 1} of {plan.n}")
    return lines


def encode(plan: Plan, image: Image.Image) -> bytes:
    return _render.encode(image, plan.out)


def media_type(plan: Plan) -> str:
    return _MEDIA_TYPES[plan.out.format]


class Answers:
    """The newest generated files by plan and result number. A generation's file depends on its plan
    alone, so an identical request is answered from here, without a drawing or a thread."""

    def __init__(self, kept: int) -> None:
        self.kept = kept
        self._files: OrderedDict[tuple[Plan, int], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, plan: Plan, index: int) -> bytes | None:
        with self._lock:
            data = self._files.get((plan, index))
            if data is not None:
                self._files.move_to_end((plan, index))
            return data

    def put(self, plan: Plan, index: int, data: bytes) -> None:
        with self._lock:
            self._files[plan, index] = data
            while len(self._files) > self.kept:
                self._files.popitem(last=False)


ANSWERS = Answers(ANSWERS_KEPT)


def rendered_file(plan: Plan, inputs: Inputs, index: int) -> bytes:
    """Result number `index` as a file: a still image, an animated GIF, or an SVG document."""
    if plan.out.format == "svg":
        return _render.svg_document(
            _render.seed(plan.prompt, plan.model, index), plan.out, label(plan, index)
        )
    if plan.out.format == "gif":
        return _render.animate(render(plan, inputs, index), plan.frames, plan.frame_ms)
    if plan.out.format == "png" and inputs.count == 0:
        digest, transparent = _render.seed(plan.prompt, plan.model, index), plan.out.mode == "RGBA"
        return _picture.png_file(digest, plan.out.size, transparent, label(plan, index), _shapes(plan, index))
    return encode(plan, render(plan, inputs, index))


def partial_file(plan: Plan, final: Image.Image, step: int) -> bytes:
    return encode(plan, _render.partial(final, step, plan.partial_images))


async def images(plan: Plan, inputs: Inputs) -> list[bytes]:
    """The n result files of a plan: a generation's from `ANSWERS` when an identical request has
    been answered lately, else drawn in a worker thread."""
    return [await _file(plan, inputs, index) for index in range(plan.n)]


async def _file(plan: Plan, inputs: Inputs, index: int) -> bytes:
    if inputs.count:
        return await in_thread(rendered_file, plan, inputs, index)
    data = ANSWERS.get(plan, index)
    if data is None:
        data = _inline(plan, inputs, index) if _cheap(plan) else None
        if data is None:
            data = await in_thread(rendered_file, plan, inputs, index)
        ANSWERS.put(plan, index, data)
    return data


def _cheap(plan: Plan) -> bool:
    """A generation's PNG up to INLINE_PIXELS (~0.25 ms at 1024x1024, ~0.55 ms at 2048x2048): drawn on
    the event loop when no other drawing runs, as handing it to a thread and back costs about as
    much as drawing it. Under load it goes to the threads like the rest."""
    width, height = plan.out.size
    return plan.out.format == "png" and width * height <= INLINE_PIXELS


def _inline(plan: Plan, inputs: Inputs, index: int) -> bytes | None:
    limiter = _limiters.get(RENDER_THREADS)
    if limiter is not None and limiter.borrowed_tokens:
        return None
    return rendered_file(plan, inputs, index)


def document(
    plan: Plan, created: int, items: Sequence[dict[str, object]], input_images: int
) -> dict[str, object]:
    """The ImagesResponse body."""
    body: dict[str, object] = {"created": created, "data": list(items), **plan.response_fields()}
    if plan.row.reports_usage:
        body["usage"] = plan.usage(input_images, plan.n)
    if plan.out.format == "svg":
        body["svg_usage"] = plan.svg_usage()
    if plan.safety_identifier is not None:
        body["safety_identifier"] = plan.safety_identifier
    return body


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def frame(event: str, payload: object) -> bytes:
    """One server-sent-event frame: `event: <type>` and one `data:` line of JSON."""
    return f"event: {event}\ndata: {json.dumps(payload, separators=(',', ':'))}\n\n".encode()


async def events(plan: Plan, inputs: Inputs, created: int) -> AsyncIterator[bytes]:
    """A stream's frames: per image, `partial_images` partial events, then the completed event."""
    prefix = _EVENT_PREFIX[plan.operation]
    # The resolved values (no `auto`), as the JSON answer to the same request reports them.
    common = {"created_at": created, **plan.resolved()}
    for index in range(plan.n):
        final = await in_thread(render, plan, inputs, index)
        for step in range(plan.partial_images):
            data = await in_thread(partial_file, plan, final, step)
            kind = f"{prefix}.partial_image"
            yield frame(kind, {"type": kind, "b64_json": b64(data), **common, "partial_image_index": step})
        data = await in_thread(encode, plan, final)
        kind = f"{prefix}.completed"
        payload = {"type": kind, "b64_json": b64(data), **common, "usage": plan.usage(inputs.count, 1)}
        if plan.safety_identifier is not None:
            payload["safety_identifier"] = plan.safety_identifier
        yield frame(kind, payload)
