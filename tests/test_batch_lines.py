"""Reading and checking a job's lines: what cannot be saved or read faithfully is refused before
anything is sent (custom_ids too long, not encodable or naming another line's files; bytes that
are not UTF-8), and a job is validated once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wrapper._cli import main
from wrapper.batch import Job, _lines, validate_job


def write(path: Path, *lines: dict[str, object] | str) -> Path:
    path.write_text("".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines))
    return path


def errors_of(path: Path) -> dict[int, str]:
    return {error.number: error.message for error in validate_job(path).errors}


def test_a_custom_id_too_long_for_a_file_name_is_refused(tmp_path: Path) -> None:
    job = write(
        tmp_path / "job.jsonl",
        {"custom_id": "x" * 300, "prompt": "a fox"},
        {"custom_id": "é" * 101, "prompt": "a fox"},  # 202 bytes in UTF-8
        {"custom_id": "y" * 200, "prompt": "a fox"},
    )
    found = errors_of(job)
    assert sorted(found) == [1, 2]
    assert "cannot name the saved files" in found[1]
    assert "at most 200 UTF-8 bytes" in found[2]


def test_a_custom_id_utf8_cannot_encode_is_refused_not_a_crash(tmp_path: Path) -> None:
    job = write(tmp_path / "job.jsonl", '{"custom_id": "a\\ud800", "prompt": "a fox"}')
    report = validate_job(job)
    assert [(error.number, error.param) for error in report.errors] == [(1, "custom_id")]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"custom_id": "m-a", "prompt": "x", "n": 2}, {"custom_id": "m-a-1", "prompt": "x"}),
        ({"custom_id": "m-a-2", "prompt": "x"}, {"custom_id": "m-a", "prompt": "x", "n": 3}),
        ({"custom_id": "Fox", "prompt": "x"}, {"custom_id": "fox", "prompt": "x"}),
        ({"custom_id": "caf\u00e9", "prompt": "x"}, {"custom_id": "cafe\u0301", "prompt": "x"}),
    ],
    ids=["n-then-suffix", "suffix-then-n", "case", "unicode-normalisation"],
)
def test_lines_whose_files_would_collide_are_refused(
    tmp_path: Path, first: dict[str, object], second: dict[str, object]
) -> None:
    job = write(tmp_path / "job.jsonl", first, second)
    found = errors_of(job)
    assert list(found) == [2]
    assert "as line 1 does" in found[2]


def test_distinct_names_that_only_look_alike_are_accepted(tmp_path: Path) -> None:
    job = write(
        tmp_path / "job.jsonl",
        {"custom_id": "m-a", "prompt": "x", "n": 2},
        {"custom_id": "m-a-3", "prompt": "x"},
        {"custom_id": "m-b", "prompt": "x"},
        {"custom_id": "m-b-1", "prompt": "x"},  # m-b has one image: saved as m-b.png
    )
    assert errors_of(job) == {}


def test_bytes_that_are_not_utf8_are_named_not_replaced(tmp_path: Path) -> None:
    job = tmp_path / "job.jsonl"
    job.write_bytes(b'{"custom_id": "a", "prompt": "ok"}\n{"custom_id": "b", "prompt": "caf\xe9"}\n')
    report = validate_job(job)
    assert [error.number for error in report.errors] == [2]
    message = report.errors[0].message
    assert "byte 0xe9 at byte 33 of the line" in message
    assert "byte offset 68 of the file" in message


def test_a_text_file_that_is_not_utf8_is_refused_too(tmp_path: Path) -> None:
    prompts = tmp_path / "prompts.txt"
    prompts.write_bytes(b"a fox\na caf\xe9\n")
    assert [error.number for error in validate_job(prompts).errors] == [2]


def test_a_job_is_validated_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    job = write(tmp_path / "job.jsonl", *({"custom_id": f"c{n}", "prompt": "a fox"} for n in range(10)))
    calls = []
    real = _lines.check_line
    monkeypatch.setattr(_lines, "check_line", lambda line, **kw: calls.append(line) or real(line, **kw))
    Job.create(job, tmp_path / "out")
    assert len(calls) == 10


def test_a_name_too_long_for_a_file_is_refused_before_the_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["generate", "a fox", "--model", "gpt-image-1.5", "--mock", "-o", str(tmp_path)]
    assert main([*args, "--name", "n" * 240]) == 2
    assert "too long" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
