"""The service's `Checker`: the rules plus the workspace watchlist, rebuilt when the watchlist changes.

A change made through this process (`invalidate`) is seen by the next check. A change made elsewhere (another
worker process of `serve --workers N`, or `falsefriends watchlist` on the same workspace) is seen within
`PROBE_SECONDS`: `get` reads a fingerprint of the stored watchlist (its row count, highest row id and latest
update time: one small indexed query) at most that often, and rebuilds when it differs. `get` runs in the
check threads; the event loop only reads `rules`, which never touches the database.

With the semantic detector on, the checker's sentence encoder is wrapped in a `BatchingEncoder`
(batching.py), so the sentences of checks running at once in the check threads go through one forward pass.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, func, select

from falsefriends.check import Checker
from falsefriends.rules.loader import RuleSet

if TYPE_CHECKING:
    from falsefriends.detect.semantic.provider import SemanticProvider

PROBE_SECONDS = 2.0
"""How often a check looks whether another process changed the stored watchlist."""


def watchlist_fingerprint(engine: Engine) -> tuple[Any, ...]:
    """What changes whenever a stored watchlist entry is added, replaced or deleted."""
    from falsefriends.store import session_scope
    from falsefriends.store.watchlist_tables import WatchlistEntryRow

    with session_scope(engine) as session:
        row = session.execute(select(func.count(), func.max(WatchlistEntryRow.id),
                                     func.max(WatchlistEntryRow.updated_at))).one()
    return tuple(row)


def service_semantic() -> SemanticProvider:
    """The process's semantic detector (same encoder, cache, prototypes and head) with its encoder's calls
    from concurrent checks combined into one pass each (`BatchingEncoder`)."""
    from falsefriends.api.batching import BatchingEncoder
    from falsefriends.check import default_semantic
    from falsefriends.detect.semantic.provider import SemanticProvider

    default = default_semantic()
    return SemanticProvider(BatchingEncoder(default.encoder), default.prototypes, default.head,
                            use_bundled_head=False, names=default.names)


class CheckerHolder:
    """Holds the current checker; a watchlist change marks it stale and the next request rebuilds it.

    The rebuild happens on the next use rather than inside the changing request, so it sees the committed list.
    """

    def __init__(self, engine: Engine, fixed: Checker | None = None, use_watchlist: bool = True,
                 semantic: bool = True, probe_seconds: float = PROBE_SECONDS) -> None:
        self.engine = engine
        self.fixed = fixed
        self.use_watchlist = use_watchlist and fixed is None
        self.semantic = semantic
        self.probe_seconds = probe_seconds
        self._checker: Checker | None = fixed
        self._stale = fixed is None
        self._fingerprint: tuple[Any, ...] | None = None
        self._next_probe = 0.0
        self._lock = threading.Lock()

    def invalidate(self) -> None:
        if self.fixed is None:
            self._stale = True

    @property
    def rules(self) -> RuleSet:
        """The rules (they do not depend on the watchlist): no database read once a checker is built."""
        checker = self._checker
        return checker.rules if checker is not None else self.get().rules

    def get(self) -> Checker:
        if self.use_watchlist and time.monotonic() >= self._next_probe:
            self._probe()
        if not self._stale and self._checker is not None:
            return self._checker
        with self._lock:
            if self._stale or self._checker is None:
                self._checker = self._build()
                self._stale = False
            return self._checker

    def _probe(self) -> None:
        with self._lock:
            if time.monotonic() < self._next_probe:
                return  # another thread has just looked
            self._next_probe = time.monotonic() + self.probe_seconds
            if self._fingerprint is not None and watchlist_fingerprint(self.engine) != self._fingerprint:
                self._stale = True

    def _build(self) -> Checker:
        base = self._checker or Checker(semantic=service_semantic() if self.semantic else False)
        if not self.use_watchlist:
            return base
        from falsefriends.watchlist.provider import WatchlistProvider
        from falsefriends.watchlist.repository import load_watchlist

        # The fingerprint first: a change made while the list loads is then seen by the next probe.
        self._fingerprint = watchlist_fingerprint(self.engine)
        provider = WatchlistProvider(load_watchlist(self.engine), rules=base.rules)
        return Checker(rules=base.rules, fusion=base.fusion, providers=[provider],
                       semantic=base.semantic if base.semantic is not None else False)
