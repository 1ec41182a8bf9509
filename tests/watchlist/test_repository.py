from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select

import falsefriends.store.tables  # noqa: F401  (the workspace tables the migration builds on)
from falsefriends.store.db import Base, downgrade, make_engine, session_scope, upgrade
from falsefriends.store.watchlist_tables import WatchlistIdentifierRow, WatchlistSourceRow
from falsefriends.watchlist.bundled import bundled_watchlist
from falsefriends.watchlist.entries import IdentifierKind
from falsefriends.watchlist.repository import delete_entry, load_watchlist, save_entries, stored_watchlist
from watchlist.factories import identifier, organisation, persona


def test_entries_round_trip_through_the_workspace(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    upgrade(url, "0002_watchlist")
    engine = make_engine(url)
    entry = persona("Jana Luo", identifiers=(identifier(IdentifierKind.WHATSAPP, "+86 138 0013 8000"),))
    with session_scope(engine) as session:
        assert save_entries(session, [entry, organisation("Example Front")], "test") == (2, 0)
        assert save_entries(session, [entry.model_copy(update={"note": "seen again"})], "test") == (0, 1)
    with session_scope(engine) as session:
        stored = stored_watchlist(session)
        assert stored.get(entry.id) is not None and stored.get(entry.id).note == "seen again"  # type: ignore[union-attr]
        keys = session.scalars(select(WatchlistIdentifierRow.key)).all()
        assert keys == ["8613800138000"]
        assert session.scalars(select(WatchlistSourceRow.source)).all() == ["test-source", "test-source"]
    merged = load_watchlist(engine)
    assert len(merged.entries) == len(bundled_watchlist().entries) + 2
    with session_scope(engine) as session:
        assert delete_entry(session, entry.id)
        assert not delete_entry(session, entry.id)
    assert load_watchlist(engine, with_bundled=False).get(entry.id) is None
    engine.dispose()


def test_migration_matches_the_tables_and_downgrades(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade(url, "0002_watchlist")
    engine = make_engine(url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert [d for d in differences if "watchlist" in str(d)] == []
    downgrade(url, "0001_workspace")
    assert not [t for t in inspect(engine).get_table_names() if t.startswith("watchlist")]
    engine.dispose()
