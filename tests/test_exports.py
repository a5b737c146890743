"""`wrapper.__all__` is pinned: sorted, complete, and every name importable."""

from __future__ import annotations

import subprocess
import sys

import wrapper

EXPECTED = [
    "DEFAULT_CONNECTION_LIMITS", "DEFAULT_MODELS", "DEFAULT_TIMEOUT", "MODELS", "NOT_GIVEN",
    "APIConnectionError", "APIError", "APIResponse", "APIResponseValidationError", "APIStatusError",
    "APITimeoutError", "AsyncAPIResponse", "AsyncClient", "AsyncImages", "AsyncOpenAI", "AsyncStream",
    "AuthenticationError", "BadRequestError", "Client",
    "ConflictError", "DefaultAsyncHttpx2Client", "DefaultAsyncHttpxClient", "DefaultHttpx2Client",
    "DefaultHttpxClient",
    "DownloadError", "FileError", "FileID", "FileInput", "FileRule", "HTTPInfo", "Image",
    "ImageEditCompletedEvent",
    "ImageEditPartialImageEvent", "ImageEditStreamEvent", "ImageGenCompletedEvent",
    "ImageGenPartialImageEvent", "ImageGenStreamEvent", "ImageReference", "ImageURL", "Images",
    "ImagesResponse",
    "InputTokensDetails",
    "InternalServerError",
    "ModelCapabilities", "NotAnImageError", "NotFoundError", "NotGiven", "OpenAI", "OpenAIError",
    "OutputTokensDetails",
    "PermissionDeniedError", "PreflightError",
    "RateLimitError", "RetiredError", "SizeRule", "Stream", "StreamError", "StreamEvent", "SvgUsage",
    "UnknownEvent",
    "UnprocessableEntityError", "Usage", "ValidationError", "WrapperError",
]  # fmt: skip


def test_all_is_pinned() -> None:
    assert wrapper.__all__ == EXPECTED


def test_all_is_sorted_constants_first() -> None:
    constants = [n for n in wrapper.__all__ if n.isupper()]
    others = [n for n in wrapper.__all__ if not n.isupper()]
    assert wrapper.__all__ == sorted(constants) + sorted(others)


def test_every_name_exists() -> None:
    for name in wrapper.__all__:
        assert getattr(wrapper, name) is not None


def test_import_stays_light() -> None:
    """`import wrapper` loads nothing heavy, not even httpx2: each name loads when first read."""
    heavy = ("PIL", "hypothesis", "anyio", "httpx2")
    code = f"import sys, wrapper; print(' '.join(m for m in {heavy!r} if m in sys.modules))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    ).stdout
    assert loaded.split() == []


LATE = ("wrapper._capabilities", "wrapper._validation", "wrapper._results", "wrapper._calls", "images_api")
FIRST_CALL = """
import sys, threading, httpx2, wrapper
late = {late!r}
client = wrapper.Client(api_key="sk-test", base_url="http://api.test/v1")
assert not [m for m in late if m in sys.modules], [m for m in late if m in sys.modules]
answer = {{"created": 1, "data": [{{"b64_json": "iVBORw0KGgo="}}]}}  # the PNG signature
client._http._transport = httpx2.MockTransport(lambda request: httpx2.Response(200, json=answer))
results, errors = [], []
def call():
    try:
        results.append(client.images.generate(prompt="x", model="gpt-image-2"))
    except BaseException as exc:
        errors.append(exc)
threads = [threading.Thread(target=call) for _ in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
assert not errors, errors
assert [r.data[0].content() for r in results] == [b"\\x89PNG\\r\\n\\x1a\\n"] * 8
assert all(m in sys.modules for m in late)
assert "images_api.models.batch" not in sys.modules  # the generated models load one by one
print("ok")
"""


def test_a_client_is_made_without_the_table_and_the_first_calls_load_it_once() -> None:
    """Constructing a client loads neither the capability table, the validation, the result types nor
    the generated client; eight threads racing to the first call all get whole modules."""
    code = FIRST_CALL.format(late=LATE)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    ).stdout
    assert out.strip() == "ok"


def test_lazy_names_are_listed_and_bound_once_read() -> None:
    assert {"MODELS", "ImagesResponse", "Stream"} <= set(dir(wrapper))
    assert wrapper.MODELS is wrapper.__dict__["MODELS"]  # read once, then a plain attribute


def test_official_names_are_the_clients() -> None:
    assert wrapper.OpenAI is wrapper.Client
    assert wrapper.AsyncOpenAI is wrapper.AsyncClient


def test_types_has_the_official_type_names() -> None:
    from wrapper import types

    assert types.ImagesResponse is wrapper.ImagesResponse
    assert types.ImageGenStreamEvent == wrapper.ImageGenStreamEvent
    assert wrapper.types is types
    for name in types.__all__:
        assert getattr(types, name) is not None


def test_image_model_names_the_models_of_the_table() -> None:
    from typing import get_args

    from wrapper.types import ImageModel

    assert list(get_args(ImageModel)) == list(wrapper.MODELS)


def test_nothing_loads_the_legacy_httpx() -> None:
    """The stack is httpx2 only: a client's call, the emulator and the command line never import the
    legacy `httpx` (installed in a dev venv only because the code generator depends on it)."""
    code = (
        "import sys, httpx2, wrapper, wrapper.mock, wrapper._cli, wrapper.batch\n"
        "client = wrapper.Client(api_key='sk-test', base_url='http://api.test/v1',"
        " http_client=httpx2.Client(transport=httpx2.MockTransport("
        "lambda r: httpx2.Response(200, json={'created': 1, 'data': [{'b64_json': 'aGk='}]}))))\n"
        "client.images.generate(prompt='x', model='gpt-image-2')\n"
        "print(sorted(m for m in sys.modules if m == 'httpx' or m.startswith(('httpx.', 'httpx_sse'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    ).stdout
    assert out.strip() == "[]"
