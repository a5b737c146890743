"""The pytest plugin as a service uses it: a live emulator, recorded requests, faults; in-process too."""

from __future__ import annotations

import re
import signal
import subprocess
import sys

import httpx2
import pytest
from mock_support import unimportable
from processes import running, stop

import wrapper.mock
from wrapper._install import install_command
from wrapper.mock import Fault
from wrapper.mock.pytest_plugin import ImagesMock


def make_thumbnail(base_url: str, prompt: str) -> bytes:
    """A stand-in for a service's own code: it asks the API for one small image, retrying a 503 once."""
    with httpx2.Client(
        base_url=base_url, headers={"authorization": "Bearer sk-service"}, trust_env=False
    ) as http:
        for _ in range(2):
            response = http.post("/images/generations", json={"prompt": prompt, "size": "256x256", "n": 1})
            if response.status_code != 503:
                break
        response.raise_for_status()
        url = response.json()["data"][0]["url"]
        return http.get(url).raise_for_status().content


def test_service_code_against_the_live_emulator(images_mock: ImagesMock) -> None:
    data = make_thumbnail(images_mock.url, "a lighthouse")
    assert data.startswith(b"\x89PNG")
    sent = images_mock.requests.last
    assert sent.operation == "generate"
    assert sent.params == {"prompt": "a lighthouse", "size": "256x256", "n": 1}
    assert sent.model == "dall-e-2"
    assert sent.headers["authorization"] == "Bearer ***"  # recorded without the key


def test_service_retries_through_an_injected_fault(images_mock: ImagesMock) -> None:
    images_mock.faults.queue(Fault.unavailable())
    make_thumbnail(images_mock.url, "x")
    assert [record.status for record in images_mock.requests] == [503, 200]


def test_state_is_reset_between_tests(images_mock: ImagesMock) -> None:
    assert len(images_mock.requests) == 0
    assert images_mock.faults.pending == ()


def test_urls_expire_on_the_fixture_clock(images_mock: ImagesMock) -> None:
    with httpx2.Client(headers={"authorization": "Bearer k"}, trust_env=False) as http:
        url = http.post(f"{images_mock.url}/images/generations", json={"prompt": "x"}).json()["data"][0][
            "url"
        ]
        images_mock.clock.advance(3601)
        assert http.get(url).status_code == 404


def test_pinned_key_on_the_live_emulator(images_mock: ImagesMock) -> None:
    images_mock.app.api_key = "sk-only"
    with httpx2.Client(base_url=images_mock.url, trust_env=False) as http:
        wrong = http.post(
            "/images/generations", json={"prompt": "x"}, headers={"authorization": "Bearer sk-x"}
        )
        right = http.post(
            "/images/generations", json={"prompt": "x"}, headers={"authorization": "Bearer sk-only"}
        )
    assert (wrong.status_code, right.status_code) == (401, 200)


@pytest.mark.anyio
async def test_in_process_variant(images_mock_transport: httpx2.ASGITransport) -> None:
    async with httpx2.AsyncClient(
        transport=images_mock_transport, base_url="http://mock/v1", headers={"authorization": "Bearer k"}
    ) as http:
        response = await http.post("/images/generations", json={"prompt": "x", "model": "gpt-image-1.5"})
    assert response.status_code == 200
    assert response.json()["usage"]["total_tokens"] > 0


def test_in_process_app_records(images_mock_app: object) -> None:
    from wrapper.mock import MockApp

    assert isinstance(images_mock_app, MockApp)
    assert len(images_mock_app.requests) == 0


def test_the_plugin_imports_without_the_emulator_dependencies() -> None:
    code = (
        "import sys\n"
        "for name in ('starlette', 'uvicorn', 'python_multipart', 'PIL'):\n"
        "    sys.modules[name] = None\n"
        "import wrapper.mock.pytest_plugin\n"
        "assert 'wrapper.mock._app' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=300)


def test_the_command_serves_the_api(tmp_path: object) -> None:
    import socket
    import time

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # As of a day when requests without a model still ran on dall-e-2 (the size below is its own).
    command = [
        sys.executable,
        "-m",
        "wrapper.mock",
        "--port",
        str(port),
        "--api-key",
        "sk-cli",
        "--as-of",
        "2026-04-30",
    ]
    with running(command) as server:
        try:
            response = None
            with httpx2.Client(trust_env=False) as http:
                for _ in range(200):
                    try:
                        response = http.post(
                            f"http://127.0.0.1:{port}/v1/images/generations",
                            json={"prompt": "x", "size": "256x256", "response_format": "b64_json"},
                            headers={"authorization": "Bearer sk-cli"},
                        )
                        break
                    except httpx2.ConnectError:
                        time.sleep(0.05)
            assert response is not None
            assert response.status_code == 200
        finally:
            stop(server, signal.SIGTERM)


def test_without_the_extra_the_import_error_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "wrapper.mock._app")
    unimportable(monkeypatch, "starlette")
    with pytest.raises(
        ImportError,
        match=r"the 'mock' extra \(starlette is not installed\): " + re.escape(install_command("mock")),
    ):
        wrapper.mock.create_app  # noqa: B018
