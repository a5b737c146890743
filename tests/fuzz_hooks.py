"""Schemathesis extensions for fuzzing the emulator: imported by tests/test_fuzz.py (in-process) and
loaded through `SCHEMATHESIS_HOOKS` by scripts/fuzz.py (`make fuzz`, a live server).

- `binary` fields get real small PNG, JPEG and WebP files (square, non-square, with and without
  transparency) half the time and arbitrary bytes otherwise, so positive cases reach the success
  path of edits and variations as often as they hit the file rules.
- `model_rule_rejection` is a check: a schema-valid request answered 400 must have been refused by a
  rule openapi.yaml documents under `BadRequest` (a model rule or a file-content rule) and must name a
  parameter of the request. It is why `positive_data_acceptance` may expect 400 (tests/schemathesis.toml).
- `filter_case` drops a negative JSON case whose body still matches the request schema: schemathesis
  mutates one branch of an `anyOf` (a `ModelName` is a known model *or* any name) and labels the
  result negative even when the other branch accepts it. Nothing else is filtered.
"""

from __future__ import annotations

import base64
import io
import re
import zlib
from functools import cache
from pathlib import Path
from typing import Any

import schemathesis
import yaml
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from PIL import Image
from schemathesis.core.parameters import ParameterLocation

SPEC_PATH = Path(__file__).resolve().parents[1] / "openapi.yaml"
FILE_PARAMS = frozenset({"image", "mask", "images", "markup"})
"""Parameters carrying images (uploads or references): refused for what the files hold, a rule the
schema cannot express (an error may name one item: `images[0].image_url`)."""
# How the shared validation words a model rule (`_validation._invalid` with a model), and the
# emulator's one size rule for models outside the table, and the exclusions that hold for every model
# (`EXCLUSIONS`: "allowed: not set with mask", "allowed: 1 with output_format svg"): each is a
# documented cross-field rule.
_DOCUMENTED_RULE = re.compile(
    r" is not supported by | cannot do | the emulator draws at most |; allowed: (not set|\S+) with "
)


def _image(size: tuple[int, int], fmt: str, mode: str = "RGBA", transparent_half: bool = False) -> bytes:
    image = Image.new(mode, size, (200, 40, 90, 255) if mode == "RGBA" else (200, 40, 90))
    if transparent_half:
        image.paste((0, 0, 0, 0), (0, 0, size[0] // 2, size[1]))
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


SAMPLE_IMAGES = (
    _image((32, 32), "PNG"),
    _image((32, 32), "PNG", transparent_half=True),
    _image((48, 32), "PNG"),
    _image((32, 32), "JPEG", mode="RGB"),
    _image((32, 32), "WEBP"),
)
schemathesis.openapi.format(
    "binary", st.one_of(st.sampled_from(SAMPLE_IMAGES), st.binary(min_size=1, max_size=64))
)


@cache
def _spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text())
    return loaded


@cache
def request_schema(path: str, media_type: str | None = None) -> dict[str, Any]:
    """The request body schema of `POST {path}` (e.g. `/images/edits`) for `media_type` (default: the
    first), its $refs resolvable."""
    content = _spec()["paths"][path]["post"]["requestBody"]["content"]
    schema = content[media_type]["schema"] if media_type else next(iter(content.values()))["schema"]
    return {"components": _spec()["components"], **schema}


@cache
def request_properties(path: str) -> frozenset[str]:
    """The properties of every request body of `POST {path}`."""
    content = _spec()["paths"][path]["post"]["requestBody"]["content"]
    names = [media["schema"]["$ref"].rsplit("/", 1)[1] for media in content.values()]
    return frozenset(p for name in names for p in _spec()["components"]["schemas"][name]["properties"])


@cache
def _validator(path: str, media_type: str) -> Draft202012Validator:
    return Draft202012Validator(request_schema(path, media_type))


@schemathesis.check
def model_rule_rejection(ctx: Any, response: schemathesis.Response, case: schemathesis.Case) -> bool | None:
    """A schema-valid request answered 400 broke a documented cross-field rule naming its parameter."""
    meta = case.meta
    if response.status_code != 400 or meta is None or not meta.generation.mode.is_positive or not ours(case):
        return None
    if not case.operation.path.startswith("/images/"):
        return None  # the model rules are those of the image operations; /files and /batches have none
    error = response.json().get("error", {})
    param, message = error.get("param"), str(error.get("message"))
    param = re.split(r"[\[.]", param, maxsplit=1)[0] if isinstance(param, str) else param
    if param not in request_properties(case.operation.path):
        raise AssertionError(f"a schema-valid request was refused without naming a parameter: {message}")
    if param in FILE_PARAMS or _DOCUMENTED_RULE.search(message):
        return None
    raise AssertionError(f"a schema-valid request was refused by a schema-level check: {message}")


@schemathesis.hook
def filter_case(context: Any, case: schemathesis.Case) -> bool:
    meta = case.meta
    if meta is None or case.media_type != "application/json" or case.method.upper() != "POST":
        return True
    if not ours(case):
        return True
    negative = {location for location, info in meta.components.items() if info.mode.is_negative}
    if negative != {ParameterLocation.BODY}:
        return True
    return not _validator(case.operation.path, case.media_type).is_valid(case.body)


KNOWN_MODELS = tuple(sorted(_spec()["components"]["schemas"]["ImageModel"]["enum"]))


def data_urls() -> tuple[str, ...]:
    """The sample images as base64 data: URLs."""
    return tuple(
        f"data:image/{fmt};base64,{base64.b64encode(data).decode()}"
        for data, fmt in zip(SAMPLE_IMAGES, ("png", "png", "png", "jpeg", "webp"), strict=True)
    )


_DATA_URLS = data_urls()


def ours(case: schemathesis.Case) -> bool:
    """Whether `case` was generated from openapi.yaml (tests/fuzz_official_hooks.py serves the
    official description; hooks and checks are global, so each set keeps to its own cases)."""
    return bool(case.operation.schema.raw_schema.get("info", {}).get("title") == _spec()["info"]["title"])


@schemathesis.hook
def map_case(context: Any, case: schemathesis.Case) -> schemathesis.Case:
    """Half the positive cases name a known model and give references as data: URLs of real images.

    The schema lets `model` be any string and an image reference any URL or id, and the emulator
    answers an unknown model or file 404 and a foreign URL 400, as the API does; without this most
    positive cases would stop there and never reach drawing, streaming or the file rules. The half
    is picked by a hash of the body, so a run stays reproducible (a map hook draws nothing).
    """
    meta = case.meta
    if meta is None or meta.generation.mode.is_negative or not isinstance(case.body, dict) or not ours(case):
        return case
    pick = zlib.crc32(repr(sorted(case.body.items(), key=str)).encode())
    if pick % 2:
        return case
    model, data_url = KNOWN_MODELS[pick // 2 % len(KNOWN_MODELS)], _DATA_URLS[pick // 7 % len(_DATA_URLS)]
    return _with_known(case, model, data_url)


def _with_known(case: schemathesis.Case, model: str, data_url: str) -> schemathesis.Case:
    body = dict(case.body)
    if isinstance(body.get("model"), str):
        body["model"] = model
    if isinstance(body.get("images"), list):
        body["images"] = [{"image_url": data_url} for _ in body["images"]]
    if isinstance(body.get("mask"), dict):
        body["mask"] = {"image_url": _DATA_URLS[1]}
    known = case.derive(keep_auth=True)
    known.body = body
    return known
