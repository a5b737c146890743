"""Every code block of README.md and of the docs/ pages runs as written, the way a reader would run it.

The emulator is started as the README says (`python -m wrapper.mock`), and each example gets the
environment of the two `export` lines its banner prints: each ```python block runs as a script of
its own (a block defining a test runs under pytest) in a scratch directory, which holds `cassettes/`
(one exchange recorded through the recording proxy) for a block that checks cassettes it does not
record; the `images ...` lines of a ```sh block run as commands, in order, in one scratch directory
holding the input files the lines name (a block is one shell session: `images batch submit` then
`images batch status` on the same job). ```text blocks are not run: they show output, trees and
files (a job's lines, a CI recipe that needs a real key), not code to paste.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from processes import read_lines, running, stop

import wrapper
from wrapper.mock import LiveServer, create_proxy

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _blocks(language: str) -> list[tuple[str, str]]:
    """(an id naming the page and the block, the block's text) for each ```language block."""
    found = []
    for page in PAGES:
        pattern = rf"^```{language}\n(.*?)^```"
        for number, text in enumerate(
            re.findall(pattern, page.read_text(), flags=re.DOTALL | re.MULTILINE), 1
        ):
            found.append((f"{page.relative_to(ROOT)}:{language}-{number}", text))
    return found


BLOCKS = _blocks("python")
SESSIONS = [
    (name, lines)
    for name, text in _blocks("sh")
    if (lines := [line for line in text.splitlines() if line.startswith("images ")])
]
BIN = Path(sys.executable).parent  # where `images` is installed, next to this interpreter
# What the lines' input files hold: a photo, a mask, an icon, a job and a text file of prompts.
JOB_LINES = [{"custom_id": f"card-{i}", "prompt": subject} for i, subject in enumerate(["a fox", "a whale"])]

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


def test_the_pages_have_examples() -> None:
    assert len(BLOCKS) >= 12
    assert sum(len(lines) for _, lines in SESSIONS) >= 15
    assert any(name.startswith("README.md:") for name, _ in BLOCKS)
    assert any(name.startswith("docs/bulk.md:sh") for name, _ in SESSIONS)


@pytest.fixture(scope="module")
def cassettes(environment: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One exchange recorded through the recording proxy in front of the emulator."""
    directory = tmp_path_factory.mktemp("cassettes")
    proxy = LiveServer(create_proxy(environment["OPENAI_BASE_URL"], directory))
    with proxy, wrapper.Client(base_url=proxy.url, api_key=environment["OPENAI_API_KEY"]) as client:
        client.images.generate(prompt="a fox", model="gpt-image-1.5", quality="low")
    assert len(list(directory.iterdir())) == 1
    return directory


@pytest.mark.parametrize("source", [text for _, text in BLOCKS], ids=[name for name, _ in BLOCKS])
def test_python_block_runs_as_a_script(
    source: str, environment: dict[str, str], tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    script = tmp_path / "test_example.py"
    script.write_text(source)
    if "cassettes" in source and "create_proxy" not in source:  # checks cassettes it does not record
        shutil.copytree(request.getfixturevalue("cassettes"), tmp_path / "cassettes")
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


@pytest.mark.parametrize("lines", [lines for _, lines in SESSIONS], ids=[name for name, _ in SESSIONS])
def test_images_lines_run_in_order(lines: list[str], environment: dict[str, str], tmp_path: Path) -> None:
    Image.new("RGB", (1536, 1024), "navy").save(tmp_path / "photo.png")
    Image.new("RGBA", (1536, 1024), (0, 0, 0, 0)).save(tmp_path / "mask.png")
    Image.new("RGBA", (256, 256), "gold").save(tmp_path / "icon.png")
    (tmp_path / "jobs.jsonl").write_text("".join(json.dumps(line) + "\n" for line in JOB_LINES))
    (tmp_path / "prompts.txt").write_text("a fox\na whale\n")
    for line in lines:
        argv = shlex.split(line, comments=True)
        if argv[:2] == ["images", "mock"] and not set(argv) & {"probe", "verify"}:
            _serves_or_says_the_port_is_busy(argv, environment, tmp_path)
            continue
        done = subprocess.run(
            argv, cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=120, check=False
        )
        assert done.returncode == 0, f"{line}\n{done.stdout}{done.stderr}"


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
