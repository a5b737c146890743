"""`images batch`: validation's exit code and messages, a whole run offline, and JSON output."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from wrapper._cli import main


def write(path: Path, *lines: dict[str, object]) -> Path:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


def test_validate_lists_every_invalid_line_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    job = write(
        tmp_path / "job.jsonl",
        {"custom_id": "a", "prompt": "x"},
        {"custom_id": "b", "prompt": "x", "model": "dall-e-3", "n": 2},
        {"custom_id": "a", "prompt": "y"},
    )
    assert main(["batch", "validate", str(job)]) == 2
    err = capsys.readouterr().err
    assert "line 2 (b): n 2 is not supported by dall-e-3" in err
    assert "line 3 (a): custom_id 'a' is already used by line 1" in err


def test_shared_options_apply_to_a_text_file_of_prompts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prompts = tmp_path / "prompts.txt"
    prompts.write_text("a fox\na whale\n")
    assert (
        main(["batch", "validate", str(prompts), "--model", "dall-e-3", "--size", "256x256", "--json"]) == 2
    )
    report = json.loads(capsys.readouterr().out)
    assert [error["line"] for error in report["errors"]] == [1, 2]
    assert {error["param"] for error in report["errors"]} == {"size"}


@pytest.mark.parametrize("backend", [[], ["--online"]])
def test_run_offline_saves_every_image(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], backend: list[str]
) -> None:
    prompts = tmp_path / "prompts.txt"
    prompts.write_text("a fox\na whale\n")
    out = tmp_path / "out"
    args = ["batch", "run", str(prompts), "-o", str(out), "--model", "dall-e-2", "--size", "256x256"]
    assert main([*args, "--mock", "--json", *backend]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["succeeded"], report["failed"]) == (2, 0)
    assert sorted(p.name for p in out.iterdir() if p.suffix == ".png") == ["line-1.png", "line-2.png"]


def test_a_directory_without_a_job_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["batch", "status", str(tmp_path), "--mock"]) == 2
    assert "holds no job" in capsys.readouterr().err


def test_an_online_run_with_nothing_listening_ends_and_says_what_is_missing(tmp_path: Path) -> None:
    job = write(tmp_path / "job.jsonl", *({"custom_id": f"c{n}", "prompt": "a fox"} for n in range(3)))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/v1"
    command = [sys.executable, "-m", "wrapper", "batch", "run", str(job), "-o", str(tmp_path / "out")]
    environment = {**os.environ, "OPENAI_API_KEY": "sk-test"}
    done = subprocess.run(
        [*command, "--online", "--base-url", url, "--model", "gpt-image-1.5"],
        capture_output=True,
        text=True,
        timeout=60,
        env=environment,
    )
    assert done.returncode == 1, done.stderr
    assert "3 of 3 lines still without an image" in done.stdout


@pytest.mark.as_of("today")
def test_the_help_examples_name_models_that_run_today(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import re

    from wrapper._cli._batch import EXAMPLES

    assert main(["batch", "--help"]) == 0
    assert EXAMPLES.splitlines()[1] in capsys.readouterr().out
    models = set(re.findall(r"--model (\S+)", EXAMPLES))
    assert models
    prompts = tmp_path / "prompts.txt"
    prompts.write_text("a fox\n")
    for model in sorted(models):
        assert main(["batch", "validate", str(prompts), "--model", model, "--quality", "low"]) == 0, model


def test_fetch_of_a_job_that_ran_online_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    prompts = tmp_path / "prompts.txt"
    prompts.write_text("a fox\na whale\n")
    out = tmp_path / "out"
    args = ["batch", "run", str(prompts), "-o", str(out), "--model", "dall-e-2", "--size", "256x256"]
    assert main([*args, "--mock", "--online"]) == 0
    capsys.readouterr()
    assert main(["batch", "fetch", str(out), "--mock"]) == 0  # nothing pending, nothing missing
    said = " ".join(capsys.readouterr().out.split())
    assert "runs online" in said
    assert "not finished" not in said
    assert main(["batch", "fetch", str(out), "--mock", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["pending_batches"] == 0
