"""Disjoint sets (union-find with path halving) over hashable keys, for every "connected groups" step.

The caller chooses which root stays a root (`attach`), because the label a group comes out under is part of
what the step outputs (a corpus group's name, the lowest cluster label).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


class DisjointSets(Generic[K]):
    """A key is its own set until attached; `find` adds a key it has not seen."""

    def __init__(self, keys: Iterable[K] = ()) -> None:
        self._parent: dict[K, K] = {key: key for key in keys}

    def find(self, key: K) -> K:
        parent = self._parent
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def attach(self, root: K, under: K) -> None:
        """Put the set whose root is `root` under the root `under` (both roots, as `find` gives them)."""
        self._parent[root] = under

    def seen(self) -> list[K]:
        """Every key seen, in the order first seen."""
        return list(self._parent)
