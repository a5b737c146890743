"""docs/models.md's capability lists are current (generated modules: tests/test_check_generated.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / script), "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


def test_readme_capability_table_is_current() -> None:
    result = run("capabilities_table.py")
    assert result.returncode == 0, result.stderr


def test_table_lists_every_model() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import capabilities_table
    finally:
        sys.path.pop(0)
    from wrapper import MODELS

    table = capabilities_table.render()
    assert all(f"`{name}`" in table for name in MODELS)
    stale = capabilities_table.updated("x\n<!-- capabilities:start -->STALE-ROW<!-- capabilities:end -->\ny")
    assert stale.startswith("x\n<!-- capabilities:start -->")
    assert "STALE-ROW" not in stale
