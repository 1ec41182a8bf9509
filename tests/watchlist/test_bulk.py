"""Matching names in bulk (`WatchlistMatcher.match_names`) gives what logic-v1 gives over every pair.

The bulk path finds candidates without the blocking index (see `watchlist/bulk.py`); these tests compare
it with the exhaustive answer (logic-v1 on every query x listed form pair), with `match_name`, and check
that names in Latin, Han, Arabic, Cyrillic, Greek and Hangul script are treated alike: the hits depend on
the romanised, folded form of a name only, never on the script it came in.
"""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from falsefriends.watchlist.bundled import bundled_watchlist
from falsefriends.watchlist.entries import EntryKind, Watchlist
from falsefriends.watchlist.matcher import NameHit, WatchlistMatcher
from falsefriends.watchlist.normalise import prepare
from falsefriends.watchlist.variants import case_and_accents, legal_suffix, reorder, synthetic_names, typo
from watchlist.factories import organisation, persona, watchlist

SCRIPT_NAMES = [
    "Olga Smirnova", "Ольга Смирнова", "Zhang Wei", "张伟", "Wang Fang", "王芳", "Mohammed Al-Rashid", "محمد الرشيد",
    "Nguyễn Thị Hương", "Nguyen Thi Huong", "Sun-hee Park", "박선희", "Dimitrios Papadopoulos",
    "Δημήτριος Παπαδόπουλος", "Łukasz Wójcik", "Lukasz Wojcik", "Yıldız Aydın", "Priya Raghunathan", "Kwame Mensah",
]


def exhaustive(matcher: WatchlistMatcher, name: str, kind: EntryKind, threshold: float | None = None
               ) -> dict[str, float]:
    """Entry id -> best logic-v1 score over all listed forms of `kind`, for pairs at the threshold."""
    threshold = matcher.algorithm.threshold if threshold is None else threshold
    organisation_kind = kind is EntryKind.ORGANISATION
    query = prepare(name)
    best: dict[str, float] = {}
    if not query.tokens:
        return best
    for indexed in matcher.index.forms:
        if indexed.organisation is not organisation_kind:
            continue
        score = matcher.algorithm.compare(query, indexed.form, organisation_kind).score
        entry = matcher.entries[indexed.entry].id
        if score >= threshold and score > best.get(entry, 0.0):
            best[entry] = score
    return best


def as_scores(hits: list[NameHit]) -> dict[str, float]:
    return {h.entry.id: h.score for h in hits}


def synthetic_list(seed: int, entries: int, queries: int) -> tuple[Watchlist, list[tuple[str, EntryKind]]]:
    rng = random.Random(seed)
    names = synthetic_names(rng, entries + queries)
    listed = names[:entries]
    made = []
    for i, (name, kind) in enumerate(names[entries:]):
        if i % 2 == 0:
            name, kind = rng.choice(listed)
            change = rng.choice((typo, case_and_accents, reorder, legal_suffix))
            name = change(name, rng) or name
        made.append((name, kind))
    factory = {EntryKind.PERSONA: persona, EntryKind.ORGANISATION: organisation}
    return watchlist(*(factory[kind](name, f"e{i}") for i, (name, kind) in enumerate(listed))), made


def test_bulk_equals_logic_v1_over_every_pair() -> None:
    listed, queries = synthetic_list(11, 160, 240)
    matcher = WatchlistMatcher(listed)
    matched = 0
    for kind in (EntryKind.PERSONA, EntryKind.ORGANISATION):
        names = [name for name, k in queries if k is kind]
        for name, hits in zip(names, matcher.match_names(names, [kind], limit=1000), strict=True):
            expected = exhaustive(matcher, name, kind)
            assert as_scores(hits) == expected, name
            matched += bool(expected)
    assert matched >= 60  # the variants of listed names are found


def test_a_low_threshold_takes_the_exhaustive_spelling_route() -> None:
    """Below 0.65 a pair in distinctive-word conflict can match: every close spelling is then a candidate."""
    listed, queries = synthetic_list(12, 80, 120)
    matcher = WatchlistMatcher(listed)
    for kind in (EntryKind.PERSONA, EntryKind.ORGANISATION):
        names = [name for name, k in queries if k is kind]
        for name, hits in zip(names, matcher.match_names(names, [kind], threshold=0.6, limit=1000), strict=True):
            assert as_scores(hits) == exhaustive(matcher, name, kind, 0.6), name


def test_bulk_gives_the_hits_and_evidence_of_match_name() -> None:
    matcher = WatchlistMatcher(bundled_watchlist())
    queries = ["CCIPE", "Sino-Europe Development Studies Centre GmbH", "RiseHR Co., Ltd.",
               "Global Views Strategic Consultancy", "Jason Wang", "Alex Li", "Rcahel Li", "陶晨平", "tao2 chen2 ping2",
               "", "=cmd|' /C calc'!A0", *SCRIPT_NAMES]
    bulk = matcher.match_names(queries)
    for name, hits in zip(queries, bulk, strict=True):
        single = matcher.match_name(name)
        assert {h.entry.id: (h.score, h.features) for h in single}.items() <= \
            {h.entry.id: (h.score, h.features) for h in hits}.items(), name
        assert as_scores(matcher.match_names([name])[0]) == as_scores(hits), name  # alone or in a batch
    assert bulk[0] and bulk[0][0].entry.id == "org-china-center-of-international-politics-and-economy"
    assert bulk[queries.index("")] == []


def test_names_in_every_script_are_treated_alike() -> None:
    """The same list of people written in other scripts: each query is matched by its romanised form only,
    the bulk answer is the exhaustive one in every script, and two spellings that romanise alike get the
    same hits with the same scores."""
    listed = watchlist(*(persona(name, f"p{i}") for i, name in enumerate(SCRIPT_NAMES)))
    matcher = WatchlistMatcher(listed)
    queries = [*SCRIPT_NAMES, *(n.upper() for n in SCRIPT_NAMES), "Olga Smirnowa", "Zhang Wie", "Ольга Смирнoва"]
    answers = matcher.match_names(queries, [EntryKind.PERSONA], limit=1000)
    for name, hits in zip(queries, answers, strict=True):
        assert as_scores(hits) == exhaustive(matcher, name, EntryKind.PERSONA), name
    by_form: dict[str, dict[str, float]] = {}
    for name, hits in zip(queries, answers, strict=True):
        form = prepare(name).folded
        assert by_form.setdefault(form, as_scores(hits)) == as_scores(hits), name
    # every listed name finds itself, whatever its script
    for index, name in enumerate(SCRIPT_NAMES):
        assert f"p{index}" in as_scores(answers[index]), name
    assert "p1" in as_scores(answers[0]) and "p0" in as_scores(answers[1])  # Cyrillic and Latin Olga meet


SCRIPTS = st.sampled_from([(0x41, 0x7A), (0x4E00, 0x4FFF), (0x0621, 0x064A), (0x0410, 0x044F), (0x0391, 0x03C9),
                           (0xAC00, 0xAD00)])


@st.composite
def names_in_scripts(draw: st.DrawFn) -> str:
    low, high = draw(SCRIPTS)
    words = draw(st.lists(st.text(st.characters(min_codepoint=low, max_codepoint=high, categories=("Lu", "Ll", "Lo")),
                                  min_size=1, max_size=8), min_size=1, max_size=3))
    return " ".join(words)


@settings(max_examples=25, deadline=None)
@given(st.lists(names_in_scripts(), min_size=1, max_size=12), st.lists(names_in_scripts(), min_size=1, max_size=12))
def test_any_script_bulk_equals_exhaustive(listed_names: list[str], queries: list[str]) -> None:
    listed = watchlist(*(persona(n, f"p{i}") for i, n in enumerate(listed_names)),
                       *(organisation(n, f"o{i}") for i, n in enumerate(listed_names)))
    matcher = WatchlistMatcher(listed)
    # the listed names themselves, their typos, and other names
    rng = random.Random(len(queries))
    asked = queries + listed_names + [typo(n, rng) or n for n in listed_names]
    for kind in (EntryKind.PERSONA, EntryKind.ORGANISATION):
        for name, hits in zip(asked, matcher.match_names(asked, [kind], limit=1000), strict=True):
            assert as_scores(hits) == exhaustive(matcher, name, kind), name


def test_hostile_batches_stay_bounded() -> None:
    """Adversary-written names: very long, one huge word, control characters, formula prefixes, empty."""
    matcher = WatchlistMatcher(bundled_watchlist())
    queries = ["=cmd|' /C calc'!A0" * 50, "x" * 5000, "Jason " * 2000, "\u202e\u0000\u200bCCIPE\ufeff", "", "   ",
               "a b c d e f g h i j k l m n o p", "陶" * 400, "ا" * 3000, "RiseHR" + "\u0301" * 500]
    answers = matcher.match_names(queries)
    assert len(answers) == len(queries)
    for name, hits in zip(queries, answers, strict=True):
        every = exhaustive(matcher, name, EntryKind.PERSONA) | exhaustive(matcher, name, EntryKind.ORGANISATION)
        best_ten = dict(sorted(every.items(), key=lambda item: (-item[1], item[0]))[:10])
        assert as_scores(hits) == best_ten, name
    assert answers[3] and answers[3][0].entry.id == "org-china-center-of-international-politics-and-economy"
