"""Benchmark: the blocked watchlist matcher against brute-force rapidfuzz over all pairs, in one run.

    .venv/bin/python benchmarks/watchlist_match.py [--entries 10000] [--queries 100000] [--sample 2000]

Generates (seeded) a list of `--entries` names (persons and organisations) and `--queries` query names: a
fifth are variants of listed names (typos, re-ordering, legal forms, case and accents), the rest other
generated names from the same small vocabulary, so many are near a listed one (a hard, dense case).

- bulk: `WatchlistMatcher.match_names` on all queries at once (see `watchlist/bulk.py`: candidates through
  counterparts of each name's rarest words, logic-v1 screened as arrays, full logic-v1 with evidence on the
  kept pairs), per kind;
- blocked: `WatchlistMatcher.match_name` (blocking index, then full logic-v1 with evidence) on every query;
- peer, rapidfuzz alone: `process.cdist` (`fuzz.ratio` at the spelling cutoff, uint8, one worker) of every
  query against every listed form of its kind, measured on all queries (in chunks of 5,000 queries): the
  spelling prefilter a user of rapidfuzz would write, before any logic-v1;
- brute force: the same matching with the index replaced by `rapidfuzz.process.cdist` (`fuzz.ratio`, the
  spelling similarity the prefilter uses, same cutoff) of each query against every listed form of its kind,
  then logic-v1 on every pair cdist puts forward (the exact-key candidates are added to both). The full
  product is slow in Python, so brute force runs on `--sample` queries and its time is extrapolated linearly
  to all queries (its cost is linear in the number of queries); the output says so.
- recall of the bulk and of the blocked matcher relative to brute force, on the sample: of the (query,
  entry) matches brute force accepts, the share each also returns. The raw prefilter recall (pairs at or above
  the spelling cutoff, before logic-v1) is printed too: blocking skips pairs that share only generic words
  ("Institute of International Affairs"), which logic-v1 rejects anyway.
Times are CPU seconds of this process (`time.process_time`), so other load on the machine counts less (it
still slows a shared core's caches); everything runs on one core. The load average is printed.
"""

from __future__ import annotations

import argparse
import os
import random
import time

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from falsefriends.watchlist.entries import Entry, EntryKind, Provenance, Status, Watchlist
from falsefriends.watchlist.features import LOGIC_V1, fuzzy_similarity
from falsefriends.watchlist.matcher import WatchlistMatcher
from falsefriends.watchlist.normalise import prepare
from falsefriends.watchlist.variants import case_and_accents, legal_suffix, reorder, synthetic_names, typo


def build(entries: int, queries: int, seed: int) -> tuple[Watchlist, list[tuple[str, EntryKind]]]:
    rng = random.Random(seed)
    names = synthetic_names(rng, entries + queries)
    listed, others = names[:entries], names[entries:]
    source = (Provenance(source="benchmark", status=Status.ANALYST),)
    watchlist = Watchlist(version="benchmark", entries=tuple(
        Entry(id=f"e{i}", kind=kind, name=name, provenance=source) for i, (name, kind) in enumerate(listed)))
    made: list[tuple[str, EntryKind]] = []
    for i in range(queries):
        if i % 5 == 0:
            name, kind = rng.choice(listed)
            change = rng.choice((typo, case_and_accents, reorder, legal_suffix))
            if change is legal_suffix and kind is EntryKind.PERSONA:
                change = typo
            made.append((change(name, rng) or name, kind))
        else:
            made.append(others[i])
    return watchlist, made


def brute_force(matcher: WatchlistMatcher, queries: list[tuple[str, EntryKind]], cutoff: float
                ) -> tuple[list[set[str]], float, int, list[set[int]]]:
    """Matches of each query by exhaustive cdist + logic-v1; the CPU time of cdist alone; raw pairs found."""
    kinds = {kind: [(i, f) for i, f in enumerate(matcher.index.forms)
                    if f.organisation is (kind is EntryKind.ORGANISATION)]
             for kind in (EntryKind.PERSONA, EntryKind.ORGANISATION)}
    matches: list[set[str]] = [set() for _ in queries]
    raw: list[set[int]] = [set() for _ in queries]
    cdist_s = 0.0
    for kind, kind_forms in kinds.items():
        organisation = kind is EntryKind.ORGANISATION
        rows = [i for i, (_, k) in enumerate(queries) if k is kind]
        prepared = [prepare(queries[i][0]) for i in rows]
        choices = [f.sorted_text for _, f in kind_forms]
        start = time.process_time()
        scores = cdist([q.sorted_text(organisation) for q in prepared], choices, scorer=fuzz.ratio,
                       score_cutoff=cutoff * 100, dtype=np.uint8, workers=1)
        cdist_s += time.process_time() - start
        pairs: dict[int, set[int]] = {}
        for row, col in zip(*(a.tolist() for a in np.nonzero(scores)), strict=True):
            pairs.setdefault(row, set()).add(kind_forms[col][0])
        for row, query in enumerate(prepared):
            candidates = pairs.get(row, set())
            raw[rows[row]] = set(candidates)
            candidates |= matcher.index.exact_candidates(query, organisation)
            for form_id in candidates:
                form = matcher.index.forms[form_id]
                if form.organisation is organisation and \
                        matcher.algorithm.compare(query, form.form, organisation).score >= matcher.algorithm.threshold:
                    matches[rows[row]].add(matcher.entries[form.entry].id)
    return matches, cdist_s, sum(len(r) for r in raw), raw


def cdist_everything(matcher: WatchlistMatcher, queries: list[tuple[str, EntryKind]], cutoff: float
                     ) -> tuple[float, int]:
    """CPU seconds of rapidfuzz `cdist` over every query x every listed form of its kind, and the pairs found."""
    seconds, found = 0.0, 0
    for kind in (EntryKind.PERSONA, EntryKind.ORGANISATION):
        organisation = kind is EntryKind.ORGANISATION
        texts = [prepare(name).sorted_text(organisation) for name, k in queries if k is kind]
        choices = [f.sorted_text for f in matcher.index.forms if f.organisation is organisation]
        for start in range(0, len(texts), 5000):
            begin = time.process_time()
            scores = cdist(texts[start:start + 5000], choices, scorer=fuzz.ratio, score_cutoff=cutoff * 100,
                           dtype=np.uint8, workers=1)
            seconds += time.process_time() - begin
            found += int(np.count_nonzero(scores))
    return seconds, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=2_000, help="queries for brute force and recall")
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()

    watchlist, queries = build(args.entries, args.queries, args.seed)
    fuzzy_weight = next(f.weight for f in LOGIC_V1.features if f.function is fuzzy_similarity)
    cutoff = LOGIC_V1.threshold / fuzzy_weight

    start = time.process_time()
    matcher = WatchlistMatcher(watchlist)
    index_s = time.process_time() - start
    start = time.process_time()
    bulk: list[set[str]] = [set() for _ in queries]
    for kind in (EntryKind.PERSONA, EntryKind.ORGANISATION):
        rows = [i for i, (_, k) in enumerate(queries) if k is kind]
        answers = matcher.match_names([queries[i][0] for i in rows], [kind], limit=100_000)
        for i, hits in zip(rows, answers, strict=True):
            bulk[i] = {h.entry.id for h in hits}
    bulk_s = time.process_time() - start
    start = time.process_time()
    blocked = [{h.entry.id for h in matcher.match_name(name, [kind], limit=100_000)} for name, kind in queries]
    blocked_s = time.process_time() - start
    cdist_all_s, cdist_pairs = cdist_everything(matcher, queries, cutoff)

    rng = random.Random(args.seed + 1)
    picked = sorted(rng.sample(range(len(queries)), min(args.sample, len(queries))))
    sample = [queries[i] for i in picked]
    start = time.process_time()
    brute, cdist_s, raw_pairs, raw = brute_force(matcher, sample, cutoff)
    brute_s = time.process_time() - start
    scale = len(queries) / len(sample)

    wanted = sum(len(m) for m in brute)
    found = sum(len(m & blocked[i]) for m, i in zip(brute, picked, strict=True))
    bulk_found = sum(len(m & bulk[i]) for m, i in zip(brute, picked, strict=True))
    raw_found = 0
    for row, i in enumerate(picked):
        name, kind = queries[i]
        organisation = kind is EntryKind.ORGANISATION
        raw_found += len(raw[row] & matcher.index.fuzzy_candidates(prepare(name), organisation, cutoff))
    print(f"load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"list: {len(watchlist.entries):,} entries ({len(matcher.index):,} name forms); "
          f"queries: {len(queries):,}; {LOGIC_V1.name}, spelling cutoff {cutoff:.3f}; CPU seconds, one core")
    print(f"bulk matcher (match_names): {bulk_s:.1f} s ({1e6 * bulk_s / len(queries):.0f} us/query), "
          f"{sum(len(b) for b in bulk):,} matches")
    print(f"rapidfuzz cdist alone over all {len(queries):,} queries x listed forms: {cdist_all_s:.1f} s "
          f"({cdist_pairs:,} pairs at the cutoff, before logic-v1)")
    print(f"time ratio rapidfuzz cdist alone / bulk: {cdist_all_s / bulk_s:.2f}x; brute force end to end / bulk: "
          f"{brute_s * scale / bulk_s:.1f}x; blocked / bulk: {blocked_s / bulk_s:.1f}x")
    print(f"recall of the bulk matcher relative to brute force: {bulk_found / wanted if wanted else 1.0:.4f} "
          f"({bulk_found:,} of {wanted:,} matches on the sample)")
    print(f"blocked matcher: index {index_s:.2f} s, matching {blocked_s:.1f} s "
          f"({1e6 * blocked_s / len(queries):.0f} us/query), {sum(len(b) for b in blocked):,} matches")
    print(f"brute force (cdist over all pairs + logic-v1 on its pairs) on {len(sample):,} sampled queries: "
          f"{brute_s:.1f} s (cdist alone {cdist_s:.2f} s); extrapolated to {len(queries):,} queries: "
          f"{brute_s * scale:.1f} s (cdist alone {cdist_s * scale:.1f} s)")
    print(f"time ratio brute force / blocked: {brute_s * scale / blocked_s:.1f}x end to end "
          f"(cdist alone / blocked: {cdist_s * scale / blocked_s:.2f}x)")
    print(f"recall of the blocked matcher relative to brute force: {found / wanted if wanted else 1.0:.4f} "
          f"({found:,} of {wanted:,} matches on the sample)")
    print(f"raw prefilter recall (pairs >= cutoff before logic-v1): {raw_found / raw_pairs if raw_pairs else 1.0:.4f} "
          f"({raw_found:,} of {raw_pairs:,})")


if __name__ == "__main__":
    main()
