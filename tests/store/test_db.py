"""The workspace schema is created, upgraded and dropped by the shipped migrations on both backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import inspect, select

from falsefriends.store.db import current_heads, downgrade, make_engine, normalise_url, session_scope, upgrade
from falsefriends.store.tables import AccountRow, IngestedFileRow

WORKSPACE_TABLES = {
    "accounts", "connections", "ingested_files", "message_copies", "message_recipients", "messages",
    "quarantine", "staff",
}


def test_migrations_have_a_single_head() -> None:
    assert len(current_heads()) == 1


def test_upgrade_creates_the_workspace_and_is_repeatable(db_url: str) -> None:
    upgrade(db_url)
    upgrade(db_url)  # a second run finds nothing to do
    engine = make_engine(db_url)
    try:
        assert set(inspect(engine).get_table_names()) >= WORKSPACE_TABLES
    finally:
        engine.dispose()


def test_downgrade_to_base_removes_the_workspace(db_url: str) -> None:
    upgrade(db_url, "0001_workspace")
    downgrade(db_url, "base")
    engine = make_engine(db_url)
    try:
        assert not WORKSPACE_TABLES & set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_timestamps_come_back_as_the_same_utc_instant(db_url: str) -> None:
    upgrade(db_url)
    engine = make_engine(db_url)
    paris = timezone(timedelta(hours=1))
    when = datetime(2026, 2, 8, 15, 30, tzinfo=paris)
    try:
        with session_scope(engine) as session:
            session.add(IngestedFileRow(path="a.zip", sha256="0" * 64, ingested_at=when))
        with session_scope(engine) as session:
            stored = session.scalars(select(IngestedFileRow.ingested_at)).one()
        assert stored == when
        assert stored.tzinfo == UTC
    finally:
        engine.dispose()


def test_a_failed_session_block_leaves_nothing(db_url: str) -> None:
    upgrade(db_url)
    engine = make_engine(db_url)
    try:
        try:
            with session_scope(engine) as session:
                session.add(AccountRow(key="https://www.linkedin.com/in/x", name="X"))
                session.flush()
                raise RuntimeError("interrupted")
        except RuntimeError:
            pass
        with session_scope(engine) as session:
            assert session.scalars(select(AccountRow)).all() == []
    finally:
        engine.dispose()


def test_db_urls_are_normalised() -> None:
    assert normalise_url("work/ff.db") == "sqlite:///work/ff.db"
    assert normalise_url("postgresql://u@localhost/db") == "postgresql+psycopg://u@localhost/db"
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"


def test_the_migrations_build_exactly_the_workspace_models(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from falsefriends.store.db import Base

    url = f"sqlite:///{tmp_path / 'w.db'}"
    upgrade(url)
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        engine.dispose()
    mine = {*WORKSPACE_TABLES, "account_aliases"}

    def table_of(change: object) -> str | None:
        item = change[-1] if isinstance(change, tuple) else None
        table = getattr(item, "table", item)
        return getattr(table, "name", None)

    assert [change for change in diff if table_of(change) in mine] == []
