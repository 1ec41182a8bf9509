"""Watchlist tables of the workspace: entries (the full record as JSON), their sources and identifiers.

The full entry lives in `watchlist_entries.data` (the same JSON as the YAML file form), so the record
round-trips exactly; `watchlist_sources` and `watchlist_identifiers` repeat what an analyst or a query
needs to filter on (who listed it, under which status; which handle or domain) with indexes.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from falsefriends.store.db import Base, UTCDateTime


class WatchlistEntryRow(Base):
    """One watchlist entry; `origin` says how it got here (add, import:FILE)."""

    __tablename__ = "watchlist_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[str] = mapped_column(String(128), unique=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    name: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(32), index=True)
    confidence: Mapped[float] = mapped_column(Float)
    expires: Mapped[date | None] = mapped_column(Date)
    origin: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    sources: Mapped[list[WatchlistSourceRow]] = relationship(back_populates="entry", cascade="all, delete-orphan",
                                                             passive_deletes=True)
    identifiers: Mapped[list[WatchlistIdentifierRow]] = relationship(
        back_populates="entry", cascade="all, delete-orphan", passive_deletes=True)


class WatchlistSourceRow(Base):
    """One source that listed an entry."""

    __tablename__ = "watchlist_sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_pk: Mapped[int] = mapped_column(ForeignKey("watchlist_entries.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(200), index=True)
    status: Mapped[str] = mapped_column(String(32))
    published: Mapped[str | None] = mapped_column(String(32))
    urls: Mapped[list[str]] = mapped_column(JSON)
    title: Mapped[str] = mapped_column(Text, default="")

    entry: Mapped[WatchlistEntryRow] = relationship(back_populates="sources")


class WatchlistIdentifierRow(Base):
    """An exact identifier of an entry under its canonical key (see `watchlist.identifiers.canonical`)."""

    __tablename__ = "watchlist_identifiers"
    __table_args__ = (UniqueConstraint("entry_pk", "kind", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_pk: Mapped[int] = mapped_column(ForeignKey("watchlist_entries.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(512), index=True)

    entry: Mapped[WatchlistEntryRow] = relationship(back_populates="identifiers")
