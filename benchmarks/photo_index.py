"""Benchmark: photo-hash search at 1,000,000 photos, the multi-index hashing index against brute force, one run.

    .venv/bin/python benchmarks/photo_index.py [--n 1000000] [--queries 2000] [--radius 10]

Data (seeded): N 64-bit pHashes whose bits are skewed like real ones (each bit set with its own probability,
drawn from Beta(4, 4), so chunk tables are unevenly filled), with 5,000 planted groups of 2-6 copies of one photo
(each copy 0-10 bits from the original, as resized, recompressed or slightly cropped copies are). Queries: half are
planted copies (which must find their group), half random hashes of the same distribution.

- falsefriends: `HammingIndex.within` (three chunk tables of 22/21/21 bits, probes within radius // 3 bits,
  candidates checked on the full hash);
- brute force: numpy, `bitwise_count(hashes ^ query) <= radius` over all N (the reference answer);
- faiss (peer, optional: `pip install faiss-cpu`): `IndexBinaryMultiHash(64, 4, 16)` with `range_search` (its
  multi-index hashing, `nflip = radius // 4` so it is exact too), and `IndexBinaryFlat` (its brute force), both
  on one thread.

Recall: for every query, the share of the brute-force answer each method returns (1.0 means exact). Times are
CPU seconds of this process (`time.process_time`) on one thread, so other load on the machine counts less.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from falsefriends.photo.index import HammingIndex, brute_force_within


def make_data(n: int, queries: int, seed: int) -> tuple[np.ndarray, list[int], list[frozenset[int]]]:
    rng = np.random.default_rng(seed)
    probabilities = rng.beta(4, 4, size=64)
    bits = rng.random((n, 64)) < probabilities
    weights = (np.uint64(1) << np.arange(64, dtype=np.uint64))
    hashes = (bits.astype(np.uint64) * weights).sum(axis=1, dtype=np.uint64)
    position = 0
    for _ in range(5_000):
        copies = int(rng.integers(2, 7))
        original = hashes[position]
        for k in range(1, copies):
            flipped = int(original)
            for bit in rng.choice(64, size=int(rng.integers(0, 11)), replace=False):
                flipped ^= 1 << int(bit)
            hashes[position + k] = np.uint64(flipped)
        position += copies
    planted = rng.choice(position, size=queries // 2, replace=False)
    qs = [int(hashes[i]) for i in planted]
    extra = (rng.random((queries - len(qs), 64)) < probabilities).astype(np.uint64) * weights
    qs.extend(int(v) for v in extra.sum(axis=1, dtype=np.uint64))
    return hashes, qs, []


def _multi_hash(faiss: object, radius: int) -> object:
    index = faiss.IndexBinaryMultiHash(64, 4, 16)  # type: ignore[attr-defined]
    index.nflip = radius // 4  # probe chunk values within radius // 4 bits, as ours does (exact by pigeonhole)
    return index


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=2_000)
    parser.add_argument("--radius", type=int, default=10)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    hashes, queries, _ = make_data(args.n, args.queries, args.seed)
    rows: list[tuple[str, float, float, float]] = []

    start = time.process_time()
    index = HammingIndex(hashes)
    build = time.process_time() - start
    start = time.process_time()
    ours = [index.within(q, args.radius) for q in queries]
    ours_s = time.process_time() - start

    start = time.process_time()
    truth = [brute_force_within(hashes, q, args.radius) for q in queries]
    brute_s = time.process_time() - start

    def recall(found: list[np.ndarray]) -> float:
        total = sum(len(t) for t in truth)
        hit = sum(len(np.intersect1d(f, t)) for f, t in zip(found, truth, strict=True))
        return hit / total if total else 1.0

    rows.append(("numpy brute force", 0.0, brute_s, 1.0))
    rows.append(("falsefriends HammingIndex (MIH)", build, ours_s, recall(ours)))
    try:
        import faiss
    except ImportError:
        faiss = None
    if faiss is not None:
        faiss.omp_set_num_threads(1)
        packed = hashes.view(np.uint8).reshape(-1, 8)
        query_packed = np.asarray(queries, dtype=np.uint64).view(np.uint8).reshape(-1, 8)
        for name, make in (("faiss IndexBinaryMultiHash", lambda: _multi_hash(faiss, args.radius)),
                           ("faiss IndexBinaryFlat", lambda: faiss.IndexBinaryFlat(64))):
            start = time.process_time()
            peer = make()
            peer.add(packed)
            peer_build = time.process_time() - start
            start = time.process_time()
            limits, _, labels = peer.range_search(query_packed, args.radius + 1)  # faiss: distance < radius
            peer_s = time.process_time() - start
            found = [np.sort(labels[limits[i]:limits[i + 1]]).astype(np.int64) for i in range(len(queries))]
            rows.append((name, peer_build, peer_s, recall(found)))
    answers = sum(len(t) for t in truth)
    print(f"{args.n:,} hashes, {len(queries):,} queries, radius {args.radius} bits, {answers:,} true answers")
    print("| method | build s | query ms (mean) | queries/s | recall | vs brute force |")
    print("|---|---|---|---|---|---|")
    for name, built, spent, rec in rows:
        per = spent / len(queries) * 1000
        print(f"| {name} | {built:.2f} | {per:.3f} | {len(queries) / spent:,.0f} | {rec:.4f} | "
              f"{brute_s / spent:.1f}x |")


if __name__ == "__main__":
    main()
