"""CPU-bound work off the event loop: checks run in a thread pool, a few at a time per principal.

The event loop only parses requests and writes answers; a check, a batch check or a page's check runs in
`check_threads` worker threads (RE2 and the encoder's numpy release the GIL for their heavy parts; the loop
gets the GIL back within the interpreter's switch interval, so `/v1/health` keeps answering while a batch
runs). Each principal (a user, or an anonymous client address when checks are public) may have at most
`checks_per_principal` checks queued or running; one more is refused at once with 429 and `Retry-After`.
A slot is held until the work has really finished in its thread, so a client that disconnects and retries
cannot pile work up behind the pool.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from falsefriends.api.errors import ServiceError

T = TypeVar("T")


class CheckWorkers:
    def __init__(self, threads: int, per_principal: int) -> None:
        self.executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="falsefriends-check")
        self.per_principal = per_principal
        self._running: dict[str, int] = {}
        self._lock = threading.Lock()

    def running(self, key: str) -> int:
        with self._lock:
            return self._running.get(key, 0)

    def _take(self, key: str) -> None:
        with self._lock:
            count = self._running.get(key, 0)
            if count >= self.per_principal:
                raise ServiceError(429, "too_many_requests",
                                   f"you already have {count} checks running; wait for them to finish",
                                   headers={"Retry-After": "1"})
            self._running[key] = count + 1

    def _release(self, key: str) -> None:
        with self._lock:
            count = self._running.get(key, 0) - 1
            if count > 0:
                self._running[key] = count
            else:
                self._running.pop(key, None)

    async def run(self, key: str, work: Callable[..., T], *args: Any) -> T:
        """Run `work(*args)` in the pool as `key`'s check; 429 when `key` has too many already."""
        self._take(key)
        try:
            future: Future[T] = self.executor.submit(work, *args)
        except BaseException:
            self._release(key)
            raise
        future.add_done_callback(lambda _: self._release(key))
        return await asyncio.wrap_future(future)

    def shutdown(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)
