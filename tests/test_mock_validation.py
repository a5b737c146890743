"""Every request the API rejects gets a 400 (or 401/405/413/415) naming the parameter at fault."""

from __future__ import annotations

import io
import json
import struct
import tracemalloc
from collections.abc import AsyncIterator
from typing import Any

import httpx2
import pytest
from mock_support import AUTH, client, edit, files, form, half_transparent, jpeg, png, png_chunk, png_header
from PIL import Image

from wrapper.mock import create_app
from wrapper.mock._imagedata import has_image_data

pytestmark = pytest.mark.anyio

MB = 1024 * 1024

GENERATION_ERRORS = [
    ({}, "prompt"),
    ({"prompt": ""}, "prompt"),
    ({"prompt": None}, "prompt"),
    ({"prompt": 3}, "prompt"),
    ({"prompt": "x" * 1001}, "prompt"),
    ({"prompt": "x" * 4001, "model": "dall-e-3"}, "prompt"),
    ({"prompt": "x" * 32001, "model": "gpt-image-1"}, "prompt"),
    ({"prompt": "x", "n": 0}, "n"),
    ({"prompt": "x", "n": 11}, "n"),
    ({"prompt": "x", "n": "2"}, "n"),
    ({"prompt": "x", "n": 1.5}, "n"),
    ({"prompt": "x", "n": True}, "n"),
    ({"prompt": "x", "model": "dall-e-3", "n": 2}, "n"),
    ({"prompt": "x", "size": "AAA"}, "size"),
    ({"prompt": "x", "size": "1792x1024"}, "size"),
    ({"prompt": "x", "model": "dall-e-3", "size": "512x512"}, "size"),
    ({"prompt": "x", "model": "gpt-image-1", "size": "2048x2048"}, "size"),
    ({"prompt": "x", "model": "gpt-image-2", "size": "1000x1000"}, "size"),
    ({"prompt": "x", "model": "gpt-image-2", "size": "4096x1024"}, "size"),
    ({"prompt": "x", "model": "some-future-model", "size": "99999x99999"}, "size"),
    ({"prompt": "x", "quality": "hd"}, "quality"),
    ({"prompt": "x", "quality": "ultra"}, "quality"),
    ({"prompt": "x", "model": "gpt-image-1", "quality": "standard"}, "quality"),
    ({"prompt": "x", "style": "vivid"}, "style"),
    ({"prompt": "x", "model": "dall-e-3", "style": "noir"}, "style"),
    ({"prompt": "x", "model": "gpt-image-1", "response_format": "url"}, "response_format"),
    ({"prompt": "x", "response_format": "jpeg"}, "response_format"),
    ({"prompt": "x", "model": "dall-e-2", "background": "opaque"}, "background"),
    (
        {"prompt": "x", "model": "gpt-image-1", "background": "transparent", "output_format": "jpeg"},
        "background",
    ),
    (
        {"prompt": "x", "model": "gpt-image-2", "background": "transparent", "output_format": "jpeg"},
        "background",
    ),
    ({"prompt": "x", "model": "gpt-image-1", "output_format": "bmp"}, "output_format"),
    ({"prompt": "x", "model": "dall-e-3", "output_format": "png"}, "output_format"),
    ({"prompt": "x", "model": "gpt-image-1", "output_compression": 50}, "output_compression"),
    (
        {"prompt": "x", "model": "gpt-image-1", "output_format": "jpeg", "output_compression": 101},
        "output_compression",
    ),
    ({"prompt": "x", "model": "dall-e-2", "stream": True}, "stream"),
    ({"prompt": "x", "model": "gpt-image-1", "stream": "true"}, "stream"),
    ({"prompt": "x", "model": "gpt-image-1", "stream": {}}, "stream"),
    ({"prompt": "x", "model": "gpt-image-1", "stream": True, "partial_images": 4}, "partial_images"),
    ({"prompt": "x", "model": "dall-e-3", "partial_images": 1}, "partial_images"),
    ({"prompt": "x", "moderation": "off", "model": "gpt-image-1"}, "moderation"),
    ({"prompt": "x", "model": "dall-e-3", "moderation": "low"}, "moderation"),
    ({"prompt": "x", "user": {}}, "user"),
    ({"prompt": "x", "user": 257}, "user"),
    ({"prompt": "x", "model": 3}, "model"),
    ({"prompt": "x", "image": "abc"}, "image"),
    ({"prompt": "x", "input_fidelity": "high"}, "input_fidelity"),
    ({"prompt": "x", "temperature": 1}, "temperature"),
]


@pytest.mark.parametrize(("body", "param"), GENERATION_ERRORS)
async def test_generation_rules(body: dict[str, Any], param: str) -> None:
    async with client() as http:
        response = await http.post("/images/generations", json=body)
    assert response.status_code == 400, response.text[:300]
    error = response.json()["error"]
    assert error["param"] == param
    assert error["type"] == "invalid_request_error"
    assert error["message"]


SQUARE = png((64, 64))
WIDE = png((96, 64))
EDIT_ERRORS: list[tuple[dict[str, str], list[tuple[str, Any]], str]] = [
    ({"prompt": "x"}, [], "image"),
    ({}, files(SQUARE), "prompt"),
    ({"prompt": "x"}, files(*[SQUARE] * 17), "image"),
    ({"prompt": "x"}, [("image", ("a.txt", b"hello, not an image", "text/plain"))], "image"),
    ({"prompt": "x"}, [("image", ("a.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png"))], "image"),
    ({"prompt": "x"}, files(SQUARE, mask=png((32, 32))), "mask"),
    ({"prompt": "x"}, files(SQUARE, mask=jpeg()), "mask"),
    ({"prompt": "x"}, files(SQUARE, mask=b"not a png"), "mask"),
    ({"prompt": "x", "model": "dall-e-2"}, files(WIDE), "image"),
    ({"prompt": "x", "model": "dall-e-2"}, files(jpeg()), "image"),
    ({"prompt": "x", "model": "dall-e-2"}, files(SQUARE, SQUARE), "image"),
    ({"prompt": "x", "model": "dall-e-3"}, files(SQUARE), "model"),
    ({"prompt": "x", "model": "gpt-image-1-mini", "input_fidelity": "high"}, files(SQUARE), "input_fidelity"),
    ({"prompt": "x", "input_fidelity": "medium"}, files(SQUARE), "input_fidelity"),
    ({"prompt": "x", "n": "abc"}, files(SQUARE), "n"),
    ({"prompt": "x", "n": "11"}, files(SQUARE), "n"),
    ({"prompt": "x", "n": "1.5"}, files(SQUARE), "n"),
    ({"prompt": "x", "stream": "yes"}, files(SQUARE), "stream"),
    ({"prompt": "x", "stream": "True"}, files(SQUARE), "stream"),
    ({"prompt": "x", "stream": "true", "partial_images": "4"}, files(SQUARE), "partial_images"),
    ({"prompt": "x", "style": "vivid"}, files(SQUARE), "style"),
    ({"prompt": "x", "quality": "hd"}, files(SQUARE), "quality"),
    ({"prompt": "x", "size": "1792x1024"}, files(SQUARE), "size"),
    (
        {"prompt": "x", "output_format": "png", "output_compression": "10"},
        files(SQUARE),
        "output_compression",
    ),
    ({"prompt": "x", "colour": "red"}, files(SQUARE), "colour"),
    ({"prompt": "x" * 1001, "model": "dall-e-2"}, files(SQUARE), "prompt"),
]


@pytest.mark.parametrize(("fields", "parts", "param"), EDIT_ERRORS)
async def test_edit_rules(fields: dict[str, str], parts: list[tuple[str, Any]], param: str) -> None:
    async with client() as http:
        response = await edit(http, fields, parts)
    assert response.status_code == 400, response.text[:300]
    assert response.json()["error"]["param"] == param


VARIATION_ERRORS: list[tuple[dict[str, str], list[tuple[str, Any]], str]] = [
    ({"user": "u"}, [], "image"),
    ({}, files(SQUARE, SQUARE, name="image"), "image"),
    ({}, files(WIDE, name="image"), "image"),
    ({}, [("image", ("a.jpg", jpeg(), "image/jpeg"))], "image"),
    ({"model": "gpt-image-1"}, files(SQUARE, name="image"), "model"),
    ({"size": "1024x1536"}, files(SQUARE, name="image"), "size"),
    ({"n": "0"}, files(SQUARE, name="image"), "n"),
    ({"response_format": "png"}, files(SQUARE, name="image"), "response_format"),
    ({"prompt": "x"}, files(SQUARE, name="image"), "prompt"),
]


@pytest.mark.parametrize(("fields", "parts", "param"), VARIATION_ERRORS)
async def test_variation_rules(fields: dict[str, str], parts: list[tuple[str, Any]], param: str) -> None:
    async with client() as http:
        response = await http.post("/images/variations", files=form(fields, parts))
    assert response.status_code == 400, response.text[:300]
    assert response.json()["error"]["param"] == param


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"authorization": ""},
        {"authorization": "Bearer "},
        {"authorization": "Basic abc"},
        {"authorization": "sk"},
    ],
)
async def test_missing_or_malformed_bearer_is_401(headers: dict[str, str]) -> None:
    async with client() as http:
        http.headers.pop("authorization")
        response = await http.post("/images/generations", json={"prompt": "x"}, headers=headers)
    assert response.status_code == 401
    assert response.json()["error"]["type"] == "invalid_request_error"


@pytest.mark.parametrize("key", ["My API Key", "sk-abc def"])
async def test_a_key_with_a_space_is_an_incorrect_key(key: str) -> None:
    """The API issues no key with a space: it answers the API's wording for a wrong key, not the one
    for a missing key."""
    async with client(authorization=f"Bearer {key}") as http:
        response = await http.post("/images/generations", json={"prompt": "x"})
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["message"].startswith("Incorrect API key provided")
    assert error["code"] == "invalid_api_key"


async def test_pinned_api_key() -> None:
    app = create_app(api_key="sk-right")
    async with client(app, authorization="Bearer sk-wrong") as http:
        wrong = await http.post("/images/generations", json={"prompt": "x"})
        right = await http.post(
            "/images/generations", json={"prompt": "x"}, headers={"authorization": "Bearer sk-right"}
        )
    assert wrong.status_code == 401
    assert wrong.json()["error"]["code"] == "invalid_api_key"
    assert right.status_code == 200


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH", "TRACE"])
@pytest.mark.parametrize("path", ["/images/generations", "/images/edits", "/images/variations"])
async def test_wrong_method_is_405_with_allow(method: str, path: str) -> None:
    async with client() as http:
        response = await http.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/images/generations", "text/plain"),
        ("/images/generations", "multipart/form-data; boundary=x"),
        ("/images/generations", ""),
        ("/images/edits", "text/plain"),
        ("/images/variations", "application/x-www-form-urlencoded"),
    ],
)
async def test_wrong_content_type_is_415(path: str, content_type: str) -> None:
    async with client() as http:
        response = await http.post(path, content=b"{}", headers={"content-type": content_type})
    assert response.status_code == 415
    assert response.json()["error"]["type"] == "invalid_request_error"


@pytest.mark.parametrize("body", [b"{", b"[]", b"null", b'"prompt"', b"1", b"\xff\xfe", b"[" * 100_000])
async def test_unparseable_or_non_object_json_is_400(body: bytes) -> None:
    async with client() as http:
        response = await http.post(
            "/images/generations", content=body, headers={"content-type": "application/json"}
        )
    assert response.status_code == 400
    assert response.json()["error"]["param"] is None


async def test_a_json_parameter_given_twice_is_400_naming_it() -> None:
    async with client() as http:
        response = await http.post(
            "/images/generations",
            content=b'{"prompt": "a", "n": 1, "n": 2}',
            headers={"content-type": "application/json", "authorization": "Bearer k"},
        )
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "n"


async def test_json_body_over_1mb_is_413() -> None:
    body = json.dumps({"prompt": "x" * (2 * MB)}).encode()
    async with client() as http:
        response = await http.post(
            "/images/generations", content=body, headers={"content-type": "application/json"}
        )
    assert response.status_code == 413


@pytest.mark.parametrize(
    "body", [b"garbage", b"--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--\r\n", b"--b\r\nno-headers"]
)
async def test_malformed_multipart_is_400_json(body: bytes) -> None:
    async with client() as http:
        response = await http.post(
            "/images/edits", content=body, headers={"content-type": "multipart/form-data; boundary=b"}
        )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"


async def test_multipart_without_boundary_is_400() -> None:
    async with client() as http:
        response = await http.post(
            "/images/edits", content=b"x", headers={"content-type": "multipart/form-data"}
        )
    assert response.status_code == 400


async def test_unknown_path_is_404_json_with_request_id() -> None:
    async with client() as http:
        response = await http.post("/images/nothing", json={})
    assert response.status_code == 404
    assert response.json()["error"]["message"]
    assert response.headers["x-request-id"].startswith("req_")


async def test_a_base_url_without_v1_is_told_where_the_api_is() -> None:
    async with client() as http:
        response = await http.post("http://mock.test/images/generations", json={"prompt": "x"})
    assert response.status_code == 404
    message = response.json()["error"]["message"]
    assert message == (
        "Not Found: /images/generations; the API is served under /v1, so the base URL is http://mock.test/v1"
    )


async def test_dalle2_file_over_4mb_is_400() -> None:
    big = png((64, 64)) + b"\x00" * (4 * MB)
    async with client() as http:
        response = await edit(http, {"prompt": "x", "model": "dall-e-2"}, files(big))
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "image"
    assert "4 MB" in response.json()["error"]["message"]


async def test_single_image_part_and_image_brackets_both_work() -> None:
    async with client() as http:
        one = await edit(http, {"prompt": "x"}, files(SQUARE, name="image"))
        two = await edit(http, {"prompt": "x"}, files(SQUARE, half_transparent()))
    assert one.status_code == two.status_code == 200


def _multipart(
    parts: list[tuple[str, bytes, int]], boundary: bytes = b"bound", model: str | None = None
) -> AsyncIterator[bytes]:
    """A streamed multipart body: (name, head bytes, zero padding) parts, padding sent 1 MB at a time."""

    async def chunks() -> AsyncIterator[bytes]:
        yield b"--" + boundary + b'\r\nContent-Disposition: form-data; name="prompt"\r\n\r\nx\r\n'
        if model is not None:
            yield b"--" + boundary + b'\r\nContent-Disposition: form-data; name="model"\r\n\r\n'
            yield model.encode() + b"\r\n"
        for name, head, padding in parts:
            yield b"--" + boundary + b"\r\n"
            yield f'Content-Disposition: form-data; name="{name}"; filename="f.png"\r\n'.encode()
            yield b"Content-Type: image/png\r\n\r\n" + head
            for _ in range(padding // MB):
                yield bytes(MB)
            yield b"\r\n"
        yield b"--" + boundary + b"--\r\n"

    return chunks()


async def _peak_while(body: AsyncIterator[bytes]) -> tuple[httpx2.Response, int]:
    tracemalloc.start()
    try:
        async with client() as http:
            response = await http.post(
                "/images/edits", content=body, headers={"content-type": "multipart/form-data; boundary=bound"}
            )
        return response, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


async def test_60mb_file_is_refused_while_streaming_with_bounded_memory() -> None:
    response, peak = await _peak_while(_multipart([("image", png(), 60 * MB)]))
    assert response.status_code == 413
    assert response.json()["error"]["param"] == "image"
    assert peak < 12 * MB, peak


async def test_17_images_are_refused_with_bounded_memory() -> None:
    response, peak = await _peak_while(_multipart([("image[]", png(), 2 * MB)] * 17))
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "image"
    assert "17 files" in response.json()["error"]["message"]
    assert peak < 12 * MB, peak


async def test_recorded_requests_do_not_keep_the_key() -> None:
    app = create_app()
    async with client(app) as http:
        await http.post("/images/generations", json={"prompt": "x"})
        await http.post("/images/generations", json={"prompt": "x"}, headers={"authorization": "sk-bare"})
        await http.post("/images/generations", json={"prompt": "x"}, headers={"authorization": ""})
    assert [record.headers["authorization"] for record in app.requests] == ["Bearer ***", "***", ""]
    assert "sk-test" not in repr(list(app.requests))
    assert AUTH["authorization"].endswith("sk-test")


async def test_a_field_sent_twice_is_refused() -> None:
    async with client() as http:
        response = await http.post(
            "/images/edits", files=[("prompt", (None, "x")), ("prompt", (None, "y")), *files(png())]
        )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["param"] == "prompt"
    assert error["message"] == "prompt was sent more than once; send each parameter once"


async def test_image_and_image_brackets_together_are_refused() -> None:
    async with client() as http:
        mixed = await edit(http, {"prompt": "x"}, [*files(png(), name="image"), *files(png())])
        repeated = await edit(http, {"prompt": "x"}, files(png(), png(), name="image"))
    assert mixed.status_code == 400
    assert mixed.json()["error"]["param"] == "image"
    assert "'image' and 'image[]'" in mixed.json()["error"]["message"]
    assert repeated.status_code == 200, repeated.text


SIGNATURE = b"\x89PNG\r\n\x1a\n"
UNDECODABLE = [
    (SIGNATURE + b"not a chunk at all" * 4, "its data is corrupt or truncated"),
    (png((64, 64))[:-40], "its data is corrupt or truncated"),
    (png_header((64, 64)) + png_chunk(b"IDAT", b"garbage") + png_chunk(b"IEND", b""), "corrupt"),
]


@pytest.mark.parametrize(("data", "problem"), UNDECODABLE, ids=["unidentified", "truncated", "bad-idat"])
async def test_undecodable_uploads_are_named_without_internals(data: bytes, problem: str) -> None:
    async with client() as http:
        image = await edit(http, {"prompt": "x", "model": "gpt-image-1"}, files(data))
        mask = await edit(http, {"prompt": "x", "model": "gpt-image-1"}, files(png(), mask=data))
    for response, param, filename in [(image, "image", "i0.png"), (mask, "mask", "mask.png")]:
        assert response.status_code == 400, response.text
        error = response.json()["error"]
        assert (error["param"], error["code"]) == (param, "invalid_image")
        assert error["message"].startswith(f"{param} {filename!r} is not a valid PNG image: ")
        assert problem in error["message"]
        assert not any(leak in error["message"] for leak in ("<", "object at", "0x", "Error"))


def _jpeg_frame(width: int, height: int) -> bytes:
    return b"\xff\xd8\xff\xc0\x00\x11\x08" + height.to_bytes(2, "big") + width.to_bytes(2, "big") + bytes(10)


def _webp_canvas(width: int, height: int) -> bytes:
    vp8x = bytes(4) + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    return b"RIFF" + (4 + 18).to_bytes(4, "little") + b"WEBP" + b"VP8X" + (10).to_bytes(4, "little") + vp8x


HEADERS_ONLY = [
    ("png", png_header((100_000, 100_000))),
    ("png", png_header((5000, 5000)) + png_chunk(b"tEXt", b"a" * 100) + png_chunk(b"IEND", b"")),
    ("png", png_header((5000, 5000)) + b"\x00\x01\x00\x00IDAT" + bytes(10)),  # IDAT cut short
    ("jpeg", _jpeg_frame(65_000, 65_000)),
    ("jpeg", _jpeg_frame(5000, 5000) + b"\xff\xda\x00\x0c" + bytes(10)),  # a scan header, no data
    ("webp", _webp_canvas(10_000, 10_000)),
]


@pytest.mark.parametrize(
    ("kind", "data"),
    HEADERS_ONLY,
    ids=["png", "png-no-idat", "png-cut-idat", "jpeg", "jpeg-empty-scan", "webp"],
)
async def test_a_header_without_image_data_is_refused_even_when_too_large_to_decode(
    kind: str, data: bytes
) -> None:
    async with client() as http:
        response = await edit(http, {"prompt": "x", "model": "gpt-image-1"}, files(data))
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert (error["param"], error["code"]) == ("image", "invalid_image")
    assert (
        error["message"]
        == f"image 'i0.png' is not a valid {kind.upper()} image: it has a header but no image data"
    )


async def test_a_large_input_with_image_data_stands_in_undecoded() -> None:
    data = png_header((5000, 5000)) + png_chunk(b"IDAT", bytes(64)) + png_chunk(b"IEND", b"")
    async with client() as http:
        response = await edit(http, {"prompt": "x", "model": "gpt-image-1", "size": "1024x1024"}, files(data))
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(("kind", "pil_format"), [("png", "PNG"), ("jpeg", "JPEG"), ("webp", "WEBP")])
def test_real_files_have_image_data_and_their_headers_do_not(kind: str, pil_format: str) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (1, 2, 3)).save(buffer, pil_format)
    whole = buffer.getvalue()
    assert has_image_data(io.BytesIO(whole), kind)
    cut = whole.index(b"\xff\xda") + 8 if kind == "jpeg" else {"png": 33, "webp": 20}[kind]
    assert not has_image_data(io.BytesIO(whole[:cut]), kind)


async def test_a_header_padded_to_20mb_without_image_data_is_refused_with_bounded_memory() -> None:
    head = png_header((100_000, 100_000)) + struct.pack(">I", 20 * MB) + b"zzZz"
    response, peak = await _peak_while(_multipart([("image", head, 20 * MB)], model="gpt-image-1"))
    assert response.status_code == 400, response.text
    assert response.json()["error"]["param"] == "image"
    assert peak < 12 * MB, peak
