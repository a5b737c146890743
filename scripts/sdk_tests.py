"""`make sdk-tests`: the official SDK's image tests against the emulator, with the SDK and with `wrapper`.

The SDK's source distribution ships its tests. This script downloads it at run time (`pip download`
of a pinned version, cached under ~/.cache/images-client/; the project keeps no copy of that code),
extracts `tests/`, and runs `tests/api_resources/test_images.py` four times: with the SDK and with the
imports switched to `wrapper`, against the emulator as of today and as of 2026-04-30 (each a
`wrapper.mock` on a free loopback port; the tests read `TEST_API_BASE_URL`). It prints which tests
each run passes and exits 1 when a test the SDK passes fails with the wrapper on the same day.

Assertions set aside, in both runs unless said (each rewrite is applied to the extracted copy):
- `X-Stainless-*` headers: the SDK's own telemetry; the wrapper sends none.
- The tests' placeholder key `"My API Key"`: a key with spaces is no key the API issues, and it answers
  401 (so does the emulator); `"sk-placeholder"` takes its place.
- The tests' placeholder image (the 12 bytes `b"Example data"`): the API refuses bytes that are not an
  image, and so does the emulator (400); a 64x64 PNG drawn at run time takes its place.
- With the wrapper only: `assert_matches_type(SDK model, result)` walks the SDK's pydantic model; the
  wrapper's results are not pydantic, so the check becomes "the wrapper's `model_dump()` validates as
  the SDK's model, whose own dump is equal to it" (then the same walk over that model).
- With the wrapper only: the SDK's names the wrapper does not export (its aiohttp transport, its
  `_utils`) still come from the SDK; as of another day than today the clients get `as_of=` that day
  (the wrapper checks requests as of a day; the SDK checks nothing).

Without the package index (offline), it says so and exits 0.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

SDK_VERSION = "3.63.0"
TEST_FILE = "tests/api_resources/test_images.py"
DAYS = ("today", "2026-04-30")
TEST_DEPS = ("pytest-asyncio>=1.4", "aiohttp>=3.14.4")
"""What the SDK's image tests need beyond this project's dev tools: its async tests run under
pytest-asyncio, and one parametrisation uses its aiohttp transport."""
RUN_TIMEOUT = 300.0
PIP_TIMEOUT = 300.0

PLUGIN = '''
"""Loaded into the extracted tests (written by scripts/sdk_tests.py)."""
'''

INI = """[pytest]
asyncio_mode = auto
asyncio_default_fixture_loop_scope = session
xfail_strict = true
filterwarnings =
    error
"""


def cache_dir() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "images-client" / f"sdk-tests-{SDK_VERSION}"


def _pip(*args: str) -> subprocess.CompletedProcess[str]:
    # Short network timeouts: without the package index the run says so in seconds, not minutes.
    network = ["--timeout", "15", "--retries", "1"]
    command = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet", *network, *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=PIP_TIMEOUT, check=False)


def fetch(cache: Path) -> Path | str:
    """The SDK's extracted source tree and the test dependencies (in `cache`), or why not."""
    source, deps = cache / f"openai-{SDK_VERSION}", cache / "deps"
    if not (source / TEST_FILE).is_file():
        with tempfile.TemporaryDirectory() as download:
            done = _pip(
                "download", "--no-deps", "--no-binary", ":all:", f"openai=={SDK_VERSION}", "-d", download
            )
            archives = list(Path(download).glob("openai-*.tar.gz"))
            if done.returncode or not archives:
                return f"pip download openai=={SDK_VERSION} failed: {_last_line(done.stderr)}"
            with tarfile.open(archives[0]) as archive:
                members = [
                    m for m in archive.getmembers() if m.name.startswith(f"openai-{SDK_VERSION}/tests/")
                ]
                archive.extractall(cache, members=members, filter="data")
    if not (deps / ".complete").is_file():
        done = _pip("install", "--target", str(deps), "--upgrade", *TEST_DEPS)
        if done.returncode:
            return f"pip install {' '.join(TEST_DEPS)} failed: {_last_line(done.stderr)}"
        (deps / ".complete").touch()
    return source


def _last_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "no output"


def placeholder_png() -> bytes:
    """A 64x64 half-transparent PNG: an image, a mask and a markup layer alike for every model."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGBA", (64, 64), (200, 60, 40, 128)).save(buffer, format="PNG")
    return buffer.getvalue()


def set_aside(text: str) -> str:
    """The rewrites of both runs: telemetry header assertions out, a real image for the placeholder."""
    text = re.sub(r"^(\s*)assert .*X-Stainless-.*$", r"\1pass  # set aside: telemetry", text, flags=re.M)
    text = text.replace('api_key = "My API Key"', 'api_key = "sk-placeholder"')
    return text.replace('b"Example data"', repr(placeholder_png()))


def wrapper_names() -> frozenset[str]:
    import wrapper

    return frozenset(wrapper.__all__)


def switch_imports(text: str, exported: frozenset[str]) -> str:
    """`from openai import A, B as C`: the names `wrapper` exports come from `wrapper`, others stay."""

    def rewrite(match: re.Match[str]) -> str:
        items = [item.strip() for item in match.group(1).split(",") if item.strip()]
        ours = [item for item in items if item.split(" as ")[0].strip() in exported]
        theirs = [item for item in items if item not in ours]
        lines = [f"from wrapper import {', '.join(ours)}"] if ours else []
        lines += [f"from openai import {', '.join(theirs)}"] if theirs else []
        return "\n".join(lines)

    return re.sub(r"^from openai import ([^\n(]+)$", rewrite, text, flags=re.M)


MATCHES_SDK_MODEL = '''

def _matches_sdk_model(type_, value, *, path):
    """Set aside for the wrapper (see scripts/sdk_tests.py): its result's dump is the SDK model's."""
    dump = value.model_dump()
    model = type_.model_validate(dump)
    assert model.model_dump() == dump
    assert_matches_type(type_, model, path=path)
'''


def for_wrapper(test_text: str, conftest: str, day: str, exported: frozenset[str]) -> tuple[str, str]:
    test_text = switch_imports(test_text, exported)
    test_text = test_text.replace("assert_matches_type(ImagesResponse,", "_matches_sdk_model(ImagesResponse,")
    anchor = "\nbase_url = "
    test_text = test_text.replace(anchor, MATCHES_SDK_MODEL + anchor, 1)
    conftest = switch_imports(conftest, exported)
    if day != "today":
        pinned = f'\nOpenAI = functools.partial(OpenAI, as_of="{day}")\n'
        pinned += f'AsyncOpenAI = functools.partial(AsyncOpenAI, as_of="{day}")\n'
        pinned = "\nimport functools\n" + pinned
        conftest = conftest.replace("\nbase_url = ", pinned + "\nbase_url = ", 1)
    return test_text, conftest


def prepare(source: Path, work: Path, client: str, day: str) -> Path:
    """A copy of the SDK's tests rewritten for one run; returns its root."""
    root = work / f"{client}-{day}"
    tests = root / "tests"
    _copy_tree(source / "tests", tests)
    test_path, conftest_path = tests / "api_resources" / "test_images.py", tests / "conftest.py"
    test_text, conftest = set_aside(test_path.read_text()), set_aside(conftest_path.read_text())
    if client == "wrapper":
        test_text, conftest = for_wrapper(test_text, conftest, day, wrapper_names())
    test_path.write_text(test_text)
    conftest_path.write_text(conftest)
    (root / "pytest.ini").write_text(INI)
    return root


def _copy_tree(source: Path, target: Path) -> None:
    import shutil

    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))


def run(root: Path, base_url: str, deps: Path) -> dict[str, str]:
    """Run the image tests of a prepared copy; each test's outcome by its id."""
    report = root / "report.xml"
    env = {**os.environ, "TEST_API_BASE_URL": base_url, "OPENAI_TEST_HTTP_CLIENT": "httpx2", "NO_PROXY": "*"}
    # The extra dependencies go after the environment's own packages, never in front of them.
    boot = f"import sys; sys.path.append({str(deps)!r}); import pytest; sys.exit(pytest.main(sys.argv[1:]))"
    options = ["-q", "-p", "no:cacheprovider", "--junitxml", str(report)]
    command = [sys.executable, "-c", boot, TEST_FILE, *options]
    try:
        subprocess.run(command, cwd=root, env=env, capture_output=True, timeout=RUN_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        return {}
    return outcomes(report) if report.is_file() else {}


def outcomes(report: Path) -> dict[str, str]:
    result = {}
    for case in ET.parse(report).iter("testcase"):
        name = f"{case.get('classname', '').rpartition('.')[2]}::{case.get('name')}"
        kinds = {child.tag for child in case}
        result[name] = next((kind for kind in ("failure", "error", "skipped") if kind in kinds), "passed")
    return result


def serve(day: str) -> Any:
    from wrapper.mock import LiveServer, create_app

    return LiveServer(create_app(as_of=None if day == "today" else day)).start()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=cache_dir(), help="where the SDK's tests are kept")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every test, not only differences")
    args = parser.parse_args(argv)
    source = fetch(args.cache)
    if isinstance(source, str):
        print(f"sdk-tests: skipped, the package index cannot be reached ({source})")
        return 0
    results: dict[tuple[str, str], dict[str, str]] = {}
    with tempfile.TemporaryDirectory(prefix="sdk-tests-") as work:
        servers = {day: serve(day) for day in DAYS}
        runs = [(client, day) for day in DAYS for client in ("openai", "wrapper")]
        try:
            # The four runs are independent (one emulator per day): two at a time, one per core.
            with ThreadPoolExecutor(max_workers=2) as pool:
                outcomes_ = pool.map(lambda key: _one(source, Path(work), key, servers, args.cache), runs)
                results.update(zip(runs, outcomes_, strict=True))
        finally:
            for server in servers.values():
                server.stop()
    return report(results, args.verbose, print)


def _one(
    source: Path, work: Path, key: tuple[str, str], servers: dict[str, Any], cache: Path
) -> dict[str, str]:
    client, day = key
    return run(prepare(source, work, client, day), servers[day].url, cache / "deps")


def report(results: dict[tuple[str, str], dict[str, str]], verbose: bool, say: Callable[[str], None]) -> int:
    """Print the outcomes; 1 when a test the SDK passes fails with the wrapper on the same day."""
    names = sorted({name for outcome in results.values() for name in outcome})
    missing = []
    say(f"{'test':<70} " + " ".join(f"{c[:7]}@{d:<10}" for c, d in results))
    for name in names:
        row = [results[key].get(name, "-") for key in results]
        lost = [day for day in DAYS if _lost(results, day, name)]
        missing += [(name, day) for day in lost]
        if verbose or lost:
            say(f"{name:<70} " + " ".join(f"{cell:<18}" for cell in row))
    for day in DAYS:
        sdk, ours = (sum(v == "passed" for v in results[c, day].values()) for c in ("openai", "wrapper"))
        total = len(results["openai", day])
        say(f"as of {day}: the SDK passes {sdk} of {total}, the wrapper {ours}")
    if missing:
        say(f"{len(missing)} test runs pass with the SDK and fail with the wrapper")
    kept = sum(_passed_both(results, day, name) for day in DAYS for name in names)
    # The closing line counts the target: the runs the SDK passes, passed or failed by the wrapper.
    say(f"sdk-tests: {kept} passed, {len(missing)} failed")
    return 1 if missing or not all(results.values()) else 0


def _passed_both(results: dict[tuple[str, str], dict[str, str]], day: str, name: str) -> bool:
    return results["openai", day].get(name) == results["wrapper", day].get(name) == "passed"


def _lost(results: dict[tuple[str, str], dict[str, str]], day: str, name: str) -> bool:
    return results["openai", day].get(name) == "passed" and results["wrapper", day].get(name) != "passed"


if __name__ == "__main__":
    sys.exit(main())
