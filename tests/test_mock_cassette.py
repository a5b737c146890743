"""Cassettes (wrapper/mock/_cassette.py): the shape of an answer, scrubbing, files written whole and never
over another."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wrapper.mock._cassette import Answer, CassetteDir, Record, fields_of, scrub


def test_fields_are_paths_and_types_with_array_items_merged() -> None:
    document = {
        "created": 1,
        "data": [{"url": "u"}, {"url": "v", "revised_prompt": None}],
        "usage": {"a": 1.5},
    }
    assert fields_of(document) == {
        "created": "integer",
        "data": "array",
        "data[]": "object",
        "data[].url": "string",
        "data[].revised_prompt": "null",
        "usage": "object",
        "usage.a": "number",
    }


def test_scrub_replaces_the_key_in_every_string_and_key() -> None:
    key = "sk-secret-0123456789"
    document = {"message": f"bad key {key}", key: [f"x{key}y", 3]}
    assert scrub(document, [key]) == {"message": "bad key ***", "***": ["x***y", 3]}


def record() -> Record:
    return Record("generate", "application/json", {"prompt": "x"}, [], Answer(400, error={"param": "n"}))


def test_each_record_gets_its_own_file_and_no_temporary_file_is_left(tmp_path: Path) -> None:
    cassettes = CassetteDir(tmp_path / "c")
    first, second = cassettes.write(record()), cassettes.write(record())
    assert first != second
    assert sorted(p.name for p in (tmp_path / "c").iterdir()) == sorted([first.name, second.name])
    loaded = cassettes.load()
    assert [r.name for r in loaded] == sorted([first.name, second.name])
    assert loaded[0].answer.error == {"param": "n"}


def test_the_key_is_scrubbed_from_what_is_written(tmp_path: Path) -> None:
    echoed = record()
    echoed.params["prompt"] = "my key is sk-never-written-1"
    CassetteDir(tmp_path).write(echoed, hidden=["sk-never-written-1"])
    text = next(tmp_path.glob("*.json")).read_text()
    assert "sk-never-written-1" not in text
    assert json.loads(text)["request"]["params"] == {"prompt": "my key is ***"}


def test_a_file_that_is_not_a_cassette_is_refused_by_name(tmp_path: Path) -> None:
    (tmp_path / "other.json").write_text('{"hello": 1}')
    with pytest.raises(ValueError, match=r"other\.json is not an images-cassette/1 record"):
        CassetteDir(tmp_path).load()
