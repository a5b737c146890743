"""`http_client=`: an httpx2 client (the official SDK's `DefaultHttpxClient` included) works with both
clients; a client of the legacy `httpx` package is refused with a message saying what to pass."""

from __future__ import annotations

import json
from typing import Any

import httpx2
import openai
import pytest

import wrapper

ANSWER = {"created": 1, "data": [{"b64_json": "aGk="}]}
BASE_URL = "http://api.test/v1"


def handler(seen: list[httpx2.Request]) -> httpx2.MockTransport:
    def answer(request: httpx2.Request) -> httpx2.Response:
        request.read()
        seen.append(request)
        return httpx2.Response(200, json=ANSWER)

    return httpx2.MockTransport(answer)


def async_handler(seen: list[httpx2.Request]) -> httpx2.MockTransport:
    async def answer(request: httpx2.Request) -> httpx2.Response:
        await request.aread()
        seen.append(request)
        return httpx2.Response(200, json=ANSWER)

    return httpx2.MockTransport(answer)


SYNC_FACTORIES = {
    "httpx2.Client": httpx2.Client,
    "openai.DefaultHttpxClient": openai.DefaultHttpxClient,
    "wrapper.DefaultHttpxClient": wrapper.DefaultHttpxClient,
}
ASYNC_FACTORIES = {
    "httpx2.AsyncClient": httpx2.AsyncClient,
    "openai.DefaultAsyncHttpxClient": openai.DefaultAsyncHttpxClient,
    "wrapper.DefaultAsyncHttpxClient": wrapper.DefaultAsyncHttpxClient,
}


@pytest.mark.parametrize("factory", SYNC_FACTORIES.values(), ids=SYNC_FACTORIES.keys())
@pytest.mark.parametrize("cls", [wrapper.Client, openai.OpenAI], ids=["wrapper", "openai"])
def test_a_sync_httpx2_client_works_with_both_clients(factory: Any, cls: Any) -> None:
    seen: list[httpx2.Request] = []
    with cls(api_key="sk-test", base_url=BASE_URL, http_client=factory(transport=handler(seen))) as client:
        result = client.images.generate(prompt="a red square", model="gpt-image-1.5")
    assert result.data[0].b64_json == "aGk="
    assert [str(r.url) for r in seen] == [f"{BASE_URL}/images/generations"]
    assert seen[0].headers["authorization"] == "Bearer sk-test"
    assert json.loads(seen[0].content) == {"prompt": "a red square", "model": "gpt-image-1.5"}


@pytest.mark.anyio
@pytest.mark.parametrize("factory", ASYNC_FACTORIES.values(), ids=ASYNC_FACTORIES.keys())
@pytest.mark.parametrize("cls", [wrapper.AsyncClient, openai.AsyncOpenAI], ids=["wrapper", "openai"])
async def test_an_async_httpx2_client_works_with_both_clients(factory: Any, cls: Any) -> None:
    seen: list[httpx2.Request] = []
    client = cls(api_key="sk-test", base_url=BASE_URL, http_client=factory(transport=async_handler(seen)))
    async with client:
        result = await client.images.generate(prompt="a red square", model="gpt-image-1.5")
    assert result.data[0].b64_json == "aGk="
    assert seen[0].headers["authorization"] == "Bearer sk-test"


def test_a_legacy_httpx_client_is_refused_saying_what_to_pass() -> None:
    httpx = pytest.importorskip("httpx")  # installed beside the code generator in a dev venv
    with httpx.Client() as legacy, pytest.raises(TypeError) as caught:
        wrapper.Client(api_key="sk-test", http_client=legacy)
    message = str(caught.value)
    assert "legacy httpx" in message
    assert "httpx2.Client" in message
    assert "wrapper.DefaultHttpxClient" in message


@pytest.mark.anyio
async def test_a_legacy_async_httpx_client_is_refused_for_copies_too() -> None:
    httpx = pytest.importorskip("httpx")
    async with httpx.AsyncClient() as legacy, wrapper.AsyncClient(api_key="sk-test") as client:
        with pytest.raises(TypeError, match=r"httpx2\.AsyncClient.*DefaultAsyncHttpxClient"):
            wrapper.AsyncClient(api_key="sk-test", http_client=legacy)
        with pytest.raises(TypeError, match="legacy httpx"):
            client.with_options(http_client=legacy)


def test_a_subclass_of_a_legacy_httpx_client_is_refused_naming_both() -> None:
    # Stands in for httpx.Client without importing httpx: the check reads the class's ancestry.
    legacy = type("Client", (), {"__module__": "httpx._client"})
    service_client = type("ServiceClient", (legacy,), {"__module__": "service.http"})
    with pytest.raises(TypeError) as caught:
        wrapper.Client(api_key="sk-test", http_client=service_client())  # type: ignore[arg-type]
    message = str(caught.value)
    assert "service.http.ServiceClient, made from httpx._client.Client of the legacy httpx" in message
    assert "httpx2.Client" in message


def test_a_sync_client_for_the_async_client_is_refused() -> None:
    with httpx2.Client() as sync, pytest.raises(TypeError, match=r"must be an httpx2\.AsyncClient"):
        wrapper.AsyncClient(api_key="sk-test", http_client=sync)  # type: ignore[arg-type]


@pytest.mark.anyio
@pytest.mark.parametrize(
    "twins",
    [(wrapper.DefaultHttpxClient, wrapper.Client), (wrapper.DefaultAsyncHttpxClient, wrapper.AsyncClient)],
    ids=["sync", "async"],
)
async def test_default_clients_have_the_official_sdks_defaults(twins: tuple[Any, Any]) -> None:
    import openai._constants as sdk

    ours, client = twins[0](), twins[1](api_key="sk-test")
    for http in (ours, client._http):
        assert http.timeout == sdk.DEFAULT_TIMEOUT
        assert http.follow_redirects is True
        pool = http._transport._pool
        assert pool._max_connections == sdk.DEFAULT_CONNECTION_LIMITS.max_connections
    kept_alive = ours._transport._pool._max_keepalive_connections
    assert kept_alive == sdk.DEFAULT_CONNECTION_LIMITS.max_keepalive_connections
    assert wrapper.DEFAULT_TIMEOUT == sdk.DEFAULT_TIMEOUT
    if isinstance(ours, httpx2.AsyncClient):
        await ours.aclose()
        await client.close()
    else:
        ours.close()
        client.close()


@pytest.mark.parametrize("client_class", [wrapper.Client, wrapper.AsyncClient])
def test_the_clients_own_pool_keeps_every_connection_alive(client_class: type[wrapper.Client]) -> None:
    # The SDK keeps 100 of its 1,000 alive: past 100 in flight, connections are closed after each
    # answer and opened again (docs/benchmarks.md, the pool). The client's own pool keeps them all.
    client = client_class(api_key="sk-test")
    pool = client._http._transport._pool  # type: ignore[attr-defined]
    assert (pool._max_connections, pool._max_keepalive_connections) == (1000, 1000)


def test_a_given_clients_own_timeout_is_kept_unless_it_is_httpx2s_default() -> None:
    with httpx2.Client(timeout=42.0) as http, wrapper.Client(api_key="sk-test", http_client=http) as client:
        assert client.timeout == httpx2.Timeout(42.0)
    with httpx2.Client() as http, wrapper.Client(api_key="sk-test", http_client=http) as client:
        assert client.timeout == wrapper.DEFAULT_TIMEOUT
    with (
        httpx2.Client(timeout=42.0) as http,
        wrapper.Client(api_key="k", http_client=http, timeout=7) as client,
    ):
        assert client.timeout == 7
