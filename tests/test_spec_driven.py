"""Absorbing an API change is an edit of openapi.yaml and `make generate`, nothing else.

Each case edits a copy of the spec, regenerates a copy of the project from it (scripts/generate.sh)
and runs `spec_driven_probe.py` there: the new parameter or value reaches the sync and async
signatures, the wire (JSON and multipart), the client's validation, the emulator and the CLI.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from project_copy import copy_project, importing

ROOT = Path(__file__).resolve().parents[1]
Edit = Callable[[dict[str, Any]], None]


def regenerate(tmp_path: Path, edit: Edit) -> Path:
    """A copy of the project regenerated from an edited copy of openapi.yaml."""
    for name in ("scripts", "wrapper", "generated"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / ".venv").symlink_to(ROOT / ".venv")
    document = yaml.safe_load((ROOT / "openapi.yaml").read_text())
    edit(document["components"]["schemas"])
    (tmp_path / "openapi.yaml").write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True))
    subprocess.run([str(tmp_path / "scripts" / "generate.sh")], check=True, capture_output=True, timeout=600)
    return tmp_path


def probe(tree: Path, param: str, good: str, bad: str, model: str) -> dict[str, Any]:
    environment = {**os.environ, "PYTHONPATH": f"{tree}{os.pathsep}{tree / 'generated'}"}
    done = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "spec_driven_probe.py"), param, good, bad, model],
        capture_output=True,
        text=True,
        cwd=tree,
        env=environment,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    observed: dict[str, Any] = json.loads(done.stdout)
    return observed


def add_tone(schemas: dict[str, Any]) -> None:
    tone = {"type": "string", "enum": ["warm", "cool"], "description": "The colour temperature of the light."}
    for request in ("CreateImageRequest", "CreateImageEditRequest"):
        schemas[request]["properties"]["tone"] = dict(tone)


def add_strict_moderation(schemas: dict[str, Any]) -> None:
    schemas["CreateImageRequest"]["properties"]["moderation"]["anyOf"][0]["enum"].append("strict")


def add_medium_fidelity(schemas: dict[str, Any]) -> None:
    schemas["CreateImageEditRequest"]["properties"]["input_fidelity"]["enum"].append("medium")


def test_the_probe_sees_nothing_of_a_parameter_the_spec_lacks() -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tests" / "spec_driven_probe.py"),
            "tone",
            "warm",
            "hot",
            "gpt-image-1.5",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    observed = json.loads(done.stdout)
    assert observed == {"signatures": {}, "wire": {}, "emulator": {}, "cli": {}}


def test_a_new_enum_parameter_works_everywhere_after_make_generate(tmp_path: Path) -> None:
    tree = regenerate(tmp_path, add_tone)
    seen = probe(tree, "tone", "warm", "hot", "gpt-image-1.5")
    assert seen["signatures"] == dict.fromkeys(
        ["Client.generate", "Client.edit", "AsyncClient.generate", "AsyncClient.edit"], True
    )
    assert json.loads(seen["wire"]["generate.good"])["tone"] == "warm"
    assert 'name="tone"\r\n\r\nwarm\r\n' in seen["wire"]["edit.good"]
    # A value the spec's enum lacks may be one the API is newer for: sent, with a warning (once).
    (warning,) = seen["wire"]["generate.bad"]["warnings"] + seen["wire"]["edit.bad"]["warnings"]
    assert warning.startswith("tone 'hot' is not a value this client knows; it is sent as given")
    assert "closest known value is 'cool'" in warning
    for method in ("generate", "edit"):
        assert seen["wire"][f"{method}.bad"]["sent"] == 1
        assert seen["emulator"][f"{method}.good"] == {"status": 200, "error": None, "recorded": "warm"}
        refused = seen["emulator"][f"{method}.bad"]
        assert refused["status"] == 400
        assert refused["error"]["param"] == "tone"
    assert seen["cli"] == {"generate": "warm", "edit": "warm"}


@pytest.mark.parametrize(
    ("edit", "param", "value", "operation"),
    [
        (add_strict_moderation, "moderation", "strict", "generate"),
        (add_medium_fidelity, "input_fidelity", "medium", "edit"),
    ],
)
def test_a_new_enum_value_works_everywhere_after_make_generate(
    tmp_path: Path, edit: Edit, param: str, value: str, operation: str
) -> None:
    # A model outside the table: the schema alone decides (a row would say which models offer it).
    tree = regenerate(tmp_path, edit)
    seen = probe(tree, param, value, "bogus", "gpt-image-9")
    assert seen["signatures"] == {f"Client.{operation}": True, f"AsyncClient.{operation}": True}
    good = seen["wire"][f"{operation}.good"]
    if operation == "generate":
        assert json.loads(good)[param] == value
    else:
        assert f'name="{param}"\r\n\r\n{value}\r\n' in good
    bad = seen["wire"][f"{operation}.bad"]
    assert bad["sent"] == 1
    (warning,) = bad["warnings"]
    assert warning.startswith(f"{param} 'bogus' is not a value this client knows")
    assert value in warning or "closest known value" in warning
    assert seen["emulator"][f"{operation}.good"] == {"status": 200, "error": None, "recorded": value}
    assert seen["emulator"][f"{operation}.bad"]["status"] == 400
    assert seen["emulator"][f"{operation}.bad"]["error"]["param"] == param
    assert seen["cli"] == {operation: value}


# The recipe of CONTRIBUTING.md ("The loop") on a copy of the whole project: a new `output_format`
# value and a new optional generation parameter, then `make generate`. The hand-written tests that
# read the spec's lists or name its values stay green (they derive those lists from the spec and the
# table, and build their unknown values from it), and `make generate` ends by listing what the
# hand-written parts do not know yet.
READS_THE_SPEC = re.compile(
    r'^from wrapper\._(?:spec|capabilities) import |^from wrapper import .*\bMODELS\b|/ "openapi\.yaml"', re.M
)
NAMES_ITS_VALUES = ["test_mock_validation.py", "test_new_parameters.py"]
NOT_RERUN = {
    "test_spec_driven.py": "this file: it would run the recipe inside the recipe",
    "test_api_drift.py": "a value the official SDK lacks is a difference to review, not a bug: it fails "
    "until x-deviations records it (docs/api-changes.md)",
}


def affected_tests() -> list[str]:
    """Every hand-written test file that imports the spec's or the table's lists, reads openapi.yaml,
    or names the spec's values (found in the files, so a new one is never left out)."""
    found = {
        path.name
        for path in (ROOT / "tests").glob("test_*.py")
        if path.name in NAMES_ITS_VALUES or READS_THE_SPEC.search(path.read_text())
    }
    return [f"tests/{name}" for name in sorted(found - NOT_RERUN.keys())]


def test_the_recipe_reruns_the_tests_that_read_the_spec() -> None:
    rerun = affected_tests()
    for name in (
        "test_unknown_values.py",
        "test_spec.py",
        "test_drift.py",
        "test_cli.py",
        "test_contract_e2e.py",
    ):
        assert f"tests/{name}" in rerun
    assert not {f"tests/{name}" for name in NOT_RERUN} & set(rerun)


def add_avif_and_watermark(schemas: dict[str, Any]) -> None:
    schemas["OutputFormat"]["enum"].append("avif")
    schemas["CreateImageRequest"]["properties"]["watermark"] = {
        "type": "string",
        "enum": ["none", "corner"],
        "description": "Whether a small mark is drawn in a corner of each image.",
    }


def test_the_contributing_recipe_keeps_the_tests_green_and_lists_what_to_touch(tmp_path: Path) -> None:
    tree = copy_project(tmp_path / "repo", with_venv=True)
    document = yaml.safe_load((tree / "openapi.yaml").read_text())
    add_avif_and_watermark(document["components"]["schemas"])
    (tree / "openapi.yaml").write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True))
    # -o: the venv (this project's, linked) counts as up to date, so make never reinstalls it here.
    generated = subprocess.run(
        ["make", "-o", ".venv/.installed-stamp", "generate"],
        cwd=tree,
        env=importing(tree),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert generated.returncode == 0, generated.stderr[-3000:]
    checklist = generated.stdout[generated.stdout.index("spec checklist: 2 thing(s)") :]
    assert "output_format 'avif': no row of MODELS offers it" in checklist
    assert "generate parameter 'watermark': no rule in PARAM_RULES" in checklist
    assert "Literal[" in (tree / "wrapper" / "_resources.py").read_text().split("watermark", 1)[1][:80]
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *affected_tests()],
        cwd=tree,
        env=importing(tree),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert tests.returncode == 0, tests.stdout[-4000:]
    assert " passed" in tests.stdout.splitlines()[-1]


def test_the_checklist_is_empty_for_the_spec_as_it_is() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "spec_checklist.py")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert (done.returncode, done.stdout) == (
        0,
        "spec checklist: the hand-written parts know everything openapi.yaml has.\n",
    )
