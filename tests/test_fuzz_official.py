"""Schemathesis fuzzes the emulator in-process from the API's own 2026-08 description: a short run of
`make fuzz-official` (settings and exceptions: tests/schemathesis-official.toml; adaptations,
refusal reasons and hooks: tests/fuzz_official_hooks.py). Pixels are drawn 8x8, as in test_fuzz.py."""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import fuzz_official_hooks
import pytest

# The official description lives outside the repository (../shared/reference/): without it the module
# is skipped here, at collection, before anything below reads it (a bare clone has no ../shared/).
if not fuzz_official_hooks.OFFICIAL_PATH.exists():
    pytest.skip("the official description (../shared/reference/) is not at hand", allow_module_level=True)

import schemathesis
from hypothesis import HealthCheck, given, settings
from mock_support import small_pictures
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup

from wrapper.mock import Fault, create_app

CONFIG_PATH = Path(__file__).with_name("schemathesis-official.toml")
API_KEY = tomllib.loads(CONFIG_PATH.read_text())["auth"]["openapi"]["ApiKeyAuth"]["bearer"]
EXAMPLES_PER_OPERATION = 80

app = create_app(api_key=API_KEY, max_recorded=16, max_stored_images=16)
schema = schemathesis.openapi.from_dict(
    fuzz_official_hooks.adapted(), config=schemathesis.Config.from_path(CONFIG_PATH)
)
schema.app = app
outcomes: Counter[tuple[str, str, int, str]] = Counter()


@pytest.fixture(scope="module", autouse=True)
def small_pixels() -> Iterator[None]:
    with small_pictures():
        yield


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
def test_the_emulator_keeps_the_official_contract(case: schemathesis.Case) -> None:
    response = case.call_and_validate()
    assert case.meta is not None
    kind = response.headers.get("content-type", [""])[0].split(";")[0]
    outcomes[case.path, case.meta.generation.mode.value, response.status_code, kind] += 1


def test_the_official_run_reached_success_and_refusal() -> None:
    """Runs after the fuzzing above (file order): it reached answers, not only refusals."""
    if len({path for path, *_ in outcomes}) < 3:
        pytest.skip("runs only after the fuzzing of all three operations")
    for path in ("/images/generations", "/images/edits", "/images/variations"):
        assert (path, "positive", 200, "application/json") in outcomes, path
        assert (path, "negative", 400, "application/json") in outcomes, path


BODY = {"prompt": "a fox", "model": "gpt-image-2", "size": "1536x864", "stream": True, "partial_images": 1}


def test_a_custom_size_stream_conforms_with_the_documented_adaptation() -> None:
    case = schema["/images/generations"]["POST"].Case(
        body=BODY, media_type="application/json", headers={"Authorization": f"Bearer {API_KEY}"}
    )
    response = case.call_and_validate()
    assert response.content.count(b"\ndata: ") == 2


def test_the_harness_bites_on_a_garbled_stream_and_an_unlisted_refusal() -> None:
    headers = {"Authorization": f"Bearer {API_KEY}"}
    operation = schema["/images/generations"]["POST"]
    app.faults.queue(Fault.garbled())
    with pytest.raises(FailureGroup, match="SSE event violates schema"):
        operation.Case(body=BODY, media_type="application/json", headers=headers).call_and_validate()

    @given(operation.as_strategy(generation_mode=GenerationMode.POSITIVE))
    @settings(max_examples=3, deadline=None, derandomize=True, database=None)
    def refused_without_reason(case: schemathesis.Case) -> None:
        case.headers = {**(case.headers or {}), **headers}
        case.body = {"prompt": "a fox", "model": "gpt-image-1"}  # valid: the fault alone refuses it
        app.faults.queue(Fault(status=400, message="refused for no reason"))
        with pytest.raises(FailureGroup, match="official_refusal"):
            case.call_and_validate()

    refused_without_reason()
