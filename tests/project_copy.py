"""A copy of the project as a fresh clone has it (no venv, no git folder, nothing tools leave behind),
for tests that run the suite or `make` in a tree of their own."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOT_IN_A_CLONE = shutil.ignore_patterns(
    ".venv", ".git", "__pycache__", ".*_cache", ".hypothesis", "out", "site", "*.egg-info"
)


def copy_project(destination: Path, *, with_venv: bool = False) -> Path:
    """The project copied into `destination` (file times kept, so `make` finds the venv up to date);
    `with_venv` links this project's venv into it."""
    shutil.copytree(ROOT, destination, ignore=NOT_IN_A_CLONE)
    if with_venv:
        (destination / ".venv").symlink_to(ROOT / ".venv")
    return destination


def importing(tree: Path) -> dict[str, str]:
    """The environment in which a Python process imports `tree`'s own code, not the editable install's."""
    return {**os.environ, "PYTHONPATH": f"{tree}{os.pathsep}{tree / 'generated'}"}
