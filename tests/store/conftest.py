"""Store fixtures: every database test runs on SQLite and on a real PostgreSQL server started for the session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from store.pg_server import Server, Unavailable, running_server


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Server]:
    try:
        with running_server() as server:
            yield server
    except Unavailable as why:
        pytest.skip(f"PostgreSQL server unavailable: {why}")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of a fresh, empty workspace database on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'workspace.db'}"
    server: Server = request.getfixturevalue("pg_server")
    return server.create_database()
