"""The service's `Checker`: the rules plus the workspace watchlist, rebuilt when the watchlist changes."""

from __future__ import annotations

import threading

from sqlalchemy import Engine

from falsefriends.check import Checker


class CheckerHolder:
    """Holds the current checker; a watchlist change marks it stale and the next request rebuilds it.

    The rebuild happens on the next use rather than inside the changing request, so it sees the committed list.
    """

    def __init__(self, engine: Engine, fixed: Checker | None = None, use_watchlist: bool = True) -> None:
        self.engine = engine
        self.fixed = fixed
        self.use_watchlist = use_watchlist and fixed is None
        self._checker: Checker | None = fixed
        self._stale = fixed is None
        self._lock = threading.Lock()

    def invalidate(self) -> None:
        if self.fixed is None:
            self._stale = True

    def get(self) -> Checker:
        if not self._stale and self._checker is not None:
            return self._checker
        with self._lock:
            if self._stale or self._checker is None:
                self._checker = self._build()
                self._stale = False
            return self._checker

    def _build(self) -> Checker:
        base = self._checker or Checker()
        if not self.use_watchlist:
            return base
        from falsefriends.watchlist.provider import WatchlistProvider
        from falsefriends.watchlist.repository import load_watchlist

        provider = WatchlistProvider(load_watchlist(self.engine), rules=base.rules)
        return Checker(rules=base.rules, fusion=base.fusion, providers=[provider])
