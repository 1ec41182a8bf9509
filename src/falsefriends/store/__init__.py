"""The workspace database: where ingested exports, resolved accounts and findings are kept.

`db` holds the engine, sessions, the shared declarative `Base` and the migrations; `tables` the workspace
tables; `workspace` the idempotent ingest of a parsed export. SQLAlchemy is imported on first use of
`db`'s names (PEP 562), so `DEFAULT_URL` costs nothing.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from falsefriends.store.defaults import DEFAULT_URL

if TYPE_CHECKING:
    from falsefriends.store.db import Base, make_engine, session_scope, upgrade

__all__ = ["DEFAULT_URL", "Base", "make_engine", "session_scope", "upgrade"]


def __getattr__(name: str) -> Any:
    if name not in ("Base", "make_engine", "session_scope", "upgrade"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.db"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
