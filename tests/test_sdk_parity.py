"""Behaviours of the official SDK's client that code written for it relies on, pinned on `wrapper`.

Each case states what the SDK does (read in its `_base_client.py`, `_client.py`, `_streaming.py`,
`_response.py`) and checks the wrapper does the same, sync and async; the SDK's own image tests run
against both in `make sdk-tests`.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from typing import Any

import httpx2
import openai
import pydantic
import pytest
from conftest import BASE_URL, KEY, OK, invoke, png

import wrapper
from wrapper._spec import OPERATIONS as OPERATIONS_SPEC

# --- construction and lifecycle ---------------------------------------------------------------------


@pytest.mark.parametrize("cls", [wrapper.Client, wrapper.AsyncClient])
def test_the_sdks_construction_options_are_accepted(cls: type[Any]) -> None:
    """`admin_api_key`, `_strict_response_validation`, `websocket_base_url`, `webhook_secret`: the SDK
    takes them; here they change nothing about image requests."""
    client = cls(
        api_key=KEY,
        admin_api_key="sk-admin",
        _strict_response_validation=True,
        websocket_base_url="wss://ws.test/v1",
        webhook_secret="whsec_x",
    )
    assert client.admin_api_key == "sk-admin"
    assert client.websocket_base_url == "wss://ws.test/v1"
    assert client.webhook_secret == "whsec_x"


@pytest.mark.parametrize("cls", [wrapper.Client, wrapper.AsyncClient])
@pytest.mark.parametrize(("value", "error"), [(None, TypeError), ("2", TypeError), (-1, ValueError)])
def test_bad_max_retries_fail_at_construction(cls: type[Any], value: object, error: type[Exception]) -> None:
    with pytest.raises(error, match="max_retries"):
        cls(api_key=KEY, max_retries=value)


def test_bad_max_retries_fail_in_with_options() -> None:
    with pytest.raises(ValueError, match="max_retries must be a non-negative integer"):
        wrapper.Client(api_key=KEY).with_options(max_retries=-1)


@pytest.mark.anyio
async def test_is_closed_says_whether_the_pool_is_closed(make_client: Callable[..., Any], kind: str) -> None:
    client = make_client(lambda request: httpx2.Response(200, json=OK))
    assert client.is_closed() is False
    await invoke(client.close)
    assert client.is_closed() is True


@pytest.mark.anyio
async def test_a_call_on_a_closed_client_raises_what_the_sdk_raises(make_client: Callable[..., Any]) -> None:
    """The SDK lets httpx2's `RuntimeError` through, with httpx2's message."""
    client = make_client(lambda request: httpx2.Response(200, json=OK))
    await invoke(client.close)
    with pytest.raises(RuntimeError, match="Cannot send a request, as the client has been closed"):
        await invoke(client.images.generate, prompt="x", model="gpt-image-1")


@pytest.mark.anyio
async def test_create_variation_warns_that_it_is_deprecated(make_client: Callable[..., Any]) -> None:
    client = make_client(lambda request: httpx2.Response(200, json=OK))
    for method in (client.images.create_variation, client.images.with_raw_response.create_variation):
        with pytest.warns(DeprecationWarning, match="create_variation"):
            await invoke(method, image=png(256, 256), model="dall-e-2")


@pytest.mark.anyio
async def test_generate_and_edit_do_not_warn(make_client: Callable[..., Any]) -> None:
    client = make_client(lambda request: httpx2.Response(200, json=OK))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        await invoke(client.images.generate, prompt="x", model="gpt-image-1")


def test_the_base_url_and_key_defaults_are_unchanged_by_the_new_options() -> None:
    client = wrapper.Client(api_key=KEY, base_url=BASE_URL)
    assert client.admin_api_key is None
    assert client.api_key == KEY


# --- streams through with_streaming_response ----------------------------------------------------------

COMPLETED = (
    b'event: image_generation.completed\ndata: {"type": "image_generation.completed", "b64_json": "aGk=",'
    b' "created_at": 1, "size": "1024x1024", "quality": "low", "background": "opaque",'
    b' "output_format": "png", "usage": {"input_tokens": 1, "output_tokens": 2, "total_tokens": 3,'
    b' "input_tokens_details": {"text_tokens": 1, "image_tokens": 0}}}\n\n'
)


def _sse(request: httpx2.Request) -> httpx2.Response:
    return httpx2.Response(200, content=COMPLETED, headers={"content-type": "text/event-stream"})


def test_streaming_response_parse_of_a_stream_is_the_stream() -> None:
    client = wrapper.Client(
        api_key=KEY, base_url=BASE_URL, http_client=httpx2.Client(transport=httpx2.MockTransport(_sse))
    )
    with client.images.with_streaming_response.generate(
        prompt="x", model="gpt-image-1", stream=True
    ) as response:
        stream = response.parse()
        assert isinstance(stream, wrapper.Stream)
        assert [event.type for event in stream] == ["image_generation.completed"]
        stream.close()
    assert response.is_closed


@pytest.mark.anyio
async def test_async_streaming_response_parse_of_a_stream_is_the_stream() -> None:
    http = httpx2.AsyncClient(transport=httpx2.MockTransport(_sse))
    client = wrapper.AsyncClient(api_key=KEY, base_url=BASE_URL, http_client=http)
    manager = client.images.with_streaming_response.generate(prompt="x", model="gpt-image-1", stream=True)
    async with manager as response:
        stream = await response.parse()
        assert isinstance(stream, wrapper.AsyncStream)
        assert [event.type async for event in stream] == ["image_generation.completed"]
        await stream.close()
    assert response.is_closed


@pytest.mark.anyio
async def test_async_stream_close_is_aclose() -> None:
    """The SDK's `AsyncStream` has `close()` (a coroutine); `aclose()` stays as httpx2's name."""
    http = httpx2.AsyncClient(transport=httpx2.MockTransport(_sse))
    client = wrapper.AsyncClient(api_key=KEY, base_url=BASE_URL, http_client=http)
    stream = await client.images.generate(prompt="x", model="gpt-image-1", stream=True)
    await stream.close()
    assert stream.response.is_closed


# --- refusals before the wire are caught where the API's answer is ----------------------------------


def _never(request: httpx2.Request) -> httpx2.Response:
    raise AssertionError("nothing may be sent")


@pytest.mark.anyio
@pytest.mark.as_of("2026-11-26")
async def test_a_retired_model_is_a_not_found_error_and_not_a_bad_request(
    make_client: Callable[..., Any],
) -> None:
    """The API answers a retired model 404: the SDK raises `NotFoundError`, never `BadRequestError`."""
    client = make_client(_never)
    with pytest.raises(wrapper.NotFoundError) as caught:
        await invoke(client.images.generate, prompt="x", model="dall-e-3")
    assert not isinstance(caught.value, wrapper.BadRequestError)
    assert isinstance(caught.value, wrapper.PreflightError)
    assert (caught.value.status_code, caught.value.code, caught.value.param) == (
        404,
        "model_not_found",
        "model",
    )
    assert caught.value.response is None


@pytest.mark.anyio
@pytest.mark.as_of("2026-11-26")
async def test_a_retired_endpoint_is_a_not_found_error(make_client: Callable[..., Any]) -> None:
    client = make_client(_never)
    with pytest.raises(wrapper.NotFoundError) as caught:
        await invoke(client.images.create_variation, image=png(64, 64), model="dall-e-2")
    assert not isinstance(caught.value, wrapper.BadRequestError)
    assert isinstance(caught.value, wrapper.RetiredError)


@pytest.mark.anyio
async def test_a_refused_value_is_a_bad_request_and_not_a_not_found(make_client: Callable[..., Any]) -> None:
    client = make_client(_never)
    with pytest.raises(wrapper.BadRequestError) as caught:
        await invoke(client.images.generate, prompt="x", model="dall-e-3", n=2)
    assert not isinstance(caught.value, wrapper.NotFoundError)
    assert isinstance(caught.value, wrapper.PreflightError)
    assert isinstance(caught.value, wrapper.ValidationError)


@pytest.mark.anyio
async def test_bytes_that_are_not_an_image_are_a_bad_request(make_client: Callable[..., Any]) -> None:
    """The API answers 400 to an upload that is not an image; the SDK raises `BadRequestError`."""
    client = make_client(_never)
    with pytest.raises(wrapper.BadRequestError) as caught:
        await invoke(client.images.edit, image=b"Example data", prompt="x", model="gpt-image-1")
    assert caught.value.param == "image"
    assert caught.value.status_code == 400
    assert isinstance(caught.value, wrapper.FileError)  # as before, for code written for the wrapper
    assert isinstance(caught.value, ValueError)


def test_openai_error_is_the_root_of_every_error() -> None:
    from wrapper import OpenAIError

    assert issubclass(wrapper.APIError, OpenAIError)
    assert issubclass(wrapper.ValidationError, OpenAIError)
    assert issubclass(wrapper.FileError, OpenAIError)


# --- results: what the SDK parses, the wrapper parses ------------------------------------------------


@pytest.mark.anyio
async def test_a_usage_missing_a_sub_key_keeps_the_image(make_client: Callable[..., Any]) -> None:
    """The SDK builds its result without checking every key; a generated, billed image must never be
    lost to an incomplete token count."""
    usage = {
        "input_tokens": 5,
        "output_tokens": 7,
        "total_tokens": 12,
        "input_tokens_details": {"image_tokens": 0},
        "output_tokens_details": {"image_tokens": 7},
    }
    body = {"created": 1, "data": [{"b64_json": "aGk="}], "usage": usage}
    client = make_client(lambda request: httpx2.Response(200, json=body))
    result = await invoke(client.images.generate, prompt="x", model="gpt-image-1")
    assert result.data[0].b64_json == "aGk="
    assert result.usage.output_tokens_details.image_tokens == 7
    assert result.usage.output_tokens_details.text_tokens is None
    assert result.usage.input_tokens_details.text_tokens is None
    assert result.model_dump(exclude_unset=True)["usage"] == usage  # what the API sent


# --- headers merge case-insensitively, later wins (the SDK's `_merge_headers`) ---------------------------


def _sent_headers(make_client: Callable[..., Any], **options: Any) -> Any:
    seen: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return httpx2.Response(200, json=OK)

    extra = options.pop("extra_headers", None)
    return seen, make_client(handler, **options), extra


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("options", "name", "expected"),
    [
        ({"default_headers": {"Authorization": "Bearer other"}}, "authorization", ["Bearer other"]),
        ({"default_headers": {"authorization": "Bearer other"}}, "authorization", ["Bearer other"]),
        ({"extra_headers": {"AUTHORIZATION": "Bearer call"}}, "authorization", ["Bearer call"]),
        (
            {"organization": "org-a", "default_headers": {"openai-organization": "org-b"}},
            "openai-organization",
            ["org-b"],
        ),
        (
            {"default_headers": {"x-team": "a"}, "extra_headers": {"X-Team": "b"}},
            "x-team",
            ["b"],
        ),
    ],
)
async def test_headers_merge_case_insensitively(
    make_client: Callable[..., Any], options: dict[str, Any], name: str, expected: list[str]
) -> None:
    seen, client, extra = _sent_headers(make_client, **options)
    await invoke(client.images.generate, prompt="x", model="gpt-image-1", extra_headers=extra)
    assert seen[0].headers.get_list(name) == expected


# --- redirects ----------------------------------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize("status", [307, 308])
async def test_a_307_or_308_is_followed_by_the_default_client(kind: str, status: int) -> None:
    """The SDK's own httpx2 client follows redirects; 307/308 keep the method and the body."""
    seen: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        if request.url.path.endswith("/images/generations"):
            return httpx2.Response(status, headers={"location": "https://api.test/v2/moved"})
        return httpx2.Response(200, json=OK)

    transport = httpx2.MockTransport(handler)
    if kind == "sync":
        client: Any = wrapper.Client(
            api_key=KEY, base_url=BASE_URL, http_client=wrapper.DefaultHttpxClient(transport=transport)
        )
    else:
        client = wrapper.AsyncClient(
            api_key=KEY, base_url=BASE_URL, http_client=wrapper.DefaultAsyncHttpxClient(transport=transport)
        )
    result = await invoke(client.images.generate, prompt="x", model="gpt-image-1")
    assert result.data[0].b64_json == "aGk="
    assert [(r.method, r.url.path) for r in seen] == [
        ("POST", "/v1/images/generations"),
        ("POST", "/v2/moved"),
    ]
    assert seen[1].content == seen[0].content


# --- api_key as a callable ----------------------------------------------------------------------------


@pytest.mark.anyio
async def test_an_api_key_callable_is_read_before_each_request(
    make_client: Callable[..., Any], kind: str
) -> None:
    """The SDK takes `api_key` as a function (a coroutine function for the async client) and calls it
    for every request: keys that rotate are picked up without a new client."""
    keys = iter(["sk-first", "sk-second"])
    seen: list[str] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request.headers["authorization"])
        return httpx2.Response(200, json=OK)

    def provider() -> str:
        return next(keys)

    async def aprovider() -> str:
        return next(keys)

    client = make_client(handler, api_key=provider if kind == "sync" else aprovider)
    for _ in range(2):
        await invoke(client.images.generate, prompt="x", model="gpt-image-1")
    assert seen == ["Bearer sk-first", "Bearer sk-second"]
    assert client.api_key == "sk-second"
    assert "sk-second" not in repr(client)


@pytest.mark.anyio
async def test_a_result_has_the_sdks_request_id_name(make_client: Callable[..., Any]) -> None:
    answer = httpx2.Response(200, json=OK, headers={"x-request-id": "req_123"})
    client = make_client(lambda request: answer)
    result = await invoke(client.images.generate, prompt="x", model="gpt-image-1")
    assert result._request_id == "req_123" == result.request_id
    assert "_request_id" not in result.model_dump()


# --- User-Agent ---------------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_the_user_agent_names_this_client_its_http_library_and_python(
    make_client: Callable[..., Any],
) -> None:
    import platform
    from importlib.metadata import version

    seen, client, _ = _sent_headers(make_client)
    await invoke(client.images.generate, prompt="x", model="gpt-image-1")
    ours, python = version("images-client"), platform.python_version()
    expected = f"images-client/{ours} httpx2/{httpx2.__version__} Python/{python}"
    assert seen[0].headers.get_list("user-agent") == [expected]


@pytest.mark.anyio
async def test_a_user_agent_of_the_caller_wins(make_client: Callable[..., Any]) -> None:
    seen, client, _ = _sent_headers(make_client, default_headers={"user-agent": "my-app/1.0"})
    await invoke(client.images.generate, prompt="x", model="gpt-image-1")
    assert seen[0].headers.get_list("user-agent") == ["my-app/1.0"]


# --- edits take one image file or a list, as the official description does ------------------------------


@pytest.mark.anyio
async def test_edits_take_one_file_or_a_list_in_the_client_and_the_emulator() -> None:
    from mock_support import png as real_png

    from wrapper.mock import create_app

    app = create_app()
    http = httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app))  # type: ignore[arg-type]
    async with wrapper.AsyncClient(api_key=KEY, base_url="http://mock.test/v1", http_client=http) as client:
        one = await client.images.edit(image=real_png((32, 32)), prompt="x", model="gpt-image-1")
        two = await client.images.edit(image=[real_png((32, 32))] * 2, prompt="x", model="gpt-image-1")
    assert len(one.data) == len(two.data) == 1
    assert [(r.status, len(r.images)) for r in app.requests] == [(200, 1), (200, 2)]
    schema = OPERATIONS_SPEC["edit"].params["image"]
    assert (schema.min_items, schema.max_items) == (1, 16)


USAGES = [
    {"total_tokens": 3},
    "not an object",
    {"input_tokens": "1"},
    {"input_tokens": 5, "output_tokens": True, "total_tokens": 5.0, "input_tokens_details": []},
    {"input_tokens": 1, "output_tokens_details": {"image_tokens": 7, "text_tokens": "seven"}},
    {"input_tokens_details": {}},
    [],
]
SVG_USAGES = [{"model": "x"}, None, [], {"model": 3, "total_tokens": 9, "reasoning_tokens": None}]


def _of_the_spec_type(name: str, value: object) -> object:
    """`value` when it is of the type the spec gives field `name` (a count is an integer, not a
    boolean; `model` is a string), else None: what a typed result can hold of it."""
    if name == "model":
        return value if isinstance(value, str) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _agrees_with_the_sdk(ours: object, theirs: object) -> int:
    """Check the wrapper's accounting object `ours` keeps what the official SDK's lenient parse
    (`theirs`) keeps: no object where the SDK kept none, and each field of the spec's type the SDK
    holds, None for the others; nested objects alike. The number of fields compared.

    (Where pydantic's validation of an optional object succeeds, the SDK also converts a count sent
    as "2" or 2.0 to 2; the wrapper does not convert, and the cases here send no such object.)"""
    if not isinstance(theirs, pydantic.BaseModel):
        assert ours is None, f"{ours!r}: the SDK kept no object ({theirs!r})"
        return 0
    assert ours is not None, f"the SDK kept {theirs!r}"
    compared = 0
    for name in type(theirs).model_fields:
        mine, sdk = getattr(ours, name), getattr(theirs, name)
        if name.endswith("_details"):
            compared += _agrees_with_the_sdk(mine, sdk)
        else:
            assert mine == _of_the_spec_type(name, sdk), (name, mine, sdk)
            compared += 1
    return compared


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("field", "value"),
    [("usage", usage) for usage in USAGES] + [("svg_usage", usage) for usage in SVG_USAGES],
)
async def test_a_result_keeps_of_its_usage_what_the_sdk_keeps(
    make_client: Callable[..., Any], field: str, value: object
) -> None:
    body = {"created": 1, "data": [{"b64_json": "aGk="}], field: value}
    client = make_client(lambda request: httpx2.Response(200, json=body))
    result = await invoke(client.images.generate, prompt="x", model="gpt-image-1")
    sdk = openai.types.ImagesResponse.model_construct(**body)  # how the SDK's client reads an answer
    assert (_agrees_with_the_sdk(getattr(result, field), getattr(sdk, field)) > 0) == isinstance(value, dict)


@pytest.mark.anyio
@pytest.mark.parametrize("usage", USAGES)
@pytest.mark.parametrize(
    ("kind", "sdk_type"),
    [("image_generation", "ImageGenCompletedEvent"), ("image_edit", "ImageEditCompletedEvent")],
)
async def test_a_completed_event_keeps_of_its_usage_what_the_sdk_keeps(
    make_client: Callable[..., Any], usage: object, kind: str, sdk_type: str
) -> None:
    event = {
        "type": f"{kind}.completed",
        "b64_json": "aGk=",
        "created_at": 1,
        "background": "opaque",
        "output_format": "png",
        "quality": "low",
        "size": "1024x1024",
        "usage": usage,
    }
    stream = f"event: {kind}.completed\ndata: {json.dumps(event)}\n\n".encode()
    answer = httpx2.Response(200, headers={"content-type": "text/event-stream"}, content=stream)
    client = make_client(lambda request: answer)
    call = client.images.generate if kind == "image_generation" else client.images.edit
    image = {} if kind == "image_generation" else {"image": png(64, 64)}
    final = await invoke((await invoke(call, prompt="x", model="gpt-image-1", stream=True, **image)).final)
    sdk = getattr(openai.types, sdk_type).model_construct(**event)  # as the SDK's stream reads an event
    assert final.b64_json == "aGk="
    assert (_agrees_with_the_sdk(final.usage, sdk.usage) > 0) == isinstance(usage, dict)


def test_a_usage_of_one_count_is_that_count_and_none_for_the_others() -> None:
    result = wrapper.ImagesResponse.from_dict({"created": 1, "usage": {"total_tokens": 3}})
    assert result.usage == wrapper.Usage(total_tokens=3)
    assert (result.usage.input_tokens, result.usage.output_tokens, result.usage.input_tokens_details) == (
        None,
        None,
        None,
    )
    assert result.model_dump()["usage"] == {
        "input_tokens": None,
        "input_tokens_details": None,
        "output_tokens": None,
        "total_tokens": 3,
        "output_tokens_details": None,
    }


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("usage", "svg_usage"),
    [({"total_tokens": 3}, {"model": "x"}), ("not an object", None), ({"input_tokens": "1"}, [])],
)
async def test_accounting_the_types_cannot_hold_keeps_the_image_and_the_json(
    make_client: Callable[..., Any], usage: object, svg_usage: object
) -> None:
    """Whatever the usage objects hold, the image is kept with what the SDK keeps of them (a value not
    of the spec's type is None), and the dumps keep what the API sent (the SDK keeps the raw values)."""
    body = {"created": 1, "data": [{"b64_json": "aGk="}], "usage": usage, "svg_usage": svg_usage}
    client = make_client(lambda request: httpx2.Response(200, json=body))
    result = await invoke(client.images.generate, prompt="x", model="gpt-image-1")
    assert result.data[0].b64_json == "aGk="
    sdk = openai.types.ImagesResponse.model_construct(**body)
    _agrees_with_the_sdk(result.usage, sdk.usage)
    _agrees_with_the_sdk(result.svg_usage, sdk.svg_usage)
    assert result.model_dump(exclude_unset=True)["usage"] == usage  # what the API sent
    assert result.model_dump(exclude_unset=True)["svg_usage"] == svg_usage
