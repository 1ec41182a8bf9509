"""The workspace database: where ingested exports, resolved accounts and findings are kept.

`db` holds the engine, sessions, the shared declarative `Base` and the migrations; `tables` the workspace
tables; `workspace` the idempotent ingest of a parsed export.
"""

from __future__ import annotations

from falsefriends.store.db import DEFAULT_URL, Base, make_engine, session_scope, upgrade

__all__ = ["DEFAULT_URL", "Base", "make_engine", "session_scope", "upgrade"]
