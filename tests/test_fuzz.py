"""Schemathesis fuzzes the emulator in-process from openapi.yaml: every check, valid and invalid requests.

The settings and their exceptions, each with its reason, are in tests/schemathesis.toml; the
extensions (real image files for binary fields, the `model_rule_rejection` check) in
tests/fuzz_hooks.py. The run is derandomized so `make test` is reproducible; `make fuzz` runs the
same against a live server, longer and with a seed of your choice.

Result pixels are drawn 8x8 here, whatever the size asked, to keep `make test` quick: the answers
are otherwise unchanged (sizes, formats, events), tests/test_mock_images.py checks real pixels and
`make fuzz` draws them full size.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import fuzz_hooks
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from mock_support import small_pictures
from schemathesis.core.failures import FailureGroup

from wrapper.mock import Fault, create_app

CONFIG_PATH = Path(__file__).with_name("schemathesis.toml")
API_KEY = tomllib.loads(CONFIG_PATH.read_text())["auth"]["openapi"]["ApiKeyAuth"]["bearer"]
AUTH = {"Authorization": f"Bearer {API_KEY}"}
EXAMPLES_PER_OPERATION = 250
MIN_CASES = 1000

app = create_app(api_key=API_KEY, max_recorded=16, max_stored_images=16)
schema = schemathesis.openapi.from_path(
    fuzz_hooks.SPEC_PATH, config=schemathesis.Config.from_path(CONFIG_PATH)
)
schema.app = app  # before any operation is looked up

# (operation path, generation mode, method, status, media type) of every case sent.
outcomes: Counter[tuple[str, str, str, int, str]] = Counter()


@pytest.fixture(scope="module", autouse=True)
def small_pixels() -> Iterator[None]:
    with small_pictures():
        yield


@schema.parametrize()
@pytest.mark.as_of("today")  # the API as it is: retired models and the variations endpoint answer 404
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
def test_the_emulator_keeps_the_contract(case: schemathesis.Case) -> None:
    response = case.call_and_validate()
    assert case.meta is not None
    media_type = response.headers.get("content-type", [""])[0].split(";")[0]
    outcomes[case.path, case.meta.generation.mode.value, case.method, response.status_code, media_type] += 1


def test_the_fuzzing_reached_every_outcome() -> None:
    """The run above was big enough and reached what its checks are about (runs after it, in file order)."""
    if len({path for path, *_ in outcomes}) < 3:
        pytest.skip("runs only after the fuzzing of all three operations")
    assert outcomes.total() >= MIN_CASES
    for path in ("/images/generations", "/images/edits", "/images/variations"):
        seen = {
            (mode, method, status, kind) for (where, mode, method, status, kind) in outcomes if where == path
        }
        assert ("positive", "POST", 404, "application/json") in seen, path  # retired: models, variations
        if path != "/images/variations":  # which takes no requests since 2026-05-12
            assert ("positive", "POST", 200, "application/json") in seen, path
            assert ("positive", "POST", 400, "application/json") in seen, path  # model rules
        assert ("negative", "POST", 400, "application/json") in seen, path
        assert ("negative", "POST", 415, "application/json") in seen, path
        assert ("negative", "TRACE", 405, "application/json") in seen, path
    # A random valid stream became rare with the 2026-11 parameters (frame_count, frame_duration_ms,
    # svg and output_format gif or svg each rule a stream out): test_streams_conform_frame_by_frame
    # sends a generation and an edit stream through the same checks instead.


STREAMS = [
    ("/images/generations", {"prompt": "a fox", "model": "gpt-image-1", "stream": True, "partial_images": 2}),
    (
        "/images/edits",
        {
            "prompt": "a hat",
            "model": "gpt-image-1-mini",
            "stream": True,
            "partial_images": 3,
            "image": [fuzz_hooks.SAMPLE_IMAGES[0], fuzz_hooks.SAMPLE_IMAGES[4]],
            "output_format": "webp",
        },
    ),
]


@pytest.mark.parametrize(("path", "body"), STREAMS)
def test_streams_conform_frame_by_frame(path: str, body: dict[str, object]) -> None:
    case = schema[path]["POST"].Case(body=body, media_type=_media_type(path), headers=AUTH)
    response = case.call_and_validate()
    assert response.headers["content-type"][0].startswith("text/event-stream")
    assert response.content.count(b"\ndata: ") == body["partial_images"] + 1  # type: ignore[operator]


def test_a_stream_off_the_spec_fails_the_checks() -> None:
    """The harness bites: a garbled last frame breaks response schema conformance."""
    path, body = STREAMS[0]
    app.faults.queue(Fault.garbled())
    case = schema[path]["POST"].Case(body=body, media_type="application/json", headers=AUTH)
    with pytest.raises(FailureGroup, match="SSE event violates schema"):
        case.call_and_validate()


def test_an_emulator_without_a_pinned_key_fails_ignored_auth() -> None:
    """The harness bites: an emulator that takes any key is caught by `ignored_auth`."""
    lax = schemathesis.openapi.from_path(
        fuzz_hooks.SPEC_PATH, config=schemathesis.Config.from_path(CONFIG_PATH)
    )
    lax.app = create_app()
    case = lax["/images/generations"]["POST"].Case(
        body={"prompt": "x", "model": "dall-e-2", "size": "256x256"},
        media_type="application/json",
        headers=AUTH,
    )
    with pytest.raises(FailureGroup, match=r"[Aa]uth"):
        case.call_and_validate()


def _media_type(path: str) -> str:
    return "application/json" if path.endswith("generations") else "multipart/form-data"
