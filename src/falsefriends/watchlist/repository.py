"""Watchlist entries in the workspace database: save (insert or replace by id), load, find, delete.

The bundled list is never written to the database: it ships with the package and is merged in when a
list is loaded (`load_watchlist(..., with_bundled=True)`), so an upgrade of the package updates it, and
an analyst's entry with the same id overrides the bundled one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from falsefriends.store.db import session_scope
from falsefriends.store.watchlist_tables import WatchlistEntryRow, WatchlistIdentifierRow, WatchlistSourceRow
from falsefriends.watchlist.entries import Entry, Watchlist
from falsefriends.watchlist.identifiers import canonical, lookup_kind


def _fill(row: WatchlistEntryRow, entry: Entry, origin: str, now: datetime) -> None:
    row.kind = entry.kind.value
    row.name = entry.name
    row.status = entry.status.value
    row.confidence = entry.confidence
    row.expires = entry.expires
    row.origin = origin[:1000]
    row.data = entry.model_dump(mode="json")
    row.updated_at = now
    row.sources = [WatchlistSourceRow(source=p.source, status=p.status.value, published=p.date, urls=list(p.urls),
                                      title=p.title) for p in entry.provenance]
    keys = dict.fromkeys((lookup_kind(i.kind), canonical(i.kind, i.value)[:512]) for i in entry.identifiers)
    row.identifiers = [WatchlistIdentifierRow(kind=kind, key=key) for kind, key in keys if key]


def save_entries(session: Session, entries: Iterable[Entry], origin: str) -> tuple[int, int]:
    """Insert new entries and replace existing ones with the same id; returns (added, replaced)."""
    now = datetime.now(UTC)
    added = replaced = 0
    for entry in entries:
        row = session.scalar(select(WatchlistEntryRow).where(WatchlistEntryRow.entry_id == entry.id))
        if row is None:
            row = WatchlistEntryRow(entry_id=entry.id, added_at=now)
            session.add(row)
            added += 1
        else:
            replaced += 1
            # old children go first, so that a replacement with the same identifiers meets no unique clash
            row.sources.clear()
            row.identifiers.clear()
            session.flush()
        _fill(row, entry, origin, now)
        session.flush()
    return added, replaced


def stored_watchlist(session: Session) -> Watchlist:
    """Every entry stored in the workspace."""
    rows = session.scalars(select(WatchlistEntryRow).order_by(WatchlistEntryRow.id))
    return Watchlist(version="workspace", entries=tuple(Entry.model_validate(r.data) for r in rows))


def delete_entry(session: Session, entry_id: str) -> bool:
    """Remove one stored entry; False if there was none."""
    result = session.execute(delete(WatchlistEntryRow).where(WatchlistEntryRow.entry_id == entry_id))
    return bool(getattr(result, "rowcount", 0))


def load_watchlist(engine: Engine | None, with_bundled: bool = True) -> Watchlist:
    """The list to match against: the bundled list, overridden and extended by the workspace's entries."""
    from falsefriends.watchlist.bundled import bundled_watchlist

    base = bundled_watchlist() if with_bundled else Watchlist()
    if engine is None:
        return base
    with session_scope(engine) as session:
        return base.merged(stored_watchlist(session))
