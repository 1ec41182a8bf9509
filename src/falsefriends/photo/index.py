"""An index of photo fingerprints that finds every stored pHash within a Hamming radius without a full scan.

Multi-index hashing (Norouzi, Punjani and Fleet, "Fast Search in Hamming Space with Multi-Index Hashing",
CVPR 2012): each 64-bit pHash is cut into three chunks (22, 21 and 21 bits), and each chunk position has its own
table. Two hashes within `radius` bits agree to within floor(radius / 3) bits on at least one chunk (pigeonhole),
so probing every chunk value within that many bits of the query's chunk finds every candidate; candidates are then
checked on the whole hash. The search is exact: the same answers as a brute-force scan, measured in
benchmarks/photo_index.py.

`PhotoIndex` stores every view of each photo (whole, mirror, two crops); `matches` compares candidates with
`hashes.compare`, which also demands the dHash to agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache
from itertools import combinations
from typing import TYPE_CHECKING

import numpy as np

from falsefriends.disjoint import DisjointSets
from falsefriends.photo.hashes import Fingerprint, Match, compare
from falsefriends.photo.settings import photo_settings

if TYPE_CHECKING:
    from numpy.typing import NDArray

CHUNK_WIDTHS = (22, 21, 21)
"""Bits of each chunk. Three chunks of about 21 bits: at a radius of 10, each probes the chunk values within 3 bits
(1,562 of them for 21 bits), and with a million photos a 21-bit table holds under one hash per value, so few
candidates are checked. (Four 16-bit chunks probe 137 values each but hold 15 hashes per value: slower, measured.)"""
_SHIFTS = tuple(sum(CHUNK_WIDTHS[:i]) for i in range(len(CHUNK_WIDTHS)))
SCAN_BELOW = 10_000
"""Below this many hashes the index scans them all (vectorised) instead of building the chunk tables."""


@cache
def _flip_masks(width: int, bits: int) -> NDArray[np.int64]:
    """Every `width`-bit mask with at most `bits` bits set (XOR them into a chunk to probe its neighbours)."""
    masks = [0]
    for count in range(1, bits + 1):
        masks.extend(sum(1 << i for i in chosen) for chosen in combinations(range(width), count))
    return np.asarray(masks, dtype=np.int64)


class HammingIndex:
    """Exact radius search over 64-bit hashes by multi-index hashing (see the module docstring)."""

    def __init__(self, hashes: Iterable[int] | NDArray[np.uint64]) -> None:
        self.hashes = np.asarray(hashes if isinstance(hashes, np.ndarray) else list(hashes), dtype=np.uint64)
        self._order: list[NDArray[np.int64]] = []
        self._offsets: list[NDArray[np.int64]] = []
        if len(self.hashes) < SCAN_BELOW:
            return  # a scan is faster than probing, and the tables (64 MB of offsets) are not worth building
        for width, shift in zip(CHUNK_WIDTHS, _SHIFTS, strict=True):
            keys = ((self.hashes >> np.uint64(shift)) & np.uint64((1 << width) - 1)).astype(np.int64)
            self._order.append(np.argsort(keys, kind="stable").astype(np.int64))
            counts = np.bincount(keys, minlength=1 << width)
            self._offsets.append(np.concatenate(([0], np.cumsum(counts))).astype(np.int64))

    def __len__(self) -> int:
        return int(self.hashes.shape[0])

    def within(self, query: int, radius: int) -> NDArray[np.int64]:
        """Positions of the stored hashes within `radius` bits of `query` (sorted)."""
        if not self._order:
            return brute_force_within(self.hashes, query, radius)
        found: list[NDArray[np.int64]] = []
        for chunk, (width, shift) in enumerate(zip(CHUNK_WIDTHS, _SHIFTS, strict=True)):
            probes = ((query >> shift) & ((1 << width) - 1)) ^ _flip_masks(width, radius // len(CHUNK_WIDTHS))
            starts = self._offsets[chunk][probes]
            lengths = self._offsets[chunk][probes + 1] - starts
            total = int(lengths.sum())
            if total == 0:
                continue
            # positions of the slices [start, start + length) laid end to end
            offset = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
            found.append(self._order[chunk][offset + np.arange(total)])
        if not found:
            return np.empty(0, dtype=np.int64)
        # a candidate found on several chunks is checked again rather than deduplicated first (cheaper)
        candidates = np.concatenate(found)
        bits = np.bitwise_count(self.hashes[candidates] ^ np.uint64(query))
        return np.unique(candidates[bits <= radius])


def brute_force_within(hashes: NDArray[np.uint64], query: int, radius: int) -> NDArray[np.int64]:
    """The same answer as `HammingIndex.within` by scanning every hash (the reference for tests and benchmarks)."""
    return np.flatnonzero(np.bitwise_count(hashes ^ np.uint64(query)) <= radius).astype(np.int64)


class PhotoIndex:
    """Photos of many accounts (a workspace, a scan, the watchlist): which of them show the same photo as a query.

    Add every photo with its owner (an account key, a watchlist entry id), then `build()` once; `matches` gives
    each other owner with the closest `Match`.
    """

    def __init__(self) -> None:
        self._owners: list[str] = []
        self._prints: list[Fingerprint] = []
        self._view_hashes: list[int] = []
        self._view_owner: list[int] = []
        self._index: HammingIndex | None = None

    def add(self, owner: str, print_: Fingerprint) -> None:
        position = len(self._owners)
        self._owners.append(owner)
        self._prints.append(print_)
        for view in print_.views:
            self._view_hashes.append(view.phash)
            self._view_owner.append(position)
        self._index = None

    def __len__(self) -> int:
        return len(self._owners)

    def build(self) -> PhotoIndex:
        self._index = HammingIndex(self._view_hashes)
        return self

    def matches(self, query: Fingerprint, exclude: str | None = None) -> dict[str, Match]:
        """Each owner (other than `exclude`) with a photo that is the same photo as `query`, with the best match."""
        if self._index is None:
            self.build()
        assert self._index is not None
        radius = photo_settings().hashes.phash_max
        seen: set[int] = set()
        out: dict[str, Match] = {}
        for view in query.views:
            for position in self._index.within(view.phash, radius):
                seen.add(self._view_owner[int(position)])
        for photo in sorted(seen):
            owner = self._owners[photo]
            if owner == exclude:
                continue
            found = compare(query, self._prints[photo])
            if found is not None and (owner not in out or _bits(found) < _bits(out[owner])):
                out[owner] = found
        return out

    def all_matches(self) -> dict[str, dict[str, Match]]:
        """Each owner whose photo is the same photo as another owner's, with those owners and the best match: one
        query per stored photo (owners without a match are left out). `groups_of` turns it into groups."""
        out: dict[str, dict[str, Match]] = {}
        for owner, print_ in zip(self._owners, self._prints, strict=True):
            for other, found in self.matches(print_, exclude=owner).items():
                mine = out.setdefault(owner, {})
                if other not in mine or _bits(found) < _bits(mine[other]):
                    mine[other] = found
        return out

    def groups(self) -> Iterator[tuple[str, ...]]:
        """Owners that share a photo, as connected groups of two or more (each owner in at most one group)."""
        sets: DisjointSets[int] = DisjointSets(range(len(self._owners)))
        root = sets.find
        positions: dict[str, list[int]] = {}
        for i, owner in enumerate(self._owners):
            positions.setdefault(owner, []).append(i)
        for owners in positions.values():
            for i in owners[1:]:
                sets.attach(root(i), root(owners[0]))
        for i, print_ in enumerate(self._prints):
            for other in self.matches(print_, exclude=self._owners[i]):
                sets.attach(root(positions[other][0]), root(i))
        members: dict[int, set[str]] = {}
        for i, owner in enumerate(self._owners):
            members.setdefault(root(i), set()).add(owner)
        for group in members.values():
            if len(group) > 1:
                yield tuple(sorted(group))


def _bits(match: Match) -> int:
    return match.phash_bits + (match.dhash_bits or 0)


def groups_of(matches: dict[str, dict[str, Match]]) -> list[tuple[str, ...]]:
    """Owners linked by `PhotoIndex.all_matches`, as connected groups of two or more, sorted."""
    sets: DisjointSets[str] = DisjointSets()
    root = sets.find

    for owner, others in matches.items():
        for other in others:
            a, b = root(owner), root(other)
            if a != b:
                sets.attach(max(a, b), min(a, b))
    members: dict[str, set[str]] = {}
    for owner in sets.seen():
        members.setdefault(root(owner), set()).add(owner)
    return sorted(tuple(sorted(group)) for group in members.values() if len(group) > 1)
