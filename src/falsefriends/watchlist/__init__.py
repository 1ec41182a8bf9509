"""Watchlist: listed personas, front organisations, handles, photos and domains, with provenance, imports,
cross-script name matching (`logic-v1`) and corroborated evidence for `check` and the audit.

    from falsefriends.check import Checker
    from falsefriends.watchlist import WatchlistProvider
    Checker(providers=[WatchlistProvider()])
"""

from __future__ import annotations

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
