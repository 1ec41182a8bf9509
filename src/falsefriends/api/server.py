"""The HTTP protocol `falsefriends serve` runs: uvicorn's h11 with a deadline on each request's header block.

uvicorn bounds the size of a header block (`h11_max_incomplete_event_size`) but not the time it takes to
arrive: its keep-alive timer starts only after a response and any byte cancels it, so a client could send one
header byte every few seconds for ever and hold a connection. Here every request's headers (the first on a new
connection, and each next one on a kept-alive connection) must be complete within `header_timeout_s`
(`FALSEFRIENDS_HEADER_TIMEOUT_S`, default 10 s), else the connection is closed.
"""

from __future__ import annotations

import asyncio
import gc
import os
import sys
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_TIMEOUT_ENV = "FALSEFRIENDS_HEADER_TIMEOUT_S"
DEFAULT_HEADER_TIMEOUT_S = 10.0
PROTOCOL = "falsefriends.api.server:HeaderDeadlineH11"
"""What `serve` gives uvicorn as `http` (a string, so worker processes import it too)."""


DEFAULT_GC_GEN0_THRESHOLD = 10_000
"""Allocations between two young-generation collections in a serving process (Python's default is 700)."""

_serving = False


def tune_interpreter(switch_interval_ms: float, gc_gen0_threshold: int = DEFAULT_GC_GEN0_THRESHOLD) -> None:
    """Tune the interpreter of a process that serves requests (`serve` calls it before the app is built).

    - The switch interval: a thread running Python hands the interpreter over every `switch_interval_ms`
      (default 0.5 ms) rather than Python's 5 ms. The event loop needs the interpreter only briefly per
      request, but while a check thread runs Python it waits up to the switch interval for it, each time it
      wants it, so with Python's default a request could wait several times 5 ms before its answer was written.
    - The garbage collector: a young-generation collection every `gc_gen0_threshold` allocations (10,000)
      rather than 700, so a request meets about one in fifteen of the collections it met before; each one
      stops every thread. With it, the app built in this process runs one check before taking requests and
      then freezes what it loaded (`freeze_loaded`), so that a full collection no longer walks the rules,
      the encoder and the watchlist (135,000-160,000 objects: 100-400 ms under load, every thread
      stopped), only what the requests made since.
    """
    global _serving
    sys.setswitchinterval(switch_interval_ms / 1000)
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(gc_gen0_threshold, older, oldest)
    _serving = True


def serving_process() -> bool:
    """Whether `tune_interpreter` ran in this process (a `serve` process, not a test or a library user)."""
    return _serving


def freeze_loaded() -> int:
    """Collect once, then move every object alive now into the collector's permanent generation, which later
    collections skip (objects loaded once per process: modules, rules, the encoder, the checker). They are
    still freed by reference counting; only cycles among them would stay. Returns the objects frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


class HeaderDeadlineH11(H11Protocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        try:
            self.header_timeout_s = float(os.environ.get(HEADER_TIMEOUT_ENV, DEFAULT_HEADER_TIMEOUT_S))
        except ValueError:
            self.header_timeout_s = DEFAULT_HEADER_TIMEOUT_S
        self._header_deadline: asyncio.TimerHandle | None = None

    def _arm(self) -> None:
        self._disarm()
        self._header_deadline = self.loop.call_later(self.header_timeout_s, self._headers_too_slow)

    def _disarm(self) -> None:
        if self._header_deadline is not None:
            self._header_deadline.cancel()
            self._header_deadline = None

    def _headers_too_slow(self) -> None:
        self._header_deadline = None
        if not self.transport.is_closing():
            self.logger.warning("closed a connection whose request headers took over %.0f s", self.header_timeout_s)
            self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:  # the request line and headers are complete
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
            self._arm()  # waiting for the next request on a kept-alive connection

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)
