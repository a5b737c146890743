"""Every exception the package raises.

The tree::

    WrapperError
    ├── FileError (also a ValueError)        an image argument that cannot be read or sent
    ├── StreamError                          an event stream that broke its contract (e.g. truncated)
    ├── DownloadError                        a URL result that could not be fetched (expired, cut short,
    │                                        too slow, too large, not an image)
    └── APIError                             anything that went wrong talking to the API
        ├── APIConnectionError               no answer: DNS, refused, reset, ...
        │   └── APITimeoutError              no answer in time
        ├── APIResponseValidationError       a 2xx answer whose body is not what the spec says
        └── APIStatusError                   an answer with a 4xx/5xx status
            ├── PreflightError               refused before anything was sent (response None; also a
            │                                ValueError), and always also the class of the API's answer:
            ├── BadRequestError              400
            │   └── ValidationError          a request the model does not accept (a PreflightError)
            │       └── NotAnImageError      image bytes that are not an image (also a FileError)
            ├── AuthenticationError          401
            ├── PermissionDeniedError        403
            ├── NotFoundError                404
            │   └── UnavailableError         a model or operation not served that day (a PreflightError;
            │       └── RetiredError         `_lifecycle`): retired, or not released yet
            ├── ConflictError                409
            ├── UnprocessableEntityError     422
            ├── RateLimitError               429
            └── InternalServerError          >= 500

The API errors carry the official SDK's attributes: `message`, `request`, `body` (the API's error
object, `{"message", "type", "param", "code"}`, when it sent one) and its `type` / `param` / `code`;
status errors add `status_code`, `request_id` and the `httpx2.Response`. A request refused before
the wire is caught by the clauses that catch the API's answer to it (`except BadRequestError` for a
400, `except NotFoundError` for a 404), as with the official SDK. The class for a status comes from
`STATUS_ERRORS`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import httpx2

from ._scrub import safe_request, safe_response


class WrapperError(Exception):
    """The root of every exception raised by this package."""

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled (across processes, by error trackers) without calling __init__ again, whose
        # keyword-only arguments the default reduction cannot pass; the state is the attributes.
        return (_restored, (type(self), self.args), self.__dict__)


def _restored(cls: type[WrapperError], args: tuple[Any, ...]) -> WrapperError:
    exc = cls.__new__(cls)
    exc.args = args
    return exc


OpenAIError = WrapperError
"""The official SDK's name for the root of its exceptions: `except OpenAIError` catches every one here."""


class FileError(WrapperError, ValueError):
    """An `image` or `mask` argument that cannot be read or sent (missing path, text mode, not an image)."""

    def __init__(self, message: str, *, param: str) -> None:
        super().__init__(message)
        self.message = message
        self.param = param


class StreamError(WrapperError):
    """An event stream that ended or behaved against its contract, such as ending before completion.

    `completed` holds the completed events (whole images) that did arrive before it failed, so a
    stream of several images cut after the first loses nothing that was delivered.
    """

    def __init__(self, message: str, *, completed: tuple[Any, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.completed = completed


class DownloadError(WrapperError):
    """A URL result that could not be downloaded: expired (404/410), another error status, a
    connection refused or broken off, redirects without end, too slow, too large, or not an image
    of the expected format. `url` is the URL; `status_code` the status when the server answered."""

    def __init__(self, message: str, *, url: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.url = url
        self.status_code = status_code


class APIError(WrapperError):
    """Something went wrong talking to the API; `type`, `param` and `code` come from the error `body`."""

    def __init__(self, message: str, *, request: httpx2.Request | None = None, body: object = None) -> None:
        super().__init__(message)
        self.message = message
        # Without the key: error trackers serialise an exception with its request (see `_scrub`).
        self.request = safe_request(request) if request is not None else None
        self.body = body
        error = body if isinstance(body, Mapping) else {}
        self.type: str | None = _str_or_none(error.get("type"))
        self.param: str | None = _str_or_none(error.get("param"))
        code = error.get("code")
        self.code: str | None = str(code) if code is not None else None


class APIConnectionError(APIError):
    """The API could not be reached or did not answer."""

    def __init__(self, message: str = "Connection error.", *, request: httpx2.Request | None = None) -> None:
        super().__init__(message, request=request)


class APITimeoutError(APIConnectionError):
    """The API did not answer in time."""

    def __init__(self, message: str = "Request timed out.", *, request: httpx2.Request | None = None) -> None:
        super().__init__(message, request=request)


class APIResponseValidationError(APIError):
    """A successful answer whose body does not match the spec."""

    def __init__(self, message: str, *, response: httpx2.Response, body: object = None) -> None:
        super().__init__(message, request=response.request, body=body)
        self.response = safe_response(response, self.request)
        self.status_code = response.status_code


class APIStatusError(APIError):
    """The API answered with an error status; `body` is its error object when it sent one."""

    def __init__(self, message: str, *, response: httpx2.Response, body: object = None) -> None:
        super().__init__(message, request=response.request, body=body)
        self.response = safe_response(response, self.request)
        self.status_code = response.status_code
        self.request_id: str | None = response.headers.get("x-request-id")

    def __str__(self) -> str:
        where = f" (request id {self.request_id})" if self.request_id else ""
        return f"Error code: {self.status_code} - {self.message}{where}"


class BadRequestError(APIStatusError):
    """400: the request is invalid."""


class PreflightError(APIStatusError, ValueError):
    """A request refused before anything was sent, carrying what the API's answer would: `status_code`,
    `type`/`param`/`code` and that error object as `body`; `response`, `request`, `request_id` are None.

    Each refusal is also the class of the API's answer to the same request (`ValidationError` a
    `BadRequestError` for a 400, `_lifecycle.UnavailableError` a `NotFoundError` for a 404), so the
    `except` clauses written for the official SDK catch it; `except PreflightError` catches them all.
    """

    response: None  # type: ignore[assignment]

    def __init__(self, message: str, *, status_code: int, param: str | None, code: str | None) -> None:
        body = {"message": message, "type": "invalid_request_error", "param": param, "code": code}
        APIError.__init__(self, message, body=body)
        self.response = None
        self.status_code = status_code
        self.request_id = None

    def __str__(self) -> str:
        return self.message


class ValidationError(PreflightError, BadRequestError):
    """A request that the chosen model does not accept, caught before anything is sent.

    `param`, `value`, `model` and `allowed` say what was wrong; the message says it in one line. As a
    `BadRequestError` it carries what the API's 400 would: `status_code` 400, `type`
    "invalid_request_error", `code` "invalid_value" and that error object as `body`.
    """

    param: str

    def __init__(
        self, message: str, *, param: str, value: object = None, model: str | None = None, allowed: str = ""
    ) -> None:
        super().__init__(message, status_code=400, param=param, code="invalid_value")
        self.param = param
        self.value = value
        self.model = model
        self.allowed = allowed


class NotAnImageError(FileError, ValidationError):  # type: ignore[misc]  # `param` is a str in both
    """An image argument whose bytes are not an image: the API's 400 (code `invalid_image`), and a
    `FileError` as the other unusable image arguments are."""

    def __init__(self, message: str, *, param: str) -> None:
        ValidationError.__init__(self, message, param=param)
        self.code = "invalid_image"
        self.body = {**self.body, "code": self.code}  # type: ignore[dict-item]


class AuthenticationError(APIStatusError):
    """401: the API key is missing or not accepted."""


class PermissionDeniedError(APIStatusError):
    """403: the key may not do this."""


class NotFoundError(APIStatusError):
    """404: no such resource."""


class ConflictError(APIStatusError):
    """409: the request conflicts with the state of a resource."""


class UnprocessableEntityError(APIStatusError):
    """422: the request is well-formed but cannot be processed."""


class RateLimitError(APIStatusError):
    """429: too many requests."""


class InternalServerError(APIStatusError):
    """A 5xx: the API failed."""


STATUS_ERRORS: Mapping[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error(response: httpx2.Response, body: object = None) -> APIStatusError:
    """Build the exception for an error answer; `body` is the already-read error JSON if any.

    A body that is not the API's error JSON (an HTML page from a proxy, say) still yields the class
    for the status and a message made from the start of the text.
    """
    if body is None:
        body = _json_or_none(response)
    error = _error_object(body)
    message = _str_or_none(error.get("message")) or _text_excerpt(response) or response.reason_phrase
    cls = InternalServerError if response.status_code >= 500 else STATUS_ERRORS.get(response.status_code)
    # Like the official SDK, `body` is the error object inside `{"error": ...}`, or the body as it came.
    inner = body.get("error", body) if isinstance(body, Mapping) else body
    return (cls or APIStatusError)(message, response=response, body=inner)


def _json_or_none(response: httpx2.Response) -> object:
    try:
        return json.loads(response.content)
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: nested past the stack
        return None


def _error_object(body: object) -> Mapping[str, Any]:
    if isinstance(body, Mapping):
        error = body.get("error", body)
        if isinstance(error, Mapping):
            return error
    return {}


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _text_excerpt(response: httpx2.Response, limit: int = 200) -> str:
    try:
        text = response.text.strip()
    except (UnicodeDecodeError, httpx2.ResponseNotRead):
        return ""
    if text.startswith("<"):  # an HTML error page from a proxy: keep its words, not its markup
        text = _TAGS.sub(" ", text)
    return " ".join(text.split())[:limit]


_TAGS = re.compile(r"<[^>]*>")


def redacted(exc: BaseException, request: httpx2.Request | None = None) -> str:
    """The text of a lower-layer exception without any header value: h11 and httpx2 quote a header
    they refuse whole (`Illegal header value b'Bearer sk-...'`), and that may be the API key."""
    text = _QUOTED_HEADER.sub(r"\1 (value not shown)", str(exc))
    for name, value in request.headers.items() if request is not None else ():
        if len(value) >= 4 and name.lower() not in _SHOWN_HEADERS:
            text = text.replace(value, "***").replace(repr(value.encode())[2:-1], "***")
    return text


_QUOTED_HEADER = re.compile(
    r"(header (?:value|name|field)s?):?\s*(b?'(?:[^'\\]|\\.)*'|b?\"(?:[^\"\\]|\\.)*\")", re.IGNORECASE
)
_SHOWN_HEADERS = frozenset(
    {"host", "content-length", "content-type", "accept", "accept-encoding", "connection", "user-agent"}
)
