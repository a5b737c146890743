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

import io
import re
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
FILE_PARAMS = frozenset({"image", "mask", "markup"})
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
def request_schema(path: str) -> dict[str, Any]:
    """The request body schema of `POST {path}` (e.g. `/images/edits`), its $refs resolvable."""
    content = _spec()["paths"][path]["post"]["requestBody"]["content"]
    schema = next(iter(content.values()))["schema"]
    return {"components": _spec()["components"], **schema}


@cache
def request_properties(path: str) -> frozenset[str]:
    name = request_schema(path)["$ref"].rsplit("/", 1)[1]
    return frozenset(_spec()["components"]["schemas"][name]["properties"])


@cache
def _validator(path: str) -> Draft202012Validator:
    return Draft202012Validator(request_schema(path))


@schemathesis.check
def model_rule_rejection(ctx: Any, response: schemathesis.Response, case: schemathesis.Case) -> bool | None:
    """A schema-valid request answered 400 broke a documented cross-field rule naming its parameter."""
    meta = case.meta
    if response.status_code != 400 or meta is None or not meta.generation.mode.is_positive:
        return None
    error = response.json().get("error", {})
    param, message = error.get("param"), str(error.get("message"))
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
    negative = {location for location, info in meta.components.items() if info.mode.is_negative}
    if negative != {ParameterLocation.BODY}:
        return True
    return not _validator(case.operation.path).is_valid(case.body)
