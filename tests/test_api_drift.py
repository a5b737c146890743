"""`make drift` (scripts/api_drift.py): openapi.yaml against an official description and the `openai` package.

Both upstreams are built here from openapi.yaml itself (tests/drift_standin.py): a description in the
official file's OpenAPI 3.0 `nullable` style, and an `openai` package placed ahead of the real one on
`sys.path` in a subprocess. Unedited, they agree with the spec (exit 0); edited as the API changes
(a new parameter, an enum value added and one removed, a bound or required changed, a new model),
each difference is named with its verdict (exit 1). The records of `x-deviations` turn a difference
into a deviation, or a conflict when its values moved. The copies of the spec used here have no
records of their own, so a stand-in's agreement is not hidden behind one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from drift_standin import official_style, write_openai

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "api_drift.py"
sys.path.insert(0, str(ROOT / "scripts"))

import api_drift  # noqa: E402 - found through the path set above
from drift import _lazy_yaml, _sdk  # noqa: E402

Document = dict[str, Any]


def spec_without_records(tmp_path: Path, records: list[dict[str, Any]] | None = None) -> Path:
    document = yaml.safe_load((ROOT / "openapi.yaml").read_text())
    document["x-deviations"] = records or []
    path = tmp_path / "openapi.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


def description(tmp_path: Path, edit: Callable[[Document], None] | None = None) -> Path:
    document = official_style(yaml.safe_load((ROOT / "openapi.yaml").read_text()))
    if edit is not None:
        edit(document)
    path = tmp_path / "official.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


def drift(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, dict[str, Any]]:
    code = api_drift.main([*map(str, argv), "--skip-sdk", "--json"])
    return code, json.loads(capsys.readouterr().out)


def found(report: dict[str, Any]) -> set[tuple[Any, ...]]:
    return {(d["verdict"], d["where"], d["what"], d.get("value")) for d in report["differences"]}


def schemas(document: Document) -> dict[str, Any]:
    return document["components"]["schemas"]  # type: ignore[no-any-return]


def api_changes(document: Document) -> None:
    """The API as it may change: a new parameter, a quality added and one dropped, a bound, a model."""
    generate = schemas(document)["CreateImageRequest"]["properties"]
    generate["tone"] = {"type": "string", "enum": ["warm", "cool"], "nullable": True}
    generate["quality"]["enum"] = [value for value in generate["quality"]["enum"] if value != "standard"]
    generate["quality"]["enum"].append("ultra")
    generate["n"] = {"type": "integer", "minimum": 1, "maximum": 12, "nullable": True}
    schemas(document)["ImageModel"]["enum"].append("gpt-image-3")


def test_the_official_style_is_what_the_official_file_writes() -> None:
    document = official_style(yaml.safe_load((ROOT / "openapi.yaml").read_text()))
    quality = schemas(document)["CreateImageRequest"]["properties"]["quality"]
    assert quality["nullable"] is True
    assert quality["type"] == "string"
    assert "anyOf" not in quality
    assert document["openapi"] == "3.0.3"


def test_an_unedited_description_agrees(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, report = drift(capsys, "--spec", spec_without_records(tmp_path), "--openapi", description(tmp_path))
    assert report["differences"] == []
    assert code == 0


def test_each_change_of_the_description_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = spec_without_records(tmp_path)
    code, report = drift(capsys, "--spec", spec, "--openapi", description(tmp_path, api_changes))
    assert found(report) == {
        ("behind", "createImage.tone", "parameter added", None),
        ("behind", "createImage.quality", "enum value added", "ultra"),
        ("ahead", "createImage.quality", "enum value removed", "standard"),
        ("behind", "createImage.n", "maximum changed", None),
        ("behind", "createImage.model", "model added", "gpt-image-3"),
        ("behind", "createImageEdit.model", "model added", "gpt-image-3"),
        ("behind", "createImageEdit+json.model", "model added", "gpt-image-3"),
        ("behind", "createImageVariation.model", "model added", "gpt-image-3"),
    }
    (bound,) = [d for d in report["differences"] if d["what"] == "maximum changed"]
    assert (bound["upstream"], bound["ours"]) == (12, 10)
    assert report["unreviewed"] == 8
    assert code == 1


def new_image_operation(document: Document) -> None:
    document["paths"]["/images/upscale"] = {
        "post": {"operationId": "createImageUpscale", "responses": {"200": {"description": "ok"}}}
    }


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (new_image_operation, ("behind", "createImageUpscale", "operation added", None)),
        (
            lambda d: schemas(d)["ImagesResponse"]["properties"].update(seed={"type": "integer"}),
            ("behind", "ImagesResponse.seed", "field added", None),
        ),
        (
            lambda d: schemas(d)["CreateImageRequest"]["required"].append("size"),
            ("ahead", "createImage.size", "required changed", None),
        ),
        (
            lambda d: d["paths"]["/images/generations"]["post"].update(deprecated=True),
            ("behind", "createImage", "deprecated changed", None),
        ),
    ],
    ids=["operation", "answer-field", "required", "deprecated"],
)
def test_other_changes_of_the_description_are_named(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    edit: Callable[[Document], None],
    expected: tuple[Any, ...],
) -> None:
    code, report = drift(
        capsys, "--spec", spec_without_records(tmp_path), "--openapi", description(tmp_path, edit)
    )
    assert found(report) == {expected}
    assert code == 1


def test_a_record_makes_a_deviation_and_a_moved_value_a_conflict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records = [
        {"where": "createImage.quality", "change": "enum value removed", "values": ["standard"],
         "reason": "kept for the retired dall-e models", "source": "a test"},
        {"where": "createImage.n", "change": "maximum changed", "upstream": 11, "ours": 10,
         "reason": "reviewed at 11", "source": "a test"},
    ]  # fmt: skip
    spec = spec_without_records(tmp_path, records)
    code, report = drift(capsys, "--spec", spec, "--openapi", description(tmp_path, api_changes))
    verdicts = {(d["where"], d["what"]): (d["verdict"], d.get("reason")) for d in report["differences"]}
    assert verdicts["createImage.quality", "enum value removed"] == (
        "deviation",
        "kept for the retired dall-e models",
    )
    assert verdicts["createImage.n", "maximum changed"] == (
        "conflict",
        "on record as upstream 11, ours 10: reviewed at 11",
    )
    assert code == 1


def test_a_record_nothing_matches_is_stale(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records = [
        {"where": "createImage.quality", "change": "enum value removed", "reason": "old", "source": "x"}
    ]
    code, report = drift(
        capsys, "--spec", spec_without_records(tmp_path, records), "--openapi", description(tmp_path)
    )
    assert report["stale"] == [
        {"where": ["createImage.quality"], "change": "enum value removed", "against": "both"}
    ]
    assert code == 1


def test_the_first_lines_give_both_sides_and_warn_of_another_description(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = api_drift.main(
        ["--spec", str(spec_without_records(tmp_path)), "--openapi", str(description(tmp_path)), "--skip-sdk"]
    )
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].startswith("reconciled with: openai-openapi-images-2026-08.yaml of 2026-08-21 (sha256 ")
    assert "reconciled with: openai 3.57.0, 3.63.0" in lines
    compared = lines.index("reconciled with: openai 3.57.0, 3.63.0") + 1
    assert lines[compared].startswith(f"compared with:   {tmp_path / 'official.yaml'} (sha256 ")
    assert lines[compared].endswith("; WARNING: not the description on record)")
    assert "is not the description on record" in err
    assert lines[-1] == "0 differences: 0 deviation, 0 behind, 0 ahead, 0 conflict; 0 stale records"
    assert code == 0


@pytest.mark.parametrize("content", [None, "openapi: 3.0.3\ninfo: {}\n", "{not: [yaml"])
def test_an_input_that_cannot_be_read_exits_2_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None
) -> None:
    given = tmp_path / "official.yaml"
    if content is not None:
        given.write_text(content)
    assert api_drift.main(["--openapi", str(given), "--skip-sdk"]) == 2
    assert f"api_drift: cannot read {given}" in capsys.readouterr().err


# --- the official package: a stand-in ahead of the real one -----------------------------------------


def sdk_places(spec: Path) -> dict[str, Any]:
    """Our surface as far as the SDK's types can state it: the multipart bodies, answers, events, models."""
    ours = api_drift.our_surface(_lazy_yaml.plain(api_drift._read(spec)))
    roots = (*[f"{op}." for op in _sdk.OPERATIONS], "ImagesResponse.", "event(", "model ")
    return {p: f for p, f in ours.places.items() if p in _sdk.OPERATIONS or p.startswith(roots)}


def drift_with_standin(tmp_path: Path, spec: Path, places: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    write_openai(tmp_path / "standin", places)
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "standin")}
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--spec", str(spec), "--skip-openapi", "--json"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert done.stderr == ""
    return done.returncode, json.loads(done.stdout)


def test_an_unedited_standin_package_agrees(tmp_path: Path) -> None:
    spec = spec_without_records(tmp_path)
    code, report = drift_with_standin(tmp_path, spec, sdk_places(spec))
    assert report["inputs"] == [{"sdk": "openai 9.9.9", "on_record": False}]
    assert report["differences"] == []
    assert code == 0


def test_each_change_of_the_package_is_named(tmp_path: Path) -> None:
    from dataclasses import replace

    spec = spec_without_records(tmp_path)
    places = sdk_places(spec)
    places["createImage.tone"] = replace(places["createImage.style"], enum=frozenset({"warm", "cool"}))
    quality = places["createImage.quality"]
    places["createImage.quality"] = replace(quality, enum=(quality.enum - {"standard"}) | {"ultra"})
    places["createImage.n"] = replace(places["createImage.n"], required=True)
    model = places["createImage.model"]
    places["createImage.model"] = replace(model, enum=model.enum | {"gpt-image-3"})
    places["model gpt-image-3"] = places["model gpt-image-1.5"]
    places["model gpt-image-1.5"] = replace(places["model gpt-image-1.5"], deprecated=True)
    code, report = drift_with_standin(tmp_path, spec, places)
    assert found(report) == {
        ("behind", "createImage.tone", "parameter added", None),
        ("behind", "createImage.quality", "enum value added", "ultra"),
        ("ahead", "createImage.quality", "enum value removed", "standard"),
        ("ahead", "createImage.n", "required changed", None),
        ("behind", "createImage.model", "model added", "gpt-image-3"),
        ("behind", "model gpt-image-3", "model added", None),
        ("behind", "model gpt-image-1.5", "deprecated changed", None),
    }
    assert code == 1


def test_deprecated_values_are_read_from_a_docstring() -> None:
    doc = """Make images.

        Args:
          model: The model.

              Deprecated values:

              - "a": gone.
              - "b", "c": gone too.

          quality: How fine.

              Deprecated values:

              - "hd": old.
        """
    assert _sdk.deprecated_values(doc, "model") == ["a", "b", "c"]
    assert _sdk.deprecated_values(doc, "quality") == ["hd"]
    assert _sdk.deprecated_values(doc, "size") == []


def test_a_large_description_is_parsed_in_pieces_to_the_same_document() -> None:
    # Thousands of unrelated operations, as in the full official file: only what is read is parsed.
    document = yaml.safe_load((ROOT / "openapi.yaml").read_text())
    for index in range(300):
        document["paths"][f"/other/{index}"] = {"post": {"operationId": f"other{index}", "responses": {}}}
        schemas(document)[f"Other{index}"] = {"type": "object", "properties": {"a": {"type": "string"}}}
    text = yaml.safe_dump(document, sort_keys=False)
    lazy = _lazy_yaml.load_text(text)
    assert isinstance(lazy, _lazy_yaml.LazyMapping)
    assert isinstance(lazy["components"]["schemas"], _lazy_yaml.LazyMapping)
    assert _lazy_yaml.plain(lazy) == document


# --- the tree as it lands, against the 2026-08 description and the installed package -------------

REFERENCE = Path(__file__).parents[2] / "shared" / "reference"
EXTRACTS = sorted(REFERENCE.glob("openai-openapi-*-2026-08.yaml")) if REFERENCE.is_dir() else []


def sdk_on_record() -> bool:
    """Whether the installed `openai` is a version openapi.yaml was reconciled with: a newer one is
    `make drift`'s business (the nightly run), not a reason for `make test` to fail."""
    from importlib.metadata import PackageNotFoundError, version

    recorded = yaml.safe_load((ROOT / "openapi.yaml").read_text())["x-reconciled-with"]["sdk"]["versions"]
    try:
        return version("openai") in recorded
    except PackageNotFoundError:
        return False


@pytest.mark.skipif(not EXTRACTS, reason="needs ../shared/reference (the 2026-08 extracts)")
def test_nothing_unreviewed_against_the_2026_08_description_and_the_package() -> None:
    args = [arg for extract in EXTRACTS for arg in ("--openapi", str(extract))]
    args += [] if sdk_on_record() else ["--skip-sdk"]
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *args, "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    report = json.loads(done.stdout)
    assert [d for d in report["differences"] if d["verdict"] != "deviation"] == []
    assert report["stale"] == []
    assert all(entry["on_record"] for entry in report["inputs"] if "openapi" in entry)
    assert done.returncode == 0


@pytest.mark.skipif(not sdk_on_record(), reason="the installed openai is not a version on record")
def test_nothing_unreviewed_against_the_installed_package_alone() -> None:
    # Runs on a bare clone too: the package is installed by the dev extra, no description needed.
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--skip-openapi", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    report = json.loads(done.stdout)
    assert report["differences"], "the package's types have deviations on record; none were compared"
    unreviewed = [d for d in report["differences"] if d["verdict"] != "deviation"]
    # After an edit of openapi.yaml that the official SDK does not have (a new enum value, say):
    # record it in x-deviations with its reason, as docs/api-changes.md says.
    assert unreviewed == [], "differences with the openai package not on record (docs/api-changes.md)"
    assert [entry["on_record"] for entry in report["inputs"]] == [True]
    assert done.returncode == 0
