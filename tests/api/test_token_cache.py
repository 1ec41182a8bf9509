"""The check routes remember a valid API token for `token_cache_s` seconds; an unknown one never."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import update

from api.conftest import PASSWORD, bearer
from falsefriends.api.auth import TokenCache
from falsefriends.api.roles import Role
from falsefriends.api.tables import ApiTokenRow, UserRow
from falsefriends.api.users import Principal, add_user, issue_token
from falsefriends.store import session_scope

LINE = {"id": "m1", "text": "Could we continue this conversation on WhatsApp?"}


def viewer_token(app: FastAPI) -> str:
    with session_scope(app.state.engine) as session:
        add_user(session, "reader", Role.VIEWER, PASSWORD)
        return issue_token(session, "reader", "tests")


def revoke_all(app: FastAPI) -> None:
    with session_scope(app.state.engine) as session:
        session.execute(update(ApiTokenRow).values(revoked=True))


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_revoked_token_is_refused_once_the_cache_interval_has_passed(make_app: Callable[..., FastAPI]) -> None:
    app = make_app(token_cache_s=2)
    app.state.token_cache.clock = clock = Clock()
    token = viewer_token(app)
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.post("/v1/check", json=LINE, headers=bearer(token)).status_code == 200
        revoke_all(app)
        # remembered: no database read within the interval
        clock.now += 1.9
        assert client.post("/v1/check", json=LINE, headers=bearer(token)).status_code == 200
        clock.now += 0.1
        answer = client.post("/v1/check", json=LINE, headers=bearer(token))
        assert answer.status_code == 401
        assert answer.json()["error"]["code"] == "unauthorized"


def test_with_the_cache_off_a_revoked_token_is_refused_at_once(make_app: Callable[..., FastAPI]) -> None:
    app = make_app(token_cache_s=0)
    token = viewer_token(app)
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.post("/v1/check", json=LINE, headers=bearer(token)).status_code == 200
        revoke_all(app)
        assert client.post("/v1/check", json=LINE, headers=bearer(token)).status_code == 401


def test_a_disabled_user_is_refused_once_the_interval_has_passed(make_app: Callable[..., FastAPI]) -> None:
    app = make_app(token_cache_s=2)
    app.state.token_cache.clock = clock = Clock()
    token = viewer_token(app)
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.post("/v1/check", json=LINE, headers=bearer(token)).status_code == 200
        with session_scope(app.state.engine) as session:
            session.execute(update(UserRow).values(disabled=True))
        assert client.post("/v1/check", json=LINE, headers=bearer(token)).status_code == 200
        clock.now += 2
        assert client.post("/v1/check", json=LINE, headers=bearer(token)).status_code == 401


def test_unknown_tokens_are_never_remembered(make_app: Callable[..., FastAPI]) -> None:
    app = make_app()
    token = viewer_token(app)
    with TestClient(app, raise_server_exceptions=False) as client:
        for _ in range(2):
            assert client.post("/v1/check", json=LINE, headers=bearer("not-a-token")).status_code == 401
        assert client.post("/v1/check", json=LINE, headers=bearer(token)).status_code == 200
    cache: TokenCache = app.state.token_cache
    assert cache.get("not-a-token") is None
    assert cache.get(token) == Principal("reader", Role.VIEWER, "token")


def test_the_cache_is_bounded_and_keeps_no_raw_token() -> None:
    cache = TokenCache(ttl_s=60, max_entries=3)
    principal = Principal("reader", Role.VIEWER, "token")
    for n in range(3):
        cache.put(f"token-{n}", principal)
    assert all(not key.startswith("token-") for key in cache._entries)
    cache.put("token-3", principal)  # full: dropped, then this one kept
    assert len(cache._entries) == 1
    assert cache.get("token-3") == principal
    assert cache.get("token-0") is None
    assert TokenCache(ttl_s=0).get("token-3") is None
