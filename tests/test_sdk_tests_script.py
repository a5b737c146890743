"""`make sdk-tests` (scripts/sdk_tests.py): its rewrites of the SDK's tests and its report, without the
network (the run itself downloads the SDK's sdist; `.ci/run` does it)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import sdk_tests  # noqa: E402

TEST_LINES = """from openai import OpenAI, Stream as _Stream, AsyncOpenAI, AsyncStream as _AsyncStream
from openai.types import ImagesResponse

base_url = "x"

def test_one(client):
    image = client.images.edit(image=b"Example data", prompt="p")
    assert response.http_request.headers.get("X-Stainless-Lang") == "python"
    assert_matches_type(ImagesResponse, image, path=["response"])
"""
CONFTEST = """from __future__ import annotations
from openai import OpenAI, AsyncOpenAI, DefaultHttpx2Client, DefaultAioHttpClient
from openai._utils import is_dict

base_url = "x"
api_key = "My API Key"
"""


def test_the_placeholders_and_the_telemetry_assertions_are_set_aside() -> None:
    text = sdk_tests.set_aside(TEST_LINES + CONFTEST)
    assert "Example data" not in text
    assert repr(sdk_tests.placeholder_png()) in text
    assert sdk_tests.placeholder_png().startswith(b"\x89PNG")
    assert "X-Stainless" not in text
    assert "    pass  # set aside: telemetry" in text
    assert 'api_key = "sk-placeholder"' in text


def test_the_wrapper_run_imports_what_the_wrapper_exports_and_checks_dumps() -> None:
    exported = frozenset({"OpenAI", "AsyncOpenAI", "Stream", "AsyncStream", "DefaultHttpx2Client"})
    test_text, conftest = sdk_tests.for_wrapper(TEST_LINES, CONFTEST, "2026-04-30", exported)
    assert test_text.startswith(
        "from wrapper import OpenAI, Stream as _Stream, AsyncOpenAI, AsyncStream as _AsyncStream\n"
    )
    assert "from openai.types import ImagesResponse" in test_text  # the SDK's model, for the dump check
    assert "_matches_sdk_model(ImagesResponse, image" in test_text
    assert "from wrapper import OpenAI, AsyncOpenAI, DefaultHttpx2Client" in conftest
    assert "from openai import DefaultAioHttpClient" in conftest
    assert 'OpenAI = functools.partial(OpenAI, as_of="2026-04-30")' in conftest
    compile(test_text, "test_images.py", "exec")
    compile(conftest, "conftest.py", "exec")


def test_today_adds_no_day() -> None:
    _, conftest = sdk_tests.for_wrapper(TEST_LINES, CONFTEST, "today", frozenset({"OpenAI"}))
    assert "as_of" not in conftest


def test_the_report_fails_when_the_wrapper_loses_a_test_the_sdk_passes() -> None:
    said: list[str] = []
    same = {"T::a": "passed", "T::b": "failure"}
    results = {(c, d): dict(same) for d in sdk_tests.DAYS for c in ("openai", "wrapper")}
    assert sdk_tests.report(results, False, said.append) == 0
    assert said[-1] == "sdk-tests: 2 passed, 0 failed"
    results["wrapper", "today"]["T::a"] = "failure"
    said.clear()
    assert sdk_tests.report(results, False, said.append) == 1
    assert said[-1] == "sdk-tests: 1 passed, 1 failed"
    assert any(line.startswith("T::a") for line in said)
