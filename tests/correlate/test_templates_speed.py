"""The vectorised shingling and pair deduplication give exactly what the plain per-document code gives.

The reference functions below are the straightforward versions that `ShingleHasher` and
`Banding.candidate_pairs` replaced (a Python loop per document, `np.unique`); clustering must not change
by a single label when the fast path is used.
"""

from __future__ import annotations

import hashlib
import itertools
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from falsefriends.correlate.minhash import (
    Banding,
    MinHasher,
    estimated_jaccard,
    sorted_unique,
    splitmix64,
    stable_order,
)
from falsefriends.correlate.normalise import FRAMING, GREET, SIGNOFF, normalise
from falsefriends.correlate.templates import ShingleHasher, cluster_texts


def reference_shingles(token_lists: list[list[str]], size: int = 3) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One document at a time: drop framing markers, pad short lists, hash each shingle."""
    def token_hash(token: str) -> int:
        return int.from_bytes(hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest(), "little")

    shingles: list[int] = []
    counts: list[int] = []
    content: list[bool] = []
    for tokens in token_lists:
        kept = [t for t in tokens if t not in FRAMING]
        content.append(bool(kept))
        kept = kept + ["<pad>"] * max(0, size - len(kept))
        hashed = np.array([token_hash(t) for t in kept], dtype=np.uint64)
        for start in range(len(kept) - size + 1):
            combined = np.zeros(1, dtype=np.uint64)
            for offset in range(size):
                mixed = combined * np.uint64(0x9E3779B97F4A7C15) + hashed[start + offset: start + offset + 1]
                combined = splitmix64(mixed)
            shingles.append(int(combined[0] >> np.uint64(32)))
        counts.append(len(kept) - size + 1)
    return np.array(shingles, dtype=np.uint32), np.array(counts, dtype=np.int64), np.array(content, dtype=bool)


def reference_labels(texts: list[str]) -> np.ndarray:
    """Clusters as `cluster_texts` made them with the per-document shingler and `np.unique` of all pairs."""
    forms: dict[str, int] = {}
    form_of: list[int] = []
    token_lists: list[list[str]] = []
    for text in texts:
        tokens = normalise(text)
        key = " ".join(tokens)
        if key not in forms:
            forms[key] = len(token_lists)
            token_lists.append(tokens)
        form_of.append(forms[key])
    shingles, counts, content = reference_shingles(token_lists)
    signatures = MinHasher().signatures(shingles, np.concatenate(([0], np.cumsum(counts))))
    banding = Banding()
    keys = banding.keys(signatures)
    n = len(token_lists)
    codes = []
    for band in range(keys.shape[1]):
        buckets: dict[int, list[int]] = {}
        for doc, key in enumerate(keys[:, band].tolist()):
            buckets.setdefault(key, []).append(doc)
        for members in buckets.values():
            # the chain and the star of each bucket, as `candidate_pairs` documents
            codes += [min(a, b) * n + max(a, b) for a, b in itertools.pairwise(members)]
            codes += [min(members[0], m) * n + max(members[0], m) for m in members[1:]]
    merged = np.unique(np.array(codes, dtype=np.int64))
    left, right = merged // n, merged % n
    keep = content[left] & content[right]
    left, right = left[keep], right[keep]
    similar = estimated_jaccard(signatures, left, right) >= 0.5
    graph = coo_matrix((np.ones(int(similar.sum()), dtype=np.int8), (left[similar], right[similar])), shape=(n, n))
    _, component = connected_components(graph, directed=False)
    return np.where(content, component, -1)[np.array(form_of)]


TOKENS = st.lists(st.sampled_from(["we", "pay", "well", "for", "notes", GREET, SIGNOFF, "<pad>", "<num>", "é"]),
                  max_size=9)


@settings(max_examples=150, deadline=None)
@given(st.lists(TOKENS, max_size=12), st.integers(1, 4))
def test_shingler_equals_the_per_document_reference(token_lists: list[list[str]], size: int) -> None:
    shingles, counts, content = ShingleHasher(size).hash_lists(token_lists)
    expected = reference_shingles(token_lists, size)
    assert shingles.tolist() == expected[0].tolist()
    assert counts.tolist() == expected[1].tolist()
    assert content.tolist() == expected[2].tolist()


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["we", "pay", "well", "for", "notes", GREET, SIGNOFF, "<num>", "é"]),
                         min_size=6, max_size=14), max_size=12), st.integers(1, 3))
def test_shingler_without_padding_equals_the_reference(token_lists: list[list[str]], size: int) -> None:
    """Lists long enough to need no padding once framing markers are dropped (the shingler's short path), and
    the same lists among short ones."""
    for lists in (token_lists, [*token_lists, [GREET, "we"], []]):
        shingles, counts, content = ShingleHasher(size).hash_lists(lists)
        expected = reference_shingles(lists, size)
        assert shingles.tolist() == expected[0].tolist()
        assert counts.tolist() == expected[1].tolist()
        assert content.tolist() == expected[2].tolist()


def test_shingler_keeps_token_hashes_across_batches() -> None:
    hasher = ShingleHasher()
    first = hasher([["a", "b", "c", "d"]])
    hasher([["x", "y", "z", GREET]])
    again = hasher([["a", "b", "c", "d"]])
    assert first[0].tolist() == again[0].tolist()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(-(2 ** 40), 2 ** 40), max_size=200))
def test_sorted_unique_equals_np_unique(values: list[int]) -> None:
    array = np.array(values, dtype=np.int64)
    assert sorted_unique(array).tolist() == np.unique(array).tolist()


def test_clustering_is_unchanged_by_the_fast_path() -> None:
    rng = random.Random(5)
    words = [f"w{i}" for i in range(300)]
    bases = [[rng.choice(words) for _ in range(rng.randint(15, 40))] for _ in range(40)]
    texts = []
    for _ in range(1500):
        if rng.random() < 0.6:
            tokens = list(rng.choice(bases))
            for _ in range(rng.randint(0, 2)):
                tokens[rng.randrange(len(tokens))] = rng.choice(words)
        else:
            tokens = [rng.choice(words) for _ in range(rng.randint(0, 30))]
        greeting = rng.choice(["Dear Anna,\n", "Bonjour Zhang Wei,\n", ""])
        texts.append(greeting + " ".join(tokens) + rng.choice(["", "\nBest regards, Omar", "\n1,500 EUR"]))
    texts += ["", "Hello", "Dear Anna,\nKind regards"]
    clusters = cluster_texts(texts)
    expected = reference_labels(texts)
    assert clusters.labels.tolist() == expected.tolist()
    sizes = np.bincount(expected[expected >= 0])
    assert (sizes >= 10).sum() >= 30  # the corpus does hold clusters of variants


def test_clustering_of_texts_all_of_new_forms() -> None:
    """Every text a new form (the shingler takes the batch's ids as they are), and the same texts with repeats."""
    rng = random.Random(9)
    words = [f"w{i}" for i in range(50)]
    base = [rng.choice(words) for _ in range(30)]
    texts = [" ".join([*base[:i], f"x{i}", *base[i:]]) for i in range(30)] + ["Dear Anna,\nshort one", ""]
    clusters = cluster_texts(texts)
    assert len(clusters.representative) == len(texts)
    assert clusters.labels.tolist() == reference_labels(texts).tolist()
    again = cluster_texts(texts + texts[:5])
    assert again.signatures.tolist() == clusters.signatures.tolist()
    assert again.labels[:len(texts)].tolist() == clusters.labels.tolist()


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 300), st.integers(1, 4), st.integers(0, 2 ** 31), st.floats(0.0, 1.0))
def test_components_band_by_band_equal_those_of_all_verified_pairs(n: int, values: int, seed: int,
                                                                   threshold: float) -> None:
    # Few distinct signature values: many shared bands, buckets of every size, similarities on both sides.
    rng = np.random.default_rng(seed)
    signatures = rng.integers(0, values + 1, size=(n, 16), dtype=np.uint32)
    usable = rng.random(n) < 0.9
    banding = Banding(bands=8, rows=2)
    keys = banding.keys(signatures)
    left, right = banding.candidate_pairs(keys)
    keep = usable[left] & usable[right]
    left, right = left[keep], right[keep]
    similar = estimated_jaccard(signatures, left, right) >= threshold
    graph = coo_matrix((np.ones(int(similar.sum()), dtype=np.int8), (left[similar], right[similar])), shape=(n, n))
    _, expected = connected_components(graph, directed=False)
    got = banding.similar_components(keys, signatures, threshold, usable)
    assert got.tolist() == expected.tolist()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 2 ** 64 - 1), max_size=300), st.integers(0, 6), st.integers(0, 2 ** 31))
def test_stable_order_is_the_stable_argsort(values: list[int], spread: int, seed: int) -> None:
    """Repeated keys, and keys that differ only in their low bits (those the sort replaces by positions), in
    any order: the order and the ordered keys are those of numpy's stable argsort."""
    rng = np.random.default_rng(seed)
    keys = np.array(values, dtype=np.uint64)
    if len(keys):
        keys = keys[rng.integers(0, len(keys), size=len(keys) * 2)]  # repeats
        keys ^= rng.integers(0, 2 ** spread, size=len(keys), dtype=np.uint64)  # low-bit neighbours
    order, ordered = stable_order(keys)
    expected = np.argsort(keys, kind="stable")
    assert order.tolist() == expected.tolist()
    assert ordered.tolist() == keys[expected].tolist()


def test_stable_order_falls_back_when_high_bits_tie_out_of_order() -> None:
    # Two positions: the sort keeps one low bit for them; 3 and 2 share the rest, so position order puts 3 first.
    order, ordered = stable_order(np.array([3, 2, 3], dtype=np.uint64))
    assert order.tolist() == [1, 0, 2]
    assert ordered.tolist() == [2, 3, 3]


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 200), st.integers(1, 3), st.integers(1, 5), st.integers(0, 2 ** 31))
def test_band_keys_are_equal_exactly_when_the_bands_are(n: int, values: int, rows: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    bands = 6
    signatures = rng.integers(0, values + 1, size=(n, bands * rows + 1), dtype=np.uint32)
    keys = Banding(bands=bands, rows=rows).keys(signatures)
    assert keys.shape == (n, bands)
    for band in range(bands):
        tuples = [tuple(row) for row in signatures[:, band * rows:(band + 1) * rows].tolist()]
        for i in range(min(n, 30)):
            for j in range(n):
                assert (keys[i, band] == keys[j, band]) == (tuples[i] == tuples[j])


def test_splitmix64_in_blocks_equals_the_formula() -> None:
    """Across block boundaries, on a copy or in place, each value mixed as the plain formula mixes it."""
    rng = np.random.default_rng(3)
    values = rng.integers(0, 2 ** 64 - 1, size=(3, 40_000), dtype=np.uint64, endpoint=True)

    def formula(z: int) -> int:
        mask = 2 ** 64 - 1
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9 & mask
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB & mask
        return z ^ (z >> 31)

    expected = [formula(v) for v in values.ravel().tolist()]
    copied = splitmix64(values)
    assert copied.shape == values.shape and copied.ravel().tolist() == expected
    assert values.ravel().tolist() != expected  # the argument is left as it was
    splitmix64(values, in_place=True)
    assert values.ravel().tolist() == expected
    assert splitmix64(values.T[::2]).tolist() == splitmix64(np.ascontiguousarray(values.T[::2])).tolist()
    with pytest.raises(ValueError):
        splitmix64(values.T, in_place=True)


@pytest.mark.parametrize("num_perm", [1, 7, 16, 20, 128])
def test_signatures_in_blocks_equal_the_formula(num_perm: int) -> None:
    """Blocks of functions and of shingles (a document longer than a block among short ones): each value is the
    minimum over the document of ((a * x + b) mod 2**64) >> 32, as the class documents."""
    rng = np.random.default_rng(num_perm)
    lengths = rng.integers(1, 60, size=400)
    lengths[17] = 20_000  # more shingles than one block
    offsets = np.concatenate(([0], np.cumsum(lengths)))
    shingles = rng.integers(0, 2 ** 32, size=int(offsets[-1]), dtype=np.uint32)
    hasher = MinHasher(num_perm=num_perm, seed=5)
    got = hasher.signatures(shingles, offsets)
    assert got.shape == (len(lengths), num_perm)
    a, b = hasher.a[None, :], hasher.b[None, :]
    for doc in range(len(lengths)):
        x = shingles[offsets[doc]:offsets[doc + 1]].astype(np.uint64)[:, None]
        assert got[doc].tolist() == ((x * a + b).min(axis=0) >> np.uint64(32)).tolist()


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 400), st.integers(0, 60), st.integers(0, 2 ** 31))
def test_merging_components_gives_the_partition_of_the_whole_graph(n: int, pairs: int, seed: int) -> None:
    """Both ways of merging (few pairs: a graph over the labels they name; many: over every label) give the
    partition that the components of the earlier labels and the new pairs together make."""
    from falsefriends.correlate.minhash import _merge

    rng = np.random.default_rng(seed)
    component = rng.integers(0, max(n // 3, 1), size=n)  # labels standing for earlier components
    left, right = rng.integers(0, n, size=pairs), rng.integers(0, n, size=pairs)
    got = _merge(component, component[left], component[right])
    # the reference: documents of one label joined, then the pairs' documents
    same_label = [(i, int(np.flatnonzero(component == component[i])[0])) for i in range(n)]
    edges = np.array(same_label + list(zip(left.tolist(), right.tolist(), strict=True)), dtype=np.int64)
    graph = coo_matrix((np.ones(len(edges), dtype=np.int8), (edges[:, 0], edges[:, 1])), shape=(n, n))
    _, expected = connected_components(graph, directed=False)
    for i in range(n):
        assert (got == got[i]).tolist() == (expected == expected[i]).tolist()
