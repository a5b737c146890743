"""Code written for the official `openai` SDK runs unchanged on `wrapper`, with the same outcome.

Each snippet below is ordinary official-SDK code with `MODULE` where the package name goes. It runs
twice against the emulator, once as `openai` and once as `wrapper`, each time in a fresh directory
holding the same input images; what it records in `OUT` (dumps, fields, which `except` caught what)
and the files it leaves behind must be equal. `MOCK` is the emulator, for faults and for reading what
was received.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from mock_support import half_transparent, png

from wrapper.mock import _store
from wrapper.mock.pytest_plugin import ImagesMock

pytestmark = pytest.mark.network  # the snippets talk to the emulator on a loopback port

GENERATE = """
from MODULE import OpenAI

client = OpenAI()
result = client.images.generate(prompt="a red fox", model="gpt-image-1", size="1024x1024", quality="low")
OUT["dump"] = result.model_dump()
OUT["created"] = result.created
"""

DUMP_OPTIONS = """
from MODULE import OpenAI

client = OpenAI()
result = client.images.generate(prompt="a fox", model="gpt-image-1-mini", output_format="jpeg")
OUT["exclude_none"] = result.model_dump(exclude_none=True)
OUT["exclude_unset"] = result.model_dump(exclude_unset=True)
OUT["json_mode"] = result.model_dump(mode="json")
OUT["json"] = result.model_dump_json()
OUT["json_indent"] = result.model_dump_json(indent=2, exclude_none=True)
OUT["to_dict"] = result.to_dict()
OUT["to_json"] = result.to_json()
OUT["exclude"] = result.model_dump(exclude={"data"})
"""

DALL_E_3_URL = """
from MODULE import OpenAI

client = OpenAI()
result = client.images.generate(prompt="a fox", model="dall-e-3", size="1792x1024", style="natural")
image = result.data[0]
OUT["url"] = image.url.startswith("http://127.0.0.1:")
OUT["revised_prompt"] = image.revised_prompt
OUT["b64_json"] = image.b64_json
OUT["dump"] = result.model_dump(exclude={"data"})
OUT["image_keys"] = sorted(image.model_dump(exclude_unset=True))
"""

DATA_AS_LIST = """
from MODULE import OpenAI

client = OpenAI()
result = client.images.generate(prompt="two foxes", model="dall-e-2", n=3, response_format="b64_json")
images = result.data
OUT["len"] = len(images)
OUT["equal_to_list"] = images == list(images)
OUT["slice"] = [image.b64_json[:40] for image in images[1:]]
OUT["slice_equal"] = images[:2] == [images[0], images[1]]
OUT["last"] = images[-1].b64_json[-40:]
OUT["index"] = images.index(images[1])
OUT["sorted"] = [i.b64_json[:20] for i in sorted(images, key=lambda image: image.b64_json)]
OUT["comprehension"] = [image.model_dump()["revised_prompt"] for image in images]
OUT["in"] = images[0] in images
"""

WRITE_FILES = """
import base64
from pathlib import Path

from MODULE import OpenAI

client = OpenAI()
result = client.images.generate(prompt="a lighthouse", model="gpt-image-1", n=2, size="1024x1536")
for index, image in enumerate(result.data):
    Path(f"lighthouse-{index}.png").write_bytes(base64.b64decode(image.b64_json))
OUT["written"] = len(result.data)
"""

USAGE = """
from MODULE import OpenAI

client = OpenAI()
result = client.images.generate(
    prompt="a fox", model="gpt-image-1", size="1536x1024", output_format="webp", output_compression=60
)
OUT["usage"] = result.usage.model_dump()
OUT["usage_json"] = result.usage.to_json()
OUT["tokens"] = (result.usage.input_tokens, result.usage.output_tokens, result.usage.total_tokens)
OUT["image_tokens"] = result.usage.input_tokens_details.image_tokens
OUT["fields"] = (result.size, result.quality, result.output_format, result.background)
"""

TRANSPARENT = """
from MODULE import OpenAI

client = OpenAI()
result = client.images.generate(
    prompt="a sticker", model="gpt-image-1.5", background="transparent", output_format="png", moderation="low"
)
OUT["background"] = result.background
OUT["dump"] = result.model_dump(exclude_none=True)
"""

EDIT_PATH = """
from pathlib import Path

from MODULE import OpenAI

client = OpenAI()
result = client.images.edit(image=Path("a.png"), prompt="add a hat", model="gpt-image-1", size="1024x1024")
OUT["dump"] = result.model_dump()
OUT["sent"] = [(f.filename, f.width) for f in MOCK.requests.last.images]
"""

EDIT_OPEN_FILE = """
from MODULE import OpenAI

client = OpenAI()
with open("a.png", "rb") as image:
    result = client.images.edit(image=image, prompt="add a hat", model="gpt-image-1-mini", quality="low")
OUT["dump"] = result.to_dict()
OUT["sent"] = [(f.filename, f.format, f.size) for f in MOCK.requests.last.images]
"""

EDIT_LIST_OF_FILES = """
from MODULE import OpenAI

client = OpenAI()
with open("a.png", "rb") as first, open("b.png", "rb") as second:
    result = client.images.edit(image=[first, second], prompt="merge them", model="gpt-image-1.5")
OUT["dump"] = result.model_dump(exclude_unset=True)
OUT["sent"] = [(f.filename, f.width, f.height) for f in MOCK.requests.last.images]
"""

EDIT_TUPLES = """
from pathlib import Path

from MODULE import OpenAI

client = OpenAI()
a = ("first.png", Path("a.png").read_bytes(), "image/png")
b = ("second.png", Path("b.png").read_bytes(), "image/png")
result = client.images.edit(image=[a, b], prompt="merge", model="gpt-image-1", n=2, quality="medium")
OUT["dump"] = result.model_dump_json(indent=2)
OUT["sent"] = [(f.filename, f.content_type) for f in MOCK.requests.last.images]
"""

EDIT_BYTES_AND_MASK = """
from pathlib import Path

from MODULE import OpenAI

client = OpenAI()
with open("mask.png", "rb") as mask:
    result = client.images.edit(
        image=Path("square.png").read_bytes(),
        mask=mask,
        prompt="a moon",
        model="dall-e-2",
        size="256x256",
        response_format="b64_json",
    )
OUT["dump"] = result.model_dump()
sent = MOCK.requests.last
OUT["mask"] = (sent.mask.width, sent.mask.height)
"""

EDIT_PATH_LIST = """
from pathlib import Path

from MODULE import OpenAI

client = OpenAI()
result = client.images.edit(
    image=[Path("a.png"), Path("b.png")], prompt="merge", model="gpt-image-1", input_fidelity="high"
)
OUT["dump"] = result.to_json(indent=None)
OUT["params"] = dict(MOCK.requests.last.params)
"""

VARIATION_PATH = """
from pathlib import Path

from MODULE import OpenAI

client = OpenAI()
result = client.images.create_variation(
    image=Path("square.png"), n=2, size="256x256", response_format="b64_json"
)
OUT["dump"] = result.model_dump()
OUT["model"] = MOCK.requests.last.model
"""

VARIATION_TUPLE = """
from pathlib import Path

from MODULE import OpenAI

client = OpenAI()
result = client.images.create_variation(
    image=("icon.png", Path("square.png").read_bytes(), "image/png"), model="dall-e-2", size="512x512"
)
OUT["url"] = result.data[0].url.startswith("http")
OUT["dump"] = result.model_dump(exclude={"data"}, exclude_none=True)
"""

STREAM = """
import base64
from pathlib import Path

from MODULE import OpenAI

client = OpenAI()
stream = client.images.generate(prompt="a fox", model="gpt-image-1", stream=True, partial_images=2)
events = []
for event in stream:
    events.append(event.model_dump())
    if event.type == "image_generation.partial_image":
        Path(f"partial-{event.partial_image_index}.png").write_bytes(base64.b64decode(event.b64_json))
    else:
        Path("final.png").write_bytes(base64.b64decode(event.b64_json))
        OUT["usage"] = event.usage.model_dump()
OUT["events"] = events
"""

STREAM_WITH_BLOCK = """
from MODULE import OpenAI

client = OpenAI()
with client.images.generate(prompt="a fox", model="gpt-image-1.5", stream=True, partial_images=3) as stream:
    for event in stream:
        OUT["first"] = event.to_dict()
        break
"""

STREAM_EVENT_DUMPS = """
from MODULE import OpenAI

client = OpenAI()
stream = client.images.generate(prompt="a fox", model="gpt-image-1-mini", stream=True, partial_images=1)
dumps = []
for event in stream:
    dumps.append(event.model_dump_json(exclude_none=True))
    dumps.append(event.to_json())
    dumps.append(event.model_dump(exclude_unset=True, mode="json"))
OUT["dumps"] = dumps
"""

STREAM_EDIT = """
from MODULE import OpenAI

client = OpenAI()
with open("a.png", "rb") as image:
    stream = client.images.edit(
        image=image, prompt="a hat", model="gpt-image-1", stream=True, partial_images=1
    )
    OUT["events"] = [(event.type, event.model_dump(exclude={"b64_json"})) for event in stream]
"""

ASYNC_GENERATE = """
from MODULE import AsyncOpenAI


async def main():
    async with AsyncOpenAI() as client:
        result = await client.images.generate(prompt="a fox", model="gpt-image-1", quality="high")
    OUT["dump"] = result.model_dump()
"""

ASYNC_STREAM = """
import base64
from pathlib import Path

from MODULE import AsyncOpenAI


async def main():
    client = AsyncOpenAI()
    stream = await client.images.generate(prompt="a fox", model="gpt-image-1", stream=True, partial_images=2)
    OUT["events"] = []
    async for event in stream:
        OUT["events"].append(event.model_dump())
        Path(f"{event.type}.png").write_bytes(base64.b64decode(event.b64_json))
    await client.close()
"""

ASYNC_EDIT = """
from pathlib import Path

from MODULE import AsyncOpenAI


async def main():
    client = AsyncOpenAI(max_retries=0)
    images = [Path("a.png"), Path("b.png")]
    result = await client.images.edit(image=images, prompt="merge", model="gpt-image-1")
    OUT["dump"] = result.to_dict()
    stream = await client.images.edit(
        image=Path("a.png"), prompt="merge", model="gpt-image-1", stream=True, partial_images=1
    )
    OUT["events"] = [event.model_dump(exclude_none=True) async for event in stream]
    await client.close()
"""

RAW_RESPONSE = """
from MODULE import OpenAI

client = OpenAI()
raw = client.images.with_raw_response.generate(prompt="a fox", model="gpt-image-1")
OUT["status"] = raw.status_code
OUT["content_type"] = raw.headers["content-type"]
OUT["request_id"] = raw.request_id == raw.headers["x-request-id"] and raw.request_id.startswith("req_")
OUT["request"] = (raw.http_request.method, raw.http_request.url.path)
result = raw.parse()
OUT["dump"] = result.model_dump()
OUT["retries"] = raw.retries_taken
"""

RAW_RESPONSE_ASYNC = """
from MODULE import AsyncOpenAI


async def main():
    async with AsyncOpenAI() as client:
        with open("a.png", "rb") as image:
            raw = await client.images.with_raw_response.edit(image=image, prompt="x", model="gpt-image-1")
        OUT["status"] = raw.status_code
        OUT["method"] = raw.http_request.method
        OUT["path"] = raw.http_request.url.path
        OUT["dump"] = raw.parse().model_dump(exclude_unset=True)
"""

RAW_RESPONSE_STREAM = """
from MODULE import OpenAI

client = OpenAI()
raw = client.images.with_raw_response.generate(
    prompt="a fox", model="gpt-image-1", stream=True, partial_images=1
)
OUT["content_type"] = raw.headers["content-type"].split(";")[0]
OUT["events"] = [event.model_dump() for event in raw.parse()]
"""

RAW_RESPONSE_VARIATION = """
from pathlib import Path

from MODULE import OpenAI

client = OpenAI()
raw = client.images.with_raw_response.create_variation(image=Path("square.png"), response_format="b64_json")
OUT["status"] = raw.status_code
OUT["dump"] = raw.parse().model_dump()
"""

STREAMING_RESPONSE = """
from MODULE import OpenAI

client = OpenAI()
with client.images.with_streaming_response.generate(prompt="a fox", model="gpt-image-1") as response:
    OUT["status"] = response.status_code
    OUT["request_id"] = response.request_id is not None
    result = response.parse()
    OUT["dump"] = result.model_dump(mode="json")
OUT["closed"] = response.is_closed
"""

STREAMING_RESPONSE_JSON = """
from MODULE import OpenAI

client = OpenAI()
with open("a.png", "rb") as image, client.images.with_streaming_response.edit(
    image=[image], prompt="x", model="gpt-image-1-mini"
) as response:
    body = response.json()
OUT["keys"] = sorted(body)
OUT["created"] = body["created"]
"""

STREAMING_RESPONSE_ASYNC = """
from MODULE import AsyncOpenAI


async def main():
    client = AsyncOpenAI()
    async with client.images.with_streaming_response.generate(prompt="a fox", model="dall-e-2") as response:
        OUT["status"] = response.status_code
        OUT["headers"] = response.headers["content-type"]
        result = await response.parse()
    await client.close()
    OUT["url"] = result.data[0].url.startswith("http")
    OUT["dump"] = result.model_dump(exclude={"data"})
"""

BAD_REQUEST = """
from MODULE import BadRequestError, OpenAI

client = OpenAI()
try:
    client.images.generate(prompt="a fox", model="dall-e-3", n=2)
except BadRequestError as exc:
    OUT["caught"] = "BadRequestError"
    OUT["fields"] = (exc.status_code, exc.type, exc.param, exc.code)
    OUT["body"] = exc.body
"""

STATUS_ERROR = """
import MODULE

client = MODULE.OpenAI()
try:
    client.images.generate(prompt="a fox", model="gpt-image-1", size="640x480")
except MODULE.APIStatusError as exc:
    OUT["caught"] = "APIStatusError"
    OUT["status"] = exc.status_code
    OUT["param"] = exc.param
    OUT["message"] = exc.body["message"]
"""

API_ERROR = """
import MODULE

client = MODULE.OpenAI()
try:
    with open("a.png", "rb") as image:
        client.images.edit(image=image, prompt="x", model="dall-e-3")
except MODULE.APIError as exc:
    OUT["caught"] = "APIError"
    OUT["status"] = exc.status_code
    OUT["is_bad_request"] = isinstance(exc, MODULE.BadRequestError)
    OUT["param"] = exc.param
"""

RATE_LIMIT = """
import MODULE
from wrapper.mock import Fault

MOCK.faults.queue(Fault.rate_limit())
client = MODULE.OpenAI(max_retries=0)
try:
    client.images.generate(prompt="a fox")
except MODULE.RateLimitError as exc:
    OUT["caught"] = "RateLimitError"
    OUT["status"] = exc.status_code
    OUT["request_id"] = exc.request_id.startswith("req_")
    OUT["retry_after"] = exc.response.headers["retry-after"]
    OUT["body"] = exc.body
"""

SERVER_ERROR = """
import MODULE
from wrapper.mock import Fault

MOCK.faults.queue(Fault.server_error())
client = MODULE.OpenAI()
try:
    client.with_options(max_retries=0).images.generate(prompt="a fox", model="gpt-image-1")
except MODULE.InternalServerError as exc:
    OUT["caught"] = ("InternalServerError", exc.status_code, exc.type)
"""

NOT_FOUND = """
import MODULE

client = MODULE.OpenAI(base_url=MOCK.url + "/nowhere", max_retries=0)
try:
    client.images.generate(prompt="a fox", model="gpt-image-1")
except MODULE.NotFoundError as exc:
    OUT["caught"] = ("NotFoundError", exc.status_code)
"""

CONNECTION_ERROR = """
import MODULE

client = MODULE.OpenAI(base_url="http://127.0.0.1:9/v1", max_retries=0)
try:
    client.images.generate(prompt="a fox", model="gpt-image-1")
except MODULE.APITimeoutError:
    OUT["caught"] = "APITimeoutError"
except MODULE.APIConnectionError as exc:
    OUT["caught"] = ("APIConnectionError", exc.request.method)
"""

OPTIONS = """
import MODULE

client = MODULE.OpenAI(api_key="sk-one", max_retries=0, timeout=30.0, default_headers={"X-Team": "imaging"})
other = client.with_options(timeout=60.0, max_retries=1)
copied = client.copy(default_headers={"X-Trace": "abc"})
other.images.generate(prompt="a fox", model="gpt-image-1")
copied.images.generate(prompt="a fox", model="gpt-image-1", timeout=20)
headers = {k.lower(): v for k, v in MOCK.requests.last.headers.items()}
OUT["headers"] = (headers.get("x-team"), headers.get("x-trace"))
OUT["settings"] = (client.max_retries, other.max_retries, other.timeout, copied.api_key)
"""

ORGANIZATION = """
import MODULE

client = MODULE.OpenAI(organization="org-123", project="proj_456")
client.images.generate(prompt="a fox", model="gpt-image-1")
headers = {k.lower(): v for k, v in MOCK.requests.last.headers.items()}
OUT["sent"] = (headers.get("openai-organization"), headers.get("openai-project"))
OUT["attributes"] = (client.organization, client.project)
"""

ORGANIZATION_FROM_ENV = """
import os

import MODULE

os.environ["OPENAI_ORG_ID"] = "org-env"
os.environ["OPENAI_PROJECT_ID"] = "proj-env"
client = MODULE.OpenAI()
client.images.generate(prompt="a fox", model="gpt-image-1")
headers = {k.lower(): v for k, v in MOCK.requests.last.headers.items()}
OUT["sent"] = (headers.get("openai-organization"), headers.get("openai-project"))
"""

QUERY = """
from MODULE import OpenAI

client = OpenAI(default_query={"tenant": "a"})
raw = client.images.with_raw_response.generate(
    prompt="a fox", model="gpt-image-1", extra_query={"trace": "1"}
)
OUT["query"] = sorted(raw.http_request.url.params.items())
raw = client.with_options(default_query={"tenant": "b"}).images.with_raw_response.generate(prompt="a fox")
OUT["override"] = sorted(raw.http_request.url.params.items())
OUT["dump"] = raw.parse().model_dump(exclude={"data"})
"""

EXTRAS_PER_CALL = """
from MODULE import OpenAI

client = OpenAI()
result = client.images.generate(
    prompt="a fox",
    model="gpt-image-1",
    extra_headers={"X-Request-Tag": "t1"},
    extra_body={"user": "user-42"},
    extra_query={"q": "1"},
    timeout=45.0,
)
sent = MOCK.requests.last
OUT["header"] = {k.lower(): v for k, v in sent.headers.items()}.get("x-request-tag")
OUT["user"] = sent.params.get("user")
OUT["dump"] = result.model_dump(exclude_none=True)
"""

TYPES = """
from MODULE import OpenAI
from MODULE.types import Image, ImageGenStreamEvent, ImagesResponse


def first_image(response: ImagesResponse) -> Image:
    return response.data[0]


client = OpenAI()
result: ImagesResponse = client.images.generate(prompt="a fox", model="gpt-image-1")
OUT["isinstance"] = (isinstance(result, ImagesResponse), isinstance(first_image(result), Image))
events: list[ImageGenStreamEvent] = list(
    client.images.generate(prompt="a fox", model="gpt-image-1", stream=True, partial_images=1)
)
OUT["types"] = [event.type for event in events]
"""

CLIENT_LIFECYCLE = """
from MODULE import OpenAI

with OpenAI(max_retries=1) as client:
    result = client.images.generate(prompt="a fox", model="gpt-image-1", user="u-1")
OUT["dump"] = result.model_dump()
OUT["user"] = MOCK.requests.last.params["user"]
client = OpenAI()
client.close()
OUT["closed"] = True
"""

SNIPPETS = {
    "generate": GENERATE,
    "dump_options": DUMP_OPTIONS,
    "dall_e_3_url": DALL_E_3_URL,
    "data_as_list": DATA_AS_LIST,
    "write_files": WRITE_FILES,
    "usage": USAGE,
    "transparent": TRANSPARENT,
    "edit_path": EDIT_PATH,
    "edit_open_file": EDIT_OPEN_FILE,
    "edit_list_of_files": EDIT_LIST_OF_FILES,
    "edit_tuples": EDIT_TUPLES,
    "edit_bytes_and_mask": EDIT_BYTES_AND_MASK,
    "edit_path_list": EDIT_PATH_LIST,
    "variation_path": VARIATION_PATH,
    "variation_tuple": VARIATION_TUPLE,
    "stream": STREAM,
    "stream_with_block": STREAM_WITH_BLOCK,
    "stream_event_dumps": STREAM_EVENT_DUMPS,
    "stream_edit": STREAM_EDIT,
    "async_generate": ASYNC_GENERATE,
    "async_stream": ASYNC_STREAM,
    "async_edit": ASYNC_EDIT,
    "raw_response": RAW_RESPONSE,
    "raw_response_async": RAW_RESPONSE_ASYNC,
    "raw_response_stream": RAW_RESPONSE_STREAM,
    "raw_response_variation": RAW_RESPONSE_VARIATION,
    "streaming_response": STREAMING_RESPONSE,
    "streaming_response_json": STREAMING_RESPONSE_JSON,
    "streaming_response_async": STREAMING_RESPONSE_ASYNC,
    "bad_request": BAD_REQUEST,
    "status_error": STATUS_ERROR,
    "api_error": API_ERROR,
    "rate_limit": RATE_LIMIT,
    "server_error": SERVER_ERROR,
    "not_found": NOT_FOUND,
    "connection_error": CONNECTION_ERROR,
    "options": OPTIONS,
    "organization": ORGANIZATION,
    "organization_from_env": ORGANIZATION_FROM_ENV,
    "query": QUERY,
    "extras_per_call": EXTRAS_PER_CALL,
    "types": TYPES,
    "client_lifecycle": CLIENT_LIFECYCLE,
}


def _inputs(directory: Path) -> None:
    (directory / "a.png").write_bytes(png((256, 256), (200, 30, 30, 255)))
    (directory / "b.png").write_bytes(png((320, 240), (30, 30, 200, 255)))
    (directory / "square.png").write_bytes(png((256, 256), (10, 120, 10, 255)))
    (directory / "mask.png").write_bytes(half_transparent((256, 256)))


def run(
    source: str, module: str, images_mock: ImagesMock, directory: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Run `source` with `module` as the package, in `directory`; return its `OUT` and the files left."""
    images_mock.reset()
    # `created` comes from the emulator's clock: the same instant for both runs
    monkeypatch.setattr(_store, "time", SimpleNamespace(time=lambda: 1_800_000_000.0))
    directory.mkdir()
    _inputs(directory)
    monkeypatch.chdir(directory)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-dropin")
    monkeypatch.setenv("OPENAI_BASE_URL", images_mock.url)
    for name in ("OPENAI_ORG_ID", "OPENAI_PROJECT_ID"):
        monkeypatch.delenv(name, raising=False)
    namespace: dict[str, Any] = {"__name__": "snippet", "OUT": {}, "MOCK": images_mock}
    exec(compile(source.replace("MODULE", module), f"<snippet as {module}>", "exec"), namespace)
    if "main" in namespace:
        asyncio.run(namespace["main"]())
    _close_clients(namespace, module)
    files = {path.name: path.read_bytes() for path in sorted(directory.iterdir()) if path.is_file()}
    return namespace["OUT"], files


def _close_clients(namespace: dict[str, Any], module: str) -> None:
    """Close the clients a snippet left open, as a service does at shutdown."""
    package = __import__(module)
    for value in namespace.values():
        if isinstance(value, package.OpenAI):
            value.close()
        elif isinstance(value, package.AsyncOpenAI):
            asyncio.run(value.close())


@pytest.mark.filterwarnings("ignore:deprecated:DeprecationWarning")  # the SDK's create_variation
@pytest.mark.parametrize("name", list(SNIPPETS))
def test_the_snippet_has_the_same_outcome_on_both(
    name: str, images_mock: ImagesMock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    official = run(SNIPPETS[name], "openai", images_mock, tmp_path / "openai", monkeypatch)
    ours = run(SNIPPETS[name], "wrapper", images_mock, tmp_path / "wrapper", monkeypatch)
    assert official[0], "the snippet recorded nothing"
    assert ours[0] == official[0]
    assert ours[1].keys() == official[1].keys()
    assert ours[1] == official[1]


def test_there_are_enough_snippets() -> None:
    assert len(SNIPPETS) >= 30
    assert all("import MODULE" in source or "from MODULE import" in source for source in SNIPPETS.values())
