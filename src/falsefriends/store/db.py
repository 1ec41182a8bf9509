"""Workspace database plumbing: engine, sessions, the shared declarative base and schema migrations.

The workspace is an SQLite file by default and PostgreSQL when given a `postgresql://` URL. The schema is
owned by the Alembic migrations shipped in `store/migrations/versions/` and applied programmatically by
`upgrade(url)`, so a user never needs an alembic.ini.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from falsefriends.store.defaults import DEFAULT_URL as DEFAULT_URL  # re-exported: the workspace when no --db

MIGRATIONS = Path(__file__).parent / "migrations"

# Deterministic constraint names so that migrations can refer to (and later alter) them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base shared by every table of the workspace (workspace, watchlist, ...)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as naive UTC and read back as aware UTC, identically on SQLite and PostgreSQL."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def normalise_url(url: str) -> str:
    """Turn what a user typed for --db into an SQLAlchemy URL.

    A bare path becomes an SQLite file; `postgresql://` gets the psycopg 3 driver (SQLAlchemy would
    otherwise pick psycopg2, which we do not ship).
    """
    if "://" not in url:
        return f"sqlite:///{url}"
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # SQLite ignores foreign keys unless asked; WAL lets a report read while an ingest writes.
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str = DEFAULT_URL, **kwargs: Any) -> Engine:
    """Create an engine for a workspace URL (see `normalise_url`); SQLite gets foreign keys and WAL."""
    url = normalise_url(url)
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session in one transaction: committed when the block ends, rolled back if it raises."""
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with factory() as session, session.begin():
        yield session


@contextmanager
def write_scope(engine: Engine) -> Iterator[Session]:
    """`session_scope` holding the workspace's writer lock (`store.lock`): for ingests, which read what is
    there and then insert, and so must not interleave with another audit's ingest."""
    from falsefriends.store.lock import workspace_lock

    with workspace_lock(engine), session_scope(engine) as session:
        yield session


def _alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


_ALEMBIC = threading.Lock()


def upgrade(url_or_engine: str | Engine = DEFAULT_URL, revision: str = "heads") -> None:
    """Bring a workspace database to the latest schema (creating it if needed).

    Under the workspace's writer lock: processes started at once on a fresh database migrate it once, the
    others wait and find it up to date.
    """
    from alembic import command

    from falsefriends.store.lock import workspace_lock

    engine = make_engine(url_or_engine) if isinstance(url_or_engine, str) else url_or_engine
    try:
        # Alembic keeps the running migration in module globals: one migration at a time in a process, too.
        with workspace_lock(engine), _ALEMBIC:
            command.upgrade(_alembic_config(engine), revision)
    finally:
        if isinstance(url_or_engine, str):
            engine.dispose()


def downgrade(url_or_engine: str | Engine, revision: str) -> None:
    """Take a workspace database back to an older revision (`base` drops everything)."""
    from alembic import command

    from falsefriends.store.lock import workspace_lock

    engine = make_engine(url_or_engine) if isinstance(url_or_engine, str) else url_or_engine
    try:
        with workspace_lock(engine), _ALEMBIC:
            command.downgrade(_alembic_config(engine), revision)
    finally:
        if isinstance(url_or_engine, str):
            engine.dispose()


def current_heads() -> tuple[str, ...]:
    """The head revision(s) shipped with this package (there must be exactly one)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return tuple(ScriptDirectory.from_config(config).get_heads())
