"""Small factories for watchlist tests."""

from __future__ import annotations

from typing import Any

from falsefriends.watchlist.entries import Entry, EntryKind, Identifier, IdentifierKind, Provenance, Status, Watchlist


def provenance(source: str = "test-source", status: Status = Status.ANALYST) -> Provenance:
    return Provenance(source=source, status=status, date="2024-01-01", urls=("https://example.org/report",))


def persona(name: str, entry_id: str | None = None, **fields: Any) -> Entry:
    return Entry(id=entry_id or "persona-" + name.lower().replace(" ", "-"), kind=EntryKind.PERSONA, name=name,
                 provenance=(provenance(),), **fields)


def organisation(name: str, entry_id: str | None = None, **fields: Any) -> Entry:
    return Entry(id=entry_id or "org-" + name.lower().replace(" ", "-")[:60], kind=EntryKind.ORGANISATION, name=name,
                 provenance=(provenance(),), **fields)


def identifier(kind: IdentifierKind, value: str) -> Identifier:
    return Identifier(kind=kind, value=value)


def watchlist(*entries: Entry) -> Watchlist:
    return Watchlist(version="test", entries=entries)
