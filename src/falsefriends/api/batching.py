"""One forward pass for the sentences of concurrent checks: `BatchingEncoder` wraps the sentence encoder.

The service checks in several threads at once. Each check encodes its own message's sentences, and the
encoder runs one pass at a time, so without this wrapper concurrent checks queue for it and each pays a
pass of its own. Here a check that finds the encoder free encodes at once (no waiting window: alone, it
costs what it did before); checks that arrive while a pass runs leave their texts in a queue, and when
the pass ends one of them encodes everything queued in one call (numpy's matrix products cost far less
per row in one large batch than in many small ones) and hands each waiting check its own rows.

A failure is kept to the check that caused it: when a combined call raises, each queued request is
encoded again on its own, so only the requests that fail alone get the exception.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np

from falsefriends.detect.semantic.encoder import Encoder

MAX_BATCH_TEXTS = 512
"""Most texts one combined call takes; more waiting requests go in the next call."""


class _Request:
    __slots__ = ("done", "error", "lead", "result", "texts")

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        self.done = threading.Event()
        self.lead = False
        self.result: np.ndarray | None = None
        self.error: BaseException | None = None


class BatchingEncoder:
    """An `Encoder` that combines the `encode` calls of concurrent threads into few calls of `inner`."""

    def __init__(self, inner: Encoder, max_batch_texts: int = MAX_BATCH_TEXTS) -> None:
        self.inner = inner
        self.id = inner.id
        self.max_batch_texts = max_batch_texts
        self._lock = threading.Lock()
        self._queue: list[_Request] = []
        self._busy = False
        self.calls = 0
        """Combined calls made to `inner` (for tests and benchmarks)."""
        self.requests = 0
        """`encode` calls answered."""

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors for `texts` (one row each), as `inner.encode(texts)` gives them."""
        request = _Request(list(texts))
        if not request.texts:
            return np.asarray(self.inner.encode([]), dtype=np.float32)
        with self._lock:
            self.requests += 1
            if self._busy:
                self._queue.append(request)
            else:
                self._busy = True
                request.lead = True
        if not request.lead:
            request.done.wait()
        if request.lead and request.result is None and request.error is None:
            self._lead(request)
        if request.error is not None:
            raise request.error
        assert request.result is not None
        return request.result

    def _lead(self, first: _Request) -> None:
        """Encode `first` with what is queued now, then pass the lead to the next waiting request."""
        with self._lock:
            batch, size = [first], len(first.texts)
            while self._queue and size + len(self._queue[0].texts) <= self.max_batch_texts:
                size += len(self._queue[0].texts)
                batch.append(self._queue.pop(0))
        try:
            self._run(batch)
        finally:
            for request in batch:
                if request.result is None and request.error is None:  # interrupted (e.g. KeyboardInterrupt)
                    request.error = RuntimeError("the sentence encoder stopped before answering")
            with self._lock:
                if self._queue:
                    successor = self._queue.pop(0)
                    successor.lead = True
                    successor.done.set()  # it wakes up as the leader of the next call
                else:
                    self._busy = False
            for request in batch[1:]:
                request.done.set()

    def _run(self, batch: list[_Request]) -> None:
        texts = [text for request in batch for text in request.texts]
        try:
            self.calls += 1
            vectors = np.asarray(self.inner.encode(texts), dtype=np.float32)
        except Exception as exc:
            if len(batch) == 1:
                batch[0].error = exc
                return
            for request in batch:  # each alone, so that one request's failure stays its own
                try:
                    self.calls += 1
                    request.result = np.asarray(self.inner.encode(request.texts), dtype=np.float32)
                except Exception as alone:
                    request.error = alone
            return
        if len(vectors) != len(texts):
            for request in batch:
                request.error = RuntimeError(f"the encoder gave {len(vectors)} vectors for {len(texts)} texts")
            return
        start = 0
        for request in batch:
            # a copy: no request's rows are a view into another's
            request.result = vectors[start:start + len(request.texts)].copy()
            start += len(request.texts)
