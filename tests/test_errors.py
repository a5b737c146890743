"""The error tree: classes per status, fields from the error JSON, useful messages for odd bodies."""

from __future__ import annotations

import re
from pathlib import Path

import httpx2
import pytest

import wrapper
from wrapper._errors import STATUS_ERRORS, status_error

ROOT = Path(__file__).resolve().parents[1]


def answer(status: int, **kwargs: object) -> httpx2.Response:
    return httpx2.Response(status, request=httpx2.Request("POST", "https://api.test/v1/x"), **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("status", "cls"),
    [*STATUS_ERRORS.items(), (500, wrapper.InternalServerError), (599, wrapper.InternalServerError)],
)
def test_class_per_status(status: int, cls: type[wrapper.APIStatusError]) -> None:
    error = status_error(
        answer(status, json={"error": {"message": "m", "type": "t", "param": "p", "code": "c"}})
    )
    assert type(error) is cls
    assert (error.message, error.type, error.param, error.code) == ("m", "t", "p", "c")


def test_unknown_status_is_plain_status_error() -> None:
    assert type(status_error(answer(418, json={}))) is wrapper.APIStatusError


def test_html_body_gives_text_message() -> None:
    error = status_error(answer(502, text="<html><h1>Bad Gateway</h1></html>"))
    assert isinstance(error, wrapper.InternalServerError)
    assert "Bad Gateway" in str(error)
    assert error.type is None


def test_tree() -> None:
    assert issubclass(wrapper.APITimeoutError, wrapper.APIConnectionError)
    assert issubclass(wrapper.APIStatusError, wrapper.APIError)
    assert issubclass(wrapper.APIError, wrapper.WrapperError)
    assert issubclass(wrapper.ValidationError, ValueError)
    assert issubclass(wrapper.ValidationError, wrapper.BadRequestError)
    assert issubclass(wrapper.FileError, ValueError)
    assert issubclass(wrapper.StreamError, wrapper.WrapperError)


def test_a_refused_request_is_a_bad_request_with_the_api_shape() -> None:
    client = wrapper.Client(api_key="k")
    with pytest.raises(wrapper.BadRequestError) as caught:
        client.images.generate(prompt="x", model="dall-e-3", n=2)
    error = caught.value
    assert type(error) is wrapper.ValidationError
    assert isinstance(error, ValueError)
    assert (error.status_code, error.type, error.param, error.code) == (
        400,
        "invalid_request_error",
        "n",
        "invalid_value",
    )
    assert error.body == {
        "message": error.message,
        "type": "invalid_request_error",
        "param": "n",
        "code": "invalid_value",
    }
    assert (error.response, error.request, error.request_id) == (None, None, None)
    assert str(error) == error.message


def test_status_error_body_is_the_error_object_like_the_sdk() -> None:
    error = status_error(
        answer(429, json={"error": {"message": "slow", "type": "t", "param": None, "code": 7}})
    )
    assert error.body == {"message": "slow", "type": "t", "param": None, "code": 7}
    assert error.code == "7"


def test_every_api_error_has_the_official_attributes() -> None:
    request = httpx2.Request("POST", "https://api.test/v1/x")
    for error in (wrapper.APIConnectionError(request=request), wrapper.APITimeoutError(request=request)):
        assert (error.message, error.request, error.body, error.code, error.param, error.type)[1] is request


def drawn_tree(text: str) -> dict[str, str | None]:
    """Each class the first ```text block that starts with `WrapperError` draws, mapped to the class
    it hangs under: a name's parent is the nearest name above it further left; `A ── B` hangs B
    under A; `A, B` are siblings. Words in parentheses are notes, not classes."""
    block = text.split("```text\nWrapperError\n", 1)[1].split("```", 1)[0]
    parents: dict[str, str | None] = {"WrapperError": None}
    above: list[tuple[int, str]] = [(0, "WrapperError")]
    for line in block.splitlines():
        found = list(re.finditer(r"\b[A-Z]\w*Error\b", re.sub(r"\([^)]*\)", "", line)))
        if not found:
            continue
        column = found[0].start()
        while above and above[-1][0] >= column:
            above.pop()
        parent = above[-1][1]
        for match in found:
            parents[match.group()] = parent
            if line[match.end() : match.end() + 4] == " ── ":
                parent = match.group()
        above.append((column, found[0].group()))
    return parents


def test_the_services_page_draws_the_real_tree_with_every_exported_error() -> None:
    parents = drawn_tree((ROOT / "docs" / "services.md").read_text())
    for name, parent in parents.items():
        if parent is not None:
            assert issubclass(getattr(wrapper, name), getattr(wrapper, parent)), (name, parent)
    exported = {
        getattr(wrapper, name)
        for name in wrapper.__all__
        if isinstance(getattr(wrapper, name), type) and issubclass(getattr(wrapper, name), Exception)
    }
    assert exported == {getattr(wrapper, name) for name in parents}
    assert {"PreflightError", "RetiredError", "NotAnImageError"} <= parents.keys()
    assert (parents["NotAnImageError"], parents["RetiredError"]) == ("ValidationError", "NotFoundError")
