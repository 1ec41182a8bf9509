"""The one error shape of the service, for every error: 4xx, 422 validation, 404 routing, 500.

    {"error": {"status": 404, "code": "not_found", "message": "no rule with id 'x'", "details": []}}

`details` lists `{"loc": "body.text", "message": "..."}` items for validation errors. Browser pages get the
same fields rendered as an HTML page; everything else (the /v1 API, unknown paths) gets the JSON.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)


class ErrorDetail(BaseModel):
    """One problem of a request: where (`loc`, dotted) and what."""

    loc: str = ""
    message: str


class ErrorBody(BaseModel):
    status: int
    code: str
    message: str
    details: list[ErrorDetail] = Field(default_factory=list)


class ErrorResponse(BaseModel):
    """The body of every error response."""

    error: ErrorBody


class ServiceError(Exception):
    """An error the service reports on purpose, with a stable machine-readable `code`."""

    def __init__(self, status: int, code: str, message: str, details: list[ErrorDetail] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details or []
        self.headers = headers


def not_found(message: str) -> ServiceError:
    return ServiceError(404, "not_found", message)


def conflict(message: str) -> ServiceError:
    return ServiceError(409, "conflict", message)


def bad_request(message: str, details: list[ErrorDetail] | None = None) -> ServiceError:
    return ServiceError(400, "bad_request", message, details)


_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
          408: "request_timeout", 409: "conflict", 413: "too_large", 422: "invalid_request",
          429: "too_many_requests", 431: "headers_too_large", 500: "internal_error"}


def code_for(status: int) -> str:
    return _CODES.get(status, "error")


def error_body(status: int, code: str, message: str, details: list[ErrorDetail] | None = None) -> dict[str, Any]:
    return ErrorResponse(error=ErrorBody(status=status, code=code, message=message,
                                         details=details or [])).model_dump()


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": HTTPStatus(status).phrase}
    for status in (400, 401, 403, 404, 409, 413, 422, 500)
}
"""Documented in the OpenAPI schema for every route."""


def _wants_html(request: Request) -> bool:
    path = request.url.path
    if path.startswith("/v1/") or path == "/v1" or path.startswith("/static/"):
        return False
    return "text/html" in request.headers.get("accept", "")


def _respond(request: Request, status: int, code: str, message: str, details: list[ErrorDetail] | None = None,
             headers: dict[str, str] | None = None) -> Response:
    if _wants_html(request):
        render = getattr(request.app.state, "render_error", None)
        if render is not None:
            response: Response = render(request, status, code, message)
            if headers:
                response.headers.update(headers)
            return response
    return JSONResponse(error_body(status, code, message, details), status_code=status, headers=headers)


def _validation_details(exc: RequestValidationError) -> list[ErrorDetail]:
    out = []
    for err in exc.errors()[:20]:
        loc = ".".join(str(p) for p in err.get("loc", ()))
        out.append(ErrorDetail(loc=loc, message=str(err.get("msg", "invalid"))))
    return out


def install_error_handlers(app: FastAPI) -> None:
    """Route every exception through the one error shape."""

    @app.exception_handler(ServiceError)
    async def _service_error(request: Request, exc: ServiceError) -> Response:
        return _respond(request, exc.status, exc.code, exc.message, exc.details, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        status = exc.status_code
        message = exc.detail if isinstance(exc.detail, str) else HTTPStatus(status).phrase
        if status == 404 and message == "Not Found":
            message = f"no such path: {request.url.path}"
        headers = dict(exc.headers) if exc.headers else None
        return _respond(request, status, code_for(status), message, None, headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        details = _validation_details(exc)
        return _respond(request, 422, "invalid_request", "the request is not valid: see details", details)

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        # The exception text may hold hostile input or internals: log it, do not echo it.
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return _respond(request, 500, "internal_error", "internal error; the operator's log has the details")
