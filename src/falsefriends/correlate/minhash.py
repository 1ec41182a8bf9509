"""Vectorised MinHash signatures and LSH banding over integer shingle hashes (numpy, no per-item loops).

A shingle is a 32-bit integer. Each of the `num_perm` hash functions is a multiply-add-shift hash
h(x) = ((a*x + b) mod 2**64) >> 32 with random odd `a` (Dietzfelbinger et al. 1997), evaluated for a
block of shingles against a block of functions at once as a matrix small enough to stay in cache; the
per-document minimum is a segmented `np.minimum.reduceat`. LSH splits a signature into `bands` of `rows`
values, hashes each band to one 64-bit key, and documents that share a key in any band become candidate
pairs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

U64 = NDArray[np.uint64]
U32 = NDArray[np.uint32]
I64 = NDArray[np.int64]

_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_ROW_MUL = np.uint64(0x9E3779B97F4A7C15)
_SHIFT27, _SHIFT30, _SHIFT31 = np.uint64(27), np.uint64(30), np.uint64(31)
# Values mixed at a time by `splitmix64` (256 KB: the block and its scratch stay in the core's cache).
_MIX_BLOCK = 1 << 15

# A block of shingles is hashed against _BLOCK_PERMS functions at a time: a (16 x 8,192) uint64 work array
# of 1 MB reused from block to block, small enough to stay in the core's cache (all 128 functions at once, an
# 8 MB array, took half as long again; allocating large temporaries is ten times slower).
_BLOCK_SHINGLES = 1 << 13
_BLOCK_PERMS = 16
# Documents whose band keys are computed at a time (`Banding.keys`: a 1 MB block at 32 bands).
_KEY_BLOCK = 1 << 12


def sorted_unique(values: I64) -> I64:
    """The distinct values, sorted: `np.unique` by one sort and a neighbour comparison (numpy 2's
    `np.unique` goes through a hash table, ten times slower on millions of int64 codes)."""
    if len(values) == 0:
        return np.asarray(values, dtype=np.int64)
    ordered = np.sort(values)
    first = np.empty(len(ordered), dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return ordered[first]


def stable_order(keys: U64) -> tuple[I64, U64]:
    """`np.argsort(keys, kind="stable")` and the keys in that order, by one plain sort of one array.

    Each key's low bits are replaced by its position and the result sorted (numpy's vectorised sort, several
    times faster than a stable argsort); keys equal in their high bits then stand in position order. That is
    the stable order exactly when the full keys come out non-decreasing. When two different keys share their
    high bits and stand out of order (uniformly mixed keys give about n**2 * 2**(bits - 65) pairs sharing
    them, `bits` the low bits replaced), the stable argsort is used instead.
    """
    n = len(keys)
    bits = max(int(n - 1).bit_length(), 1)
    if n < 2 or bits > 40:
        order = np.argsort(keys, kind="stable")
        return order, keys[order]
    low = np.uint64((1 << bits) - 1)
    tagged = keys & ~low
    tagged |= np.arange(n, dtype=np.uint64)
    tagged.sort()
    tagged &= low
    order = tagged.view(np.int64)
    ordered = keys[order]
    if (ordered[1:] < ordered[:-1]).any():
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
    return order, ordered


def splitmix64(x: U64, *, in_place: bool = False) -> U64:
    """The splitmix64 finaliser: a fast bijective mix of 64-bit integers (arrays wrap on overflow).

    Returns a new C-contiguous array, or mixes `x` itself with `in_place` (a C-contiguous uint64 array). The
    mix runs on blocks small enough to stay in cache, with one scratch block: on millions of values this
    is three times faster than whole-array steps, each allocating a temporary the size of the input.
    """
    if in_place:
        if x.dtype != np.uint64 or not x.flags.c_contiguous:
            raise ValueError("splitmix64 in place needs a C-contiguous uint64 array")
        out = x
    else:
        out = np.array(x, dtype=np.uint64, order="C", copy=True)
    flat = out.reshape(-1)
    scratch = np.empty(min(_MIX_BLOCK, len(flat)), dtype=np.uint64)
    for start in range(0, len(flat), _MIX_BLOCK):
        block = flat[start:start + _MIX_BLOCK]
        spare = scratch[: len(block)]
        np.right_shift(block, _SHIFT30, out=spare)
        block ^= spare
        block *= _MIX1
        np.right_shift(block, _SHIFT27, out=spare)
        block ^= spare
        block *= _MIX2
        np.right_shift(block, _SHIFT31, out=spare)
        block ^= spare
    return out


@dataclass(frozen=True)
class MinHasher:
    """`num_perm` multiply-add-shift hash functions drawn from `seed`; same seed, same signatures."""

    num_perm: int = 128
    seed: int = 20181022
    a: U64 = field(init=False, repr=False, compare=False)
    b: U64 = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.num_perm < 1:
            raise ValueError("num_perm must be at least 1")
        rng = np.random.default_rng(self.seed)
        a = rng.integers(0, np.iinfo(np.uint64).max, size=self.num_perm, dtype=np.uint64, endpoint=True)
        b = rng.integers(0, np.iinfo(np.uint64).max, size=self.num_perm, dtype=np.uint64, endpoint=True)
        object.__setattr__(self, "a", a | np.uint64(1))
        object.__setattr__(self, "b", b)

    def signatures(self, shingles: U32, offsets: I64) -> U32:
        """Signatures of documents whose shingles are `shingles[offsets[i]:offsets[i+1]]`.

        Every document must have at least one shingle. Returns a (documents, num_perm) uint32 array.
        """
        offsets = np.asarray(offsets, dtype=np.int64)
        n_docs = len(offsets) - 1
        if n_docs <= 0:
            return np.zeros((0, self.num_perm), dtype=np.uint32)
        if np.any(np.diff(offsets) <= 0):
            raise ValueError("every document needs at least one shingle")
        out = np.empty((n_docs, self.num_perm), dtype=np.uint32)
        perms = min(self.num_perm, _BLOCK_PERMS)
        buffer = np.empty((perms, _BLOCK_SHINGLES), dtype=np.uint64)
        shift = np.uint64(32)
        # The shift to the high 32 bits is monotone, so it commutes with the minimum: shifting the few
        # minima instead of every hashed value gives the same signature with one pass less.
        doc = 0
        while doc < n_docs:
            # Take whole documents until the block of shingles is full (at least one document).
            stop = int(np.searchsorted(offsets, offsets[doc] + _BLOCK_SHINGLES, side="right")) - 1
            stop = min(max(stop, doc + 1), n_docs)
            lo, hi = int(offsets[doc]), int(offsets[stop])
            if hi - lo > buffer.shape[1]:
                buffer = np.empty((perms, hi - lo), dtype=np.uint64)
            block = shingles[lo:hi].astype(np.uint64)[None, :]
            starts = offsets[doc:stop] - lo
            for first in range(0, self.num_perm, perms):
                last = min(first + perms, self.num_perm)
                work = buffer[: last - first, : hi - lo]
                np.multiply(self.a[first:last, None], block, out=work)
                work += self.b[first:last, None]
                minima = np.minimum.reduceat(work, starts, axis=1)
                minima >>= shift
                out[doc:stop, first:last] = minima.T
            doc = stop
        return out


def estimated_jaccard(signatures: U32, left: I64, right: I64, chunk: int = 1 << 10) -> NDArray[np.float64]:
    """MinHash estimate of the Jaccard similarity of each pair (left[k], right[k]): the share of equal values.

    Pairs are compared `chunk` at a time in buffers reused from chunk to chunk (small enough to stay in
    cache: twice as fast as whole gathers of millions of values)."""
    width = signatures.shape[1]
    result = np.empty(len(left), dtype=np.float64)
    rows = min(chunk, len(left))
    a = np.empty((rows, width), dtype=signatures.dtype)
    b = np.empty((rows, width), dtype=signatures.dtype)
    equal = np.empty((rows, width), dtype=bool)
    for start in range(0, len(left), chunk):
        these = left[start:start + chunk]
        k = len(these)
        np.take(signatures, these, axis=0, out=a[:k])
        np.take(signatures, right[start:start + chunk], axis=0, out=b[:k])
        np.equal(a[:k], b[:k], out=equal[:k])
        result[start:start + k] = np.count_nonzero(equal[:k], axis=1)
    result /= width
    return result


def _merge(component: I64, left: I64, right: I64) -> I64:
    """`component` (a label per document) with the components that the pairs of labels (left, right) join
    merged. Few pairs (most bands after the first): a graph over just the labels they name, each merged
    component under the smallest of its labels; many: a graph over every label."""
    n = len(component)
    if not len(left):
        return component
    if len(left) * 32 > n:
        graph = coo_matrix((np.ones(len(left), dtype=np.int8), (left, right)), shape=(n, n))
        _, merged = connected_components(graph, directed=False)
        return merged[component].astype(np.int64)
    named = sorted_unique(np.concatenate((left, right)))
    graph = coo_matrix((np.ones(len(left), dtype=np.int8),
                        (np.searchsorted(named, left), np.searchsorted(named, right))), shape=(len(named), len(named)))
    _, joined = connected_components(graph, directed=False)
    smallest = np.empty(int(joined.max()) + 1, dtype=np.int64)
    smallest[joined[::-1]] = named[::-1]  # the last write wins: each joined component's smallest label
    relabel = np.arange(n, dtype=np.int64)
    relabel[named] = smallest[joined]
    return relabel[component]


@dataclass(frozen=True)
class Banding:
    """LSH banding: `bands` bands of `rows` signature values each (bands * rows <= num_perm).

    Two documents with Jaccard similarity s share at least one band with probability
    1 - (1 - s**rows)**bands; the threshold where that curve rises is about (1/bands)**(1/rows).
    """

    bands: int = 32
    rows: int = 4

    def threshold(self) -> float:
        return float((1.0 / self.bands) ** (1.0 / self.rows))

    def keys(self, signatures: U32) -> U64:
        """One 64-bit key per (document, band): equal bands, equal keys; two different bands of one run
        collide with probability about 2**-64. Band b is signature values b*rows .. b*rows+rows-1, read as
        one polynomial in `_ROW_MUL` and mixed once (keys are only compared within one run, never persisted).

        The (documents, bands) array returned is the transpose of a C-contiguous (bands, documents) one: each
        band's keys lie together, as the band-by-band sort of `similar_components` reads them. It is filled a
        block of documents at a time, so that the block and its transpose stay in cache.
        """
        n, width = signatures.shape
        if self.bands * self.rows > width:
            needed = self.bands * self.rows
            raise ValueError(f"{self.bands} bands x {self.rows} rows need {needed} signature values, have {width}")
        by_band = np.empty((self.bands, n), dtype=np.uint64)
        for start in range(0, n, _KEY_BLOCK):
            bands = signatures[start:start + _KEY_BLOCK, : self.bands * self.rows].reshape(-1, self.bands, self.rows)
            keys = bands[:, :, 0].astype(np.uint64)
            for row in range(1, self.rows):
                keys *= _ROW_MUL
                keys += bands[:, :, row]
            by_band[:, start:start + _KEY_BLOCK] = splitmix64(keys, in_place=True).T
        return by_band.T

    @staticmethod
    def _band_pairs(band_keys: U64) -> tuple[I64, I64]:
        """The chain and star pairs (unordered) of each bucket of one band (see `candidate_pairs`)."""
        n = len(band_keys)
        order, sorted_keys = stable_order(band_keys)
        # Position p of the sorted keys is a bucket's member after its first exactly when its key equals the
        # one before: it pairs with that one (the chain) and with its bucket's first member (the star).
        later = np.flatnonzero(sorted_keys[1:] == sorted_keys[:-1]) + 1
        if not len(later):
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        first = np.ones(n, dtype=bool)
        first[later] = False
        head = np.maximum.accumulate(np.where(first, np.arange(n), 0))
        right = order[later]
        left = np.concatenate((order[later - 1], order[head[later]]))
        return left.astype(np.int64), np.concatenate((right, right)).astype(np.int64)

    def candidate_pairs(self, keys: U64, merge_every: int = 8) -> tuple[I64, I64]:
        """Pairs (i < j) that share a band key, without enumerating every pair of a large bucket.

        A bucket of g documents yields its chain (consecutive members) and its star (each member with
        the first): O(g) pairs that connect the bucket, enough for clustering by connected components.
        """
        n = keys.shape[0]
        codes: list[I64] = []
        merged = np.zeros(0, dtype=np.int64)
        for band in range(keys.shape[1]):
            left, right = self._band_pairs(keys[:, band])
            if not len(left):
                continue
            lo, hi = np.minimum(left, right), np.maximum(left, right)
            codes.append(lo * n + hi)
            if len(codes) >= merge_every:
                merged = sorted_unique(np.concatenate([merged, *codes]))
                codes = []
        merged = sorted_unique(np.concatenate([merged, *codes])) if codes else merged
        return merged // n, merged % n

    def similar_components(self, keys: U64, signatures: U32, threshold: float,
                           usable: NDArray[np.bool_] | None = None) -> I64:
        """Connected components of the candidate pairs (`candidate_pairs`, both ends `usable`) whose
        estimated Jaccard similarity reaches `threshold`, labelled as `connected_components` labels them.

        Band by band, a candidate pair whose ends the similar pairs of earlier bands already connect cannot
        change the components, so it is neither deduplicated nor verified: in a corpus of templates most
        pairs of the second band on are such pairs. The components are those of all similar candidate pairs.
        """
        n = keys.shape[0]
        component = np.arange(n, dtype=np.int64)
        found_left: list[I64] = []
        found_right: list[I64] = []
        by_band = np.ascontiguousarray(keys.T)  # each band's keys contiguous, for its sort (as `keys` gives them)
        for band_keys in by_band:
            left, right = self._band_pairs(band_keys)
            keep = component[left] != component[right]
            if usable is not None:
                keep &= usable[left] & usable[right]
            left, right = left[keep], right[keep]
            if not len(left):
                continue
            similar = estimated_jaccard(signatures, left, right) >= threshold
            left, right = left[similar], right[similar]
            if not len(left):
                continue
            found_left.append(left)
            found_right.append(right)
            component = _merge(component, component[left], component[right])
        left = np.concatenate(found_left) if found_left else np.zeros(0, dtype=np.int64)
        right = np.concatenate(found_right) if found_right else np.zeros(0, dtype=np.int64)
        graph = coo_matrix((np.ones(len(left), dtype=np.int8), (left, right)), shape=(n, n))
        _, labels = connected_components(graph, directed=False)
        return labels.astype(np.int64)

    def share_a_band(self, keys: U64, left: I64, right: I64) -> NDArray[np.bool_]:
        """Whether each pair is an LSH candidate (shares at least one band key)."""
        return np.asarray((keys[left] == keys[right]).any(axis=1))
