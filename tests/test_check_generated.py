"""`make check-generated` catches a spec edited without regenerating, a hand edit and a stray file."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


def check(root: Path) -> subprocess.CompletedProcess[str]:
    script = root / "scripts" / "check_generated.sh"
    return subprocess.run([str(script)], capture_output=True, text=True, check=False, timeout=600)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the parts of the repository the check reads, with the real venv linked in."""
    for name in ("scripts", "generated", "wrapper"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "openapi.yaml", tmp_path / "openapi.yaml")
    (tmp_path / ".venv").symlink_to(ROOT / ".venv")
    return tmp_path


def test_committed_code_is_current(tree: Path) -> None:
    result = check(tree)
    assert result.returncode == 0, result.stderr


def test_edited_description_without_regenerating_fails(tree: Path) -> None:
    spec = tree / "openapi.yaml"
    text = spec.read_text()
    spec.write_text(text.replace("What to draw.", "What to paint.", 1))
    result = check(tree)
    assert result.returncode == 1
    assert "make generate" in result.stderr
    assert "What to paint." in result.stderr


def test_hand_edit_fails(tree: Path) -> None:
    client = tree / "generated" / "images_api" / "client.py"
    client.write_text(client.read_text() + "\n# tweak\n")
    result = check(tree)
    assert result.returncode == 1
    assert "client.py" in result.stderr


def test_hand_edit_of_a_generated_wrapper_module_fails(tree: Path) -> None:
    resources = tree / "wrapper" / "_resources.py"
    resources.write_text(resources.read_text().replace("What to draw.", "What to paint.", 1))
    result = check(tree)
    assert result.returncode == 1
    assert "What to paint." in result.stderr


def test_stray_file_fails(tree: Path) -> None:
    (tree / "generated" / "images_api" / "extra.py").write_text("x = 1\n")
    result = check(tree)
    assert result.returncode == 1
    assert "extra.py" in result.stderr
