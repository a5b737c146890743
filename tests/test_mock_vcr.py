"""VCR.py cassettes (wrapper/mock/_vcr.py): ones that vcrpy itself records through the client against the
emulator are read by `verify` (image requests compared, other interactions skipped and counted), and the
recording proxy writes them (`format="vcr"`) without the key or any image bytes."""

from __future__ import annotations

import base64
import io
import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import httpx2
import pytest
import vcr
import yaml
from PIL import Image
from processes import LINE_TIMEOUT, read_lines, running, stop

import wrapper
from wrapper._cli import main
from wrapper.mock import LiveServer, create_app, create_proxy, verify

KEY = "sk-live-RECOGNISABLE-5d1e8b0c47"
LOW = {"model": "gpt-image-1.5", "quality": "low", "size": "1024x1024"}
GPT_IMAGE_1 = {"prompt": "a fox", "model": "gpt-image-1", "quality": "low", "size": "1024x1024"}
"""Served until its retirement on 2026-10-23 (the capability table's lifecycle), refused after it."""


def png(path: Path, size: tuple[int, int] = (64, 64)) -> Path:
    Image.new("RGBA", size, (10, 120, 200, 255)).save(path)
    return path


def record_with_vcrpy(cassette: Path, tmp_path: Path) -> None:
    """Through vcrpy's own recording (it patches httpx2's transports): the client's generation, edit
    and stream, a refused request sent raw, and a call that is not an image request."""
    with LiveServer(create_app()) as server, vcr.use_cassette(str(cassette), record_mode="all"):
        with wrapper.Client(base_url=server.url, api_key=KEY) as client:
            client.images.generate(prompt="a fox", **LOW)
            client.images.edit(image=png(tmp_path / "a.png"), prompt="add a hat", **LOW)
            with client.images.generate(prompt="a fox", stream=True, partial_images=1, **LOW) as stream:
                assert [event.type for event in stream][-1] == "image_generation.completed"
        auth = {"authorization": f"Bearer {KEY}"}
        refused = httpx2.post(
            f"{server.url}/images/generations",
            json={"prompt": "x", "model": "dall-e-3", "n": 2},
            headers=auth,
        )
        assert refused.status_code == 400
        assert httpx2.get(f"{server.url}/files/file-missing", headers=auth).status_code == 404


def test_a_cassette_recorded_by_vcrpy_through_the_client_is_verified(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cassette = tmp_path / "cassettes" / "test_module" / "test_images.yaml"  # as pytest-recording nests them
    record_with_vcrpy(cassette, tmp_path)
    methods = [item["request"]["method"] for item in yaml.safe_load(cassette.read_text())["interactions"]]
    assert methods == ["POST", "POST", "POST", "POST", "GET"]
    report = verify(tmp_path / "cassettes")
    assert (report.records, report.compared, report.disagreements) == (4, 4, [])
    assert [item["why"] for item in report.others] == ["not an image request: GET /v1/files/file-missing"]
    assert report.ok
    assert KEY not in report.text()
    assert main(["mock", "verify", str(cassette)]) == 0  # one cassette file will do too
    out = capsys.readouterr().out
    assert "1 other interaction(s) of VCR cassettes skipped: not image requests" in out
    assert "4 of 4 recorded exchanges compared" in out


def test_a_vcr_cassette_where_the_api_answered_otherwise_is_a_disagreement(tmp_path: Path) -> None:
    cassette = tmp_path / "c.yaml"
    record_with_vcrpy(cassette, tmp_path)
    document = yaml.safe_load(cassette.read_text())
    refused = document["interactions"][3]["response"]  # dall-e-3, n=2: the API took it, say
    refused["status"] = {"code": 200, "message": "OK"}
    refused["body"] = {"string": json.dumps({"created": 1, "data": [{"url": "https://x/1.png"}] * 2})}
    cassette.write_text(yaml.safe_dump(document))
    found = {(d.side, d.kind, d.fix) for d in verify(cassette).disagreements}
    rule = "wrapper/_capabilities.py: MODELS['dall-e-3'].max_n (PARAM_RULES['n'])"
    assert found == {("emulator", "accepted vs refused", rule), ("client", "accepted vs refused", rule)}


def interactions(directory: Path) -> list[dict[str, Any]]:
    return [yaml.safe_load(path.read_text())["interactions"][0] for path in sorted(directory.glob("*.yaml"))]


def test_the_proxy_writes_vcr_cassettes_without_the_key_or_image_bytes(tmp_path: Path) -> None:
    record = tmp_path / "vcr"
    with (
        LiveServer(create_app()) as upstream,
        LiveServer(create_proxy(upstream.url, record, format="vcr")) as proxy,
        wrapper.Client(base_url=proxy.url, api_key=KEY) as client,
    ):
        client.images.generate(prompt="a fox", **LOW)
        client.images.edit(image=png(tmp_path / "a.png", (256, 256)), prompt="add a hat", **LOW)
        with client.images.generate(prompt="a fox", stream=True, partial_images=1, **LOW) as stream:
            list(stream)
    assert len(list(record.glob("*.yaml"))) == 3
    assert not list(record.glob("*.json"))
    for path in record.iterdir():
        assert KEY.encode() not in path.read_bytes(), path.name
    generation, edit, streamed = interactions(record)  # in the order they were answered
    assert list(generation["request"]["headers"]) == ["content-type"]
    image = json.loads(generation["response"]["body"]["string"])["data"][0]["b64_json"]
    assert Image.open(io.BytesIO(base64.b64decode(image))).size == (1, 1)  # a stand-in, not the image
    assert [meta["width"] for meta in edit["images"]["files"]] == [256]
    assert "b64_json" not in edit["request"]["body"]
    assert 'name="image"' in edit["request"]["body"]  # the part is there, empty
    events = streamed["response"]["body"]["string"]
    assert events.count("event: image_generation.partial_image") == 1
    assert len(events) < 2000  # two images, each a 1x1 stand-in
    report = verify(record)
    assert (report.compared, report.disagreements) == (3, [])


def test_vcrpy_replays_a_cassette_the_proxy_wrote(tmp_path: Path) -> None:
    record = tmp_path / "vcr"
    with (
        LiveServer(create_app()) as upstream,
        LiveServer(create_proxy(upstream.url, record, format="vcr")) as proxy,
        wrapper.Client(base_url=proxy.url, api_key=KEY) as client,
    ):
        client.images.generate(prompt="a fox", **LOW)
        url = upstream.url
    (cassette,) = record.glob("*.yaml")
    with (
        vcr.use_cassette(str(cassette), record_mode="none"),
        wrapper.Client(base_url=url, api_key=KEY) as client,
    ):
        result = client.images.generate(prompt="a fox", **LOW)  # the upstream has stopped: vcrpy answers
    assert Image.open(io.BytesIO(result.data[0].content())).size == (1, 1)
    assert result.usage is not None


def test_an_unknown_proxy_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="format 'xml' is not one of json, vcr"):
        create_proxy("https://api.test/v1", tmp_path, format="xml")


# --- the day of a VCR cassette: its answer's Date, or none ---------------------------------------------


def record_gpt_image_1(cassette: Path, date_header: str | None) -> None:
    """vcrpy's recording of a gpt-image-1 generation the API accepted (an emulator as of 2026-10-01),
    its answer's `Date` then set to `date_header` or removed, and the emulator's own day removed: what
    a cassette of the real API looks like, with or without a `Date`."""
    with LiveServer(create_app(as_of="2026-10-01")) as server, vcr.use_cassette(str(cassette)):
        answer = httpx2.post(
            f"{server.url}/images/generations", json=GPT_IMAGE_1, headers={"authorization": f"Bearer {KEY}"}
        )
        assert answer.status_code == 200
    document = yaml.safe_load(cassette.read_text())
    response = document["interactions"][0]["response"]
    response["headers"] = {
        name: values
        for name, values in response["headers"].items()
        if name.lower() not in ("date", "x-emulator-as-of")
    }
    if date_header is not None:
        response["headers"]["Date"] = [date_header]
    cassette.write_text(yaml.safe_dump(document))


@pytest.mark.as_of("2026-12-01")
def test_a_vcr_answer_without_a_date_is_undated_and_said_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cassette = tmp_path / "c.yaml"
    record_gpt_image_1(cassette, None)
    report = verify(cassette)
    assert (report.compared, report.undated, report.undated_as_of) == (1, 1, "2026-12-01")
    assert {d.kind for d in report.disagreements} == {"accepted vs refused"}  # as of today: retired
    text = report.text()
    assert "1 exchange(s) undated (a VCR answer without a Date header" in text
    assert "replayed as of today, 2026-12-01" in text
    assert "replayed as of the day each was recorded" not in text  # no day of its own to claim
    assert main(["mock", "verify", str(cassette), "--as-of", "2026-10-01"]) == 0
    assert "replayed as of 2026-10-01 (--as-of)" in capsys.readouterr().out


@pytest.mark.as_of("2026-12-01")
def test_a_vcr_answer_dated_before_a_retirement_verifies_clean_as_of_that_day(tmp_path: Path) -> None:
    cassette = tmp_path / "c.yaml"
    record_gpt_image_1(cassette, "Thu, 01 Oct 2026 12:00:00 GMT")
    report = verify(cassette)
    assert (report.compared, report.disagreements, report.undated, report.ok) == (1, [], 0, True)
    assert report.days == {"2026-10-01": 1}
    assert "replayed as of the day each was recorded: 2026-10-01 (1)" in report.text()
    assert "undated" not in report.text()


def test_the_proxy_dates_a_vcr_answer_that_came_without_one(tmp_path: Path) -> None:
    async def api(request: httpx2.Request) -> httpx2.Response:
        await request.aread()
        return httpx2.Response(200, json={"created": 1, "data": [{"url": "https://x/1.png"}]})

    transport = httpx2.MockTransport(api)
    proxy = create_proxy("https://api.test/v1", tmp_path, format="vcr", transport=transport)
    with LiveServer(proxy) as served, httpx2.Client(base_url=served.url) as http:
        body = {"prompt": "a fox", "model": "dall-e-3"}
        answer = http.post("/images/generations", json=body, headers={"authorization": f"Bearer {KEY}"})
        assert answer.is_success
    (item,) = interactions(tmp_path)
    (stamp,) = item["response"]["headers"]["date"]
    report = verify(tmp_path)
    assert (report.undated, list(report.days)) == (0, [date.today().isoformat()]), stamp


def test_images_mock_format_vcr_records_cassettes_that_verify(tmp_path: Path) -> None:
    """The command end to end: `images mock --upstream URL --record DIR --format vcr`, a real process in
    front of the emulator, records through the client; `images mock verify DIR`, another, agrees."""
    upload = png(tmp_path / "a.png", (256, 256)).read_bytes()
    argv = [sys.executable, "-m", "wrapper", "mock", "--port", "0", "--format", "vcr", "--record", "c"]
    with (
        LiveServer(create_app()) as upstream,
        running([*argv, "--upstream", upstream.url], cwd=tmp_path) as served,
    ):
        exported = read_lines(served, 2)[1]
        url = exported.split("=", 1)[1].strip()
        with wrapper.Client(base_url=url, api_key=KEY) as client:
            client.images.generate(prompt="a fox", **LOW)
            client.images.edit(image=tmp_path / "a.png", prompt="add a hat", **LOW)
        stop(served)
    assert served.returncode == 0
    cassettes = sorted((tmp_path / "c").iterdir())
    assert [path.suffix for path in cassettes] == [".yaml", ".yaml"]
    for path in cassettes:
        text = path.read_text()
        assert KEY not in text, path.name
        assert "authorization" not in text.lower(), path.name
        assert base64.b64encode(upload).decode()[:40] not in text  # the upload, neither encoded
        assert "IHDR" not in text  # nor raw (a PNG's first chunk, escaped or not)
        for image in re.findall(r'"b64_json":"([^"]*)"', text):  # every answered image a 1x1 stand-in
            assert Image.open(io.BytesIO(base64.b64decode(image))).size == (1, 1)
    answered = re.findall(r'"b64_json":"', "".join(path.read_text() for path in cassettes))
    assert len(answered) == 2
    verified = subprocess.run(
        [sys.executable, "-m", "wrapper", "mock", "verify", "c"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=LINE_TIMEOUT,
        check=False,
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "2 of 2 recorded exchanges compared (0 skipped)" in verified.stdout
    assert "undated" not in verified.stdout
