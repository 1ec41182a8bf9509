"""Watchlist: listed personas, front organisations, handles, photos and domains, with provenance, imports,
cross-script name matching (`logic-v1`) and corroborated evidence for `check` and the audit.

    from falsefriends.check import Checker
    from falsefriends.watchlist import WatchlistProvider
    Checker(providers=[WatchlistProvider()])

The names below are imported on first use (PEP 562), so importing one submodule (`entries` for the
command line's choices) does not load the matcher and its dependencies.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from falsefriends.watchlist.bundled import bundled_watchlist
    from falsefriends.watchlist.entries import (
        Entry,
        EntryKind,
        Identifier,
        IdentifierKind,
        Provenance,
        Status,
        Watchlist,
    )
    from falsefriends.watchlist.features import LOGIC_V1, Algorithm, Feature, get_algorithm
    from falsefriends.watchlist.matcher import IdentifierHit, NameHit, WatchlistMatcher
    from falsefriends.watchlist.provider import WEIGHTS, WatchlistProvider

_WHERE = {
    "bundled_watchlist": "bundled",
    **dict.fromkeys(("Entry", "EntryKind", "Identifier", "IdentifierKind", "Provenance", "Status", "Watchlist"),
                    "entries"),
    **dict.fromkeys(("LOGIC_V1", "Algorithm", "Feature", "get_algorithm"), "features"),
    **dict.fromkeys(("IdentifierHit", "NameHit", "WatchlistMatcher"), "matcher"),
    **dict.fromkeys(("WEIGHTS", "WatchlistProvider"), "provider"),
}

__all__ = [
    "LOGIC_V1",
    "WEIGHTS",
    "Algorithm",
    "Entry",
    "EntryKind",
    "Feature",
    "Identifier",
    "IdentifierHit",
    "IdentifierKind",
    "NameHit",
    "Provenance",
    "Status",
    "Watchlist",
    "WatchlistMatcher",
    "WatchlistProvider",
    "bundled_watchlist",
    "get_algorithm",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
