"""The generated client puts the same bytes on the wire as the official SDK.

Each test captures the raw request through `httpx2.MockTransport` and reads the body bytes.
"""

from __future__ import annotations

import io
import json
import re

import httpx2
import pytest
from images_api import AuthenticatedClient
from images_api.api.images import create_image, create_image_edit, create_image_variation
from images_api.models import (
    CreateImageEditRequest,
    CreateImageRequest,
    CreateImageVariationRequest,
    ImageModel,
    ImagesResponse,
)
from images_api.types import File

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
OK_BODY = {"created": 1, "data": [{"b64_json": "aGk="}]}


def capture() -> tuple[AuthenticatedClient, list[httpx2.Request]]:
    seen: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        request.read()
        seen.append(request)
        return httpx2.Response(200, json=OK_BODY)

    http = httpx2.Client(base_url="https://api.test/v1", transport=httpx2.MockTransport(handler))
    client = AuthenticatedClient(base_url="https://api.test/v1", token="sk-secret")
    client.set_httpx_client(http)
    return client, seen


def parts(request: httpx2.Request) -> list[tuple[dict[str, str], bytes]]:
    """Split a multipart body into (headers, content) pairs using the boundary it declares."""
    boundary = request.headers["content-type"].split("boundary=")[1].encode()
    chunks = request.content.split(b"--" + boundary)[1:-1]
    out = []
    for chunk in chunks:
        head, _, body = chunk.strip(b"\r\n").partition(b"\r\n\r\n")
        headers = {}
        for line in head.split(b"\r\n"):
            key, _, value = line.decode().partition(": ")
            headers[key.lower()] = value
        out.append((headers, body))
    return out


def part_names(request: httpx2.Request) -> list[str]:
    names = []
    for headers, _ in parts(request):
        match = re.search(r'name="([^"]+)"', headers["content-disposition"])
        assert match
        names.append(match.group(1))
    return names


def test_generation_sends_only_the_fields_given() -> None:
    client, seen = capture()
    body = CreateImageRequest(prompt="a red fox", model=ImageModel.GPT_IMAGE_1)
    response = create_image.sync_detailed(client=client, body=body)
    assert json.loads(seen[0].content) == {"prompt": "a red fox", "model": "gpt-image-1"}
    assert seen[0].headers["content-type"] == "application/json"
    assert seen[0].url == "https://api.test/v1/images/generations"
    assert isinstance(response.parsed, ImagesResponse)
    assert response.parsed.data[0].b64_json == "aGk="


def test_model_accepts_names_outside_the_enum() -> None:
    client, seen = capture()
    create_image.sync_detailed(client=client, body=CreateImageRequest(prompt="x", model="gpt-image-9"))
    assert json.loads(seen[0].content)["model"] == "gpt-image-9"


def test_two_images_go_out_as_image_brackets_parts() -> None:
    client, seen = capture()
    images = [File(io.BytesIO(PNG), "a.png", "image/png"), File(io.BytesIO(PNG), "b.png", "image/png")]
    body = CreateImageEditRequest(image=images, prompt="merge", stream=False)
    create_image_edit.sync_detailed(client=client, body=body)
    request = seen[0]
    assert part_names(request) == ["image[]", "image[]", "prompt", "stream"]
    for headers, content in parts(request)[:2]:
        assert 'filename="' in headers["content-disposition"]
        assert headers["content-type"] == "image/png"
        assert content == PNG


def test_one_image_goes_out_as_image_part() -> None:
    client, seen = capture()
    body = CreateImageEditRequest(image=[File(io.BytesIO(PNG), "a.png", "image/png")], prompt="p")
    create_image_edit.sync_detailed(client=client, body=body)
    assert part_names(seen[0]) == ["image", "prompt"]


@pytest.mark.parametrize(("value", "wire"), [(True, b"true"), (False, b"false")])
def test_booleans_are_lowercase(value: bool, wire: bytes) -> None:
    client, seen = capture()
    body = CreateImageEditRequest(
        image=[File(io.BytesIO(PNG), "a.png", "image/png")], prompt="p", stream=value
    )
    create_image_edit.sync_detailed(client=client, body=body)
    assert dict(zip(part_names(seen[0]), [c for _, c in parts(seen[0])], strict=True))["stream"] == wire


def test_multipart_boundary_is_random() -> None:
    client, seen = capture()
    for _ in range(2):
        body = CreateImageVariationRequest(image=File(io.BytesIO(PNG), "a.png", "image/png"))
        create_image_variation.sync_detailed(client=client, body=body)
    boundaries = {r.headers["content-type"].split("boundary=")[1] for r in seen}
    assert len(boundaries) == 2
    assert "+++" not in boundaries
    assert all(
        b.startswith("multipart/form-data; boundary=") for b in (r.headers["content-type"] for r in seen)
    )


def test_file_bytes_containing_a_fixed_boundary_survive() -> None:
    client, seen = capture()
    tricky = PNG + b"\r\n--+++\r\n" + b"tail"
    body = CreateImageVariationRequest(image=File(io.BytesIO(tricky), "a.png", "image/png"))
    create_image_variation.sync_detailed(client=client, body=body)
    assert parts(seen[0])[0][1] == tricky


def test_request_options_add_headers_timeout_and_extra_body() -> None:
    client, seen = capture()
    create_image.sync_detailed(
        client=client,
        body=CreateImageRequest(prompt="x"),
        request_options={"headers": {"x-trace": "1"}, "extra_body": {"future_param": 3}},
    )
    assert seen[0].headers["x-trace"] == "1"
    assert json.loads(seen[0].content) == {"prompt": "x", "future_param": 3}


def test_extra_body_on_multipart_becomes_text_parts() -> None:
    client, seen = capture()
    create_image_variation.sync_detailed(
        client=client,
        body=CreateImageVariationRequest(image=File(io.BytesIO(PNG), "a.png", "image/png")),
        request_options={"extra_body": {"flag": True}},
    )
    assert part_names(seen[0]) == ["image", "flag"]
    assert parts(seen[0])[1][1] == b"true"


def test_errors_are_not_parsed_and_raw_response_is_kept() -> None:
    http = httpx2.Client(
        base_url="https://api.test/v1",
        transport=httpx2.MockTransport(lambda r: httpx2.Response(502, text="<html>bad gateway</html>")),
    )
    client = AuthenticatedClient(base_url="https://api.test/v1", token="sk-secret")
    client.set_httpx_client(http)
    response = create_image.sync_detailed(client=client, body=CreateImageRequest(prompt="x"))
    assert response.status_code == 502
    assert response.parsed is None
    assert response.http_response.text == "<html>bad gateway</html>"


def test_token_is_not_in_the_repr() -> None:
    client = AuthenticatedClient(base_url="https://api.test/v1", token="sk-secret")
    assert "sk-secret" not in repr(client)


def test_text_fields_carry_no_content_type_like_the_official_sdk() -> None:
    client, seen = capture()
    body = CreateImageEditRequest(image=[File(io.BytesIO(PNG), "a.png", "image/png")], prompt="p", n=2)
    create_image_edit.sync_detailed(client=client, body=body)
    headers = {
        name: part_headers
        for name, (part_headers, _) in zip(part_names(seen[0]), parts(seen[0]), strict=True)
    }
    assert "content-type" not in headers["prompt"]
    assert "content-type" not in headers["n"]
    assert headers["image"]["content-type"] == "image/png"
