from __future__ import annotations

import random

from falsefriends.watchlist.bundled import bundled_watchlist
from falsefriends.watchlist.entries import EntryKind
from falsefriends.watchlist.evaluate import evaluate, format_report
from falsefriends.watchlist.variants import acronym, decoys, pinyin_spelling, reorder, variants


def test_generators_are_seeded_and_make_what_they_say() -> None:
    entries = list(bundled_watchlist().entries)
    assert variants(entries, random.Random(1)) == variants(entries, random.Random(1))
    assert acronym("China Center of International Politics and Economy", random.Random(0)) in ("CCIPE", "C.C.I.P.E.")
    assert reorder("Alex Li", random.Random(0)) == "Li Alex"
    assert pinyin_spelling("Laeticia Chen", random.Random(0)) is None
    assert all(c.target is None for c in decoys(entries, random.Random(2), 20, 10))


def test_evaluation_finds_variants_and_leaves_decoys() -> None:
    report = evaluate(bundled_watchlist(), seed=11, per_kind=2, persons=100, organisations=60)
    assert report.positives > 100 and report.decoys == 160
    assert report.precision >= 0.9 and report.recall >= 0.85
    assert report.by_decoy[f"{EntryKind.PERSONA.value}:common-name"].false_hits <= 5
    assert "precision" in format_report(report)
