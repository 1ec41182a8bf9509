"""Evaluate name matching on generated variants of listed names and on decoys; print precision and recall.

    python -m falsefriends.watchlist.evaluate [--seed 7] [--per-kind 3] [--json]

A variant counts as found when the best hit is the entry it was made from; a hit on another entry is a
false positive (and the variant is missed); any hit for a decoy is a false positive. The generators live
in `variants.py`; they are seeded and written once for all entries, never tuned on single cases.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from falsefriends.metrics import BinaryCounts
from falsefriends.watchlist.entries import Watchlist
from falsefriends.watchlist.matcher import WatchlistMatcher
from falsefriends.watchlist.variants import Case, decoys, variants


@dataclass
class Tally:
    """Counts for one group of cases (a variant kind or a decoy kind)."""

    cases: int = 0
    found: int = 0
    wrong_entry: int = 0
    false_hits: int = 0
    examples_missed: list[str] = field(default_factory=list)


@dataclass
class Report:
    """The evaluation's figures: overall precision/recall and the breakdown by how cases were made."""

    algorithm: str
    seed: int
    entries: int
    positives: int
    decoys: int
    precision: float
    recall: float
    f1: float
    by_variant: dict[str, Tally]
    by_decoy: dict[str, Tally]


def evaluate(watchlist: Watchlist, seed: int = 7, per_kind: int = 3, persons: int = 300,
             organisations: int = 150) -> Report:
    """Run the evaluation on `watchlist` (see the module docstring)."""
    rng = random.Random(seed)
    entries = list(watchlist.entries)
    cases: list[Case] = variants(entries, rng, per_kind) + decoys(entries, rng, persons, organisations)
    matcher = WatchlistMatcher(watchlist)
    tp = fp = fn = tn = 0
    by_variant: dict[str, Tally] = defaultdict(Tally)
    by_decoy: dict[str, Tally] = defaultdict(Tally)
    for case in cases:
        hits = matcher.match_name(case.query, [case.kind], limit=1)
        best = hits[0].entry.id if hits else None
        if case.target is not None:
            tally = by_variant[f"{case.kind.value}:{case.how}"]
            tally.cases += 1
            if best == case.target:
                tp += 1
                tally.found += 1
            else:
                fn += 1
                if best is not None:
                    fp += 1
                    tally.wrong_entry += 1
                if len(tally.examples_missed) < 5:
                    tally.examples_missed.append(case.query)
        else:
            tally = by_decoy[f"{case.kind.value}:{case.how}"]
            tally.cases += 1
            if best is not None:
                fp += 1
                tally.false_hits += 1
                if len(tally.examples_missed) < 5:
                    tally.examples_missed.append(f"{case.query} -> {best}")
            else:
                tn += 1
    counts = BinaryCounts(tp=tp, fp=fp, tn=tn, fn=fn)
    return Report(algorithm=matcher.algorithm.name, seed=seed, entries=len(entries),
                  positives=sum(1 for c in cases if c.target), decoys=sum(1 for c in cases if not c.target),
                  precision=round(counts.precision, 4), recall=round(counts.recall, 4), f1=round(counts.f1, 4),
                  by_variant=dict(sorted(by_variant.items())), by_decoy=dict(sorted(by_decoy.items())))


def format_report(report: Report) -> str:
    lines = [
        f"watchlist name matching, {report.algorithm}, seed {report.seed}: {report.entries} listed entries, "
        f"{report.positives} variants, {report.decoys} decoys",
        f"precision {report.precision:.3f}  recall {report.recall:.3f}  F1 {report.f1:.3f}",
        "", "recall by variant:",
    ]
    for name, t in report.by_variant.items():
        lines.append(f"  {name:28} {t.found:4}/{t.cases:<4} {t.found / t.cases:6.3f}"
                     + (f"   missed e.g. {', '.join(t.examples_missed[:3])}" if t.examples_missed else ""))
    lines += ["", "false hits by decoy:"]
    for name, t in report.by_decoy.items():
        lines.append(f"  {name:28} {t.false_hits:4}/{t.cases:<4} {t.false_hits / t.cases:6.3f}"
                     + (f"   e.g. {'; '.join(t.examples_missed[:3])}" if t.examples_missed else ""))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--per-kind", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    from falsefriends.watchlist.bundled import bundled_watchlist

    report = evaluate(bundled_watchlist(), seed=args.seed, per_kind=args.per_kind)
    print(json.dumps(asdict(report), indent=2) if args.json else format_report(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
