"""Result objects: frozen, complete, and able to produce and save the image bytes."""

from __future__ import annotations

import base64
from pathlib import Path

import httpx
import pytest
from conftest import JPEG, png

import wrapper
from wrapper import Image, ImagesResponse


def test_b64_content_and_save_picks_extension_from_output_format(tmp_path: Path) -> None:
    image = Image(b64_json=base64.b64encode(b"webp-bytes").decode(), output_format="webp")
    assert image.content() == b"webp-bytes"
    assert image.save(tmp_path) == tmp_path / "image.webp"
    assert (tmp_path / "image.webp").read_bytes() == b"webp-bytes"
    assert image.save(tmp_path / "named.bin") == tmp_path / "named.bin"


@pytest.mark.parametrize("given", ["new/dir/", "new/dir"])
def test_save_into_a_missing_directory_creates_it(tmp_path: Path, given: str) -> None:
    image = Image(b64_json=base64.b64encode(b"jpeg-bytes").decode(), output_format="jpeg")
    saved = image.save(f"{tmp_path}/{given}")
    assert saved == tmp_path / "new" / "dir" / "image.jpg"
    assert saved.read_bytes() == b"jpeg-bytes"


def test_extension_sniffed_when_no_output_format(tmp_path: Path) -> None:
    image = Image(b64_json=base64.b64encode(JPEG).decode())
    assert image.save(tmp_path, stem="pic").name == "pic.jpg"


def test_save_all_numbers_several_images(tmp_path: Path) -> None:
    data = tuple(Image(b64_json=base64.b64encode(png()).decode(), output_format="png") for _ in range(3))
    response = ImagesResponse(created=1, data=data, output_format="png")
    paths = response.save_all(tmp_path / "out", "fox")
    assert [p.name for p in paths] == ["fox-1.png", "fox-2.png", "fox-3.png"]
    assert all(p.read_bytes() == png() for p in paths)


@pytest.mark.anyio
async def test_asave_all_downloads_url_results_with_the_async_client(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=png(pad=int(request.url.path[-1])))

    data = tuple(Image(url=f"https://files.test/img{i}") for i in (1, 2))
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        paths = await ImagesResponse(created=1, data=data).asave_all(tmp_path, "u", http_client=http)
    assert [p.name for p in paths] == ["u-1.png", "u-2.png"]
    assert [p.read_bytes() for p in paths] == [png(pad=1), png(pad=2)]


def test_invalid_base64_is_a_wrapper_error() -> None:
    with pytest.raises(wrapper.WrapperError, match="base64"):
        Image(b64_json="!!!").content()


def test_url_download_with_size_cap() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=b"x" * 1000)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    image = Image(url="https://files.test/img.png")
    assert image.content(http_client=http) == b"x" * 1000
    assert seen[0].extensions["timeout"]["read"] == 60.0
    with pytest.raises(wrapper.WrapperError, match="larger than 999 bytes"):
        image.content(http_client=http, max_bytes=999)


@pytest.mark.anyio
async def test_async_url_download() -> None:
    http = httpx.AsyncClient(transport=httpx.MockTransport(lambda r: httpx.Response(200, content=b"abc")))
    assert await Image(url="http://files.test/a").acontent(http_client=http) == b"abc"
    with pytest.raises(wrapper.WrapperError, match="larger"):
        await Image(url="http://files.test/a").acontent(http_client=http, max_bytes=2)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://x.test/a.png", "data:image/png;base64,AAAA"])
def test_only_http_urls_are_fetched(url: str) -> None:
    with pytest.raises(wrapper.WrapperError, match="only http and https"):
        Image(url=url).content()


def test_results_are_frozen() -> None:
    image = Image(b64_json="aGk=")
    with pytest.raises(AttributeError):
        image.url = "x"  # type: ignore[misc]
    assert "aGk=" not in repr(image)  # a base64 image is not dumped into logs
