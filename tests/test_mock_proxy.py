"""The recording proxy (wrapper/mock/_proxy.py): forwards unchanged, relays as it arrives, records shapes
and never the key. Upstreams are loopback servers: the emulator, or small Starlette apps written here."""

from __future__ import annotations

import hashlib
import json
import sys
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import anyio
import httpx2
import pytest
from mock_support import png
from processes import read_lines, running, stop
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from wrapper._cli import main
from wrapper.mock import LiveServer, create_app, create_proxy
from wrapper.mock._proxy import check_upstream

KEY = "sk-live-RECOGNISABLE-7f3a9c2e51"


def cassettes(directory: Path) -> list[dict[str, object]]:
    return [json.loads(path.read_text()) for path in sorted(directory.glob("*.json"))]


def assert_no_key_anywhere(directory: Path) -> None:
    files = list(directory.rglob("*"))
    assert files
    for path in files:
        assert KEY.encode() not in path.read_bytes(), path.name


@pytest.fixture
def emulator() -> Iterator[LiveServer]:
    with LiveServer(create_app()) as server:
        yield server


def through_proxy(upstream: str, record: Path) -> tuple[LiveServer, httpx2.Client]:
    server = LiveServer(create_proxy(upstream, record))
    http = httpx2.Client(base_url=server.url, headers={"authorization": f"Bearer {KEY}"}, trust_env=False)
    return server, http


def test_each_exchange_is_forwarded_unchanged_and_recorded(emulator: LiveServer, tmp_path: Path) -> None:
    proxy, http = through_proxy(emulator.url, tmp_path)
    with proxy, http:
        refused = http.post("/images/generations", json={"prompt": "a fox", "model": "dall-e-3", "n": 2})
        accepted = http.post("/images/generations", json={"prompt": "a fox", "model": "gpt-image-1"})
    assert refused.status_code == 400
    assert refused.json()["error"]["param"] == "n"  # the upstream's own answer, relayed
    assert accepted.status_code == 200
    assert [record.headers["authorization"] for record in emulator.app.requests] == ["Bearer ***"] * 2
    first, second = cassettes(tmp_path)
    assert first["operation"] == "generate"
    assert first["request"]["params"] == {"prompt": "a fox", "model": "dall-e-3", "n": 2}
    assert first["response"]["status"] == 400
    assert first["response"]["error"]["param"] == "n"
    assert first["response"]["error"]["code"] == "invalid_value"
    assert first["response"]["headers"]["x-request-id"] == refused.headers["x-request-id"]
    fields = second["response"]["fields"]
    assert fields["created"] == "integer"
    assert fields["data[].b64_json"] == "string"
    assert fields["usage.input_tokens_details.image_tokens"] == "integer"
    assert accepted.json()["data"][0]["b64_json"][:20] not in json.dumps(second)  # shapes, not values


def test_files_are_recorded_as_metadata_never_bytes(emulator: LiveServer, tmp_path: Path) -> None:
    image, mask = png((64, 64)), png((64, 64), (0, 0, 0, 0))
    proxy, http = through_proxy(emulator.url, tmp_path / "c")
    with proxy, http:
        response = http.post(
            "/images/edits",
            data={"prompt": "a hat", "model": "gpt-image-1", "n": "2", "stream": "false"},
            files=[("image[]", ("a.png", image, "image/png")), ("image[]", ("b.png", image, "image/png")),
                   ("mask", ("m.png", mask, "image/png"))],
        )  # fmt: skip
    assert response.status_code == 200
    (record,) = cassettes(tmp_path / "c")
    assert record["request"]["params"] == {"prompt": "a hat", "model": "gpt-image-1", "n": 2, "stream": False}
    first, _, last = record["request"]["files"]
    assert first == {
        "part": "image[]",
        "param": "image",
        "filename": "a.png",
        "content_type": "image/png",
        "format": "png",
        "width": 64,
        "height": 64,
        "size": len(image),
        "sha256": hashlib.sha256(image).hexdigest(),
    }
    assert (last["param"], last["sha256"]) == ("mask", hashlib.sha256(mask).hexdigest())
    text = (next((tmp_path / "c").glob("*.json"))).read_text()
    assert "iVBORw0KGgo" not in text  # no base64 PNG, neither sent nor received


def echoing_upstream() -> Starlette:
    """An upstream that echoes the caller's key in its error message and a header, as some APIs do."""

    async def refuse(request: Request) -> Response:
        key = request.headers["authorization"].split()[1]
        error = {"message": f"Incorrect API key provided: {key}.", "type": "invalid_request_error"}
        headers = {"x-request-id": "req_1", "x-ratelimit-remaining-requests": "0", "x-echo": key}
        return JSONResponse({"error": {**error, "param": None, "code": "invalid_api_key"}}, 401, headers)

    return Starlette(routes=[Route("/v1/images/{operation}", refuse, methods=["POST"])])


def test_no_cassette_holds_the_key_even_when_the_upstream_echoes_it(tmp_path: Path) -> None:
    with LiveServer(echoing_upstream()) as upstream:
        proxy, http = through_proxy(upstream.url, tmp_path)
        with proxy, http:
            answer = http.post("/images/generations", json={"prompt": KEY, "user": KEY})
            http.post(
                "/images/variations", files={"image": ("k.png", png(), "image/png")}, data={"user": KEY}
            )
    assert KEY in answer.text  # the caller sees what the upstream said; only the record is scrubbed
    records = cassettes(tmp_path)
    assert len(records) == 2
    assert records[0]["response"]["error"]["message"] == "Incorrect API key provided: ***."
    assert records[0]["response"]["headers"] == {
        "x-request-id": "req_1",
        "x-ratelimit-remaining-requests": "0",
    }
    assert records[0]["request"]["params"]["prompt"] == "***"
    assert_no_key_anywhere(tmp_path)


def gated_stream(gate: threading.Event, sent: list[str]) -> Starlette:
    """An upstream whose stream sends one event, then waits for the test before the next."""

    async def events() -> AsyncIterator[bytes]:
        sent.append("partial")
        yield b'event: image_generation.partial_image\ndata: {"type": "image_generation.partial_image"}\n\n'
        await anyio.to_thread.run_sync(gate.wait, 10)
        sent.append("completed")
        yield b'event: image_generation.completed\ndata: {"type": "image_generation.completed"}\n\n'

    async def generate(request: Request) -> Response:
        await request.body()
        return StreamingResponse(events(), media_type="text/event-stream")

    return Starlette(routes=[Route("/v1/images/generations", generate, methods=["POST"])])


def test_a_stream_is_relayed_event_by_event(tmp_path: Path) -> None:
    gate, sent = threading.Event(), []
    with LiveServer(gated_stream(gate, sent)) as upstream:
        proxy, http = through_proxy(upstream.url, tmp_path)
        with (
            proxy,
            http,
            http.stream("POST", "/images/generations", json={"prompt": "x", "stream": True}) as r,
        ):
            lines = r.iter_lines()
            assert next(lines) == "event: image_generation.partial_image"
            assert next(lines).startswith("data: ")
            assert sent == ["partial"]  # the first event arrived while the upstream still held the second
            gate.set()
            rest = [line for line in lines if line]
    assert rest == ["event: image_generation.completed", 'data: {"type": "image_generation.completed"}']
    (record,) = cassettes(tmp_path)
    events = record["response"]["events"]
    assert [event["type"] for event in events] == [
        "image_generation.partial_image",
        "image_generation.completed",
    ]


def test_an_unreachable_upstream_is_a_502_in_the_api_shape_and_no_record(tmp_path: Path) -> None:
    with LiveServer(create_app()) as gone:
        url = gone.url
    proxy, http = through_proxy(url, tmp_path)
    with proxy, http:
        answer = http.post("/images/generations", json={"prompt": "x"})
    assert answer.status_code == 502
    assert set(answer.json()["error"]) == {"message", "type", "param", "code"}
    assert not list(tmp_path.glob("*.json"))


@pytest.mark.parametrize(
    "url",
    ["https://api.openai.com/v1", "http://127.0.0.1:4010/v1", "http://localhost:8080", "http://[::1]:1/v1"],
)
def test_https_and_loopback_upstreams_are_allowed(url: str) -> None:
    assert check_upstream(url) == url.rstrip("/")


@pytest.mark.parametrize(
    "url", ["http://api.openai.com/v1", "http://10.0.0.2/v1", "ftp://127.0.0.1/v1", "api.openai.com/v1"]
)
def test_other_upstreams_are_refused_before_anything_is_sent(url: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="https://"):
        create_proxy(url, tmp_path)


def test_images_mock_upstream_record_serves_the_proxy(emulator: LiveServer, tmp_path: Path) -> None:
    argv = [
        sys.executable,
        "-m",
        "wrapper",
        "mock",
        "--port",
        "0",
        "--upstream",
        emulator.url,
        "--record",
        "c",
    ]
    with running(argv, cwd=tmp_path) as served:
        banner, exported = read_lines(served, 2)
        url = exported.split("=", 1)[1].strip()
        answer = httpx2.post(
            f"{url}/images/generations", json={"prompt": "x"}, headers={"authorization": f"Bearer {KEY}"}
        )
        stop(served)
    assert banner.startswith("Recording proxy on http://127.0.0.1:")
    assert f"for {emulator.url}, cassettes in c" in banner
    assert answer.status_code == 200
    assert served.returncode == 0
    assert len(list((tmp_path / "c").glob("*.json"))) == 1
    assert_no_key_anywhere(tmp_path / "c")


def test_images_mock_refuses_a_clear_text_upstream(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["mock", "--upstream", "http://api.example.com/v1", "--record", str(tmp_path)]) == 2
    assert "use an https:// URL" in capsys.readouterr().err
    assert main(["mock", "--upstream", "https://api.example.com/v1"]) == 2
    assert "--upstream and --record go together" in capsys.readouterr().err
