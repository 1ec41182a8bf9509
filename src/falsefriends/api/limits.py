"""Request limits enforced before and while a body arrives, for every route (pure ASGI middleware).

- **Header count**: more than `max_headers` request headers is refused with 431 (the server itself refuses a
  header block larger than `max_header_bytes`, see `falsefriends serve`).
- **Declared size first**: a `Content-Length` above the route's ceiling is refused with 413 before one byte of
  the body is read; a malformed one with 400.
- **Streaming cap**: the bytes are counted as they arrive, so a chunked body (no `Content-Length`) or one that
  lies about its size is cut at the ceiling with 413, whatever the route does with it.
- **Slow bodies**: waiting more than `body_timeout_s` for the next piece of a body ends the request with 408.

Every refusal is in the one error shape and closes the connection (`Connection: close`), so the server stops
reading what the client still sends. The ceiling is per path: uploads (`POST /v1/audits`, the audits page) get
`max_upload_bytes`, the routes that read a large body themselves get their own limit, everything else
`max_json_bytes`. Routes keep their own, finer limits; this one is the backstop that holds before them.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from falsefriends.api.errors import error_body

MULTIPART_SLACK = 1024 * 1024
"""Room for the multipart boundaries and small form fields beside the uploaded files."""


class _Refused(Exception):
    """Raised into the application from `receive` when the body breaks a limit."""


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value)
    return None


async def send_error(send: Send, status: int, code: str, message: str, close: bool = True,
                     headers: Mapping[str, str] | None = None) -> None:
    """Send an error in the one shape straight from ASGI (no request object needed)."""
    body = json.dumps(error_body(status, code, message)).encode("utf-8")
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if close:
        raw.append((b"connection", b"close"))
    for key, value in (headers or {}).items():
        raw.append((key.lower().encode("latin-1"), value.encode("latin-1")))
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body, "more_body": False})


class RequestLimits:
    """Header count, declared and streamed body size, and body timeout; see the module docstring."""

    def __init__(self, app: ASGIApp, *, default_limit: int, limits: Mapping[str, int], max_headers: int,
                 body_timeout_s: float) -> None:
        self.app = app
        self.default_limit = default_limit
        self.limits = dict(limits)
        self.max_headers = max_headers
        self.body_timeout_s = body_timeout_s

    def limit_for(self, path: str) -> int:
        return self.limits.get(path.rstrip("/") or "/", self.default_limit)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if len(scope.get("headers", ())) > self.max_headers:
            await send_error(send, 431, "headers_too_large",
                             f"the request has more than {self.max_headers} headers")
            return
        limit = self.limit_for(str(scope.get("path", "")))
        declared_raw = _header(scope, b"content-length")
        if declared_raw is not None:
            declared = declared_raw.strip()
            if not declared.isdigit() or len(declared) > 18:
                await send_error(send, 400, "bad_request", "the Content-Length header is not a number")
                return
            if int(declared) > limit:
                await send_error(send, 413, "too_large", f"the body is more than the limit of {limit:,} bytes")
                return
        expects_body = (declared_raw is not None and int(declared_raw.strip()) > 0) or \
            _header(scope, b"transfer-encoding") is not None
        await _Guard(self, scope, receive, send, limit, expects_body).run()


class _Guard:
    """One request's byte count, timeout and response state."""

    def __init__(self, limits: RequestLimits, scope: Scope, receive: Receive, send: Send, limit: int,
                 expects_body: bool) -> None:
        self.limits = limits
        self.scope = scope
        self.inner_receive = receive
        self.inner_send = send
        self.limit = limit
        self.body_done = not expects_body
        self.received = 0
        self.problem: tuple[int, str, str] | None = None
        self.started = False

    async def receive(self) -> Message:
        if self.problem is not None:
            raise _Refused(self.problem[2])
        if self.body_done:
            return await self.inner_receive()
        try:
            # asyncio's own deadline (one timer): anyio's cancel scope cost several times more on every request
            async with asyncio.timeout(self.limits.body_timeout_s):
                message = await self.inner_receive()
        except TimeoutError:
            self.problem = (408, "request_timeout",
                            f"the body did not arrive: nothing for {self.limits.body_timeout_s:g} s")
            raise _Refused(self.problem[2]) from None
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            if self.received > self.limit:
                self.problem = (413, "too_large", f"the body is more than the limit of {self.limit:,} bytes")
                raise _Refused(self.problem[2])
            if not message.get("more_body", False):
                self.body_done = True
        else:
            self.body_done = True
        return message

    async def send(self, message: Message) -> None:
        if self.problem is not None and not self.started:
            return  # the application's answer to the refused body is replaced by ours
        if message["type"] == "http.response.start":
            self.started = True
            if not self.body_done:
                # Answered before the body was read (e.g. 401): close, so the server stops reading the rest.
                headers: list[Any] = list(message.get("headers", []))
                if not any(k.lower() == b"connection" for k, _ in headers):
                    headers.append((b"connection", b"close"))
                message["headers"] = headers
        await self.inner_send(message)

    async def run(self) -> None:
        try:
            await self.limits.app(self.scope, self.receive, self.send)
        except Exception:
            if self.problem is None:
                raise
        if self.problem is not None and not self.started:
            self.started = True
            status, code, text = self.problem
            await send_error(self.inner_send, status, code, text)
