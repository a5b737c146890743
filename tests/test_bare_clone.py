"""`make test` on a bare clone: nothing outside the repository is needed. A copy of the project with no
`shared/` folder beside it collects every test without an error (tests that can use such a folder skip
at collection when it is absent); `.ci/run` runs the whole suite that way (scripts/bare_clone.sh)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from project_copy import copy_project, importing


def collect(tree: Path, *paths: str) -> subprocess.CompletedProcess[str]:
    """pytest's collection in `tree`, importing the tree's own code (not the editable install's)."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *paths],
        cwd=tree,
        env=importing(tree),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_a_copy_without_shared_beside_it_collects_every_test(tmp_path: Path) -> None:
    tree = copy_project(tmp_path / "repo")
    assert not (tree.parent / "shared").exists()
    done = collect(tree)
    summary = done.stdout.strip().splitlines()[-1]
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "error" not in summary, summary
    assert " tests collected" in summary, summary
    assert "test_bare_clone.py::test_a_copy_without_shared_beside_it_collects_every_test" in done.stdout


def test_the_check_bites_on_a_test_that_needs_a_folder_outside_the_repository(tmp_path: Path) -> None:
    tree = copy_project(tmp_path / "repo")
    reads_outside = "from pathlib import Path\nTEXT = (Path(__file__).parents[2] / 'shared').read_text()\n"
    (tree / "tests" / "test_reads_outside.py").write_text(reads_outside)
    done = collect(tree, "tests/test_reads_outside.py")
    assert done.returncode != 0
    assert "ERROR tests/test_reads_outside.py" in done.stdout
