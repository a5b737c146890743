"""The probe suite (wrapper/mock/_probe.py): built from the capability table, both sides of each rule,
the accepting half only when asked, and what it costs said first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wrapper._capabilities import FILE_COLUMNS, PAIRED_RULES, PARAM_RULES
from wrapper._cli import main
from wrapper.mock import Fault, LiveServer, Probe, build_probes, create_app, run_probes
from wrapper.mock._probe import plan


def values(probes: list[Probe], model: str, param: str) -> dict[object, str]:
    """The probed values of `param` on `model`, each with its side."""
    return {
        probe.params[param]: probe.side
        for probe in probes
        if probe.model == model and probe.param == param and set(probe.params) - {"model", "prompt"} <= {
            param, "size", "quality"}
    }  # fmt: skip


def test_every_rule_of_the_table_is_probed_on_both_sides() -> None:
    probes = build_probes()
    rules = {probe.rule for probe in probes}
    assert {f"PARAM_RULES[{param!r}]" for param in PARAM_RULES} <= rules
    assert {f"PAIRED_RULES[{param!r}]" for param in PAIRED_RULES} <= rules
    assert "FILE_COLUMNS" in rules
    assert {probe.column for probe in probes if probe.rule == "FILE_COLUMNS"} == set(FILE_COLUMNS.values())
    for param in PARAM_RULES:
        sides = {probe.side for probe in probes if probe.param == param}
        assert sides == {"inside", "outside"}, param


def test_limits_are_pinned_just_inside_and_just_outside() -> None:
    probes = build_probes()
    assert values(probes, "dall-e-3", "n") == {1: "inside", 2: "outside"}  # "dall-e-3 only creates 1"
    assert values(probes, "dall-e-2", "n") == {10: "inside", 11: "outside"}
    prompts = {len(str(v)): side for v, side in values(probes, "dall-e-2", "prompt").items()}
    assert prompts == {1000: "inside", 1001: "outside"}
    sizes = values(probes, "gpt-image-2", "size")
    assert (sizes["3840x2160"], sizes["3840x2176"]) == ("inside", "outside")  # at most 3840x2160 pixels
    assert (sizes["1024x1040"], sizes["1024x1032"]) == ("inside", "outside")  # multiples of 16
    assert (sizes["1920x640"], sizes["1936x640"]) == ("inside", "outside")  # 3:1 at most
    assert values(probes, "dall-e-2", "size")["1024x1040"] == "outside"
    assert values(probes, "dall-e-3", "style") == {"vivid": "inside", "natural": "inside"}
    assert values(probes, "gpt-image-1", "style") == {"vivid": "outside", "natural": "outside"}


def test_a_model_is_probed_on_an_operation_it_does_not_do() -> None:
    (probe,) = [p for p in build_probes(["dall-e-3"]) if p.rule == "operations" and p.operation == "edit"]
    assert probe.side == "outside"
    assert probe.files  # a well-formed edit: only the model is wrong


def test_accepting_probes_are_the_cheapest_request_but_for_the_rule() -> None:
    for probe in build_probes(["gpt-image-1", "dall-e-3"]):
        if not probe.accepting:
            continue
        if probe.model == "gpt-image-1" and probe.param not in ("size", "quality"):
            assert (probe.params["size"], probe.params["quality"]) == ("1024x1024", "low"), probe.describe()
        if probe.param != "n":
            assert probe.images == 1
    _, run = plan(spend=True, models=["dall-e-3"])
    assert run.images == run.accepting  # dall-e-3 makes one image a request


def test_each_request_is_sent_once() -> None:
    probes = build_probes()
    keys = [json.dumps([p.operation, dict(p.params), p.files], default=str) for p in probes]
    assert len(keys) == len(set(keys))


def test_only_the_rejecting_half_is_sent_without_spend(tmp_path: Path) -> None:
    said: list[str] = []
    with LiveServer(create_app()) as upstream:
        run = run_probes(
            upstream.url, tmp_path, api_key="sk-probe-key-123456", models=["dall-e-3"], say=said.append
        )
    assert (run.sent, run.failed, len(run.recorded)) == (run.rejecting, 0, run.rejecting)
    assert run.images == 0
    assert "which will create 0 images" in said[0]
    statuses = {json.loads(path.read_text())["response"]["status"] for path in tmp_path.glob("*.json")}
    assert statuses == {400}
    probes = [json.loads(path.read_text())["probe"] for path in tmp_path.glob("*.json")]
    assert {probe["side"] for probe in probes} == {"outside"}
    assert {
        "rule": "PARAM_RULES['n']",
        "param": "n",
        "model": "dall-e-3",
        "column": "max_n",
        "side": "outside",
    } in probes


def test_spend_sends_the_accepting_half_too_saying_how_many_images_first(tmp_path: Path) -> None:
    said: list[str] = []
    with LiveServer(create_app()) as upstream:
        run = run_probes(
            upstream.url,
            tmp_path,
            api_key="sk-probe-key-123456",
            spend=True,
            models=["dall-e-3"],
            say=said.append,
        )
    assert run.sent == run.total == run.rejecting + run.accepting
    assert f"which will create {run.accepting} images" in said[0]
    statuses = sorted(json.loads(path.read_text())["response"]["status"] for path in tmp_path.glob("*.json"))
    assert statuses == [200] * run.accepting + [400] * run.rejecting


def test_a_probe_answered_429_or_500_is_sent_again_until_it_pins_its_rule(tmp_path: Path) -> None:
    app = create_app()
    app.faults.queue(Fault.rate_limit(retry_after=0), Fault.server_error())  # for the first valid request
    with LiveServer(app) as upstream:
        key = "sk-probe-key-123456"
        run = run_probes(upstream.url, tmp_path, api_key=key, spend=True, models=["dall-e-3"], say=print)
    paths = sorted(tmp_path.glob("*.json"))
    statuses = [json.loads(path.read_text())["response"]["status"] for path in paths]
    first = statuses.index(429)
    assert statuses[first : first + 3] == [429, 500, 200]  # one probe, recorded each time, until answered
    assert len(statuses) == run.sent + 2


def test_images_mock_probe_lists_the_suite_and_needs_a_key_to_send(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["mock", "probe", "--list", "--model", "dall-e-3"]) == 0
    out = capsys.readouterr().out
    assert "PARAM_RULES['n']" in out
    _, run = plan(models=["dall-e-3"])
    assert out.splitlines()[-1] == (
        f"{run.rejecting} of {run.total} requests ({run.rejecting} the table refuses, "
        f"{run.accepting} it accepts); sending these creates 0 images"
    )
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    assert main(["mock", "probe", "--upstream", "https://api.example.com/v1", "--record", str(tmp_path)]) == 2
    assert "probe needs the API key in OPENAI_API_KEY" in capsys.readouterr().err
    monkeypatch.setenv("OPENAI_API_KEY", "sk-probe-key-123456")
    with LiveServer(create_app()) as upstream:
        argv = ["mock", "probe", "--upstream", upstream.url, "--record", str(tmp_path), "--model", "dall-e-3"]
        assert main(argv) == 0
    said = capsys.readouterr().out
    assert said.startswith(f"probe suite: {run.total} requests")
    assert f"sent {run.rejecting}, recorded {run.rejecting} cassettes" in said
