"""Every Python example of README.md runs, against the emulator, in a scratch directory."""

from __future__ import annotations

import ast
import asyncio
import re
from pathlib import Path
from typing import Any

import pytest

import wrapper
from wrapper.mock.pytest_plugin import ImagesMock

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCKS = re.findall(r"^```python\n(.*?)^```", README.read_text(), flags=re.DOTALL | re.MULTILINE)

pytestmark = pytest.mark.network  # the examples talk to the emulator on a loopback port


def test_the_readme_has_examples() -> None:
    assert len(BLOCKS) >= 5


@pytest.mark.usefixtures("sleeps")
@pytest.mark.parametrize("source", BLOCKS, ids=[f"block-{i}" for i in range(1, len(BLOCKS) + 1)])
def test_readme_example_runs(
    source: str, images_mock: ImagesMock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-readme")
    monkeypatch.setenv("OPENAI_BASE_URL", images_mock.url)
    namespace: dict[str, Any] = {"__name__": "readme"}
    code = compile(source, str(README), "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    pending = eval(code, namespace)  # a coroutine when the block awaits at top level
    if pending is not None:
        asyncio.run(pending)
    for name, value in namespace.items():
        if name.startswith("test_") and callable(value):
            value(images_mock)  # a pytest example: run it with the fixture it asks for
        if isinstance(value, wrapper.Client):  # a service keeps its client; the test closes it
            value.close()
    assert not (tmp_path / "out").is_file(), "an example saved to a file named 'out', not into a directory"
