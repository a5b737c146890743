"""The errors a new user meets first say what happened and what to do: where a connection was tried
and how to point elsewhere, how to add a missing extra from where this copy was installed (the package
is not on the package index), usage mistakes as exit code 2, a default model that can do the command."""

from __future__ import annotations

import base64
import io
import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from mock_support import unimportable
from PIL import Image

import wrapper
from wrapper import _install
from wrapper._cli import main

pytestmark = pytest.mark.as_of("today")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again when the block ends: nothing listens


@pytest.fixture(autouse=True)
def _no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)


# --- a connection error names where it tried, and what to do --------------------------------------


def test_a_connection_error_names_the_url_without_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    port = closed_port()
    url = f"http://user:secret@127.0.0.1:{port}/v1"
    client = wrapper.Client(api_key="sk-test", base_url=url, max_retries=0)
    with pytest.raises(wrapper.APIConnectionError) as caught:
        client.images.generate(prompt="a fox", model="gpt-image-1.5")
    assert f"(POST http://127.0.0.1:{port}/v1/images/generations)" in str(caught.value)
    assert "secret" not in str(caught.value)


def test_the_command_suggests_the_base_url_and_the_emulator(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    port = closed_port()
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{port}/v1")
    code, _, err = run(capsys, "generate", "a fox", "--model", "gpt-image-1.5")
    assert code == 1
    assert err.startswith("images: error: could not reach the API: ")
    assert f"http://127.0.0.1:{port}/v1/images/generations" in err
    assert err.rstrip().endswith(
        "check OPENAI_BASE_URL; to work offline, serve the emulator with `images mock` or add --mock"
    )
    assert len(err.splitlines()) == 1


# --- a missing extra: one line, and a command that works without the package index ----------------


def test_python_m_wrapper_mock_without_the_extra_is_one_line_and_exit_2() -> None:
    code = (
        "import runpy, sys; sys.modules['uvicorn'] = None; "
        "runpy.run_module('wrapper.mock', run_name='__main__', alter_sys=True)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "--port", "0"], capture_output=True, text=True, timeout=120, check=False
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "python -m wrapper.mock: error: python -m wrapper.mock needs the 'mock' extra "
        f"(uvicorn is not installed): {_install.install_command('mock')}\n"
    )


def test_wrapper_prepare_without_pillow_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from wrapper.prepare import mask_from_box

    unimportable(monkeypatch, "PIL")
    with pytest.raises(ModuleNotFoundError) as caught:
        mask_from_box((64, 64), (0, 0, 8, 8))
    hint = _install.install_command("pillow")
    assert str(caught.value) == f"wrapper.prepare needs the 'pillow' extra (PIL is not installed): {hint}"


def test_the_install_command_names_where_this_copy_came_from(monkeypatch: pytest.MonkeyPatch) -> None:
    checkout = {"url": "file:///home/me/images%20client", "dir_info": {"editable": True}}
    monkeypatch.setattr(_install, "_origin", lambda: checkout)
    assert _install.install_command("mock") == "pip install -e '/home/me/images client[mock]'"
    git = {
        "url": "https://git.example/team/images-client.git",
        "vcs_info": {"vcs": "git", "commit_id": "0" * 40, "requested_revision": "v0.1"},
    }
    monkeypatch.setattr(_install, "_origin", lambda: git)
    assert _install.install_command("cli", "mock") == (
        "pip install 'images-client[cli,mock] @ git+https://git.example/team/images-client.git@v0.1'"
    )
    monkeypatch.setattr(_install, "_origin", lambda: None)
    assert _install.install_command("mock").startswith("pip install -e '.[mock]' in a checkout of")


def test_this_copy_names_the_checkout_it_was_installed_from() -> None:
    command = _install.install_command("mock")
    assert command.startswith("pip install -e '/"), command  # make venv installs the checkout, editable
    checkout = Path(command.split("'")[1].removesuffix("[mock]"))
    assert 'name = "images-client"' in (checkout / "pyproject.toml").read_text()


# --- usage mistakes are exit code 2, with a clear message -----------------------------------------


def test_a_missing_job_file_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "jobs.jsonl"
    for argv in (["validate", str(missing)], ["run", str(missing), "-o", str(tmp_path / "o"), "--mock"]):
        code, out, err = run(capsys, "batch", *argv)
        assert (code, out) == (2, "")
        assert err == f"images: error: no job file {missing}\n"


def test_an_output_directory_that_is_a_file_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    taken = tmp_path / "out"
    taken.write_text("not a directory")
    code, out, err = run(capsys, "generate", "a fox", "--mock", "-o", str(taken))
    assert (code, out) == (2, "")
    expected = f"the output directory {taken} is a file: name a directory (made when missing)"
    assert err == f"images: error: {expected}\n"
    assert taken.read_text() == "not a directory"


# --- the default model of a command can do that command --------------------------------------------


def test_vary_help_names_a_default_that_does_variations(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "vary", "--help")
    assert code == 0
    help_text = " ".join(out.split())
    assert "Default: dall-e-2, sent by name" in help_text
    assert "Default: gpt-image-1.5" not in help_text


def test_vary_without_a_model_says_variations_are_retired(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    Image.new("RGBA", (256, 256), "gold").save(tmp_path / "icon.png")
    code, _, err = run(capsys, "vary", str(tmp_path / "icon.png"), "--mock", "-o", str(tmp_path))
    assert code == 2
    assert "retired on 2026-05-12" in err
    assert "gpt-image-1.5" not in err.split("use ")[0]


# --- saving: a missing folder is made, a misleading suffix refused ----------------------------------


def jpeg_result() -> wrapper.Image:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "teal").save(buffer, "JPEG")
    return wrapper.Image(b64_json=base64.b64encode(buffer.getvalue()).decode(), output_format="jpeg")


def test_save_to_a_file_in_a_missing_folder_makes_the_folder(tmp_path: Path) -> None:
    target = tmp_path / "new" / "deeper" / "fox.jpg"
    assert jpeg_result().save(target) == target
    assert target.read_bytes()[:3] == b"\xff\xd8\xff"
    assert [path.name for path in target.parent.iterdir()] == ["fox.jpg"]  # no temporary file left


@pytest.mark.parametrize("name", ["fox.jpg", "fox.jpeg", "fox.JPG", "fox.bin"])
def test_save_takes_a_name_that_does_not_mislead(tmp_path: Path, name: str) -> None:
    assert jpeg_result().save(tmp_path / name).read_bytes()[:3] == b"\xff\xd8\xff"


def test_save_refuses_a_jpeg_named_png(tmp_path: Path) -> None:
    refused = r"fox\.png names a PNG file but the image is JPEG: save it as fox\.jpg"
    with pytest.raises(ValueError, match=refused):
        jpeg_result().save(tmp_path / "fox.png")
    assert not any(tmp_path.iterdir())


def test_a_malformed_size_says_what_a_size_looks_like(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "generate", "a fox", "--mock", "--size", "1024")
    assert code == 2
    assert err.rstrip().endswith("or WIDTHxHEIGHT in pixels, such as 1536x1024")
    assert "^[" not in err  # not the schema's regular expression


# --- images models: the models asked for, current ones first, no padding ------------------------


def test_models_takes_names_to_show_only_those(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "models", "gpt-image-1.5", "dall-e-3")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines() if line.startswith(("gpt-", "dall-"))] == [
        "gpt-image-1.5",
        "dall-e-3",
    ]
    code, out, _ = run(capsys, "models", "gpt-image-1.5", "--json")
    assert [row["name"] for row in json.loads(out)["models"]] == ["gpt-image-1.5"]


def test_models_shows_current_models_and_the_retired_on_request(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "models", "--as-of", "2026-12-05")
    assert "gpt-image-2.5-flare  generate, edit" in out
    assert "dall-e-2  " not in out
    assert "Not shown: 3 retired model(s) (images models --all)." in " ".join(out.split())
    _, out, _ = run(capsys, "models", "--all", "--as-of", "2026-12-05", "--json")
    names = [row["name"] for row in json.loads(out)["models"]]
    assert names[-3:] == ["gpt-image-1", "dall-e-2", "dall-e-3"]  # retired by then, after the current ones
    assert "gpt-image-1.5" in names[:-3]


def test_models_lines_carry_no_trailing_spaces(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "models", "--all")
    assert out.count("\n") > 100
    assert [line for line in out.splitlines() if line != line.rstrip()] == []


def test_models_suggests_a_name_it_does_not_know(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "models", "gpt-image-15")
    assert (code, out) == (2, "")
    assert err == "images: error: unknown model 'gpt-image-15'; did you mean gpt-image-1.5?\n"


# --- bulk jobs: a misspelled key is named, skipped lines are counted and recorded -------------------


def test_a_misspelled_job_key_gets_did_you_mean(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    job = tmp_path / "jobs.jsonl"
    lines = [
        {"custom_ud": "a", "prompt": "x"},
        {"custom_id": "b", "method": "POST", "urll": "/v1/images/generations", "body": {"prompt": "y"}},
        {"custom_id": "c", "prompt": "z", "sise": "1024x1024"},
    ]
    job.write_text("".join(json.dumps(line) + "\n" for line in lines))
    code, _, err = run(capsys, "batch", "validate", str(job), "--model", "gpt-image-1.5")
    assert code == 2
    assert err.splitlines()[:3] == [
        "images: error: line 1: custom_ud is not a field of a job line; did you mean custom_id?",
        "images: error: line 2 (b): urll is not a field of a Batch API line; did you mean url?",
        "images: error: line 3 (c): sise '1024x1024' is invalid; allowed: generations take no such "
        "parameter; did you mean size?",
    ]


def test_skip_invalid_counts_and_records_the_lines_it_skips(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    job = tmp_path / "jobs.jsonl"
    lines = [{"custom_id": "ok", "prompt": "x"}, {"custom_id": "bad", "prompt": "y", "size": "7x7"}]
    job.write_text("".join(json.dumps(line) + "\n" for line in lines))
    out_dir = tmp_path / "out"
    argv = ["batch", "run", str(job), "-o", str(out_dir), "--mock", "--skip-invalid"]
    argv += ["--model", "gpt-image-1.5"]
    code, out, _ = run(capsys, *argv, "--json")
    assert code == 0
    assert json.loads(out)["invalid"] == 1
    [record] = [json.loads(line) for line in (out_dir / "invalid.jsonl").read_text().splitlines()]
    assert (record["line"], record["custom_id"], record["param"]) == (2, "bad", "size")
    assert "'7x7' is not supported by gpt-image-1.5" in record["message"]
    text_dir = tmp_path / "text"
    code, out, _ = run(capsys, *argv[:4], str(text_dir), *argv[5:])
    assert code == 0
    assert f"1 invalid line(s) skipped, not sent (listed in {text_dir / 'invalid.jsonl'})" in out
