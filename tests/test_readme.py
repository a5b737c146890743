"""Every code block of README.md runs as written, the way a reader would run it.

The emulator is started as the README says (`python -m wrapper.mock`), and each example gets the
environment of the two `export` lines its banner prints: each ```python block runs as a script of
its own (a block defining a test runs under pytest), each `images ...` line of a ```sh block as a
command, in a scratch directory holding the input files the lines name.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from processes import read_lines, running, stop

README = Path(__file__).resolve().parent.parent / "README.md"
TEXT = README.read_text()
BLOCKS = re.findall(r"^```python\n(.*?)^```", TEXT, flags=re.DOTALL | re.MULTILINE)
COMMANDS = [
    line
    for block in re.findall(r"^```sh\n(.*?)^```", TEXT, flags=re.DOTALL | re.MULTILINE)
    for line in block.splitlines()
    if line.startswith("images ")
]
BIN = Path(sys.executable).parent  # where `images` is installed, next to this interpreter

pytestmark = pytest.mark.network  # the examples talk to the emulator on a loopback port


@pytest.fixture(scope="module")
def environment() -> Iterator[dict[str, str]]:
    """The environment after the reader pasted the `export` lines the emulator printed."""
    argv = [sys.executable, "-m", "wrapper.mock", "--port", "0"]  # the README's, on a free port
    with running(argv) as emulator:
        banner = read_lines(emulator, 3)
        exports = [shlex.split(line) for line in banner if line.strip().startswith("export ")]
        env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
        env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
        env.update(dict(words[1].split("=", 1) for words in exports))
        assert {"OPENAI_BASE_URL", "OPENAI_API_KEY"} <= env.keys(), banner
        yield env


def test_the_readme_has_examples() -> None:
    assert len(BLOCKS) >= 5
    assert len(COMMANDS) >= 5


@pytest.mark.parametrize("source", BLOCKS, ids=[f"block-{i}" for i in range(1, len(BLOCKS) + 1)])
def test_python_block_runs_as_a_script(source: str, environment: dict[str, str], tmp_path: Path) -> None:
    script = tmp_path / "test_example.py"
    script.write_text(source)
    runner = ["-m", "pytest", "-q", "-p", "no:cacheprovider"] if "\ndef test_" in source else []
    done = subprocess.run(
        [sys.executable, *runner, script.name],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert not (tmp_path / "out").is_file(), "an example saved to a file named 'out', not into a directory"


@pytest.mark.parametrize("line", COMMANDS)
def test_images_line_runs(line: str, environment: dict[str, str], tmp_path: Path) -> None:
    Image.new("RGB", (1536, 1024), "navy").save(tmp_path / "photo.png")
    Image.new("RGBA", (1536, 1024), (0, 0, 0, 0)).save(tmp_path / "mask.png")
    Image.new("RGBA", (256, 256), "gold").save(tmp_path / "icon.png")
    argv = shlex.split(line, comments=True)
    if argv[:2] == ["images", "mock"]:
        return _serves_or_says_the_port_is_busy(argv, environment, tmp_path)
    done = subprocess.run(
        argv, cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _serves_or_says_the_port_is_busy(argv: list[str], env: dict[str, str], cwd: Path) -> None:
    """`images mock --port 4010` prints its banner, or one line when 4010 is taken on this machine."""
    with running(argv, cwd=cwd, env=env) as process:
        [first] = read_lines(process, 1)
        _, err = stop(process)
    if first:
        assert first.startswith("Images API emulator on http://127.0.0.1:4010/v1")
        assert process.returncode == 0, err
    else:
        assert process.returncode == 1
        assert err.startswith("images mock: error: port 4010 on 127.0.0.1 is already in use")
