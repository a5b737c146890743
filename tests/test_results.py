"""Result objects: frozen, complete, and able to produce and save the image bytes."""

from __future__ import annotations

import base64
import resource
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx2
import pytest
from conftest import JPEG, WEBP, invoke, png

import wrapper
from wrapper import Image, ImagesResponse


def test_b64_content_and_save_picks_extension_from_output_format(tmp_path: Path) -> None:
    image = Image(b64_json=base64.b64encode(WEBP).decode(), output_format="webp")
    assert image.content() == WEBP
    assert image.save(tmp_path) == tmp_path / "image.webp"
    assert (tmp_path / "image.webp").read_bytes() == WEBP
    assert image.save(tmp_path / "named.bin") == tmp_path / "named.bin"


@pytest.mark.parametrize("given", ["new/dir/", "new/dir"])
def test_save_into_a_missing_directory_creates_it(tmp_path: Path, given: str) -> None:
    image = Image(b64_json=base64.b64encode(JPEG).decode(), output_format="jpeg")
    saved = image.save(f"{tmp_path}/{given}")
    assert saved == tmp_path / "new" / "dir" / "image.jpg"
    assert saved.read_bytes() == JPEG


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
    def handler(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, content=png(pad=int(request.url.path[-1])))

    data = tuple(Image(url=f"https://files.test/img{i}") for i in (1, 2))
    async with httpx2.AsyncClient(transport=httpx2.MockTransport(handler)) as http:
        paths = await ImagesResponse(created=1, data=data).asave_all(tmp_path, "u", http_client=http)
    assert [p.name for p in paths] == ["u-1.png", "u-2.png"]
    assert [p.read_bytes() for p in paths] == [png(pad=1), png(pad=2)]


def test_invalid_base64_is_a_wrapper_error() -> None:
    with pytest.raises(wrapper.WrapperError, match="base64"):
        Image(b64_json="!!!").content()


def test_url_download_with_size_cap() -> None:
    seen: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return httpx2.Response(200, content=png(pad=1000))

    http = httpx2.Client(transport=httpx2.MockTransport(handler))
    image = Image(url="https://files.test/img.png")
    assert image.content(http_client=http) == png(pad=1000)
    assert seen[0].extensions["timeout"]["read"] == 60.0
    with pytest.raises(wrapper.WrapperError, match="larger than 999 bytes"):
        image.content(http_client=http, max_bytes=999)


@pytest.mark.anyio
async def test_async_url_download() -> None:
    http = httpx2.AsyncClient(transport=httpx2.MockTransport(lambda r: httpx2.Response(200, content=png())))
    assert await Image(url="http://files.test/a").acontent(http_client=http) == png()
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


BAD_STEMS = ["../x", "../../x", "a/b", "/tmp/abs", "", ".", "..", "x\\..\\y", "x\x00y"]


@pytest.mark.parametrize("stem", BAD_STEMS)
def test_a_stem_is_a_file_name_never_a_path(tmp_path: Path, stem: str) -> None:
    out = tmp_path / "out"
    image = Image(b64_json=base64.b64encode(png()).decode(), output_format="png")
    with pytest.raises(ValueError, match="stem") as raised:
        image.save(out, stem=stem)
    assert repr(stem) in str(raised.value)
    with pytest.raises(ValueError, match="stem"):
        ImagesResponse(created=1, data=(image, image)).save_all(out, stem)
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == []


def test_a_write_that_fails_half_way_leaves_no_torn_file(tmp_path: Path) -> None:
    # Under `ulimit -f 4` (4 KB) a 20 KB image cannot be written: neither the new file nor the
    # one it would replace may be left half-written.
    (tmp_path / "kept.png").write_bytes(png())
    script = (
        "import base64, sys; from wrapper import Image\n"
        "image = Image(b64_json=base64.b64encode(sys.stdin.buffer.read()).decode(), output_format='png')\n"
        "for target in sys.argv[1:]:\n"
        "    try: image.save(target)\n"
        "    except OSError as exc: print(type(exc).__name__)\n"
    )
    targets = [str(tmp_path / "new.png"), str(tmp_path / "kept.png"), str(tmp_path / "dir/")]
    limit = 4096

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run(
        [sys.executable, "-c", script, *targets],
        input=png(pad=20_000),
        capture_output=True,
        preexec_fn=cap,
        timeout=300,
    )
    assert done.stdout.decode().split() == ["OSError"] * 3, done.stderr.decode()
    assert not (tmp_path / "new.png").exists()
    assert (tmp_path / "kept.png").read_bytes() == png()
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["dir", "kept.png"]


class Slow(httpx2.SyncByteStream, httpx2.AsyncByteStream):
    """A body of `chunks` pieces, each after `pause` seconds: bytes keep coming, slowly."""

    def __init__(self, chunks: int, pause: float) -> None:
        self.chunks, self.pause = chunks, pause

    def __iter__(self) -> Iterator[bytes]:
        yield png()
        for _ in range(self.chunks):
            time.sleep(self.pause)
            yield b"\0"

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield png()
        for _ in range(self.chunks):
            await anyio.sleep(self.pause)
            yield b"\0"


def _broken_body(request: httpx2.Request) -> httpx2.Response:
    class Cut(httpx2.SyncByteStream, httpx2.AsyncByteStream):
        def __iter__(self) -> Iterator[bytes]:
            yield png()[:20]
            raise httpx2.RemoteProtocolError("peer closed connection without sending complete message body")

        async def __aiter__(self) -> AsyncIterator[bytes]:
            for chunk in self:
                yield chunk

    return httpx2.Response(200, stream=Cut())


def _refused(request: httpx2.Request) -> httpx2.Response:
    raise httpx2.ConnectError("[Errno 111] Connection refused", request=request)


def _loop(request: httpx2.Request) -> httpx2.Response:
    return httpx2.Response(302, headers={"location": str(request.url)})


Handler = Callable[[httpx2.Request], httpx2.Response]


async def fetch(kind: str, image: Image, handler: Handler, **kw: Any) -> bytes:
    """`image.content()` or `await image.acontent()` through a transport answering with `handler`."""
    if kind == "sync":
        return image.content(http_client=httpx2.Client(transport=httpx2.MockTransport(handler)), **kw)
    return await image.acontent(http_client=httpx2.AsyncClient(transport=httpx2.MockTransport(handler)), **kw)


DOWNLOAD_FAILURES: list[tuple[Callable[[httpx2.Request], httpx2.Response], str]] = [
    (lambda r: httpx2.Response(404, json={"error": "gone"}), "expired"),
    (lambda r: httpx2.Response(500, text="oops"), "500"),
    (_loop, "redirect"),
    (_broken_body, "broke off"),
    (_refused, "could not connect"),
    (lambda r: httpx2.Response(200, html="<!DOCTYPE html><p>sign in</p>"), "not an image"),
    (lambda r: httpx2.Response(200, content=JPEG), "jpeg image; expected png"),
]


@pytest.mark.anyio
@pytest.mark.parametrize(("handler", "said"), DOWNLOAD_FAILURES)
async def test_a_failed_download_is_a_download_error(
    kind: str, handler: Callable[[httpx2.Request], httpx2.Response], said: str
) -> None:
    image = Image(url="https://files.test/img.png", output_format="png")
    with pytest.raises(wrapper.DownloadError, match=said) as raised:
        await fetch(kind, image, handler)
    assert raised.value.url == "https://files.test/img.png"


@pytest.mark.anyio
async def test_the_timeout_bounds_the_whole_download(kind: str) -> None:
    # 40 chunks 50 ms apart: no single read is slow, the whole takes 2 s; the timeout is 0.2 s.
    def handler(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, stream=Slow(40, 0.05))

    image = Image(url="https://files.test/img.png")
    with pytest.raises(wrapper.DownloadError, match=r"longer than 0\.2 s"):
        await fetch(kind, image, handler, timeout=0.2)


@pytest.mark.anyio
async def test_url_results_download_through_the_clients_own_transport_without_the_key(
    kind: str, make_client: Callable[..., Any], tmp_path: Path
) -> None:
    files: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        if request.url.host == "files.test":
            files.append(request)
            return httpx2.Response(200, content=png())
        return httpx2.Response(200, json={"created": 1, "data": [{"url": "https://files.test/a.png"}]})

    client = make_client(handler, default_headers={"OpenAI-Organization": "org-1"})
    result = await invoke(client.images.generate, prompt="x", model="dall-e-2", response_format="url")
    image = result.data[0]
    if kind == "sync":
        assert image.content() == png()
        assert result.save_all(tmp_path) == [tmp_path / "image.png"]
    else:
        assert await image.acontent() == png()
        assert await result.asave_all(tmp_path) == [tmp_path / "image.png"]
    assert len(files) == 2
    assert "authorization" not in files[0].headers
    assert "openai-organization" not in files[0].headers


def test_the_cli_totals_a_streams_usages_and_leaves_out_a_count_an_event_did_not_give() -> None:
    from wrapper._cli._report import total_usage

    first = wrapper.Usage.from_dict({"input_tokens": 10, "output_tokens": 200, "total_tokens": 210})
    second = wrapper.Usage.from_dict({"output_tokens": 100, "total_tokens": 112})
    assert total_usage([first, None, second]) == wrapper.Usage(
        input_tokens=None, output_tokens=300, total_tokens=322
    )
    assert total_usage([first, first]) == wrapper.Usage(20, 400, 420)
    assert total_usage([None]) is None
