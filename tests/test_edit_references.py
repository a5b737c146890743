"""Edits by image reference, end to end: wrapper -> emulator -> typed result, sync (live server) and
async (in-process), streams included; and what is refused, by whom, naming what."""

from __future__ import annotations

import base64
import io
from collections.abc import AsyncIterator
from typing import Any

import httpx2
import pytest
from mock_support import half_transparent, jpeg, png
from PIL import Image

import wrapper
from wrapper.mock import MockApp, create_app
from wrapper.mock.pytest_plugin import ImagesMock

pytestmark = pytest.mark.anyio


def data_url(data: bytes, kind: str = "image/png") -> str:
    return f"data:{kind};base64,{base64.b64encode(data).decode()}"


class Both:
    """One edit call through the sync client (live emulator) or the async one (in-process)."""

    def __init__(self, kind: str, live: ImagesMock, app: MockApp, aclient: wrapper.AsyncClient) -> None:
        self.kind, self.live, self.app, self.aclient = kind, live, app, aclient
        self.sync = wrapper.Client(api_key="sk-test", base_url=live.url, max_retries=0)

    @property
    def emulator(self) -> MockApp:
        return self.live.app if self.kind == "sync" else self.app

    async def edit(self, **kwargs: Any) -> Any:
        if self.kind == "sync":
            return self.sync.images.edit(**kwargs)
        return await self.aclient.images.edit(**kwargs)

    async def generate(self, **kwargs: Any) -> Any:
        if self.kind == "sync":
            return self.sync.images.generate(**kwargs)
        return await self.aclient.images.generate(**kwargs)

    async def events(self, stream: Any) -> list[Any]:
        if self.kind == "sync":
            with stream:
                return list(stream)
        async with stream:
            return [event async for event in stream]


@pytest.fixture(params=["sync", "async"])
async def both(request: pytest.FixtureRequest, images_mock: ImagesMock) -> AsyncIterator[Both]:
    app = create_app()
    http = httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app))  # type: ignore[arg-type]
    async with wrapper.AsyncClient(
        api_key="sk-test", base_url="http://mock.test/v1", http_client=http, max_retries=0
    ) as aclient:
        target = Both(request.param, images_mock, app, aclient)
        with target.sync:
            yield target


async def test_a_data_url_is_edited(both: Both) -> None:
    image_url = wrapper.ImageURL(data_url(png((64, 64))))
    result = await both.edit(image=image_url, prompt="a hat", size="1024x1024")
    image = Image.open(io.BytesIO(base64.b64decode(result.data[0].b64_json)))
    assert image.size == (1024, 1024)
    recorded = both.emulator.requests[-1]
    assert recorded.status == 200
    assert [(f.format, f.width) for f in recorded.images] == [("png", 64)]


async def test_an_image_the_emulator_served_is_edited_by_its_url(both: Both) -> None:
    served = await both.generate(prompt="a fox", model="dall-e-2", size="256x256")
    url = served.data[0].url
    assert url
    assert "/files/images/" in url
    result = await both.edit(images=[{"image_url": url}], prompt="a hat", model="gpt-image-1")
    assert result.data[0].b64_json
    assert [f.width for f in both.emulator.requests[-1].images] == [256]


async def test_another_host_is_refused_naming_the_item(both: Both) -> None:
    with pytest.raises(wrapper.BadRequestError) as caught:
        await both.edit(
            image=[wrapper.ImageURL(data_url(png())), wrapper.ImageURL("https://example.com/fox.png")],
            prompt="a hat",
        )
    assert caught.value.param == "images[1].image_url"
    assert "example.com" in str(caught.value)


async def test_a_registered_file_id_is_edited_and_an_unknown_one_is_not_found(both: Both) -> None:
    file_id = both.emulator.add_file(jpeg((48, 48)))
    result = await both.edit(image=wrapper.FileID(file_id), prompt="a hat", model="gpt-image-1.5")
    assert result.data[0].b64_json
    assert [(f.format, f.width) for f in both.emulator.requests[-1].images] == [("jpeg", 48)]
    with pytest.raises(wrapper.NotFoundError) as caught:
        await both.edit(images=[{"file_id": "file-unknown"}], prompt="a hat")
    assert caught.value.param == "images[0].file_id"
    assert "file-unknown" in str(caught.value)


async def test_a_mask_by_reference_applies_to_the_first_image(both: Both) -> None:
    result = await both.edit(
        image=[wrapper.ImageURL(data_url(png((64, 64))))],
        mask=wrapper.ImageURL(data_url(half_transparent((64, 64)))),
        prompt="a hat",
    )
    assert result.data[0].b64_json
    assert both.emulator.requests[-1].mask is not None


async def test_a_stream_of_an_edit_by_reference(both: Both) -> None:
    stream = await both.edit(
        image=wrapper.ImageURL(data_url(png())), prompt="a hat", stream=True, partial_images=2
    )
    events = await both.events(stream)
    assert [event.type for event in events] == [
        "image_edit.partial_image",
        "image_edit.partial_image",
        "image_edit.completed",
    ]


async def test_the_official_dict_form_through_extra_body(both: Both) -> None:
    result = await both.edit(prompt="a hat", extra_body={"images": [{"image_url": data_url(png())}]})
    assert result.data[0].b64_json
    assert both.emulator.requests[-1].status == 200


BEFORE_THE_WIRE = [
    ({"image": [png(), wrapper.FileID("file-1")]}, "image"),
    ({"image": png(), "mask": wrapper.ImageURL(data_url(png()))}, "image"),
    ({"images": [{"image_url": "http://example.com/a.png"}]}, "images[0].image_url"),
    ({"images": [{"image_url": "ftp://example.com/a.png"}]}, "images[0].image_url"),
    ({"images": [{"image_url": "data:image/png;base64,not base64!"}]}, "images[0].image_url"),
    ({"images": [{"image_url": data_url(b"plain text, not an image")}]}, "images[0].image_url"),
    ({"images": [{"image_url": data_url(png()), "file_id": "file-1"}]}, "images[0]"),
    ({"images": [{}]}, "images[0]"),
    ({"images": []}, "images"),
    ({"images": [wrapper.FileID("file-1")] * 17}, "images"),
    ({"images": [wrapper.ImageURL(data_url(png()))], "model": "dall-e-2"}, "images"),
    ({"images": [wrapper.ImageURL(data_url(png()))], "response_format": "url"}, "response_format"),
    ({"images": [wrapper.ImageURL(data_url(b"GIF89a" + b"\0" * 20))]}, "images[0].image_url"),
    (
        {
            "images": [wrapper.ImageURL(data_url(png((64, 64))))],
            "mask": wrapper.ImageURL(data_url(png((32, 32)))),
        },
        "mask",
    ),
]


@pytest.mark.parametrize(("kwargs", "param"), BEFORE_THE_WIRE)
async def test_refused_before_the_wire(both: Both, kwargs: dict[str, Any], param: str) -> None:
    sent = len(both.emulator.requests)
    with pytest.raises(wrapper.ValidationError) as caught:
        await both.edit(prompt="a hat", **kwargs)
    assert caught.value.param == param
    assert len(both.emulator.requests) == sent


EMULATOR_REFUSES = [
    ({"images": [{"image_url": "https://example.com/a.png"}]}, 400, "images[0].image_url"),
    ({"images": [{"image_url": data_url(png())}], "model": "dall-e-2"}, 400, "images"),
    ({"images": [{"image_url": data_url(b"not an image")}]}, 400, "images[0].image_url"),
    ({"images": [{"image_url": data_url(png()), "file_id": "file-1"}]}, 400, "images[0]"),
    ({"images": []}, 400, "images"),
    ({"images": "https://example.com/a.png"}, 400, "images"),
    ({"images": [{"file_id": "file-nope"}]}, 404, "images[0].file_id"),
    ({"images": [{"image_url": data_url(png())}], "model": "gpt-image-7"}, 404, "model"),
]


@pytest.mark.parametrize(("body", "status", "param"), EMULATOR_REFUSES)
async def test_the_emulator_refuses_json_edits_naming_the_field(
    body: dict[str, Any], status: int, param: str
) -> None:
    transport = httpx2.ASGITransport(app=create_app())  # type: ignore[arg-type]
    async with httpx2.AsyncClient(transport=transport, base_url="http://mock.test/v1") as http:
        response = await http.post(
            "/images/edits", json={"prompt": "x", **body}, headers={"Authorization": "Bearer k"}
        )
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert (error["param"], error["type"]) == (param, "invalid_request_error")


async def test_the_emulator_takes_a_json_edit_larger_than_a_generation_body() -> None:
    """A data: URL of a few MB is an ordinary JSON edit (the API takes URLs up to 20 MB each)."""
    big = Image.frombytes("RGB", (1024, 1024), bytes(range(256)) * (1024 * 1024 * 3 // 256))
    buffer = io.BytesIO()
    big.save(buffer, "PNG", compress_level=0)
    assert buffer.tell() > 2 * 1024 * 1024
    transport = httpx2.ASGITransport(app=create_app())  # type: ignore[arg-type]
    async with httpx2.AsyncClient(transport=transport, base_url="http://mock.test/v1") as http:
        response = await http.post(
            "/images/edits",
            json={"prompt": "x", "images": [{"image_url": data_url(buffer.getvalue())}], "size": "1024x1024"},
            headers={"Authorization": "Bearer k"},
        )
    assert response.status_code == 200, response.text[:300]
