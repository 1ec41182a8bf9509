"""The service stays responsive: checks run off the event loop, so `/v1/health` answers fast while a large
batch runs (a real `serve` on loopback); batches have a line limit; one principal may run only a few checks at
once (429 in the one error shape), others are not held up by it."""

from __future__ import annotations

import http.client
import json
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.conftest import bearer
from api.serving import running_serve
from falsefriends.api.roles import Role
from falsefriends.api.routes import check as check_routes


@pytest.fixture(scope="module")
def public_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    db = tmp_path_factory.mktemp("responsive") / "ws.db"
    with running_serve(db, "--public-check", "--workers", "1") as port:  # one event loop, the batch on it
        yield port


def _batch(lines: int) -> bytes:
    return "".join(json.dumps({"id": f"m{i}", "text": f"Hello, I run a consultancy. We pay {i} USD for a short note "
                                                      "on your team's work. Could we continue on WhatsApp?"}) + "\n"
                   for i in range(lines)).encode()


def test_health_stays_fast_while_a_large_batch_runs(public_server: int) -> None:
    port = public_server
    # Warm up (the first check loads the encoder).
    warm = urllib.request.Request(f"http://127.0.0.1:{port}/v1/check/batch", data=_batch(5), method="POST")
    with urllib.request.urlopen(warm, timeout=60) as answer:
        assert answer.status == 200
    outcome: dict[str, Any] = {}

    def run_batch() -> None:
        started = time.monotonic()
        request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/check/batch", data=_batch(3000),
                                         method="POST", headers={"Content-Type": "application/x-ndjson"})
        with urllib.request.urlopen(request, timeout=120) as answer:
            outcome["lines"] = answer.read().count(b"\n")
        outcome["seconds"] = time.monotonic() - started

    batch = threading.Thread(target=run_batch)
    batch.start()
    time.sleep(0.3)  # the batch is read and running
    latencies = []
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        stop = time.monotonic() + 25
        while batch.is_alive() and time.monotonic() < stop:
            started = time.perf_counter()
            connection.request("GET", "/v1/health")
            response = connection.getresponse()
            response.read()
            assert response.status == 200
            latencies.append(time.perf_counter() - started)
            time.sleep(0.02)
    finally:
        connection.close()
    batch.join(timeout=120)
    assert outcome.get("lines") == 3000, outcome
    assert outcome["seconds"] >= 2, f"the batch took {outcome['seconds']:.1f} s: too short to measure anything"
    assert len(latencies) >= 30, len(latencies)
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    print(f"batch {outcome['seconds']:.1f} s, {len(latencies)} health calls, p99 {p99 * 1000:.1f} ms")
    assert p99 < 0.1, f"/v1/health p99 {p99 * 1000:.0f} ms during a {outcome['seconds']:.1f} s batch"


def test_a_batch_over_the_line_limit_is_refused(make_app: Callable[..., FastAPI], tokens: dict[Role, str],
                                                 tmp_path: Path) -> None:
    app = make_app(max_batch_lines=5)
    # `tokens` made its users in the default app's database, which this app shares.
    with TestClient(app, raise_server_exceptions=False) as client:
        ok = client.post("/v1/check/batch", content=_batch(5), headers=bearer(tokens[Role.VIEWER]))
        assert ok.status_code == 200 and ok.text.count("\n") == 5
        over = client.post("/v1/check/batch", content=_batch(6), headers=bearer(tokens[Role.VIEWER]))
    assert over.status_code == 413 and over.json()["error"]["code"] == "too_large"


def test_one_principal_runs_a_limited_number_of_checks_at_once(make_app: Callable[..., FastAPI],
                                                                tokens: dict[Role, str],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(checks_per_principal=1)
    release, entered = threading.Event(), threading.Event()
    real = check_routes.check_one

    def slow_check_one(*args: Any, **kwargs: Any) -> dict[str, Any]:
        if not entered.is_set():
            entered.set()
            release.wait(20)
        return real(*args, **kwargs)

    monkeypatch.setattr(check_routes, "check_one", slow_check_one)
    body = {"text": "Let us continue on WhatsApp"}
    with TestClient(app, raise_server_exceptions=False) as client:
        first: dict[str, Any] = {}
        worker = threading.Thread(target=lambda: first.setdefault(
            "response", client.post("/v1/check", json=body, headers=bearer(tokens[Role.VIEWER]))))
        worker.start()
        assert entered.wait(20)
        try:
            second = client.post("/v1/check", json=body, headers=bearer(tokens[Role.VIEWER]))
            assert second.status_code == 429
            assert second.json()["error"]["code"] == "too_many_requests"
            assert second.headers["retry-after"] == "1"
            # Another user is not held up by the first one's check.
            other = client.post("/v1/check", json=body, headers=bearer(tokens[Role.ANALYST]))
            assert other.status_code == 200
            assert client.get("/v1/health").status_code == 200
        finally:
            release.set()
            worker.join(30)
        assert first["response"].status_code == 200
        # The slot is free again once the first check finished.
        assert client.post("/v1/check", json=body, headers=bearer(tokens[Role.VIEWER])).status_code == 200
