"""The `Literal` types keep a typo visible to a type checker, while the client sends an unknown
value with a warning at run time (the API may be newer than the spec: tests/test_unknown_values.py)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

SNIPPET = """\
import wrapper

client = wrapper.Client(api_key="sk-test")
client.images.generate(prompt="x", model="gpt-image-1.5", quality="hihg")
client.images.generate(prompt="x", model="gpt-image-1.5", quality="high")
client.images.edit(image=b"", prompt="x", output_format="pgn")
client.images.edit(image=b"", prompt="x", output_format="png")
"""


def test_a_typo_in_a_literal_parameter_is_a_type_error(tmp_path: Path) -> None:
    snippet = tmp_path / "snippet.py"
    snippet.write_text(SNIPPET)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            f"--cache-dir={tmp_path / 'cache'}",
            str(snippet),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    errors = [line for line in done.stdout.splitlines() if ": error:" in line]
    assert [line.split(":")[1] for line in errors] == ["4", "6"], textwrap.indent(done.stdout, "  ")
    assert done.returncode == 1
