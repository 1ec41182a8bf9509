"""Uploads are refused before they are read: the role first, the declared size, a byte cap as the body streams,
a timeout on a body that stops, and limits on the header block. In process (ASGI, a streaming body whose
chunks are counted) and against a real `falsefriends serve` on loopback (raw sockets, so nothing buffers)."""

from __future__ import annotations

import json
import os
import select
import socket
import tempfile
import time
import urllib.request
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from fastapi import FastAPI

from api.conftest import bearer
from api.serving import running_serve
from falsefriends.api.roles import Role
from falsefriends.api.users import add_user, issue_token
from falsefriends.store import session_scope, upgrade

MIB = 1024 * 1024
PART = (b'--xyz\r\nContent-Disposition: form-data; name="exports"; filename="a.zip"\r\n'
        b"Content-Type: application/zip\r\n\r\n")
"""A well-formed start of a multipart body (one file part), so that a parser that reads it goes on reading."""


class Chunks:
    """A body of `total` bytes made on demand, counting how many bytes the server pulled."""

    def __init__(self, total: int, chunk: int = MIB) -> None:
        self.total = total
        self.chunk = chunk
        self.pulled = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while self.pulled < self.total:
            self.pulled += self.chunk
            yield PART + b"x" * (self.chunk - len(PART)) if self.pulled == self.chunk else b"x" * self.chunk


def _asgi_post(app: FastAPI, path: str, body: Chunks, headers: dict[str, str]) -> tuple[httpx.Response, float]:
    async def go() -> tuple[httpx.Response, float]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            started = time.perf_counter()
            response = await client.post(path, content=body.__aiter__(), headers=headers)
            return response, time.perf_counter() - started

    return anyio.run(go)


def _empty(folder: Path) -> bool:
    return not folder.exists() or not any(folder.iterdir())


def test_an_anonymous_200_mb_upload_is_refused_before_its_body_is_read(app: FastAPI, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    spool = tmp_path / "spool"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    body = Chunks(200 * MIB)
    headers = {"Content-Type": "multipart/form-data; boundary=xyz"}
    response, elapsed = _asgi_post(app, "/v1/audits", body, headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert body.pulled <= MIB, f"the server read {body.pulled:,} bytes of an anonymous upload"
    assert elapsed < 0.5
    assert _empty(spool) and _empty(tmp_path / "uploads")
    # A viewer is refused the same way (403), also before the body.
    with session_scope(app.state.engine) as session:
        add_user(session, "vera", Role.VIEWER)
        token = issue_token(session, "vera")
    body = Chunks(200 * MIB)
    response, elapsed = _asgi_post(app, "/v1/audits", body, {**headers, **bearer(token)})
    assert response.status_code == 403 and body.pulled <= MIB and elapsed < 0.5


def test_a_body_over_the_limit_is_cut_as_it_streams(make_app: Callable[..., FastAPI], tmp_path: Path) -> None:
    app = make_app(max_upload_bytes=2 * MIB)
    with session_scope(app.state.engine) as session:
        add_user(session, "ana", Role.ANALYST)
        token = issue_token(session, "ana")
    # Chunked (no Content-Length): the cap holds as the bytes arrive, in the one error shape.
    body = Chunks(50 * MIB)
    response, _ = _asgi_post(app, "/v1/audits", body,
                             {"Content-Type": "multipart/form-data; boundary=xyz", **bearer(token)})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert response.headers["connection"] == "close"
    assert body.pulled <= 4 * MIB
    assert _empty(tmp_path / "uploads")
    # Any other route: the small JSON limit, also for a body that does not say its size.
    body = Chunks(50 * MIB)
    response, _ = _asgi_post(app, "/v1/cases", body, {"Content-Type": "application/json", **bearer(token)})
    assert response.status_code == 413 and body.pulled <= 3 * MIB


# -- against a real `falsefriends serve` on loopback --------------------------------------------------------


@dataclass
class Served:
    port: int
    analyst: str
    tmp: Path
    uploads: Path



@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("limits")
    db = root / "ws.db"
    upgrade(f"sqlite:///{db}")
    from falsefriends.store import make_engine

    engine = make_engine(f"sqlite:///{db}")
    with session_scope(engine) as session:
        add_user(session, "ana", Role.ANALYST)
        token = issue_token(session, "ana")
    engine.dispose()
    spool, uploads = root / "tmp", root / "uploads"
    spool.mkdir()
    env = {**os.environ, "TMPDIR": str(spool)}
    with running_serve(db, "--upload-dir", str(uploads), "--body-timeout", "1", "--header-timeout", "1",
                       "--max-header-bytes", "16384", env=env) as port:
        yield Served(port, token, spool, uploads)


@dataclass
class Exchange:
    status: int
    headers: dict[str, str]
    body: bytes
    sent: int
    seconds: float


def _read_response(sock: socket.socket, deadline: float) -> tuple[int, dict[str, str], bytes]:
    data = b""
    while time.monotonic() < deadline:
        sock.settimeout(max(deadline - time.monotonic(), 0.01))
        try:
            piece = sock.recv(65536)
        except (TimeoutError, ConnectionResetError):
            break
        data += piece
        head, sep, rest = data.partition(b"\r\n\r\n")
        if sep:
            lines = head.decode("latin-1").split("\r\n")
            headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
            length = int(headers.get("content-length", "-1"))
            if (length >= 0 and len(rest) >= length) or not piece:  # complete, or closed by the server
                return int(lines[0].split()[1]), headers, rest[:length] if length >= 0 else rest
        if not piece:
            break
    raise AssertionError(f"no complete response before the deadline: {data[:200]!r}")


def _exchange(port: int, head: bytes, body_bytes: int = 0, stall: bool = False, limit_s: float = 10.0) -> Exchange:
    """Send `head`, then up to `body_bytes` of body as fast as the server takes them, stopping as soon as an
    answer is readable (or after 1 KiB when `stall`, then wait); returns the answer and how much was sent."""
    started = time.monotonic()
    deadline = started + limit_s
    with socket.create_connection(("127.0.0.1", port), timeout=limit_s) as sock:
        sock.sendall(head)
        sock.setblocking(False)
        chunk = PART + b"x" * (256 * 1024 - len(PART))
        sent = 0
        target = min(body_bytes, 1024) if stall else body_bytes
        while sent < target and time.monotonic() < deadline:
            readable, writable, _ = select.select([sock], [sock], [], 0.5)
            if readable:
                break
            if writable:
                try:
                    sent += sock.send(chunk[sent % len(chunk):][:target - sent])
                except (BlockingIOError, InterruptedError):
                    continue
                except (BrokenPipeError, ConnectionResetError):
                    break
        sock.setblocking(True)
        status, headers, body = _read_response(sock, deadline)
        return Exchange(status, headers, body, sent, time.monotonic() - started)


def _head(path: str, length: int | None, extra: dict[str, str] | None = None) -> bytes:
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", "Content-Type: multipart/form-data; boundary=xyz"]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    lines += [f"{k}: {v}" for k, v in (extra or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _error(exchange: Exchange) -> dict[str, Any]:
    error: dict[str, Any] = json.loads(exchange.body)["error"]
    assert set(error) == {"status", "code", "message", "details"}
    assert error["status"] == exchange.status
    return error


def test_serve_refuses_an_anonymous_200_mb_upload_at_once(served: Served) -> None:
    total = 200 * MIB
    exchange = _exchange(served.port, _head("/v1/audits", total), total)
    assert exchange.status == 401 and _error(exchange)["code"] == "unauthorized"
    assert exchange.headers.get("connection") == "close"
    assert exchange.seconds < 1.0, exchange.seconds
    # The kernel's socket buffers take a few MiB; the server itself read none of it.
    assert exchange.sent < 48 * MIB, f"{exchange.sent:,} bytes went in before the answer"
    assert _empty(served.tmp) and _empty(served.uploads)


def test_serve_refuses_an_oversize_content_length_before_reading(served: Served) -> None:
    for extra in ({}, {"Authorization": f"Bearer {served.analyst}"}):
        exchange = _exchange(served.port, _head("/v1/audits", 1024**3, extra), 0)
        assert exchange.status == 413 and _error(exchange)["code"] == "too_large"
        assert exchange.seconds < 1.0
    exchange = _exchange(served.port, _head("/v1/check", 10**12), 0)
    assert exchange.status == 413
    exchange = _exchange(served.port, _head("/v1/check", None, {"Content-Length": "12x"}), 0)
    assert exchange.status == 400


def test_serve_times_out_a_body_that_stops_early(served: Served) -> None:
    # An analyst claims 10 MB, sends 1 KiB and stops: 408 after the body timeout (1 s here), not a hang.
    head = _head("/v1/audits", 10 * MIB, {"Authorization": f"Bearer {served.analyst}"})
    exchange = _exchange(served.port, head, 10 * MIB, stall=True, limit_s=10)
    assert exchange.status == 408 and _error(exchange)["code"] == "request_timeout"
    assert 0.9 <= exchange.seconds < 4.0, exchange.seconds
    assert _empty(served.uploads)


def test_serve_limits_the_header_block(served: Served) -> None:
    # A header over the block limit (16 KiB here) is refused while it arrives, not answered after minutes.
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", served.port), timeout=5) as sock:
        sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Big: ")
        sent = 0
        try:
            while sent < 300 * MIB and time.monotonic() - started < 5:
                sent += sock.send(b"a" * 65536)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            pass
        try:
            answer = sock.recv(4096)
        except (ConnectionResetError, TimeoutError):
            answer = b""
    assert sent < 32 * MIB, f"{sent:,} bytes of one header were taken"
    assert not answer.startswith(b"HTTP/1.1 200")
    assert time.monotonic() - started < 5
    # Too many headers: 431 in the one error shape.
    many = {f"X-H{i}": "1" for i in range(150)}
    exchange = _exchange(served.port, _head("/v1/check", 2, many), 0)
    assert exchange.status == 431 and _error(exchange)["code"] == "headers_too_large"


def test_serve_closes_a_connection_whose_headers_trickle_in(served: Served) -> None:
    # One header byte every 0.2 s: each byte used to keep the connection open for ever; now the whole header
    # block must arrive within the header timeout (1 s here).
    started = time.monotonic()
    closed_after = None
    with socket.create_connection(("127.0.0.1", served.port), timeout=5) as sock:
        sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        sock.settimeout(0.2)
        while time.monotonic() - started < 8:
            try:
                sock.sendall(b"a")
                if sock.recv(1) == b"":
                    closed_after = time.monotonic() - started
                    break
            except TimeoutError:
                continue
            except (BrokenPipeError, ConnectionResetError):
                closed_after = time.monotonic() - started
                break
    assert closed_after is not None and 0.9 <= closed_after < 3, closed_after
    # A prompt request on a fresh connection is answered as usual.
    with urllib.request.urlopen(f"http://127.0.0.1:{served.port}/v1/health", timeout=5) as answer:
        assert answer.status == 200
