"""The service's per-workspace check state: built once, rebuilt when the stored watchlist changes (also when
another process changed it), tokens authenticated without a database write on every request."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from watchlist.factories import persona

from falsefriends.api import ServiceSettings, create_app
from falsefriends.api.checking import CheckerHolder, watchlist_fingerprint
from falsefriends.api.roles import Role
from falsefriends.api.tables import ApiTokenRow
from falsefriends.api.users import LAST_USED_RESOLUTION, add_user, authenticate_token, issue_token
from falsefriends.store import make_engine, session_scope, upgrade
from falsefriends.watchlist.provider import WatchlistProvider
from falsefriends.watchlist.repository import delete_entry, save_entries


def _stored_ids(holder: CheckerHolder) -> set[str]:
    provider = holder.get().providers[0]
    assert isinstance(provider, WatchlistProvider)
    return {entry.id for entry in provider.matcher.watchlist.entries}


def test_checker_is_kept_until_another_process_changes_the_watchlist(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    upgrade(url)
    engine = make_engine(url)
    other = make_engine(url)  # another worker process, or `falsefriends watchlist add`, on the same workspace
    holder = CheckerHolder(engine, semantic=False, probe_seconds=0.0)
    first = holder.get()
    assert holder.get() is first  # nothing changed: the same checker, no rebuild
    entry = persona("Jana Luo")
    with session_scope(other) as session:
        save_entries(session, [entry], "test")
    assert entry.id in _stored_ids(holder)  # seen without `invalidate`
    second = holder.get()
    assert second is not first and holder.get() is second
    with session_scope(other) as session:
        save_entries(session, [entry.model_copy(update={"note": "seen again"})], "test")  # replaced, same count
    assert holder.get() is not second
    before = watchlist_fingerprint(engine)
    with session_scope(other) as session:
        assert delete_entry(session, entry.id)
    assert watchlist_fingerprint(engine) != before
    assert entry.id not in _stored_ids(holder)
    engine.dispose()
    other.dispose()


def test_the_probe_waits_its_interval(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    upgrade(url)
    engine = make_engine(url)
    holder = CheckerHolder(engine, semantic=False, probe_seconds=3600.0)
    first = holder.get()
    with session_scope(engine) as session:
        save_entries(session, [persona("Jana Luo")], "test")
    assert holder.get() is first  # not looked at again within the hour...
    holder.invalidate()  # ...but a change made through this process is seen at once
    assert holder.get() is not first
    engine.dispose()


def test_settings_choose_the_semantic_detector(tmp_path: Path) -> None:
    off = create_app(ServiceSettings(db_url=f"sqlite:///{tmp_path / 'a.db'}", semantic=False))
    assert off.state.checkers.get().semantic is None
    assert ServiceSettings().semantic is True
    assert ServiceSettings.from_env({"FALSEFRIENDS_SEMANTIC": "false"}).semantic is False


def test_a_token_is_stamped_once_a_minute_not_on_every_request(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'u.db'}"
    upgrade(url)
    engine = make_engine(url)
    with session_scope(engine) as session:
        add_user(session, "ana", Role.VIEWER)
        token = issue_token(session, "ana", "tests")

    def stamp() -> object:
        with session_scope(engine) as session:
            return session.scalar(select(ApiTokenRow.last_used_at))

    with session_scope(engine) as session:
        assert authenticate_token(session, token) is not None
    first = stamp()
    assert first is not None
    with session_scope(engine) as session:
        assert authenticate_token(session, token) is not None
    assert stamp() == first
    with session_scope(engine) as session:
        row = session.scalars(select(ApiTokenRow)).one()
        row.last_used_at = row.last_used_at - LAST_USED_RESOLUTION - timedelta(seconds=1)  # type: ignore[operator,assignment]
    with session_scope(engine) as session:
        assert authenticate_token(session, token) is not None
    assert stamp() != first and stamp() is not None
    engine.dispose()


def test_serving_processes_shorten_the_switch_interval(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc
    import sys

    from fastapi.testclient import TestClient

    from falsefriends.api import server
    from falsefriends.api.app import create_app_from_env

    before, thresholds = sys.getswitchinterval(), gc.get_threshold()
    monkeypatch.setattr(server, "_serving", False)  # restored after the test: this process is not a server
    try:
        monkeypatch.setenv("FALSEFRIENDS_DB_URL", f"sqlite:///{tmp_path / 'w.db'}")
        monkeypatch.setenv("FALSEFRIENDS_SEMANTIC", "false")
        monkeypatch.setenv("FALSEFRIENDS_PUBLIC_CHECK", "true")
        monkeypatch.setenv("FALSEFRIENDS_SWITCH_INTERVAL_MS", "2")
        monkeypatch.setenv("FALSEFRIENDS_GC_GEN0_THRESHOLD", "5000")
        app = create_app_from_env()
        assert app.state.settings.switch_interval_ms == 2
        assert sys.getswitchinterval() == pytest.approx(0.002)
        assert ServiceSettings().switch_interval_ms == 0.5
        assert gc.get_threshold()[0] == 5000 and ServiceSettings().gc_gen0_threshold == 10_000
        assert server.serving_process() and app.state.checkers._checker is None
        with TestClient(app) as client:
            # warm start: the checker was built and used before the first request, then the heap frozen
            assert app.state.checkers._checker is not None and gc.get_freeze_count() > 0
            answer = client.post("/v1/check", json={"text": "Let us continue on WhatsApp"})
            assert answer.status_code == 200 and "M3" in answer.json()["indicators"]
            assert answer.headers["content-type"] == "application/json"
    finally:
        gc.unfreeze()
        sys.setswitchinterval(before)
        gc.set_threshold(*thresholds)


def test_apps_outside_a_serving_process_start_cold(tmp_path: Path) -> None:
    """Tests and library users build apps without `tune_interpreter`: no checker built at start, nothing frozen."""
    import gc

    from fastapi.testclient import TestClient

    from falsefriends.api import server

    assert not server.serving_process()
    app = create_app(ServiceSettings(db_url=f"sqlite:///{tmp_path / 'c.db'}", semantic=False))
    frozen = gc.get_freeze_count()
    with TestClient(app):
        assert app.state.checkers._checker is None and gc.get_freeze_count() == frozen
