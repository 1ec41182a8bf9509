"""The service's batching sentence encoder: concurrent checks share forward passes, each gets its own rows."""

from __future__ import annotations

import threading
import time
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from falsefriends.api.batching import BatchingEncoder

WIDTH = 8


def vector_of(text: str) -> np.ndarray:
    """A deterministic vector per text, so that a row given to the wrong request is seen."""
    rng = np.random.default_rng(zlib.crc32(text.encode()))
    return rng.standard_normal(WIDTH).astype(np.float32)


class SlowEncoder:
    """Records each call; the first call waits until `hold` is released, so the others queue behind it."""

    id = "fake-encoder"

    def __init__(self) -> None:
        self.calls: list[list[str]] = []
        self.hold = threading.Event()
        self.first = True
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            self.calls.append(list(texts))
            first, self.first = self.first, False
        if first:
            assert self.hold.wait(10), "the test never released the first call"
        if any(text == "bad" for text in texts):
            raise ValueError("cannot encode 'bad'")
        return np.stack([vector_of(t) for t in texts]) if texts else np.zeros((0, WIDTH), np.float32)


def run_concurrently(encoder: BatchingEncoder, inner: SlowEncoder, requests: list[list[str]]
                     ) -> list[np.ndarray | BaseException]:
    """Start every request in its own thread; release the first inner call once all the others queue."""
    results: list[np.ndarray | BaseException | None] = [None] * len(requests)

    def one(index: int) -> None:
        try:
            results[index] = encoder.encode(requests[index])
        except BaseException as exc:
            results[index] = exc

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(requests))]
    threads[0].start()
    deadline = time.monotonic() + 10
    while not inner.calls and time.monotonic() < deadline:
        time.sleep(0.001)
    for thread in threads[1:]:
        thread.start()
    while encoder.requests < len(requests) and time.monotonic() < deadline:
        time.sleep(0.001)
    time.sleep(0.05)  # the last ones are past the counter and in the queue
    inner.hold.set()
    for thread in threads:
        thread.join(10)
    assert all(r is not None for r in results)
    return [r for r in results if r is not None]


def test_each_request_gets_its_own_rows_and_waiting_requests_share_one_call() -> None:
    inner = SlowEncoder()
    encoder = BatchingEncoder(inner)
    requests = [[f"sentence {i}.{j}" for j in range(1 + i % 3)] for i in range(12)]
    requests[5] = ["sentence 0.0", "same text in two requests"]
    requests[6] = ["same text in two requests"]
    results = run_concurrently(encoder, inner, requests)
    for texts, result in zip(requests, results, strict=True):
        assert isinstance(result, np.ndarray)
        np.testing.assert_array_equal(result, np.stack([vector_of(t) for t in texts]))
    # the first call ran alone; the eleven requests that waited behind it went in one call
    assert len(inner.calls) == 2
    assert inner.calls[1] == [t for texts in requests[1:] for t in texts]


def test_a_failing_request_gets_its_error_and_the_others_their_rows() -> None:
    inner = SlowEncoder()
    encoder = BatchingEncoder(inner)
    requests = [["first"], ["good one"], ["bad"], ["good two", "and three"]]
    results = run_concurrently(encoder, inner, requests)
    assert isinstance(results[2], ValueError)
    for index in (0, 1, 3):
        result = results[index]
        assert isinstance(result, np.ndarray)
        np.testing.assert_array_equal(result, np.stack([vector_of(t) for t in requests[index]]))
    # after the combined call failed, each waiting request was encoded alone
    assert inner.calls[2:] == [["good one"], ["bad"], ["good two", "and three"]]


def test_alone_it_calls_the_encoder_once_per_request_and_answers_empty_input() -> None:
    inner = SlowEncoder()
    inner.hold.set()
    encoder = BatchingEncoder(inner)
    for texts in (["one"], ["two", "three"]):
        np.testing.assert_array_equal(encoder.encode(texts), np.stack([vector_of(t) for t in texts]))
    assert inner.calls == [["one"], ["two", "three"]]
    assert encoder.encode([]).shape == (0, WIDTH)
    with pytest.raises(ValueError, match="bad"):
        encoder.encode(["bad"])
    # the failure left it usable
    np.testing.assert_array_equal(encoder.encode(["four"]), vector_of("four")[None, :])


def test_a_large_queue_is_split_into_calls_of_at_most_the_limit() -> None:
    inner = SlowEncoder()
    encoder = BatchingEncoder(inner, max_batch_texts=4)
    requests = [[f"t{i}a", f"t{i}b"] for i in range(7)]
    results = run_concurrently(encoder, inner, requests)
    for texts, result in zip(requests, results, strict=True):
        assert isinstance(result, np.ndarray)
        np.testing.assert_array_equal(result, np.stack([vector_of(t) for t in texts]))
    assert all(len(call) <= 4 for call in inner.calls)
    assert sorted(t for call in inner.calls for t in call) == sorted(t for texts in requests for t in texts)


def test_the_service_checker_batches_and_answers_what_the_plain_checker_does(tmp_path: Path) -> None:
    from falsefriends.api.checking import CheckerHolder
    from falsefriends.check import Checker
    from falsefriends.model import Message
    from falsefriends.store import make_engine, upgrade

    engine = make_engine(f"sqlite:///{tmp_path / 'ws.db'}")
    upgrade(engine)
    service = CheckerHolder(engine, use_watchlist=False, semantic=True).get()
    assert service.semantic is not None and isinstance(service.semantic.encoder, BatchingEncoder)
    plain = Checker(semantic=True)
    text = ("Hello, I lead hiring for a defence consultancy. We pay well for short reports on your current "
            "programme. Could we continue on WhatsApp?")
    message = Message(id="m1", body=text)
    assert service.message(message).model_dump() == plain.message(message).model_dump()
    engine.dispose()
