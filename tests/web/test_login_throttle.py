"""Login: every failure costs one scrypt verification (unknown, token-only and known users alike), failures back
off exponentially, an account locks after N failures in the window and is released after it; an address that
tries many names locks too; failures and locks are in the audit log. The throttle's clock is injected."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from falsefriends.api.roles import Role
from falsefriends.api.tables import AuditLogRow
from falsefriends.api.throttle import LoginThrottle
from falsefriends.api.users import add_user
from falsefriends.store import session_scope
from web.conftest import PASSWORD, csrf_of


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _login(client: TestClient, token: str, name: str, password: str) -> tuple[int, float, str | None]:
    started = time.perf_counter()
    response = client.post("/login", data={"name": name, "password": password, "csrf_token": token})
    return response.status_code, time.perf_counter() - started, response.headers.get("retry-after")


def _log(app: FastAPI) -> list[tuple[str, str]]:
    with app.state.engine.connect() as connection:
        return [(a, t) for a, t in connection.execute(select(AuditLogRow.action, AuditLogRow.target)
                                                      .order_by(AuditLogRow.id))]


def test_the_three_failure_paths_take_the_same_time(make_app: Callable[..., FastAPI]) -> None:
    app = make_app()
    with session_scope(app.state.engine) as session:
        add_user(session, "ci-bot", Role.VIEWER)  # token-only: no password at all
    # A clock an hour further at each reading: no back-off gets in the way of the measurement.
    ticks = iter(range(0, 10**9, 3600))
    app.state.login_throttle = LoginThrottle(clock=lambda: float(next(ticks)))
    paths = {"unknown user": "nobody-here", "token-only user": "ci-bot", "wrong password": "admin"}
    times: dict[str, list[float]] = {path: [] for path in paths}
    with TestClient(app, follow_redirects=False) as client:
        token = csrf_of(client)
        for _ in range(7):
            for path, name in paths.items():
                status, seconds, _ = _login(client, token, name, "a wrong password 123")
                assert status == 401
                times[path].append(seconds)
    medians = {path: statistics.median(values) for path, values in times.items()}
    reference = medians["wrong password"]
    assert reference > 0.01, medians  # one scrypt verification is tens of milliseconds
    for median in medians.values():
        assert 0.6 * reference <= median <= 1.6 * reference, medians


def test_an_account_backs_off_then_locks_and_is_released_after_the_window(make_app: Callable[..., FastAPI]) -> None:
    app = make_app()
    clock = Clock()
    app.state.login_throttle = LoginThrottle(max_failures=10, window_s=15 * 60, lock_s=15 * 60, clock=clock)
    with TestClient(app, follow_redirects=False) as client:
        token = csrf_of(client)
        # Three free failures, then the next attempt must wait 1 s (2 s, 4 s... after the following ones).
        for _ in range(3):
            assert _login(client, token, "admin", "wrong guess 1234")[0] == 401
        status, _, retry = _login(client, token, "admin", PASSWORD)
        assert (status, retry) == (429, "1")  # refused without checking the (right) password
        clock.now += 1
        assert _login(client, token, "admin", "wrong guess 1234")[0] == 401
        assert _login(client, token, "admin", "wrong guess 1234")[2] == "2"
        # Up to the tenth failure, each after the back-off: then the account is locked for 15 minutes.
        failures = 4
        while failures < 10:
            clock.now += 61
            status, _, _ = _login(client, token, "admin", "wrong guess 1234")
            assert status == 401
            failures += 1
        status, _, retry = _login(client, token, "admin", PASSWORD)
        assert status == 429 and retry == str(15 * 60)
        clock.now += 14 * 60
        assert _login(client, token, "admin", PASSWORD)[0] == 429
        # Other accounts are not locked by it.
        assert _login(client, token, "viewer", PASSWORD)[0] == 303
        clock.now += 61
        assert _login(client, token, "admin", PASSWORD)[0] == 303
    log = _log(app)
    assert log.count(("login.failed", "admin")) == 10
    assert ("login.locked", "admin") in log
    assert log[-1] == ("login", "admin")


def test_an_address_trying_many_names_is_locked(make_app: Callable[..., FastAPI]) -> None:
    app = make_app()
    clock = Clock()
    app.state.login_throttle = LoginThrottle(max_failures=10, clock=clock)
    with TestClient(app, follow_redirects=False) as client:
        token = csrf_of(client)
        for attempt in range(20):
            status, _, retry = _login(client, token, f"guess{attempt}", "wrong guess 1234")
            if status == 429:  # the address's back-off: wait as told
                assert retry is not None
                clock.now += int(retry)
                status, _, retry = _login(client, token, f"guess{attempt}", "wrong guess 1234")
            assert status == 401, attempt
        status, _, retry = _login(client, token, "admin", PASSWORD)
        assert status == 429 and retry is not None and int(retry) > 14 * 60
    assert ("login.locked", "testclient") in _log(app)
