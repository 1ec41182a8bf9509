"""Migration 0003 creates the service tables exactly as the models declare them; the audit log is append-only."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from falsefriends.api import tables
from falsefriends.api.auditlog import record
from falsefriends.store import Base, make_engine, session_scope, upgrade
from falsefriends.store.db import current_heads

SERVICE_TABLES = {t.name for t in Base.metadata.sorted_tables if t.name.startswith("service_")}


def test_the_models_match_the_migration(tmp_path: Path) -> None:
    assert tables.UserRow.__tablename__ in SERVICE_TABLES
    assert len(current_heads()) == 1
    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}")
    upgrade(engine)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert [d for d in diff if "service_" in repr(d)] == []
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'w.db'}"
    from store.pg_server import Unavailable, running_server

    try:
        server = request.getfixturevalue("pg_server")
    except pytest.FixtureLookupError:
        try:
            manager = running_server()
            server = manager.__enter__()
        except Unavailable as why:
            pytest.skip(f"PostgreSQL server unavailable: {why}")
        request.addfinalizer(lambda: manager.__exit__(None, None, None))
    return str(server.create_database())


def test_the_audit_log_refuses_updates_and_deletes(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    with session_scope(engine) as session:
        record(session, "alice", "login", "alice")
    for statement in ("UPDATE service_audit_log SET actor = 'mallory'", "DELETE FROM service_audit_log"):
        with pytest.raises(DatabaseError, match="append-only"), engine.begin() as connection:
            connection.execute(text(statement))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT actor FROM service_audit_log")).scalars().all() == ["alice"]
    engine.dispose()
