"""Client construction, what goes on the wire, results, and errors: each body runs sync and async."""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Callable
from typing import Any

import httpx2
import pytest
from conftest import BASE_URL, KEY, WEBP, Recorder, invoke, png

import wrapper


def body(request: httpx2.Request) -> dict[str, Any]:
    return dict(json.loads(request.content))


@pytest.mark.anyio
async def test_prompt_and_model_only_send_exactly_those(make_client: Callable[..., Any]) -> None:
    recorder = Recorder()
    await invoke(make_client(recorder).images.generate, prompt="a fox", model="gpt-image-1")
    request = recorder.requests[0]
    assert request.content == b'{"prompt":"a fox","model":"gpt-image-1"}'
    assert request.url == f"{BASE_URL}/images/generations"
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.headers["content-type"] == "application/json"


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("method", "kwargs", "model"),
    [
        ("generate", {"prompt": "x", "size": "1792x1024"}, "dall-e-2"),
        ("generate", {"prompt": "x", "quality": "high", "style": "vivid"}, "gpt-image-1.5"),
        ("generate", {"prompt": "x", "output_format": "webp", "style": "vivid"}, "gpt-image-1.5"),
        ("edit", {"image": png(), "prompt": "x", "size": "1792x1024"}, "gpt-image-1.5"),
        ("create_variation", {"image": png(512, 256)}, "dall-e-2"),
    ],
)
async def test_requests_without_a_model_are_validated_against_the_api_default(
    make_client: Callable[..., Any], method: str, kwargs: dict[str, Any], model: str
) -> None:
    recorder = Recorder()
    with pytest.raises(wrapper.ValidationError) as caught:
        await invoke(getattr(make_client(recorder).images, method), **kwargs)
    assert caught.value.model == model
    assert recorder.requests == []


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("generate", {"prompt": "x"}),
        ("generate", {"prompt": "x", "quality": "high"}),
        ("edit", {"image": png(), "prompt": "x"}),
        ("create_variation", {"image": png()}),
    ],
)
async def test_an_api_default_model_is_not_sent(
    make_client: Callable[..., Any], method: str, kwargs: dict[str, Any]
) -> None:
    recorder = Recorder()
    await invoke(getattr(make_client(recorder).images, method), **kwargs)
    assert b'name="model"' not in recorder.requests[0].content
    assert b'"model"' not in recorder.requests[0].content


@pytest.mark.anyio
async def test_client_default_model_wins(make_client: Callable[..., Any]) -> None:
    recorder = Recorder()
    client = make_client(recorder, default_model="gpt-image-1")
    await invoke(client.images.generate, prompt="x")
    await invoke(client.images.generate, prompt="x", model="dall-e-3")
    assert [body(r)["model"] for r in recorder.requests] == ["gpt-image-1", "dall-e-3"]


@pytest.mark.anyio
async def test_default_model_that_cannot_do_the_operation_yields_to_the_api_default(
    make_client: Callable[..., Any],
) -> None:
    recorder = Recorder()
    client = make_client(recorder, default_model="gpt-image-1")
    await invoke(client.images.create_variation, image=png(), size="256x256")
    assert b'name="model"' not in recorder.requests[0].content


@pytest.mark.anyio
async def test_none_means_not_sent(make_client: Callable[..., Any]) -> None:
    recorder = Recorder()
    await invoke(make_client(recorder).images.generate, prompt="x", n=None, size=None, quality=None)
    assert body(recorder.requests[0]) == {"prompt": "x"}


@pytest.mark.anyio
async def test_per_call_headers_body_and_timeout(make_client: Callable[..., Any]) -> None:
    recorder = Recorder()
    client = make_client(recorder, default_headers={"X-Team": "a"})
    await invoke(
        client.images.generate,
        prompt="x",
        extra_headers={"X-Trace": "t1"},
        extra_body={"future_param": 7},
        timeout=3.5,
    )
    request = recorder.requests[0]
    assert request.headers["x-team"] == "a"
    assert request.headers["x-trace"] == "t1"
    assert body(request)["future_param"] == 7
    assert request.extensions["timeout"] == {"connect": 3.5, "read": 3.5, "write": 3.5, "pool": 3.5}


@pytest.mark.anyio
async def test_default_timeout_is_minutes_to_read_seconds_to_connect(make_client: Callable[..., Any]) -> None:
    recorder = Recorder()
    await invoke(make_client(recorder).images.generate, prompt="x")
    timeout = recorder.requests[0].extensions["timeout"]
    assert timeout["read"] >= 120
    assert timeout["connect"] <= 30


@pytest.mark.anyio
async def test_edit_fields_go_out_as_form_parts(make_client: Callable[..., Any]) -> None:
    recorder = Recorder()
    await invoke(
        make_client(recorder).images.edit,
        image=png(),
        prompt="x",
        mask=png(),
        input_fidelity="high",
        extra_body={"future": True},
    )
    content = recorder.requests[0].content
    for part in (
        b'name="image"',
        b'name="mask"',
        b'name="input_fidelity"\r\n\r\nhigh',
    ):
        assert part in content
    assert b'name="future"\r\n\r\ntrue' in content
    assert b'name="n"' not in content


@pytest.mark.anyio
async def test_result_exposes_every_field_and_http_info(make_client: Callable[..., Any]) -> None:
    answer = {
        "created": 5,
        "data": [{"b64_json": base64.b64encode(WEBP).decode(), "revised_prompt": "r"}],
        "background": "opaque",
        "output_format": "webp",
        "quality": "high",
        "size": "1024x1024",
        "usage": {
            "input_tokens": 3,
            "input_tokens_details": {"image_tokens": 1, "text_tokens": 2},
            "output_tokens": 4,
            "output_tokens_details": {"image_tokens": 4, "text_tokens": 0},
            "total_tokens": 7,
        },
    }
    recorder = Recorder(httpx2.Response(200, json=answer, headers={"x-request-id": "req_1"}))
    result = await invoke(make_client(recorder).images.generate, prompt="x", model="gpt-image-1")
    assert (result.created, result.background, result.output_format, result.quality, result.size) == (
        5,
        "opaque",
        "webp",
        "high",
        "1024x1024",
    )
    assert result.data[0].content() == WEBP
    assert result.data[0].revised_prompt == "r"
    assert result.usage == wrapper.Usage(
        3, 4, 7, wrapper.InputTokensDetails(1, 2), wrapper.OutputTokensDetails(4, 0)
    )
    assert result.http.status_code == 200
    assert result.request_id == "req_1"
    assert result.http.headers["x-request-id"] == "req_1"
    with pytest.raises(AttributeError):
        result.created = 6


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, wrapper.BadRequestError),
        (401, wrapper.AuthenticationError),
        (403, wrapper.PermissionDeniedError),
        (404, wrapper.NotFoundError),
        (409, wrapper.ConflictError),
        (422, wrapper.UnprocessableEntityError),
        (429, wrapper.RateLimitError),
        (500, wrapper.InternalServerError),
        (503, wrapper.InternalServerError),
    ],
)
async def test_error_statuses_raise_their_class(
    make_client: Callable[..., Any], status: int, cls: type[Exception]
) -> None:
    error = {"error": {"message": "nope", "type": "invalid_request_error", "param": "size", "code": "bad"}}
    recorder = Recorder(httpx2.Response(status, json=error, headers={"x-request-id": "req_9"}))
    client = make_client(recorder, max_retries=0)
    with pytest.raises(cls) as caught:
        await invoke(client.images.generate, prompt="x")
    err = caught.value
    assert isinstance(err, wrapper.APIStatusError)
    assert (err.status_code, err.message, err.type, err.param, err.code, err.request_id) == (
        status,
        "nope",
        "invalid_request_error",
        "size",
        "bad",
        "req_9",
    )


@pytest.mark.anyio
async def test_html_502_gives_internal_server_error_with_text(make_client: Callable[..., Any]) -> None:
    page = "<html><body><h1>502 Bad Gateway</h1></body></html>"
    recorder = Recorder(httpx2.Response(502, text=page, headers={"content-type": "text/html"}))
    with pytest.raises(wrapper.InternalServerError) as caught:
        await invoke(make_client(recorder, max_retries=0).images.generate, prompt="x")
    assert str(caught.value) == "Error code: 502 - 502 Bad Gateway"


@pytest.mark.anyio
async def test_a_success_status_other_than_200_is_not_an_api_error(make_client: Callable[..., Any]) -> None:
    recorder = Recorder(httpx2.Response(202, json={"status": "queued"}))
    with pytest.raises(wrapper.APIResponseValidationError, match="unexpected 202 answer"):
        await invoke(make_client(recorder).images.generate, prompt="x")


@pytest.mark.anyio
async def test_malformed_success_body_raises_response_validation_error(
    make_client: Callable[..., Any],
) -> None:
    recorder = Recorder(httpx2.Response(200, json={"data": []}))
    with pytest.raises(wrapper.APIResponseValidationError) as caught:
        await invoke(make_client(recorder).images.generate, prompt="x")
    assert caught.value.status_code == 200


@pytest.mark.anyio
@pytest.mark.parametrize(
    "body",
    [
        [],  # not an object
        {"created": 1, "data": ["not an object"]},
        # An incomplete usage or svg_usage is not here: the images are kept and the part is None, as
        # with the official SDK (tests/test_sdk_parity.py).
    ],
)
async def test_any_malformed_success_body_is_a_response_validation_error(
    make_client: Callable[..., Any], body: object
) -> None:
    recorder = Recorder(httpx2.Response(200, json=body))
    with pytest.raises(wrapper.APIResponseValidationError, match="not an ImagesResponse"):
        await invoke(make_client(recorder).images.generate, prompt="x")


@pytest.mark.anyio
async def test_fields_a_newer_api_adds_are_kept_not_refused(make_client: Callable[..., Any]) -> None:
    """Never stricter than the API: an unknown field at any depth parses, and the dumps keep it."""
    tokens = {"image_tokens": 1, "text_tokens": 2, "audio_tokens": 3}
    usage = {"input_tokens": 3, "output_tokens": 4, "total_tokens": 7, "input_tokens_details": tokens}
    svg = {"input_tokens": 1, "model": "m", "output_tokens": 2, "reasoning_tokens": 0, "total_tokens": 3}
    image = {"b64_json": "AA==", "seed": 7}
    body = {"created": 1, "data": [image], "usage": usage, "svg_usage": {**svg, "cached": 1}, "new": True}
    recorder = Recorder(httpx2.Response(200, json=body))
    result = await invoke(make_client(recorder).images.generate, prompt="x")
    assert result.usage.input_tokens_details.text_tokens == 2
    assert result.svg_usage.model == "m"
    assert result.data[0].b64_json == "AA=="
    dumped = result.model_dump()
    assert dumped["new"] is True
    assert dumped["usage"]["input_tokens_details"]["audio_tokens"] == 3
    assert dumped["svg_usage"]["cached"] == 1
    assert dumped["data"][0]["seed"] == 7


@pytest.mark.anyio
async def test_connection_errors_are_wrapped(make_client: Callable[..., Any], sleeps: list[float]) -> None:
    def refuse(request: httpx2.Request) -> httpx2.Response:
        raise httpx2.ConnectError("refused", request=request)

    def slow(request: httpx2.Request) -> httpx2.Response:
        raise httpx2.ReadTimeout("slow", request=request)

    with pytest.raises(wrapper.APIConnectionError):
        await invoke(make_client(refuse).images.generate, prompt="x")
    with pytest.raises(wrapper.APITimeoutError):
        await invoke(make_client(slow).images.generate, prompt="x")


@pytest.mark.anyio
async def test_api_key_never_shown(
    make_client: Callable[..., Any], caplog: pytest.LogCaptureFixture, sleeps: list[float]
) -> None:
    caplog.set_level(logging.DEBUG)
    recorder = Recorder(httpx2.Response(500, json={"error": {"message": "boom", "type": "server_error"}}))
    client = make_client(recorder)
    with pytest.raises(wrapper.InternalServerError) as caught:
        await invoke(client.images.generate, prompt="x")
    err = caught.value
    shown = [
        repr(client),
        str(client),
        repr(err),
        str(err),
        repr(err.request),
        caplog.text,
    ]
    assert len(sleeps) == 2
    assert "retrying" in caplog.text
    assert all(KEY not in text for text in shown)


def test_key_and_base_url_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env")
    monkeypatch.setenv("OPENAI_BASE_URL", "https://proxy.test/v9")
    recorder = Recorder()
    client = wrapper.Client(http_client=httpx2.Client(transport=httpx2.MockTransport(recorder)))
    client.images.generate(prompt="x")
    assert recorder.requests[0].url == "https://proxy.test/v9/images/generations"
    assert recorder.requests[0].headers["authorization"] == "Bearer sk-env"


def test_default_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    assert wrapper.Client(api_key="k").base_url == "https://api.openai.com/v1"


@pytest.mark.parametrize("cls", [wrapper.Client, wrapper.AsyncClient])
def test_missing_key_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, cls: type[Any]) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(wrapper.WrapperError, match="OPENAI_API_KEY"):
        cls()


def test_context_manager_closes_connections() -> None:
    http = httpx2.Client(transport=httpx2.MockTransport(Recorder()))
    with wrapper.Client(api_key="k", http_client=http) as client:
        client.images.generate(prompt="x")
    assert http.is_closed


@pytest.mark.anyio
async def test_async_context_manager_closes_connections() -> None:
    http = httpx2.AsyncClient(transport=httpx2.MockTransport(Recorder()))
    async with wrapper.AsyncClient(api_key="k", http_client=http) as client:
        await client.images.generate(prompt="x")
    assert http.is_closed


@pytest.mark.anyio
async def test_with_options_changes_a_copy(make_client: Callable[..., Any], sleeps: list[float]) -> None:
    recorder = Recorder(httpx2.Response(503, json={}))
    client = make_client(recorder)
    with pytest.raises(wrapper.InternalServerError):
        await invoke(client.with_options(max_retries=0).images.generate, prompt="x")
    assert len(recorder.requests) == 1
    assert client.max_retries == 2
    with pytest.raises(TypeError):
        client.with_options(colour="red")


def test_async_methods_are_coroutines() -> None:
    import inspect

    client = wrapper.AsyncClient(api_key="k")
    for name in ("generate", "edit", "create_variation"):
        assert inspect.iscoroutinefunction(getattr(client.images, name))


@pytest.mark.anyio
async def test_async_close_matches_the_official_sdk_name() -> None:
    http = httpx2.AsyncClient()
    client = wrapper.AsyncClient(api_key=KEY, http_client=http)
    await client.close()
    assert http.is_closed


@pytest.mark.anyio
async def test_a_key_read_from_a_file_loses_surrounding_whitespace(make_client: Callable[..., Any]) -> None:
    recorder = Recorder()
    await invoke(make_client(recorder, api_key="  sk-SECRET\n").images.generate, prompt="x")
    assert recorder.requests[0].headers["authorization"] == "Bearer sk-SECRET"


@pytest.mark.parametrize("cls", [wrapper.Client, wrapper.AsyncClient])
@pytest.mark.parametrize("key", ["sk-SEC\nRET", "sk-SEC\x00RET", "sk-SEC\rRET", "\n\t "])
def test_a_key_with_control_characters_is_refused_without_showing_it(cls: type[Any], key: str) -> None:
    with pytest.raises(wrapper.WrapperError) as raised:
        cls(api_key=key)
    assert "SEC" not in str(raised.value)
    assert "RET" not in str(raised.value)
    assert "API key" in str(raised.value)


@pytest.mark.anyio
@pytest.mark.network
async def test_connection_errors_never_show_a_header_value(kind: str, images_mock: Any) -> None:
    # h11 refuses the header and httpx2's message quotes it whole; the wrapper's must not.
    headers = {"X-Trace": "tok-SECRET\n"}
    cls = wrapper.Client if kind == "sync" else wrapper.AsyncClient
    client = cls(api_key="k", base_url=images_mock.url, default_headers=headers, max_retries=0)
    with pytest.raises(wrapper.APIConnectionError) as raised:
        await invoke(client.images.generate, prompt="x")
    assert "tok-SECRET" not in str(raised.value)
    assert "tok-SECRET" not in repr(raised.value)
    assert "header" in str(raised.value).lower()
