"""Verification as of the day a cassette was recorded (wrapper/mock/_verify.py, _cassette.py, _proxy.py).

gpt-image-1 was retired on 2026-10-23 (the capability table's lifecycle). The tests run as of
2026-12-01, after it: a cassette recorded while it was served must still verify clean, and so must one
recorded after its retirement, each replayed as of its own day.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx2
import pytest

from wrapper._cli import main
from wrapper.mock import LiveServer, create_app, create_proxy, verify

KEY = "sk-live-RECOGNISABLE-5d1e8b0c47"
GPT_IMAGE_1 = {"prompt": "a fox", "model": "gpt-image-1", "quality": "low", "size": "1024x1024"}
pytestmark = pytest.mark.as_of("2026-12-01")


def record(upstream: object, directory: Path, body: dict[str, object]) -> dict[str, object]:
    """Send `body` as a generation through a recording proxy in front of `upstream`; the cassette."""
    with (
        LiveServer(upstream) as server,
        LiveServer(create_proxy(server.url, directory)) as proxy,
        httpx2.Client(base_url=proxy.url, headers={"authorization": f"Bearer {KEY}"}) as http,
    ):
        http.post("/images/generations", json=body).read()
    (path,) = directory.glob("*.json")
    cassette: dict[str, object] = json.loads(path.read_text())
    return cassette


def test_a_cassette_recorded_before_a_retirement_verifies_clean_after_it(tmp_path: Path) -> None:
    cassette = record(create_app(as_of="2026-10-01"), tmp_path, GPT_IMAGE_1)
    assert cassette["as_of"] == "2026-10-01"
    assert cassette["response"]["status"] == 200  # type: ignore[index]
    report = verify(tmp_path)
    assert (report.compared, report.disagreements, report.ok) == (1, [], True)
    assert report.days == {"2026-10-01": 1}
    assert "replayed as of the day each was recorded: 2026-10-01 (1)" in report.text()


def test_as_of_replays_every_cassette_as_of_that_day_instead(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record(create_app(as_of="2026-10-01"), tmp_path, GPT_IMAGE_1)
    report = verify(tmp_path, as_of="2026-10-23")
    assert [(d.side, d.kind, d.as_of) for d in report.disagreements] == [
        ("emulator", "accepted vs refused", "2026-10-23"),
        ("client", "accepted vs refused", "2026-10-23"),
    ]
    assert main(["mock", "verify", str(tmp_path), "--as-of", "2026-10-23"]) == 1
    out = capsys.readouterr().out
    assert "(as of 2026-10-23): [emulator] accepted vs refused" in out
    assert "replayed as of 2026-10-23 (--as-of): 2026-10-23 (1)" in out
    assert main(["mock", "verify", str(tmp_path), "--as-of", "2026-10-22"]) == 0


def test_a_cassette_recorded_after_the_retirement_verifies_clean_too(tmp_path: Path) -> None:
    cassette = record(create_app(as_of="2026-11-01"), tmp_path, GPT_IMAGE_1)
    assert cassette["response"]["status"] == 404  # type: ignore[index]
    report = verify(tmp_path)
    assert (report.compared, report.disagreements, report.days) == (1, [], {"2026-11-01": 1})
    refused_then = verify(tmp_path, as_of="2026-10-01").disagreements
    assert {d.kind for d in refused_then} == {"refused vs accepted"}


def test_the_api_date_header_is_the_day_when_the_upstream_is_not_the_emulator(tmp_path: Path) -> None:
    async def api(request: httpx2.Request) -> httpx2.Response:
        await request.aread()
        headers = {"date": "Thu, 01 Oct 2026 12:00:00 GMT"}
        return httpx2.Response(200, json={"created": 1, "data": [{"b64_json": "aGk="}]}, headers=headers)

    proxy = create_proxy("https://api.test/v1", tmp_path, transport=httpx2.MockTransport(api))
    with LiveServer(proxy) as served, httpx2.Client(base_url=served.url) as http:
        http.post("/images/generations", json=GPT_IMAGE_1, headers={"authorization": f"Bearer {KEY}"})
    (path,) = tmp_path.glob("*.json")
    cassette = json.loads(path.read_text())
    assert (cassette["recorded_on"], cassette["as_of"]) == ("2026-10-01", None)
    report = verify(tmp_path)
    assert report.days == {"2026-10-01": 1}
    assert [d for d in report.disagreements if d.kind == "accepted vs refused"] == []


def test_an_old_cassette_without_a_day_is_replayed_as_of_today_and_said_so(tmp_path: Path) -> None:
    record(create_app(as_of="2026-10-01"), tmp_path, GPT_IMAGE_1)
    (path,) = tmp_path.glob("*.json")
    cassette = json.loads(path.read_text())
    del cassette["recorded_on"], cassette["as_of"]
    path.write_text(json.dumps(cassette))
    report = verify(tmp_path)
    assert (report.undated, report.days) == (1, {"2026-12-01": 1})
    assert {d.kind for d in report.disagreements} == {"accepted vs refused"}
    assert "cassettes kept their day): replayed as of today, 2026-12-01" in report.text()
    assert "1 exchange(s) undated" in report.text()


def test_a_recorded_day_that_is_not_a_date_is_refused_by_name(tmp_path: Path) -> None:
    record(create_app(as_of="2026-10-01"), tmp_path, GPT_IMAGE_1)
    (path,) = tmp_path.glob("*.json")
    path.write_text(path.read_text().replace('"as_of": "2026-10-01"', '"as_of": "October"'))
    with pytest.raises(ValueError, match="recorded day 'October' is not a date"):
        verify(tmp_path)
