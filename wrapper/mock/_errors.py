"""Error answers in the API's shape: `{"error": {"message", "type", "param", "code"}}`."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .._errors import PreflightError

# The `type` the API gives each status; anything else is an invalid request.
_TYPES = {401: "invalid_request_error", 429: "rate_limit_error", 500: "server_error", 503: "server_error"}


class APIErrorResponse(Exception):
    """Raised anywhere inside a handler to answer with an error JSON document."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        param: str | None = None,
        code: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.param = param
        self.code = code
        self.headers = dict(headers or {})

    @classmethod
    def invalid(cls, exc: PreflightError) -> APIErrorResponse:
        """The answer to a request that `validate_request` rejected: 400 invalid_value, or the 404 of
        a retired model (model_not_found) or operation."""
        return cls(exc.status_code, exc.message, param=exc.param, code=exc.code)

    def response(self) -> Response:
        return error_response(
            self.status, self.message, param=self.param, code=self.code, headers=self.headers
        )


def error_response(
    status: int,
    message: str,
    *,
    param: str | None = None,
    code: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """An error answer; `type` follows from the status."""
    error = {
        "message": message,
        "type": _TYPES.get(status, "invalid_request_error"),
        "param": param,
        "code": code,
    }
    return JSONResponse({"error": error}, status_code=status, headers=headers)


async def http_exception(request: Request, exc: Exception) -> Response:
    """Starlette's own 404/405 answers, in the API's shape and with their headers (`Allow`); a 404
    says which URL, as the API does."""
    assert isinstance(exc, HTTPException)
    detail = exc.detail
    base = getattr(request.app, "base_path", "")
    path = request.url.path
    if exc.status_code == 404 and base and not path.startswith((base + "/", "/files/")):
        # The usual slip: a base URL without its /v1, so every call misses every route.
        origin = f"{request.url.scheme}://{request.url.netloc}"
        detail = f"Not Found: {path}; the API is served under {base}, so the base URL is {origin}{base}"
    elif exc.status_code == 404 and detail == "Not Found":
        detail = f"Invalid URL ({request.method} {path})"
    return error_response(exc.status_code, detail, headers=exc.headers)


async def api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, APIErrorResponse)
    return exc.response()
