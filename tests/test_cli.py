"""The `images` command against the emulator, in-process: `main(argv)` with captured output."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import io
import json
import logging
import os
import re
import subprocess
import sys
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx2
import pytest
from mock_support import unimportable
from PIL import Image
from processes import read_lines, running, stop

import wrapper
from wrapper import _cli
from wrapper._capabilities import MODELS
from wrapper._cli import _report, main
from wrapper._install import install_command
from wrapper.mock import Fault, LiveServer, create_app

pytestmark = pytest.mark.network  # --mock serves the emulator on a loopback port
ROOT = Path(__file__).resolve().parent.parent


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def png_file(path: Path, size: tuple[int, int] = (256, 256), alpha: int = 255) -> Path:
    Image.new("RGBA", size, (40, 120, 200, alpha)).save(path)
    return path


@pytest.fixture(autouse=True)
def _no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)


def test_generate_saves_with_the_format_extension_and_reports(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(
        capsys,
        "generate",
        "a red fox",
        "--model",
        "gpt-image-1",
        "--format",
        "jpeg",
        "--mock",
        "-o",
        str(tmp_path),
    )
    assert (code, err) == (0, "")
    saved = tmp_path / "a-red-fox.jpg"
    assert saved.read_bytes()[:3] == b"\xff\xd8\xff"
    assert f"saved {saved}" in out
    assert "tokens: " in out
    assert "gpt-image-1" in out


def test_json_output_is_machine_readable(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    argv = ("generate", "a red fox", "--model", "gpt-image-1.5", "--n", "2", "--format", "webp")
    code, out, _ = run(capsys, *argv, "--mock", "--json", "-o", str(tmp_path))
    document = json.loads(out)
    assert code == 0
    assert document["model"] == "gpt-image-1.5"
    assert [Path(f["path"]).name for f in document["files"]] == ["a-red-fox-1.webp", "a-red-fox-2.webp"]
    assert document["usage"]["total_tokens"] > 0
    assert document["request_id"].startswith("req_")
    assert document["output_format"] == "webp"


def test_revised_prompt_is_printed_and_url_results_are_downloaded(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "generate", "a fox", "--model", "dall-e-3", "--mock", "-o", str(tmp_path))
    assert code == 0
    assert "revised prompt: a fox" in out
    assert (tmp_path / "a-fox.png").read_bytes().startswith(b"\x89PNG")


def test_a_second_run_does_not_overwrite_the_first(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for _ in range(2):
        assert run(capsys, "generate", "fox", "--model", "gpt-image-1", "--mock", "-o", str(tmp_path))[0] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fox-2.png", "fox.png"]


@pytest.mark.parametrize("name", ["../escaped", "/tmp/abs-escaped", "a/b", "..", ""])
def test_a_name_that_is_a_path_exits_2_before_sending(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "escaped.png").write_bytes(b"an earlier file")
    code, _, err = run(capsys, "generate", "fox", "--mock", "--name", name, "-o", str(out))
    assert code == 2
    assert repr(name) in err
    assert (tmp_path / "escaped.png").read_bytes() == b"an earlier file"
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["escaped.png", "out"]


def test_parallel_runs_with_one_name_write_one_file_each(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    runs = 4
    app = create_app()
    app.faults.latency = 0.05  # the runs choose their names while all four are in flight
    with LiveServer(app) as server:
        argv = ["generate", "x", "--stream", "--name", "same", "--json", "--base-url", server.url]
        with ThreadPoolExecutor(runs) as pool:
            codes = list(pool.map(lambda _: main([*argv, "-o", str(tmp_path)]), range(runs)))
    capsys.readouterr()
    assert codes == [0] * runs
    finals = sorted(p.name for p in tmp_path.iterdir() if "partial" not in p.name)
    assert finals == ["same-2.png", "same-3.png", "same-4.png", "same.png"]
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_edit_with_a_mask(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    image, mask = png_file(tmp_path / "in.png"), png_file(tmp_path / "mask.png", alpha=0)
    argv = ("edit", str(image), "--prompt", "add a hat", "--mask", str(mask), "--model", "gpt-image-1")
    code, out, _ = run(capsys, *argv, "--mock", "--json", "-o", str(tmp_path / "out"))
    assert code == 0
    assert json.loads(out)["files"][0]["path"] == str(tmp_path / "out" / "add-a-hat.png")


def test_vary(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    image = png_file(tmp_path / "cat.png")
    code, _, _ = run(
        capsys, "vary", str(image), "--n", "2", "--size", "256x256", "--mock", "-o", str(tmp_path)
    )
    assert code == 0
    for index in (1, 2):
        with Image.open(tmp_path / f"cat-variation-{index}.png") as result:
            assert result.size == (256, 256)


def test_stream_saves_each_partial_image(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    argv = ("generate", "fox", "--model", "gpt-image-1", "--stream", "--partial-images", "3")
    code, out, _ = run(capsys, *argv, "--mock", "-o", str(tmp_path))
    assert code == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["fox-partial-0.png", "fox-partial-1.png", "fox-partial-2.png", "fox.png"]
    assert out.count("partial image ") == 3
    assert "3 partial image(s) saved" in out


def test_stream_json_with_several_images(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    argv = ("generate", "fox", "--model", "gpt-image-1.5", "--stream", "--n", "2", "--json")
    code, out, _ = run(capsys, *argv, "--mock", "-o", str(tmp_path))
    document = json.loads(out)
    assert code == 0
    assert [Path(f["path"]).name for f in document["files"]] == ["fox-1.png", "fox-2.png"]
    assert len(document["partials"]) == 4  # the default of 2 partial images per result
    assert document["usage"]["output_tokens"] > 0


@pytest.mark.parametrize("as_json", [False, True])
def test_a_stream_cut_after_one_of_two_images_exits_1_listing_what_was_saved(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, as_json: bool
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    app = create_app()
    app.faults.queue(Fault.cut(after_events=4))  # n=2, 3 partials each: ends after image 1's completed event
    argv = ["generate", "fox", "--model", "gpt-image-1", "--stream", "--n", "2", "--partial-images", "3"]
    with LiveServer(app) as server:
        argv += ["--base-url", server.url, "-o", str(tmp_path), *(["--json"] * as_json)]
        code, out, err = run(capsys, *argv)
    assert code == 1
    assert "1 of 2 images arrived" in err
    listed = json.dumps(json.loads(out)["error"]["files"]) if as_json else out
    assert str(tmp_path / "fox-1.png") in listed
    assert not (tmp_path / "fox-2.png").exists()


def test_validation_error_is_one_line_and_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(
        capsys, "generate", "x", "--model", "dall-e-3", "--n", "2", "--mock", "-o", str(tmp_path)
    )
    assert (code, out) == (2, "")
    assert err == "images: error: n 2 is not supported by dall-e-3; allowed: an integer from 1 to 1\n"
    assert not any(tmp_path.iterdir())


def test_validation_error_names_the_cli_option(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "generate", "x", "--model", "gpt-image-1.5", "--compression", "50", "--mock")
    assert code == 2
    assert err.strip().endswith(
        "allowed: only with output_format jpeg or webp, not png (option --compression)"
    )


def test_stream_on_a_model_that_does_not_stream(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "generate", "x", "--model", "dall-e-3", "--stream", "--mock")
    assert code == 2
    assert len(err.splitlines()) == 1
    assert "stream" in err
    assert "dall-e-3" in err


def test_partial_images_without_stream_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    argv = ("generate", "fox", "--model", "gpt-image-1", "--partial-images", "2", "--mock")
    code, out, err = run(capsys, *argv, "-o", str(tmp_path))
    assert (code, out) == (2, "")
    assert err == "images: error: --partial-images needs --stream: partial images are only sent in a stream\n"
    assert not any(tmp_path.iterdir())
    code, _, _ = run(capsys, *argv, "--stream", "-o", str(tmp_path))
    assert code == 0


CLI_EXTRA = install_command("cli")  # from where this copy was installed (tests/test_install.py)


@pytest.mark.parametrize("stream", [(), ("--stream",)])
def test_without_rich_a_request_names_the_extra_before_sending(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, stream: tuple[str, ...]
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    with LiveServer() as server:
        unimportable(monkeypatch, "rich")
        code, out, err = run(
            capsys, "generate", "x", "--model", "gpt-image-1", *stream, "--base-url", server.url
        )
        assert len(server.app.requests) == 0
    assert (code, out) == (2, "")
    assert (
        err == f"images: error: images generate needs the 'cli' extra (rich is not installed): {CLI_EXTRA}\n"
    )


def test_without_rich_models_names_the_extra_and_json_output_still_works(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    unimportable(monkeypatch, "rich")
    code, _, err = run(capsys, "models")
    assert code == 2
    assert err.strip().endswith(CLI_EXTRA)
    assert run(capsys, "models", "--json")[0] == 0
    code, out, _ = run(capsys, "generate", "fox", "--stream", "--json", "--mock", "-o", str(tmp_path))
    assert code == 0
    assert json.loads(out)["files"]


@pytest.mark.parametrize(
    ("argv", "what"),
    [
        (("generate", "x", "--mock"), "images generate --mock"),
        (("generate", "x", "--mock", "--stream"), "images generate --mock"),
        (("mock",), "images mock"),
    ],
)
def test_without_the_mock_extra_the_emulator_names_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, argv: tuple[str, ...], what: str
) -> None:
    for module in ("wrapper.mock._server", "wrapper.mock.__main__"):
        monkeypatch.delitem(sys.modules, module, raising=False)
    unimportable(monkeypatch, "uvicorn")
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    expected = f"{what} needs the 'mock' extra (uvicorn is not installed): {install_command('mock')}"
    assert err == f"images: error: {expected}\n"


def test_an_optional_module_missing_anywhere_names_its_extra(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def needs_pillow(args: Any) -> int:
        import PIL.Image  # noqa: F401

        return 0

    monkeypatch.setattr("wrapper._cli._commands.models", needs_pillow)
    unimportable(monkeypatch, "PIL")
    code, _, err = run(capsys, "models", "--json")
    assert code == 2
    assert err == f"images: error: images models needs the 'cli' extra (PIL is not installed): {CLI_EXTRA}\n"


def test_missing_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "edit", str(tmp_path / "nope.png"), "--prompt", "x", "--mock")
    assert code == 2
    assert len(err.splitlines()) == 1
    assert "nope.png" in err


def test_missing_key_explains_both_ways_forward(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "generate", "a fox")
    assert (code, out) == (2, "")
    assert "OPENAI_API_KEY" in err
    assert "--mock" in err
    assert "Traceback" not in err


def test_api_error_exits_1(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-wrong")
    with LiveServer(create_app(api_key="sk-right")) as server:
        code, out, err = run(capsys, "generate", "a fox", "--base-url", server.url, "--json")
    assert code == 1
    assert json.loads(out)["error"]["type"] == "AuthenticationError"
    assert err.startswith("images: error: Error code: 401")
    assert len(err.splitlines()) == 1


def test_network_error_exits_1(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, sleeps: list[float]
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    server = LiveServer().start()
    url = server.url
    server.stop()  # nothing listens on the port any more
    code, _, err = run(capsys, "generate", "a fox", "--base-url", url)
    assert code == 1
    assert err.startswith("images: error: could not reach the API")
    assert len(sleeps) == 2  # retried before giving up


def test_unexpected_errors_hide_the_traceback_unless_debug(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(args: Any) -> int:
        raise RuntimeError("boom")

    monkeypatch.setattr("wrapper._cli._commands.models", broken)
    code, _, err = run(capsys, "models")
    assert code == 1
    assert err == "images: error: unexpected RuntimeError: boom (run again with --debug for the traceback)\n"
    with pytest.raises(RuntimeError, match="boom"):
        main(["models", "--debug"])


def test_debug_raises_the_validation_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(wrapper.ValidationError):
        main(["generate", "x", "--model", "dall-e-3", "--n", "2", "--mock", "--debug"])


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "generate")[0] == 2
    assert run(capsys, "generate", "x", "--n", "two")[0] == 2
    assert run(capsys, "--help")[0] == 0


def test_models_lists_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "models")
    assert code == 0
    assert all(name in out for name in MODELS)
    code, out, _ = run(capsys, "models", "--json")
    assert [row["name"] for row in json.loads(out)["models"]] == list(MODELS)


def test_help_comes_from_the_capability_table(capsys: pytest.CaptureFixture[str]) -> None:
    parser = _cli.build_parser()
    generate = parser._subparsers._group_actions[0].choices["generate"]  # type: ignore[union-attr]
    text = generate.format_help()
    assert all(name in text.split() or f"{name}," in text.split() for name in MODELS)
    assert "vivid, natural" in text
    assert "--partial-images" in text
    assert "with stream true" in " ".join(text.split()) or "--stream" in text


def test_python_dash_m_wrapper_and_a_light_import() -> None:
    argv = [sys.executable, "-m", "wrapper", "generate", "x", "--model", "dall-e-3", "--n", "2", "--mock"]
    done = subprocess.run(argv, capture_output=True, text=True, check=False, cwd=ROOT, timeout=300)
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1
    # (httpx2 itself imports rich when it is installed, for its own command line)
    check = "import sys, wrapper; assert not {'PIL', 'wrapper._cli', 'wrapper.mock'} & set(sys.modules)"
    subprocess.run([sys.executable, "-c", check], check=True, timeout=300)


@pytest.mark.as_of("today")  # the demo shows the current models
def test_demo_writes_images_and_a_contact_sheet(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = importlib.util.spec_from_file_location("demo", ROOT / "scripts" / "demo.py")
    assert spec is not None
    assert spec.loader is not None
    demo = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "demo", demo)
    spec.loader.exec_module(demo)
    assert demo.main([str(tmp_path)]) == 0
    images = [p for p in tmp_path.iterdir() if p.name[:2].isdigit()]
    assert len(images) >= 5
    with Image.open(io.BytesIO((tmp_path / "contact-sheet.png").read_bytes())) as sheet:
        assert sheet.width >= 1000
    out = capsys.readouterr().out
    assert "contact-sheet.png" in out
    # Each command is printed exactly as it runs, output directory and file names included.
    first = "generate 'a lighthouse on a cliff at dusk' --model gpt-image-2.5-flare"
    first += " --size 1536x1024 --quality xhigh"
    assert f"$ images {first} --mock -o {tmp_path} --name 01-gpt-image-2.5-flare\n" in out
    with Image.open(tmp_path / "07-edit.png") as edited:
        assert edited.size == (1536, 1024)  # the 3:2 input keeps its shape
    with Image.open(tmp_path / "04-gif.gif") as gif:
        assert (gif.n_frames, gif.info["duration"]) == (6, 150)
    assert (tmp_path / "05-svg.svg").read_bytes().startswith(b"<?xml")


def test_all_missing_extras_are_named_in_one_message(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    unimportable(monkeypatch, "rich", "uvicorn", "starlette")
    code, out, err = run(capsys, "generate", "x", "--mock")
    assert (code, out) == (2, "")
    assert err == (
        "images: error: images generate --mock needs the 'cli' and 'mock' extras "
        f"(rich, starlette, uvicorn are not installed): {install_command('cli', 'mock')}\n"
    )


def test_images_mock_takes_the_options_of_python_m_wrapper_mock() -> None:
    from wrapper.mock.__main__ import parse_args

    parser = _cli.build_parser()
    mock = parser._subparsers._group_actions[0].choices["mock"]  # type: ignore[union-attr]
    emulator = parse_args([])
    cli = mock.parse_args([])
    assert {
        name: value for name, value in vars(cli).items() if name not in ("command", "json", "debug")
    } == vars(emulator)
    argv = [
        "--port",
        "0",
        "--latency",
        "1.5",
        "--error-rate",
        "0.5",
        "--error-status",
        "429",
        "--api-key",
        "k",
    ]
    assert vars(mock.parse_args(argv)).items() >= vars(parse_args(argv)).items()


def exports_of(process: subprocess.Popen[str]) -> dict[str, str]:
    """The exports of the banner of an emulator started with `running`."""
    banner = read_lines(process, 3)
    return dict(line.split()[1].split("=", 1) for line in banner[1:])


def test_images_mock_serves_with_its_options_and_needs_only_the_mock_extra() -> None:
    # rich (the 'cli' extra) is made unimportable in the child: `images mock` must not ask for it.
    code = "import sys; sys.modules['rich'] = None; from wrapper._cli import main; sys.exit(main())"
    argv = [
        sys.executable, "-c", code, "mock", "--port", "0", "--api-key", "sk-k", "--error-rate", "1",
        "--error-status", "429",
    ]  # fmt: skip
    with running(argv, cwd=ROOT) as process:
        exports = exports_of(process)
        assert exports["OPENAI_API_KEY"] == "sk-k"
        url = exports["OPENAI_BASE_URL"]
        assert url.startswith("http://127.0.0.1:")
        assert url.endswith("/v1")
        headers = {"authorization": "Bearer sk-k"}
        answer = httpx2.post(url + "/images/generations", json={"prompt": "x"}, headers=headers)
        assert answer.status_code == 429  # --error-rate 1 --error-status 429
        busy = subprocess.run(
            [sys.executable, "-c", code, "mock", "--port", url.rsplit(":", 1)[1].split("/")[0]],
            capture_output=True, text=True, check=False, timeout=60,
        )  # fmt: skip
        assert (busy.returncode, busy.stdout) == (1, "")
        assert busy.stderr.startswith("images mock: error: port ")
        assert "already in use" in busy.stderr
        assert len(busy.stderr.splitlines()) == 1
        stop(process)
    assert process.returncode == 0


@pytest.mark.parametrize("json_output", [(), ("--json",)])
def test_a_closed_pipe_is_no_traceback(tmp_path: Path, json_output: tuple[str, ...]) -> None:
    reader, writer = os.pipe()
    os.close(reader)  # like `| true`: nobody reads what the command prints
    argv = [sys.executable, "-m", "wrapper", "generate", "x", "--mock", "-o", str(tmp_path), *json_output]
    try:
        done = subprocess.run(
            argv, stdout=writer, stderr=subprocess.PIPE, text=True, check=False, cwd=ROOT, timeout=300
        )
    finally:
        os.close(writer)
    assert (done.returncode, done.stderr) == (1, "")
    assert (tmp_path / "x.png").is_file()


def test_no_spinner_when_piped(tmp_path: Path) -> None:
    argv = [sys.executable, "-m", "wrapper", "generate", "a fox", "--mock", "-o", str(tmp_path)]
    done = subprocess.run(argv, capture_output=True, text=True, check=True, cwd=ROOT, timeout=300)
    assert "waiting" not in done.stdout + done.stderr
    assert "\x1b" not in done.stdout  # no cursor movement or colour either
    assert done.stdout.startswith(f"saved {tmp_path / 'a-fox.png'}\n")


def test_a_spinner_with_the_elapsed_time_while_waiting_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from rich.console import Console

    screen = io.StringIO()
    monkeypatch.setattr(_report, "console", lambda: Console(file=screen, force_terminal=True, width=100))
    assert main(["generate", "a fox", "--model", "gpt-image-1", "--mock", "-o", str(tmp_path)]) == 0
    assert "waiting for gpt-image-1 (generate)" in screen.getvalue()
    assert "0:00:0" in screen.getvalue()  # the elapsed time
    screen.truncate(0)
    assert main(["generate", "a fox", "--mock", "--json", "-o", str(tmp_path)]) == 0
    assert screen.getvalue() == ""


def test_ctrl_c_before_the_command_runs_is_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(_cli, "build_parser", interrupted)
    assert run(capsys, "generate", "x", "--mock") == (130, "", "images: error: interrupted\n")


def test_debug_logs_each_exchange_without_the_key(
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    sleeps: list[float],
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret-debug")
    with LiveServer(create_app()) as server, caplog.at_level(logging.DEBUG, "wrapper"):
        server.app.faults.queue(Fault.server_error())
        code, _, _ = run(
            capsys, "generate", "x", "--base-url", server.url, "--json", "--debug", "-o", str(tmp_path)
        )
    assert code == 0
    lines = [record.getMessage() for record in caplog.records if " -> " in record.getMessage()]
    assert len(lines) == 2
    pattern = r"POST /v1/images/generations -> (500|200) in \d+ ms \(request id req_\w+, attempt (1|2)\)"
    assert [re.fullmatch(pattern, line).groups() for line in lines] == [("500", "1"), ("200", "2")]  # type: ignore[union-attr]
    assert "sk-secret-debug" not in caplog.text


def test_debug_shows_neither_the_key_nor_a_base_url_password(
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret-debug")
    with LiveServer(create_app()) as server, caplog.at_level(logging.DEBUG, "wrapper"):
        # httpx2 sends a URL's user and password as Basic auth (as for the official SDK): a 401 here.
        base_url = server.url.replace("://", "://proxy-user:pw-secret-debug@")
        try:
            code, out, err = run(
                capsys, "generate", "x", "--base-url", base_url, "--debug", "-o", str(tmp_path)
            )
            shown = out + err
        except Exception as exc:  # --debug lets an error's traceback through
            code, shown = 1, "".join(traceback.format_exception(exc)) + "".join(capsys.readouterr())
    assert caplog.records  # the exchanges were logged
    for secret in ("sk-secret-debug", "pw-secret-debug"):
        assert secret not in shown + caplog.text
    assert code in (0, 1), shown


def test_models_shows_every_rule_including_pixel_caps(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "models")
    assert code == 0
    text = " ".join(out.split())
    rule = MODELS["gpt-image-2"].custom_sizes
    assert rule is not None
    assert f"at most {rule.max_pixels} pixels" in text
    assert "output_compression with output_format jpeg or webp" in text
    assert "up to 16 files: png, webp, jpeg, under 50 MB each" in text
    assert "1 file: png, under 4 MB, square" in text


@pytest.mark.as_of("today")
def test_models_shows_each_models_status_as_of_a_day(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "models", "--all", "--json", "--as-of", "2026-11-26")
    assert code == 0
    document = json.loads(out)
    status = {row["name"]: row["status"] for row in document["models"]}
    assert status["dall-e-2"] == "retired 2026-05-12 (use a GPT image model)"
    assert status["gpt-image-1"] == "retired 2026-10-23 (use gpt-image-2.5-sunburst or gpt-image-2.5-flare)"
    assert status["gpt-image-2.5-flare"] == "current"
    assert document["defaults"] == {}
    code, out, _ = run(capsys, "models", "--json", "--as-of", "2026-04-30")
    status = {row["name"]: row["status"] for row in json.loads(out)["models"]}
    assert status["gpt-image-1"] == "current, retires 2026-10-23"
    assert status["gpt-image-2.5-flare"] == "from 2026-09-08"
    code, out, _ = run(capsys, "models")
    assert "retired 2026-05-12" in " ".join(out.split())


@pytest.mark.as_of("today")
def test_the_cli_names_a_current_model_and_refuses_a_retired_one(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "generate", "x", "--mock", "--json", "-o", str(tmp_path))
    assert code == 0
    assert json.loads(out)["model"] == "gpt-image-1.5"
    code, _, err = run(capsys, "generate", "x", "--model", "dall-e-2", "--mock", "-o", str(tmp_path))
    assert code == 2
    assert "model 'dall-e-2' was retired on 2026-05-12" in err
    code, _, err = run(capsys, "vary", str(png_file(tmp_path / "a.png")), "--mock", "-o", str(tmp_path))
    assert code == 2
    assert "/images/variations endpoint was retired on 2026-05-12" in err
    code, _, _ = run(
        capsys, "vary", str(tmp_path / "a.png"), "--mock", "--as-of", "2026-04-30", "-o", str(tmp_path)
    )
    assert code == 0


@pytest.mark.as_of("today")
def test_gif_and_svg_results_are_saved_with_their_extensions(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    argv = ["--model", "gpt-image-2.5-flare", "--size", "256x256", "--mock", "-o", str(tmp_path)]
    code, _, _ = run(capsys, "generate", "a top", "--format", "gif", "--frame-count", "3", *argv)
    assert code == 0
    code, out, _ = run(capsys, "generate", "a boat", "--format", "svg", "--svg", '{"model": "m1"}', *argv)
    assert code == 0
    assert sorted(path.suffix for path in tmp_path.iterdir()) == [".gif", ".svg"]
    assert "svg by m1" in " ".join(out.split())
    code, _, err = run(capsys, "generate", "x", "--svg", "not json", *argv)
    assert code == 2
    assert "is not JSON" in err


INTERRUPT_DURING_IMPORTS = """
import sys


class Interrupt:  # Ctrl-C arriving while the command line imports httpx2
    def find_spec(self, name, path=None, target=None):
        if name == "httpx2":
            raise KeyboardInterrupt


sys.meta_path.insert(0, Interrupt())
from wrapper._console import run

sys.exit(run())
"""


def test_ctrl_c_while_the_command_line_is_still_importing_ends_quietly() -> None:
    done = subprocess.run(
        [sys.executable, "-c", INTERRUPT_DURING_IMPORTS, "models"], capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stdout, done.stderr) == (130, "", "images: error: interrupted\n")
    (script,) = importlib.metadata.entry_points(group="console_scripts", name="images")
    assert script.value == "wrapper._console:run"  # the installed command starts there
