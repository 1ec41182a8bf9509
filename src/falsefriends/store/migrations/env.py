"""Alembic environment: runs the shipped migrations on the engine handed over by `store.db.upgrade`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

import falsefriends.store.tables  # noqa: F401  (registers the workspace tables on Base.metadata)
from falsefriends.store.db import Base, make_engine

config = context.config


def _run() -> None:
    engine = config.attributes.get("engine")
    if not isinstance(engine, Engine):
        engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            # SQLite cannot ALTER most things; batch mode rebuilds tables for later migrations.
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


_run()
