"""Image arguments: every accepted form, content types from magic bytes, errors, and streaming uploads."""

from __future__ import annotations

import io
import re
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2
import pytest
from conftest import JPEG, KEY, WEBP, Recorder, invoke, png

import wrapper
from wrapper._files import prepare_file

MB = 1024 * 1024


def file_parts(request: httpx2.Request) -> list[tuple[str, str, str, bytes]]:
    """(name, filename, content type, content) of each file part of a multipart request."""
    boundary = request.headers["content-type"].split("boundary=")[1].encode()
    out = []
    for chunk in request.content.split(b"--" + boundary)[1:-1]:
        head, _, content = chunk.strip(b"\r\n").partition(b"\r\n\r\n")
        text = head.decode()
        filename = re.search(r'filename="([^"]*)"', text)
        if filename:
            name = re.search(r'name="([^"]+)"', text)
            ctype = re.search(r"Content-Type: (.+)", text)
            assert name
            assert ctype
            out.append((name[1], filename[1], ctype[1].strip(), content))
    return out


@pytest.mark.anyio
async def test_two_images_as_bytes_go_out_as_image_brackets_png(make_client: Callable[..., Any]) -> None:
    recorder = Recorder()
    first, second = png(pad=10), png(pad=20)
    await invoke(make_client(recorder).images.edit, image=[first, second], prompt="merge")
    parts = file_parts(recorder.requests[0])
    assert [(p[0], p[2], p[3]) for p in parts] == [
        ("image[]", "image/png", first),
        ("image[]", "image/png", second),
    ]


@pytest.mark.anyio
async def test_every_input_form(make_client: Callable[..., Any], tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(JPEG)
    unnamed = io.BytesIO(WEBP)
    images = [
        str(path),
        path,
        io.BytesIO(png()),
        unnamed,
        ("custom.png", png()),
        ("x.bin", JPEG, "image/jpeg"),
    ]
    recorder = Recorder()
    await invoke(make_client(recorder).images.edit, image=images, prompt="x")
    parts = file_parts(recorder.requests[0])
    assert [(p[1], p[2]) for p in parts] == [
        ("photo.jpg", "image/jpeg"),
        ("photo.jpg", "image/jpeg"),
        ("image.png", "image/png"),
        ("image.webp", "image/webp"),
        ("custom.png", "image/png"),
        ("x.bin", "image/jpeg"),
    ]
    assert "application/octet-stream" not in recorder.requests[0].content.decode("latin-1")


@pytest.mark.anyio
async def test_paths_opened_by_the_client_are_closed(make_client: Callable[..., Any], tmp_path: Path) -> None:
    path = tmp_path / "a.png"
    path.write_bytes(png())
    opened: list[Any] = []
    original = Path.open

    def spy(self: Path, *args: Any, **kwargs: Any) -> Any:
        handle = original(self, *args, **kwargs)
        opened.append(handle)
        return handle

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Path, "open", spy)
        await invoke(make_client(Recorder()).images.create_variation, image=path)
    assert opened
    assert all(handle.closed for handle in opened)


def test_caller_file_objects_are_not_closed() -> None:
    handle = io.BytesIO(png())
    client = wrapper.Client(
        api_key=KEY, http_client=httpx2.Client(transport=httpx2.MockTransport(Recorder()))
    )
    client.images.create_variation(image=handle)
    assert not handle.closed


@pytest.mark.parametrize(
    ("value", "match"),
    [
        ("/no/such/file.png", "cannot open"),
        (io.StringIO("text"), "text mode"),
        (b"GIF89a....", "not a PNG, JPEG or WebP"),
        (("a", "b", "c", "d"), "tuple"),
        ((png(), png()), "several images go in a list"),
        ((3, png()), "filename and content_type are strings"),
        (("a.png", png(), 5), "filename and content_type are strings"),
        (12, "expected a path"),
    ],
)
def test_unusable_inputs_raise_file_error_naming_param(value: Any, match: str) -> None:
    with pytest.raises(wrapper.FileError, match=match) as caught:
        prepare_file("mask", value)
    assert caught.value.param == "mask"
    assert str(caught.value).startswith("mask")


def test_text_mode_path_file(tmp_path: Path) -> None:
    path = tmp_path / "a.png"
    path.write_bytes(png())
    with path.open() as text, pytest.raises(wrapper.FileError, match="text mode"):
        prepare_file("image", text)


@pytest.mark.anyio
async def test_file_error_sends_nothing(make_client: Callable[..., Any]) -> None:
    recorder = Recorder()
    with pytest.raises(wrapper.FileError):
        await invoke(make_client(recorder).images.edit, image=[png(), b"not an image"], prompt="x")
    assert recorder.requests == []


def test_dimensions_and_size_come_from_the_header(tmp_path: Path) -> None:
    path = tmp_path / "big.png"
    with path.open("wb") as handle:
        handle.write(png(640, 480))
        handle.truncate(30 * MB)  # sparse: the body is never read
    prepared = prepare_file("image", path)
    try:
        assert prepared.upload.info is not None
        assert (prepared.upload.info.width, prepared.upload.info.height) == (640, 480)
        assert prepared.upload.size == 30 * MB
    finally:
        prepared.close()


def test_non_seekable_streams_are_kept_for_retries() -> None:
    class Pipe(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self.data = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            chunk = self.data.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    prepared = prepare_file("image", Pipe(png()))
    assert prepared.stream.read() == png()


class CountingTransport(httpx2.BaseTransport):
    """Consumes the request body chunk by chunk, as a socket would, without keeping it."""

    def __init__(self) -> None:
        self.sent = 0

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        for chunk in request.stream:  # type: ignore[union-attr]
            self.sent += len(chunk)
        return httpx2.Response(200, json={"created": 1, "data": [{"b64_json": ""}]})


def test_eight_20mb_uploads_are_streamed_not_read_whole(tmp_path: Path) -> None:
    paths = []
    for index in range(8):
        path = tmp_path / f"{index}.png"
        with path.open("wb") as handle:
            handle.write(png())
            handle.truncate(20 * MB)
        paths.append(path)
    transport = CountingTransport()
    client = wrapper.Client(api_key=KEY, http_client=httpx2.Client(transport=transport))
    tracemalloc.start()
    try:
        client.images.edit(image=paths, prompt="x", model="gpt-image-1")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert transport.sent > 160 * MB
    assert peak < 16 * MB, f"peak {peak / MB:.1f} MB"


def test_prepare_for_dall_e_2_makes_a_valid_square_rgba_png() -> None:
    from PIL import Image as PILImage

    from wrapper import prepare
    from wrapper._imageinfo import sniff

    source = io.BytesIO()
    PILImage.new("RGB", (300, 200), (200, 10, 10)).save(source, format="JPEG")
    data = prepare.for_dall_e_2(source.getvalue(), size=256)
    info = sniff(data)
    assert info is not None
    assert (info.format, info.width, info.height, info.has_alpha) == ("png", 256, 256, True)
    assert len(data) < 4 * MB
    opened = PILImage.open(io.BytesIO(data))
    assert opened.getpixel((0, 0))[3] == 0  # padding is transparent
    assert opened.getpixel((128, 128))[3] == 255
    cropped = PILImage.open(io.BytesIO(prepare.for_dall_e_2(source.getvalue(), fit="crop", size=256)))
    assert cropped.getpixel((0, 0))[3] == 255


def test_masks_from_box_and_alpha() -> None:
    from PIL import Image as PILImage

    from wrapper import prepare

    box = PILImage.open(io.BytesIO(prepare.mask_from_box((64, 64), (0, 0, 32, 32))))
    assert box.size == (64, 64)
    assert box.getpixel((5, 5))[3] == 0
    assert box.getpixel((50, 50))[3] == 255
    source = PILImage.new("RGBA", (8, 8), (1, 2, 3, 255))
    source.putpixel((0, 0), (1, 2, 3, 10))
    raw = io.BytesIO()
    source.save(raw, format="PNG")
    alpha = PILImage.open(io.BytesIO(prepare.mask_from_alpha(raw.getvalue())))
    assert alpha.getpixel((0, 0))[3] == 0
    assert alpha.getpixel((4, 4))[3] == 255


@pytest.mark.anyio
async def test_async_edits_read_file_headers_off_the_event_loop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from wrapper import _calls

    loop_thread = threading.get_ident()
    seen: list[int] = []
    original = _calls.prepare_files

    def recording(param: str, value: Any) -> Any:
        seen.append(threading.get_ident())
        return original(param, value)

    monkeypatch.setattr(_calls, "prepare_files", recording)
    path = tmp_path / "a.png"
    path.write_bytes(png(64, 64))
    recorder = Recorder(httpx2.Response(200, json={"created": 1, "data": [{"b64_json": "aGk="}]}))
    http = httpx2.AsyncClient(transport=httpx2.MockTransport(recorder))
    async with wrapper.AsyncClient(api_key=KEY, base_url="https://api.test/v1", http_client=http) as client:
        await client.images.edit(image=path, prompt="x", model="gpt-image-1")
        await client.images.generate(prompt="x", model="gpt-image-1")
    assert seen, "the edit prepared no file"
    assert loop_thread not in seen
    assert len(recorder.requests) == 2
