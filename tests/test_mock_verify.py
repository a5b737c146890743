"""Verification end to end on loopback (wrapper/mock/_verify.py): probes through the recording proxy to an
upstream, then the cassettes replayed against the emulator and the client's validation. An upstream that
is the emulator agrees; one that differs on purpose gives exactly those disagreements, naming the rule."""

from __future__ import annotations

import json
from pathlib import Path

import httpx2
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from wrapper import _lifecycle
from wrapper._cli import main
from wrapper.mock import (
    Fault,
    LiveServer,
    Report,
    assert_cassettes_agree,
    create_app,
    create_proxy,
    run_probes,
    verify,
)
from wrapper.mock._cassette import AS_OF_HEADER

KEY = "sk-live-RECOGNISABLE-5d1e8b0c47"
N2 = {"prompt": "a fox", "model": "dall-e-3", "n": 2}


def differing(
    *,
    dalle3_takes_n2: bool = False,
    extra_field: str | None = None,
    no_partials: bool = False,
    json_edits: bool = False,
) -> Starlette:
    """The emulator, changed on purpose: dall-e-3 accepting n=2, every success carrying one more field,
    or streams without their partial images; as of the suite's day, which its answers say."""
    emulator = httpx2.ASGITransport(app=create_app())

    async def operation(request: Request) -> Response:
        body = await request.body()
        if (
            json_edits
            and request.headers["content-type"] == "application/json"
            and "edits" in request.url.path
        ):
            return JSONResponse({"created": 1, "data": [{"b64_json": "aGk="}]})
        if dalle3_takes_n2 and request.url.path.endswith("/generations"):
            sent = json.loads(body)
            if sent.get("model") == "dall-e-3" and sent.get("n") == 2:
                return JSONResponse(
                    {"created": 1, "data": [{"url": "https://x/1.png", "revised_prompt": "p"}] * 2}
                )
        headers = {key: request.headers[key] for key in ("authorization", "content-type")}
        async with httpx2.AsyncClient(transport=emulator, base_url="http://emulator") as http:
            answer = await http.post(request.url.path, content=body, headers=headers)
        if extra_field and answer.status_code == 200:
            return JSONResponse({**answer.json(), extra_field: "new"})
        if no_partials and answer.headers["content-type"].startswith("text/event-stream"):
            frames = [frame for frame in answer.content.split(b"\n\n") if b"partial_image" not in frame]
            return Response(b"\n\n".join(frames), media_type="text/event-stream")
        return Response(answer.content, answer.status_code, media_type=answer.headers["content-type"])

    async def dated(request: Request) -> Response:
        # As the emulator does: the day it plays (the suite's), which the recording keeps.
        response = await operation(request)
        response.headers[AS_OF_HEADER] = _lifecycle.default_as_of().isoformat()
        return response

    return Starlette(routes=[Route("/v1/images/{name}", dated, methods=["POST"])])


def probe(upstream: object, record: Path, *, models: list[str], spend: bool = False) -> None:
    with LiveServer(upstream) as server:
        run = run_probes(server.url, record, api_key=KEY, spend=spend, models=models, say=lambda _: None)
    assert run.failed == 0


def through_proxy(upstream: object, record: Path, *bodies: dict[str, object]) -> None:
    """Send `bodies` as generations through a recording proxy in front of `upstream`."""
    auth = {"authorization": f"Bearer {KEY}"}
    with (
        LiveServer(upstream) as server,
        LiveServer(create_proxy(server.url, record)) as proxy,
        httpx2.Client(base_url=proxy.url, headers=auth) as http,
    ):
        for body in bodies:
            with http.stream("POST", "/images/generations", json=body) as answer:
                answer.read()


STREAM = {
    "prompt": "a fox",
    "model": "gpt-image-1-mini",
    "stream": True,
    "partial_images": 2,
    "quality": "low",
}


@pytest.fixture(scope="module")
def agreeing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Recorded from the emulator itself, served on loopback: the rejecting half of the suite for one
    model, both halves for another, and a stream."""
    record = tmp_path_factory.mktemp("agreeing")
    probe(create_app(), record, models=["gpt-image-1-mini"])
    probe(create_app(), record, spend=True, models=["dall-e-3"])
    through_proxy(create_app(), record, STREAM)
    return record


@pytest.fixture(scope="module")
def agreeing_report(agreeing: Path) -> Report:
    return verify(agreeing)


def test_an_upstream_that_behaves_like_the_emulator_gives_no_disagreement(
    agreeing: Path, agreeing_report: Report
) -> None:
    assert agreeing_report.disagreements == []
    assert agreeing_report.compared == agreeing_report.records == len(list(agreeing.glob("*.json"))) > 50
    assert agreeing_report.ok
    assert "the API, the emulator and the client agree" in agreeing_report.text()
    statuses = {json.loads(path.read_text())["response"]["status"] for path in agreeing.glob("*.json")}
    assert {200, 400} <= statuses <= {200, 400, 404}  # 404: a model the probes name that does not exist


def test_no_cassette_holds_the_key(agreeing: Path) -> None:
    for path in agreeing.rglob("*"):
        assert KEY.encode() not in path.read_bytes(), path.name


def test_dall_e_3_accepting_n_2_is_exactly_that_disagreement_naming_the_rule(tmp_path: Path) -> None:
    probe(differing(dalle3_takes_n2=True), tmp_path, models=["dall-e-3"])
    report = verify(tmp_path)
    assert [(d.side, d.kind) for d in report.disagreements] == [
        ("emulator", "accepted vs refused"),
        ("client", "accepted vs refused"),
    ]
    for disagreement in report.disagreements:
        assert disagreement.request.startswith("generate dall-e-3 ")
        assert "n=2" in disagreement.request
        assert disagreement.fix == "wrapper/_capabilities.py: MODELS['dall-e-3'].max_n (PARAM_RULES['n'])"
    assert not report.ok


def test_an_added_response_field_is_a_missing_field_naming_the_spec(tmp_path: Path) -> None:
    record = tmp_path / "c"
    accepted = {"prompt": "a fox", "model": "gpt-image-1-mini", "quality": "low"}
    through_proxy(differing(extra_field="moderation_result"), record, accepted, N2)
    (disagreement,) = verify(record).disagreements
    assert (disagreement.side, disagreement.kind) == ("emulator", "missing field")
    assert disagreement.detail == "moderation_result (string) is in the API's answer, not the emulator's"
    assert disagreement.fix.startswith("openapi.yaml: paths['/images/generations'].post.responses['200']")
    with pytest.raises(AssertionError, match="moderation_result"):
        assert_cassettes_agree(record)


def test_a_stream_without_partial_images_is_an_event_sequence_disagreement(tmp_path: Path) -> None:
    through_proxy(differing(no_partials=True), tmp_path, STREAM)
    (disagreement,) = verify(tmp_path).disagreements
    assert (disagreement.side, disagreement.kind) == ("emulator", "events")
    assert disagreement.detail == (
        "the API sent image_generation.completed; the emulator image_generation.partial_image > "
        "image_generation.partial_image > image_generation.completed"
    )
    assert "text/event-stream" in disagreement.fix


def test_json_edits_by_data_url_agree_with_an_upstream_that_takes_them(tmp_path: Path) -> None:
    import base64
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGBA", (32, 32), (0, 90, 200, 255)).save(buffer, "PNG")
    url = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    body = {"prompt": "a hat", "model": "gpt-image-1", "images": [{"image_url": url}]}
    with (
        LiveServer(differing(json_edits=True)) as upstream,
        LiveServer(create_proxy(upstream.url, tmp_path)) as proxy,
        httpx2.Client(base_url=proxy.url, headers={"authorization": f"Bearer {KEY}"}) as http,
    ):
        assert http.post("/images/edits", json=body).status_code == 200
    report = verify(tmp_path)
    assert report.compared == 1
    # Both sides take the JSON edit now (the stub upstream answers fewer fields than the emulator,
    # which verification names as its own kind of disagreement).
    assert [d for d in report.disagreements if d.kind == "accepted vs refused"] == []
    assert {d.kind for d in report.disagreements} <= {"extra field", "missing field", "field type"}


def test_verify_command_exits_1_and_reports_json_for_ci(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    n2_cassettes, agreeing = tmp_path / "n2", tmp_path / "agreeing"
    through_proxy(differing(dalle3_takes_n2=True), n2_cassettes, N2, {"prompt": "a fox", "model": "dall-e-3"})
    through_proxy(create_app(), agreeing, N2, STREAM)
    assert main(["mock", "verify", str(n2_cassettes), "--json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert (document["ok"], document["records"], document["compared"]) == (False, 2, 2)
    assert {d["side"] for d in document["disagreements"]} == {"emulator", "client"}
    assert {d["fix"] for d in document["disagreements"]} == {
        "wrapper/_capabilities.py: MODELS['dall-e-3'].max_n (PARAM_RULES['n'])"
    }
    assert main(["mock", "verify", str(agreeing)]) == 0
    assert capsys.readouterr().out.rstrip().endswith("the API, the emulator and the client agree")


def test_answers_that_say_nothing_about_the_request_are_skipped(tmp_path: Path) -> None:
    app = create_app()
    app.faults.queue(Fault.rate_limit(retry_after=0), Fault.server_error())
    through_proxy(app, tmp_path, {"prompt": "a fox"}, {"prompt": "a fox"})
    report = verify(tmp_path)
    assert [item["why"] for item in report.skipped] == [
        "the API answered 429, which says nothing about the request",
        "the API answered 500, which says nothing about the request",
    ]
    assert report.compared == 0
    assert not report.ok  # nothing compared proves nothing


def test_a_directory_without_cassettes_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["mock", "verify", str(tmp_path / "missing")]) == 2
    assert "no cassette directory" in capsys.readouterr().err
