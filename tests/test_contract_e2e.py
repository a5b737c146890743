"""End to end: wrapper → emulator → typed result, for every parameter of every operation, sync and async.

The second half shows the two enforcement points of the capability table agree: a request the
client refuses (`ValidationError`, nothing sent) is one the emulator refuses too (400 naming the
same `param`) when the client's model rules are switched off.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import httpx2
import pytest
from conftest import REFERENCE_DAY, invoke
from mock_support import Target, emulator_client, half_transparent, jpeg, png

import wrapper
from wrapper import _lifecycle
from wrapper._capabilities import MODELS, PARAM_RULES, ModelCapabilities, Operation
from wrapper._imageinfo import sniff
from wrapper._schema import OperationSpec, Param
from wrapper._spec import OPERATIONS
from wrapper._validation import _fits
from wrapper.mock import create_app
from wrapper.mock.pytest_plugin import ImagesMock

pytestmark = pytest.mark.anyio
METHODS: dict[Operation, str] = {"generate": "generate", "edit": "edit", "variation": "create_variation"}
OPERATION_PARAMS = {operation: set(spec.params) for operation, spec in OPERATIONS.items()}
# The closed enums of the schema: parameter -> operation -> values.
ENUMS: dict[str, dict[str, tuple[Any, ...]]] = {}
for _operation, _spec in OPERATIONS.items():
    for _param in _spec.params.values():
        if _param.enum is not None and not _param.open_enum:
            ENUMS.setdefault(_param.name, {})[_operation] = _param.enum
FILE_PARAMS = ("image", "mask", "markup")


@dataclass(frozen=True)
class Call:
    """One wrapper call: the operation and every keyword it passes (files as bytes)."""

    operation: Operation
    params: dict[str, Any]
    label: str = ""
    expect: dict[str, Any] = field(default_factory=dict)
    day: date = REFERENCE_DAY
    """The day the client and the emulator play (the newer models are not out on REFERENCE_DAY)."""

    @property
    def id(self) -> str:
        return f"{self.operation}-{self.label or self.params.get('model')}"

    def sent(self) -> dict[str, Any]:
        return {name: value for name, value in self.params.items() if name not in FILE_PARAMS}


# Written cases; with the calls derived from the schema below they set every parameter of every
# operation (checked by the first test), each parameter with a per-model rule in a written one.
LITERAL_CALLS = [
    Call(
        "generate",
        {
            "prompt": "a lighthouse",
            "model": "gpt-image-1",
            "background": "opaque",
            "moderation": "low",
            "n": 2,
            "output_compression": 40,
            "output_format": "webp",
            "quality": "high",
            "size": "1024x1536",
            "user": "user-1",
        },
        expect={"background": "opaque", "output_format": "webp", "quality": "high", "size": "1024x1536"},
    ),
    Call(
        "generate",
        {
            "prompt": "a fox",
            "model": "dall-e-3",
            "quality": "hd",
            "response_format": "b64_json",
            "size": "1792x1024",
            "style": "natural",
        },
    ),
    Call(
        "generate",
        {
            "prompt": "a bird",
            "model": "gpt-image-1.5",
            "background": "transparent",
            "stream": True,
            "partial_images": 2,
        },
    ),
    Call(
        "edit",
        {
            "prompt": "add a hat",
            "model": "gpt-image-1",
            "image": [png((64, 64)), jpeg((64, 64))],
            "mask": half_transparent((64, 64)),
            "background": "auto",
            "input_fidelity": "high",
            "n": 2,
            "output_compression": 70,
            "output_format": "jpeg",
            "quality": "low",
            "size": "1536x1024",
            "user": "user-2",
        },
        expect={"output_format": "jpeg", "quality": "low", "size": "1536x1024"},
    ),
    Call(
        "edit",
        {
            "prompt": "a red door",
            "model": "dall-e-2",
            "image": half_transparent((64, 64)),
            "response_format": "url",
            "size": "256x256",
        },
    ),
    Call(
        "edit",
        {
            "prompt": "sunset",
            "model": "gpt-image-1-mini",
            "image": png((32, 32)),
            "stream": True,
            "partial_images": 1,
            "output_format": "png",
        },
    ),
    Call(
        "generate",
        {
            "prompt": "a kite",
            "model": "gpt-image-2.5-flare",
            "complexity": "high",
            "frame_count": 4,
            "frame_duration_ms": 120,
            "output_format": "gif",
            "quality": "xhigh",
            "safety_identifier": "hashed-user-1",
            "size": "512x512",
        },
        label="gif",
        expect={"output_format": "gif", "quality": "xhigh", "safety_identifier": "hashed-user-1"},
        day=date(2026, 11, 26),
    ),
    Call(
        "generate",
        {
            "prompt": "a logo",
            "model": "gpt-image-2.5-sunburst",
            "output_format": "svg",
            "svg": {"model": "svg-writer-1", "reasoning": {"effort": "low"}},
        },
        label="svg",
        expect={"output_format": "svg"},
        day=date(2026, 11, 26),
    ),
    Call(
        "edit",
        {
            "prompt": "circle the door",
            "model": "gpt-image-2.5-flare",
            "image": png((64, 64)),
            "markup": half_transparent((64, 64)),
            "complexity": "low",
            "frame_count": 3,
            "frame_duration_ms": 50,
            "output_format": "gif",
            "quality": "max",
            "safety_identifier": "",
            "user": "user-4",
        },
        label="markup-gif",
        expect={"output_format": "gif", "quality": "max", "safety_identifier": "user-4"},
        day=date(2026, 11, 26),
    ),
    Call(
        "edit",
        {
            "prompt": "as a vector icon",
            "model": "gpt-image-2.5-sunburst-2026-09-08",
            "image": png((64, 64)),
            "output_format": "svg",
            "svg": {"model": "svg-writer-2", "reasoning": {"effort": "xhigh"}},
        },
        label="svg",
        expect={"output_format": "svg"},
        day=date(2026, 11, 26),
    ),
    Call(
        "variation",
        {
            "image": png((64, 64)),
            "model": "dall-e-2",
            "n": 2,
            "response_format": "b64_json",
            "size": "512x512",
            "user": "user-3",
        },
    ),
]

# A parameter the spec gains without a per-model rule (`make generate` lists it) is sent in a call of
# its own, its value drawn from its schema, so that it travels end to end before anyone writes a case.
DERIVED_BASE: dict[Operation, dict[str, Any]] = {
    "generate": {"prompt": "a schema-drawn call", "model": "gpt-image-1.5"},
    "edit": {"prompt": "a schema-drawn call", "model": "gpt-image-1.5", "image": png((64, 64))},
    "variation": {"image": png((64, 64)), "model": "dall-e-2"},
}


def _schema_value(param: Param) -> Any:
    """A value the schema allows: the first of an enum, else the lower bound, else a plain value."""
    if param.enum:
        return param.enum[0]
    defaults = {"integer": 1, "number": 1.0, "boolean": False, "string": "x", "object": {}}
    if param.kind in ("integer", "number") and param.minimum is not None:
        return int(param.minimum) if param.kind == "integer" else param.minimum
    return defaults[param.kind]


def _derived_calls(operations: Mapping[Operation, OperationSpec], written: list[Call]) -> list[Call]:
    derived = []
    for operation, spec in operations.items():
        used = {name for call in written if call.operation == operation for name in call.params}
        missing = {name: param for name, param in spec.params.items() if name not in used}
        if missing:
            values = {name: _schema_value(param) for name, param in missing.items()}
            derived.append(Call(operation, {**DERIVED_BASE[operation], **values}, label="from-the-schema"))
    return derived


CALLS = [*LITERAL_CALLS, *_derived_calls(OPERATIONS, LITERAL_CALLS)]


def test_the_calls_set_every_parameter_of_every_operation() -> None:
    for operation, names in OPERATION_PARAMS.items():
        used = {name for call in CALLS if call.operation == operation for name in call.params}
        assert used == names, f"{operation}: no call sets {sorted(names - used)}"
        literal = {name for call in LITERAL_CALLS if call.operation == operation for name in call.params}
        ruled = {name for name in names if name in PARAM_RULES}
        assert ruled <= literal, f"{operation}: a rule needs a written case: {sorted(ruled - literal)}"


def test_a_parameter_no_written_call_sets_gets_a_call_from_its_schema() -> None:
    param = Param(name="watermark", kind="string", enum=("none", "corner"))
    spec = replace(OPERATIONS["generate"], params={**OPERATIONS["generate"].params, "watermark": param})
    [derived] = _derived_calls({"generate": spec}, LITERAL_CALLS)
    assert derived.params == {**DERIVED_BASE["generate"], "watermark": "none"}


@pytest.fixture
async def target(kind: str, images_mock: ImagesMock) -> AsyncIterator[Target]:
    async with emulator_client(kind, images_mock, max_retries=0) as target:
        yield target


async def call(target: Target, request: Call, **options: Any) -> Any:
    method = getattr(target.client.images, METHODS[request.operation])
    return await invoke(method, **request.params, **options)


async def events(result: Any) -> list[Any]:
    if isinstance(result, wrapper.AsyncStream):
        async with result:
            return [event async for event in result]
    with result:
        return list(result)


@pytest.mark.parametrize("request_", CALLS, ids=lambda request: request.id)
async def test_every_parameter_travels_and_comes_back_typed(
    target: Target, request_: Call, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_lifecycle, "default_as_of", lambda: request_.day)
    result = await call(target, request_)
    recorded = target.app.requests.last
    assert recorded.status == 200
    assert dict(recorded.params) == request_.sent()  # every parameter arrived, with its type
    assert recorded.model == request_.params["model"]
    _check_files(recorded, request_.params)
    if request_.params.get("stream"):
        _check_stream(request_, await events(result))
    else:
        _check_response(request_, result)


def _check_files(recorded: Any, params: dict[str, Any]) -> None:
    images = params.get("image")
    count = 0 if images is None else len(images) if isinstance(images, list) else 1
    assert len(recorded.images) == count
    assert all(file.format in ("png", "jpeg") for file in recorded.images)
    assert (recorded.mask is not None) == ("mask" in params)


def _check_response(request_: Call, result: wrapper.ImagesResponse) -> None:
    params = request_.params
    row = MODELS[params["model"]]
    assert isinstance(result, wrapper.ImagesResponse)
    assert len(result.data) == params.get("n", 1)
    assert result.request_id
    assert result.request_id.startswith("req_")
    for name, value in request_.expect.items():
        assert getattr(result, name) == value, name
    for image in result.data:
        assert isinstance(image, wrapper.Image)
        if params.get("response_format", "b64_json" if row.family == "gpt-image" else "url") == "url":
            assert image.url
            assert image.b64_json is None
        else:
            assert image.b64_json
            assert image.url is None
        assert (image.revised_prompt is not None) == row.revises_prompt
    if row.family == "gpt-image":
        assert isinstance(result.usage, wrapper.Usage)
        assert isinstance(result.usage.input_tokens_details, wrapper.InputTokensDetails)
        assert result.usage.total_tokens == result.usage.input_tokens + result.usage.output_tokens
    else:
        assert result.usage is None


def _check_stream(request_: Call, received: list[Any]) -> None:
    partial, completed = (
        (wrapper.ImageGenPartialImageEvent, wrapper.ImageGenCompletedEvent)
        if request_.operation == "generate"
        else (wrapper.ImageEditPartialImageEvent, wrapper.ImageEditCompletedEvent)
    )
    count = request_.params["partial_images"]
    assert [type(event) for event in received] == [partial] * count + [completed]
    assert [event.partial_image_index for event in received[:-1]] == list(range(count))
    final = received[-1]
    info = sniff(final.content()[:64])
    assert info is not None
    assert info.format == final.output_format
    assert isinstance(final.usage, wrapper.Usage)
    asked = request_.params.get("background", "auto")
    assert final.background == ("opaque" if asked == "auto" else asked)  # resolved, as in a JSON answer
    assert "auto" not in (final.size, final.quality)


# --- one table, two enforcement points ------------------------------------------------------------

BASE: dict[Operation, dict[str, Any]] = {
    "generate": {"prompt": "x"},
    "edit": {"prompt": "x", "image": png((32, 32))},
    "variation": {"image": png((32, 32))},
}


def _offered(row: ModelCapabilities, name: str) -> tuple[str, ...]:
    columns: dict[str, Callable[[ModelCapabilities], tuple[str, ...]]] = {
        "background": lambda r: r.backgrounds,
        "input_fidelity": lambda r: r.input_fidelities,
        "moderation": lambda r: r.moderations,
        "output_format": lambda r: r.output_formats,
        "quality": lambda r: r.qualities,
        "response_format": lambda r: r.response_formats,
        "style": lambda r: r.styles,
    }
    if name not in columns:  # a parameter no model rule governs (complexity): every value is offered
        return tuple(
            str(value)
            for op in OPERATIONS.values()
            if name in op.params
            for value in op.params[name].enum or ()
        )
    return columns[name](row)


def invalid_from_the_table() -> Iterator[tuple[Operation, dict[str, Any], str]]:
    """For each model and operation: every enum value the schema takes but the model's row does not,
    a fixed size it lacks, n one above its maximum, a prompt one character too long, stream and
    partial_images where it does not stream, and the operations it cannot do."""
    all_sizes = {size for row in MODELS.values() for size in row.sizes}
    for row in MODELS.values():
        if not row.lifecycle.available(REFERENCE_DAY):  # these tests run as of that day (conftest)
            continue
        for operation in ("generate", "edit", "variation"):
            base = {**BASE[operation], "model": row.name}
            if not row.supports(operation):
                yield operation, base, "model"
                continue
            for name, per_operation in ENUMS.items():
                if name == "size" or operation not in per_operation:
                    continue
                lacking = [value for value in per_operation[operation] if value not in _offered(row, name)]
                for value in lacking:
                    yield operation, {**base, name: value}, name
            if operation != "variation":
                for size in sorted(all_sizes - set(row.sizes)):
                    if row.custom_sizes and _fits(size, row.custom_sizes):
                        continue
                    yield operation, {**base, "size": size}, "size"
                if row.max_prompt_chars < 32000:
                    yield operation, {**base, "prompt": "p" * (row.max_prompt_chars + 1)}, "prompt"
                if not row.streams:
                    yield operation, {**base, "stream": True}, "stream"
                    yield operation, {**base, "partial_images": 1}, "partial_images"
            if row.max_n < 10:
                yield operation, {**base, "n": row.max_n + 1}, "n"


HAND_PICKED: list[tuple[Operation, dict[str, Any], str]] = [
    ("generate", {"prompt": "x", "model": "gpt-image-1", "background": "transparent", "output_format": "jpeg"}, "background"),  # noqa: E501
    ("generate", {"prompt": "x", "model": "gpt-image-1", "output_compression": 50}, "output_compression"),
    ("generate", {"prompt": "x", "model": "gpt-image-2", "size": "1000x1000"}, "size"),
    ("generate", {"prompt": "x", "model": "gpt-image-2", "size": "3840x3840"}, "size"),
    ("generate", {"prompt": "x", "quality": "hd"}, "quality"),  # no model: dall-e-2, which has no hd
    ("edit", {"prompt": "x", "model": "gpt-image-1", "image": png((32, 32)), "mask": png((16, 16))}, "mask"),
    ("edit", {"prompt": "x", "model": "dall-e-2", "image": png((64, 32))}, "image"),
    ("edit", {"prompt": "x", "model": "dall-e-2", "image": jpeg((32, 32))}, "image"),
    ("edit", {"prompt": "x", "model": "dall-e-2", "image": [png((32, 32)), png((32, 32))]}, "image"),
    ("variation", {"image": png((64, 32))}, "image"),
    ("variation", {"image": jpeg((32, 32)), "model": "dall-e-2"}, "image"),
]  # fmt: skip
INVALID = [*invalid_from_the_table(), *HAND_PICKED]


def _case_id(case: tuple[Operation, dict[str, Any], str]) -> str:
    operation, params, param = case
    value = params.get(param)
    shown = f"{len(value)} chars" if param == "prompt" else "file" if param in FILE_PARAMS else value
    return f"{operation}-{params.get('model', 'default')}-{param}={shown}"


def test_the_table_yields_invalid_cases_for_every_model() -> None:
    of_the_day = {name for name, row in MODELS.items() if row.lifecycle.available(REFERENCE_DAY)}
    assert {params.get("model") for _, params, _ in INVALID} >= of_the_day
    assert len(INVALID) > 80


@pytest.mark.parametrize("case", INVALID, ids=_case_id)
async def test_client_and_emulator_refuse_alike(case: tuple[Operation, dict[str, Any], str]) -> None:
    operation, params, param = case
    app = create_app()
    http = httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app))  # type: ignore[arg-type]
    async with wrapper.AsyncClient(
        api_key="sk-e2e", base_url="http://mock.test/v1", http_client=http, max_retries=0
    ) as client:
        method = getattr(client.images, METHODS[operation])
        with pytest.raises(wrapper.ValidationError) as refused:
            await method(**params)
        assert len(app.requests) == 0  # nothing was sent
        with pytest.raises(wrapper.BadRequestError) as answered:
            await _unchecked(method(**params, validate=False))
    assert refused.value.param == answered.value.param == param
    assert [record.status for record in app.requests] == [400]


async def _unchecked(result: Any) -> None:
    outcome = await result
    if isinstance(outcome, wrapper.AsyncStream):
        await outcome.aclose()
