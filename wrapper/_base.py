"""Everything the sync and async clients share that does no I/O.

`BaseClient` reads the configuration, turns a method call into a `Call` (in `_calls`: files
prepared, request validated, the body built) and decides about retries. `Client` and `AsyncClient`
in `_client.py` only send.
"""

from __future__ import annotations

import functools
import importlib.metadata
import inspect
import os
import platform
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Final, Generic, Self, TypeVar

import httpx2

from . import _retry, _telemetry
from ._download import Downloader
from ._errors import APIConnectionError, APITimeoutError, WrapperError, redacted
from ._http import (
    OWN_POOL_LIMITS,
    DefaultAsyncHttpxClient,
    DefaultHttpxClient,
    checked_http_client,
    timeout_of,
)
from ._lazy import lazy
from ._scrub import scrubbed, shown_url
from ._types import DEFAULT_TIMEOUT, NOT_GIVEN, NotGiven, Timeout

if TYPE_CHECKING:
    from images_api.types import RequestOptions

    from . import _calls, _lifecycle
    from ._calls import Call
    from ._spec import Operation
else:
    # Loaded on the first request: constructing a client needs neither (see `_lazy`).
    _calls = lazy("wrapper._calls", globals(), "_calls")
    _lifecycle = lazy("wrapper._lifecycle", globals(), "_lifecycle")

DEFAULT_BASE_URL: Final = "https://api.openai.com/v1"


KeyProvider = Callable[[], str] | Callable[[], Awaitable[str]]
"""`api_key` as a function, called before each request (a coroutine function for the async client)."""
ApiKey = str | KeyProvider

HttpT = TypeVar("HttpT", httpx2.Client, httpx2.AsyncClient)


class BaseClient(Generic[HttpT]):
    """Configuration and request preparation shared by `Client` and `AsyncClient`.

    `api_key` defaults to `OPENAI_API_KEY`, `base_url` to `OPENAI_BASE_URL` or the public API,
    `organization` and `project` to `OPENAI_ORG_ID` and `OPENAI_PROJECT_ID` (sent as the
    `OpenAI-Organization` / `OpenAI-Project` headers); `default_query` is added to every request's
    query string. Pass `http_client` (an `httpx2.Client` / `httpx2.AsyncClient`, e.g. with a custom
    transport) to control connections; its base URL is set to `base_url`, and the client closes it
    when closed. The arguments are the official SDK's, plus `default_model`, `validate` and `as_of`:
    the day whose API requests are checked against (a `date` or `YYYY-MM-DD`; by default today, see
    `wrapper._lifecycle`), so that a model or operation retired by then is refused before the wire.
    `api_key` may be a function (a coroutine function for the async client) called before each
    request. `admin_api_key` (`OPENAI_ADMIN_KEY`), `webhook_secret` (`OPENAI_WEBHOOK_SECRET`),
    `websocket_base_url` and `_strict_response_validation` are accepted as the SDK accepts them and do
    nothing for image requests (answers are always checked against the spec).
    """

    _http_class: ClassVar[type[httpx2.Client] | type[httpx2.AsyncClient]]
    """What `http_client` must be."""
    _default_http_class: ClassVar[type[DefaultHttpxClient] | type[DefaultAsyncHttpxClient]]
    """What the client makes when given none."""
    images: Any
    _base_url: str
    _base: httpx2.URL
    _urls: dict[str, httpx2.URL]
    """Each operation's path, resolved against the base URL once (`_http_request`)."""

    def __init__(
        self,
        api_key: ApiKey | None = None,
        base_url: str | None = None,
        *,
        organization: str | None = None,
        project: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int = 2,
        default_model: str | None = None,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: HttpT | None = None,
        validate: bool = True,
        as_of: _lifecycle.AsOf = None,
        admin_api_key: str | None = None,
        webhook_secret: str | None = None,
        websocket_base_url: str | httpx2.URL | None = None,
        _strict_response_validation: bool = False,
    ) -> None:
        checked_max_retries(max_retries)
        # Accepted as the official SDK accepts them (and read from the same variables); image requests
        # use none of them, and results are always checked against the spec (see `_results`).
        self.admin_api_key = (
            admin_api_key if admin_api_key is not None else os.environ.get("OPENAI_ADMIN_KEY")
        )
        self.webhook_secret = (
            webhook_secret if webhook_secret is not None else os.environ.get("OPENAI_WEBHOOK_SECRET")
        )
        self.websocket_base_url = websocket_base_url
        self._strict_response_validation = _strict_response_validation
        self._api_key_provider: KeyProvider | None = api_key if callable(api_key) else None
        """A function giving the key, called before each request (the official SDK's `api_key=` callable)."""
        if self._api_key_provider is not None:
            self._api_key = ""  # read before the first request (`_use_key`)
        else:
            raw_key = api_key if isinstance(api_key, str) else os.environ.get("OPENAI_API_KEY")
            self._api_key = _checked_key(raw_key)
        self.base_url = base_url or os.environ.get("OPENAI_BASE_URL") or DEFAULT_BASE_URL
        self.organization = organization if organization is not None else os.environ.get("OPENAI_ORG_ID")
        self.project = project if project is not None else os.environ.get("OPENAI_PROJECT_ID")
        if http_client is not None:
            checked_http_client(http_client, self._http_class)
        if isinstance(timeout, NotGiven):
            timeout = timeout_of(http_client) if http_client is not None else DEFAULT_TIMEOUT
        self.timeout: Timeout = timeout
        self.max_retries = max_retries
        self.default_model = default_model
        self.default_headers = dict(default_headers or {})
        self.default_query = dict(default_query or {})
        self.validate = validate
        self.as_of = _lifecycle.as_of_date(as_of) if as_of is not None else None
        """The day requests are checked as of; None: `_lifecycle.default_as_of()` at each call."""
        self._headers = self._auth_headers()
        self._client_defaults: tuple[Mapping[str, str] | None, Timeout]
        """The headers and timeout the httpx2 client sends by default: this client's own when it made the
        httpx2 client; only the timeout of a given one (its headers are never changed: it may be shared
        with requests to other hosts, which must not get the key)."""
        if http_client is None:
            http_client = self._own_http(timeout)
            self._client_defaults = (self._headers, timeout)
        else:
            self._client_defaults = (None, http_client.timeout)
        self._http: HttpT = http_client
        self._http.base_url = self._base
        # URL results download through the same pool, without the headers this client sends the API.
        self._downloader = Downloader(self._http, frozenset(name.lower() for name in self._headers))
        self.images = self._resources()

    def _http_request(self, call: Call) -> httpx2.Request:
        """The httpx2 request of `call`, from the generated request builder, at the operation's URL
        resolved against the base URL once: given the path, httpx2 would parse both URLs again on every
        request, which costs a plain call more than all of the wrapper's own work on it."""
        kwargs = call.request_kwargs()
        path = kwargs["url"]
        url = self._urls.get(path)
        if url is None:
            url = self._urls[path] = self._resolve(path)
        kwargs["url"] = url
        request = self._http.build_request(**kwargs)
        if call.telemetry is not None:
            call.telemetry.sent(request)
        return request

    def _resolve(self, path: str) -> httpx2.URL:
        """`path` (relative, as the generated builders give it) against this client's base URL, the
        way httpx2 merges a path with its `base_url`: every request of this client goes there, also
        when the httpx2 client is shared with a copy that has another base URL."""
        base = self._base
        return base.copy_with(raw_path=base.raw_path + path.lstrip("/").encode("ascii"))

    @property
    def base_url(self) -> str:
        """Where requests go (`https://api.openai.com/v1` by default). Setting it redirects this
        client's later requests, as in the official SDK; copies keep their own."""
        return self._base_url

    @base_url.setter
    def base_url(self, value: str) -> None:
        self._base_url = str(value)
        base = httpx2.URL(self._base_url)
        self._base = base if base.raw_path.endswith(b"/") else base.copy_with(raw_path=base.raw_path + b"/")
        self._urls = {}

    def _own_http(self, timeout: Timeout) -> HttpT:
        """The httpx2 client this client makes when given none: the official SDK's defaults (pool
        limits, redirects followed), sending this client's headers and timeout by default."""
        http = self._default_http_class(timeout=timeout, headers=self._headers, limits=OWN_POOL_LIMITS)
        return http  # type: ignore[return-value]

    def _resources(self) -> Any:
        """The `images` resource of this twin."""
        raise NotImplementedError

    def __repr__(self) -> str:
        base_url = shown_url(self.base_url)  # a password in the base URL is not shown
        return f"{type(self).__name__}(base_url={base_url!r}, default_model={self.default_model!r})"

    @property
    def api_key(self) -> str:
        """The API key in use (never shown in a repr, a log line or an exception)."""
        return self._api_key

    def _auth_headers(self) -> dict[str, str]:
        """The headers every request carries: the key, organization and project, then the caller's
        defaults, which override them whatever their case (as in the official SDK)."""
        own = {"User-Agent": user_agent(), "Authorization": f"Bearer {self._api_key}"}
        if self.organization is not None:
            own["OpenAI-Organization"] = self.organization
        if self.project is not None:
            own["OpenAI-Project"] = self.project
        return merged_headers(own, self.default_headers)

    def copy(
        self,
        *,
        api_key: ApiKey | None = None,
        organization: str | None = None,
        project: str | None = None,
        base_url: str | httpx2.URL | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        http_client: HttpT | None = None,
        max_retries: int | NotGiven = NOT_GIVEN,
        default_headers: Mapping[str, str] | None = None,
        set_default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        set_default_query: Mapping[str, object] | None = None,
        default_model: str | NotGiven | None = NOT_GIVEN,
        validate: bool | NotGiven = NOT_GIVEN,
        as_of: _lifecycle.AsOf | NotGiven = NOT_GIVEN,
    ) -> Self:
        """A copy with some options changed, as the official SDK's `copy` / `with_options`: e.g.
        `client.with_options(max_retries=0).images.generate(...)`. It shares the connection pool, also
        with another `base_url` (every request goes to an absolute URL, so copies for many hosts open
        no pool each, which nothing would close); `default_headers` / `default_query` are merged into the
        current ones, `set_default_headers` / `set_default_query` replace them."""
        if default_headers is not None and set_default_headers is not None:
            raise ValueError(
                "The `default_headers` and `set_default_headers` arguments are mutually exclusive"
            )
        if default_query is not None and set_default_query is not None:
            raise ValueError("The `default_query` and `set_default_query` arguments are mutually exclusive")
        clone = object.__new__(type(self))
        clone.__dict__.update(self.__dict__)
        if api_key:
            clone._api_key_provider = api_key if callable(api_key) else None
            clone._api_key = "" if callable(api_key) else _checked_key(api_key)
        clone.organization = organization or self.organization
        clone.project = project or self.project
        clone.timeout = self.timeout if isinstance(timeout, NotGiven) else timeout
        clone.max_retries = self.max_retries if isinstance(max_retries, NotGiven) else max_retries
        checked_max_retries(clone.max_retries)
        clone.default_model = self.default_model if isinstance(default_model, NotGiven) else default_model
        clone.validate = self.validate if isinstance(validate, NotGiven) else validate
        if not isinstance(as_of, NotGiven):
            clone.as_of = _lifecycle.as_of_date(as_of) if as_of is not None else None
        clone.default_headers = _merged(self.default_headers, default_headers, set_default_headers)
        clone.default_query = _merged(self.default_query, default_query, set_default_query)
        clone._headers = clone._auth_headers()
        if base_url is not None or http_client is not None:
            clone._rebase(str(base_url or self.base_url), http_client)
        clone.images = clone._resources()
        return clone

    with_options = copy

    def _rebase(self, base_url: str, http_client: HttpT | None) -> None:
        """Point a copy at another base URL or httpx2 client without changing the original's: the
        shared pool's own base URL is left alone (`_resolve` makes every request's URL absolute)."""
        self.base_url = base_url
        if http_client is None:
            return
        checked_http_client(http_client, self._http_class)
        self._client_defaults = (None, http_client.timeout)
        self._http = http_client
        self._http.base_url = self._base

    def _build(self, operation: Operation, params: Mapping[str, Any], **options: Any) -> Call:
        """Prepare files, validate, and build the request body: all before any I/O (`_calls.build`,
        whose keyword arguments are the per-call options: timeout, extra_headers, ...)."""
        if self._api_key_provider is not None:
            self._use_key(self._api_key_provider())
        telemetry = _telemetry.start(self, operation, params)
        if telemetry is None:
            return _calls.build(self, operation, params, **options)
        return telemetry.build(lambda: _calls.build(self, operation, params, **options))

    async def _abuild(self, operation: Operation, params: Mapping[str, Any], **options: Any) -> Call:
        """`_build` for async code: file headers are read off the event loop (`_calls.abuild`)."""
        if self._api_key_provider is not None:
            key = self._api_key_provider()
            self._use_key(await key if inspect.isawaitable(key) else key)
        telemetry = _telemetry.start(self, operation, params)
        if telemetry is None:
            return await _calls.abuild(self, operation, params, **options)
        return await telemetry.abuild(_calls.abuild(self, operation, params, **options))

    def _use_key(self, key: object) -> None:
        """Take the key a provider gave (checked as a given one is) for this and later requests."""
        checked = _checked_key(key if isinstance(key, str) else None)
        if checked != self._api_key:
            self._api_key = checked
            self._headers = self._auth_headers()

    def _options(
        self,
        timeout: Timeout | NotGiven,
        extra_headers: Mapping[str, str] | None,
        extra_body: Mapping[str, object] | None,
        *,
        stream: bool,
    ) -> RequestOptions:
        # Headers and timeout the httpx2 client already sends by default are not repeated per request
        # (merging them costs more than the rest of the wrapper's work on a call).
        defaults = self._client_defaults
        options: RequestOptions = {}
        if extra_headers or stream:
            accept = {"Accept": "text/event-stream"} if stream else {}
            options["headers"] = merged_headers(accept, self._headers, extra_headers or {})
        elif defaults[0] is not self._headers:  # a given httpx2 client: ours, already merged
            options["headers"] = self._headers
        chosen = self.timeout if isinstance(timeout, NotGiven) else timeout
        if chosen is not defaults[1]:
            options["timeout"] = chosen
        if extra_body:
            options["extra_body"] = extra_body
        return options

    def _retry_delay(
        self, attempt: int, request: httpx2.Request | None, response: httpx2.Response | None, reason: str
    ) -> float | None:
        """Seconds to wait before the next try, or None to give up (logged either way)."""
        status = response.status_code if response is not None else None
        headers = response.headers if response is not None else None
        if attempt >= self.max_retries or not _retry.should_retry(status, headers):
            _retry.log_give_up(request, reason)
            return None
        retry_after = _retry.parse_retry_after(headers) if headers else None
        delay = _retry.retry_delay(attempt, retry_after)
        if delay is None:
            _retry.log_give_up(request, f"{reason}: the server asks to wait {retry_after:.0f}s, over the cap")
            return None
        _retry.log_retry(request, attempt, delay, reason)
        return delay


def _checked_key(key: str | None) -> str:
    """The key without the whitespace around it (a key read from a file ends with a newline); one
    with a control or non-ASCII character inside cannot go into a header and is refused without
    being shown (httpx2 would fail on it at the first request, quoting it)."""
    key = (key or "").strip()
    if not key:
        raise WrapperError("no API key: pass api_key=... or set the OPENAI_API_KEY environment variable")
    position = next((i for i, char in enumerate(key) if not 32 <= ord(char) < 127), None)
    if position is not None:
        kind = "a control" if ord(key[position]) < 32 or ord(key[position]) == 127 else "a non-ASCII"
        raise WrapperError(
            f"the API key has {kind} character at position {position} of {len(key)}; "
            "a key is one line of printable ASCII characters (check the file or variable it came from)"
        )
    return key


@functools.cache
def user_agent() -> str:
    """Who is calling, honestly: `images-client/<version> httpx2/<version> Python/<version>` (the API's
    logs and the proxies between see it; httpx2's own default would name httpx2 only)."""
    try:
        version = importlib.metadata.version("images-client")
    except importlib.metadata.PackageNotFoundError:  # run from a source tree without installing
        version = "unknown"
    return f"images-client/{version} httpx2/{httpx2.__version__} Python/{platform.python_version()}"


def merged_headers(*layers: Mapping[str, str]) -> dict[str, str]:
    """Header layers merged case-insensitively, a later layer's value (and spelling) winning: a plain
    dict merge would send `Authorization` and `authorization` both."""
    merged: dict[str, tuple[str, str]] = {}
    for layer in layers:
        for name, value in layer.items():
            merged[name.lower()] = (name, value)
    return dict(merged.values())


def checked_max_retries(value: object) -> None:
    """Refuse what the official SDK refuses, when the client is made rather than on its first call."""
    if value is None:
        raise TypeError("max_retries cannot be None: use 0 to disable retries, or a larger number")
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"max_retries must be a non-negative integer, not {type(value).__name__}")
    if value < 0:
        raise ValueError(f"max_retries must be a non-negative integer, not {value}")


def _merged(
    current: dict[str, Any], add: Mapping[str, Any] | None, replace: Mapping[str, Any] | None
) -> dict[str, Any]:
    if add is not None:
        return {**current, **add}
    return dict(replace) if replace is not None else current


def request_of(exc: httpx2.TransportError) -> httpx2.Request | None:
    try:
        return exc.request
    except RuntimeError:  # raised by httpx2 when the error has no request
        return None


def connection_error(exc: httpx2.TransportError) -> APIConnectionError:
    """The wrapper's exception for an httpx2 transport failure (which it is raised from, so that
    failure's request loses its key too)."""
    text = redacted(exc, request_of(exc))  # every header value of the request sent kept out
    request = request_of(scrubbed(exc))
    if isinstance(exc, httpx2.TimeoutException):
        return APITimeoutError(request=request)
    message = f"Connection error: {type(exc).__name__}: {text}"
    if request is not None:  # where it tried: scheme, host, port and path (no credentials, no query)
        url = request.url
        message += f" ({request.method} {url.scheme}://{url.netloc.decode().rpartition('@')[2]}{url.path})"
    return APIConnectionError(message, request=request)


def describe(response: httpx2.Response | None, exc: BaseException | None = None) -> str:
    if response is not None:
        return f"status {response.status_code}"
    return type(exc).__name__ if exc is not None else "an error"
