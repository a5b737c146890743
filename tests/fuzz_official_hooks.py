"""Fuzzing the emulator from the API's own description (the 2026-08 extract in ../shared/reference):
imported by tests/test_fuzz_official.py (in-process, in `make test`) and loaded through
`SCHEMATHESIS_HOOKS` by scripts/fuzz.py --official (`make fuzz-official`, a live server).

The description is used as published except for the ADAPTATIONS below, each with its reason; the
schemathesis settings and their exceptions are in tests/schemathesis-official.toml. The hooks here
act only on cases generated from the official description (tests/fuzz_hooks.py serves openapi.yaml):

- `official_refusal` (a check): a schema-valid request may be refused only by one of the rules in
  REFUSALS (model rules, file contents, references the server cannot resolve, unknown models...),
  and the answer must name the field at fault;
- `official_error_shape` (a check): every error answer is the API's `{"error": {...}}` document,
  since the description documents no error status for schemathesis to check it against;
- `filter_case` drops negative cases that are negative only through a JSON null or through a
  field the multipart encoding cannot carry (see the reasons there);
- `map_case` names a known model in half the positive cases and turns their references into data:
  URLs of real images (as tests/fuzz_hooks.py does), or almost every case would stop at a 404.
"""

from __future__ import annotations

import copy
import re
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import schemathesis
import yaml
from fuzz_hooks import KNOWN_MODELS, SAMPLE_IMAGES, data_urls
from jsonschema import Draft202012Validator
from schemathesis.core.parameters import ParameterLocation

ROOT = Path(__file__).resolve().parents[1]
OFFICIAL_PATH = ROOT.parent / "shared" / "reference" / "openai-openapi-images-2026-08.yaml"
TITLE_PREFIX = "OpenAI Images API"

# Each change made to the official description before fuzzing, and why.
ADAPTATIONS = {
    "streams described as frames": (
        "The description puts the event payload (ImageGenStreamEvent, ImageEditStreamEvent) where "
        "schemathesis expects the server-sent-event frame, so every stream would fail on the frame's "
        "`event`/`data` fields. The payload schema is kept and wrapped as the `data` of a frame "
        "(contentMediaType application/json), the way openapi.yaml describes streams: every event is "
        "still validated against the official event schema."
    ),
    "free sizes in responses": (
        "The one contradiction of the description: gpt-image-2 and its snapshot take any WIDTHxHEIGHT "
        "within limits (request `size`), yet `size` of ImagesResponse and of the stream events lists "
        "only 1024x1024, 1024x1536, 1536x1024 (and auto). Those response enums are dropped; the "
        "field stays a required string."
    ),
}

# Why a schema-valid request (per the official description) may still be refused, by field.
REFUSALS = {
    "model": (
        "A model that does not exist is answered 404 model_not_found, as the API does; a known model "
        "refuses an operation or parameter it does not offer (the descriptions' per-model rules)."
    ),
    "image": "Not a PNG, JPEG or WebP image, or outside the model's file limits (format, size, count...).",
    "mask": "Not a PNG of the first image's dimensions under 4 MB, or a reference that cannot be resolved.",
    "images": (
        "A reference the server cannot resolve (a host outside the emulator's allow-list, a file id "
        "never uploaded: 404), or whose content is not an image the model takes."
    ),
    "size": "A size the model does not offer (the description's per-model list and free-size limits).",
    "quality": "A quality the model does not offer (standard/hd are dall-e values).",
    "background": "Background is for GPT image models; transparent needs png or webp.",
    "output_format": "GPT image models only.",
    "output_compression": (
        "The description says 0-100 (percent) and jpeg or webp only (100, the default, with any "
        "format); the schema gives no bounds."
    ),
    "moderation": "GPT image models only.",
    "input_fidelity": "Not gpt-image-1-mini, not dall-e-2.",
    "style": "dall-e-3 only.",
    "response_format": "dall-e models only.",
    "n": "dall-e-3 makes one image.",
    "stream": "GPT image models only.",
    "partial_images": "GPT image models only.",
    "prompt": (
        "Longer than the model allows (1000 characters for dall-e-2, 4000 for dall-e-3, 32000), or "
        "empty: the JSON edit body sets minLength 1, the other bodies leave it out."
    ),
    "*": (
        "A property the description does not list: the schemas allow additional properties, the API "
        "answers 400 for an unrecognized request argument, naming it."
    ),
    "(retired operation)": (
        "The description of 2026-08 still lists POST /images/variations, which the API retired on "
        "2026-05-12 with dall-e-2 (the official SDK 3.57 says it no longer accepts requests): the "
        "emulator, playing today's API, answers it 404 with no param."
    ),
}


def _retired_path(path: str) -> bool:
    """Whether the operation served at `path` is retired as of the emulator's day (the table's dates)."""
    from wrapper import _lifecycle
    from wrapper._capabilities import OPERATION_LIFECYCLE
    from wrapper._spec import OPERATIONS

    day = _lifecycle.default_as_of()
    return any(
        OPERATIONS[operation].path == path and not cycle.available(day)
        for operation, cycle in OPERATION_LIFECYCLE.items()
    )


def is_official(case: schemathesis.Case) -> bool:
    """Whether `case` was generated from the official description (not from openapi.yaml)."""
    raw = case.operation.schema.raw_schema
    return str(raw.get("info", {}).get("title", "")).startswith(TITLE_PREFIX)


@cache
def adapted() -> dict[str, Any]:
    """The official description with ADAPTATIONS applied."""
    document: dict[str, Any] = yaml.safe_load(OFFICIAL_PATH.read_text())
    schemas = document["components"]["schemas"]
    for path in document["paths"].values():
        answers = path["post"]["responses"]["200"]["content"]
        if "text/event-stream" in answers:
            payload = answers["text/event-stream"]["schema"]
            answers["text/event-stream"]["schema"] = {
                "type": "object",
                "required": ["data"],
                "properties": {
                    "event": {"type": "string"},
                    "data": {
                        "type": "string",
                        "contentMediaType": "application/json",
                        "contentSchema": payload,
                    },
                },
            }
    for name in ("ImagesResponse", "ImageGenPartialImageEvent", "ImageGenCompletedEvent",
                 "ImageEditPartialImageEvent", "ImageEditCompletedEvent"):  # fmt: skip
        schemas[name]["properties"]["size"].pop("enum", None)
    return document


@cache
def adapted_path() -> Path:
    """The adapted description as a file (for the schemathesis command line)."""
    folder = Path(tempfile.mkdtemp(prefix="official-spec-"))
    path = folder / "openai-openapi-images-2026-08.adapted.yaml"
    path.write_text(yaml.safe_dump(adapted(), sort_keys=False))
    return path


@cache
def _properties(path: str) -> frozenset[str]:
    content = adapted()["paths"][path]["post"]["requestBody"]["content"]
    schemas = adapted()["components"]["schemas"]
    names = [media["schema"]["$ref"].rsplit("/", 1)[1] for media in content.values()]
    return frozenset(p for name in names for p in schemas[name]["properties"])


@schemathesis.check
def official_refusal(ctx: Any, response: schemathesis.Response, case: schemathesis.Case) -> bool | None:
    """A schema-valid request refused (400/404) for one of REFUSALS, naming the field at fault."""
    meta = case.meta
    if not is_official(case) or meta is None or not meta.generation.mode.is_positive:
        return None
    if response.status_code not in (400, 404):
        return None
    error = response.json().get("error", {})
    param = error.get("param")
    field = re.split(r"[\[.]", param, maxsplit=1)[0] if isinstance(param, str) else None
    if field in REFUSALS:
        return None
    if response.status_code == 404 and param is None and _retired_path(case.operation.path):
        return None  # REFUSALS["(retired operation)"]
    # The field as sent may differ in form from how the server decoded it (a surrogate pair in JSON
    # text, a newline escaped in a multipart part name): any unlisted field sent will do.
    known = _properties(case.operation.path)
    extra = set(case.body) - known if isinstance(case.body, dict) else set()
    if param is not None and param not in known and extra:
        return None  # REFUSALS["*"]: an argument the API does not recognize
    raise AssertionError(f"a schema-valid request was refused for no listed reason: {error}")


@schemathesis.check
def official_error_shape(ctx: Any, response: schemathesis.Response, case: schemathesis.Case) -> bool | None:
    """Every error answer is the API's error document (the description documents none)."""
    if not is_official(case) or response.status_code < 400:
        return None
    error = response.json().get("error")
    if not isinstance(error, dict) or not isinstance(error.get("message"), str):
        raise AssertionError(f"not the API's error document: {response.text[:200]}")
    if not set(error) >= {"message", "type", "param", "code"}:
        raise AssertionError(f"the error document lacks fields: {sorted(error)}")
    return None


@cache
def _validator(path: str, media_type: str) -> Draft202012Validator:
    content = adapted()["paths"][path]["post"]["requestBody"]["content"]
    return Draft202012Validator({"components": adapted()["components"], **content[media_type]["schema"]})


@schemathesis.hook
def filter_case(context: Any, case: schemathesis.Case) -> bool:
    """Drop negative cases that are not negative for the API.

    - JSON: a body that is valid once its null fields are dropped. Optional fields are nullable in
      the description, through the OpenAPI 3.0 keyword `nullable` that 3.1 tools ignore; the API and
      the official SDK treat null as "not given", and so does the emulator.
    - multipart: as for openapi.yaml (tests/schemathesis.toml), a form cannot carry most of what is
      mutated; those cases are not filtered but the check is off for them in the config.
    """
    meta = case.meta
    if not is_official(case) or meta is None or case.method.upper() != "POST":
        return True
    negative = {location for location, info in meta.components.items() if info.mode.is_negative}
    if negative != {ParameterLocation.BODY} or case.media_type != "application/json":
        return True
    if not isinstance(case.body, dict):
        return True
    without_nulls = {key: value for key, value in case.body.items() if value is not None}
    return not _validator(case.operation.path, case.media_type).is_valid(without_nulls)


_DATA_URLS = data_urls()


@schemathesis.hook
def map_case(context: Any, case: schemathesis.Case) -> schemathesis.Case:
    """Half the positive cases: a known model, references as data: URLs of real images, and real
    images for multipart files (the description's `image` is file-or-array, which schemathesis
    sends as text parts; see ../shared/FUZZ-NOTES.md)."""
    meta = case.meta
    if not is_official(case) or meta is None or meta.generation.mode.is_negative:
        return case
    if not isinstance(case.body, dict):
        return case
    pick = hash_of(case.body)
    if pick % 2:
        return case
    body = copy.copy(case.body)
    if isinstance(body.get("model"), str) or body.get("model") is None:
        body["model"] = KNOWN_MODELS[pick // 2 % len(KNOWN_MODELS)]
    if isinstance(body.get("images"), list):
        body["images"] = [{"image_url": _DATA_URLS[pick // 7 % len(_DATA_URLS)]} for _ in body["images"]]
    if isinstance(body.get("mask"), dict):
        body["mask"] = {"image_url": _DATA_URLS[1]}
    if "image" in body and case.media_type == "multipart/form-data":
        body["image"] = SAMPLE_IMAGES[pick // 11 % len(SAMPLE_IMAGES)]
    if "mask" in body and case.media_type == "multipart/form-data":
        body["mask"] = SAMPLE_IMAGES[1]
    known = case.derive(keep_auth=True)
    known.body = body
    return known


def hash_of(body: dict[str, Any]) -> int:
    import zlib

    return zlib.crc32(repr(sorted(body.items(), key=str)).encode())
