"""The name-matching algorithm `logic-v1`: a named, versioned list of documented features with weights.

Each feature compares a query name with one name form of an entry and returns a value between 0 and 1.
Features of mode `alternative` are different ways two names can be the same name (identical, the same
after normalisation, the same pinyin, an acronym, initials, a sound, one typo, a fuzzy spelling), each
worth weight times value. Features of mode `penalty` lower the best *spelling* alternative (one typo,
fuzzy spelling) when the names disagree on a word that carries identity. The score is the higher of the
best other alternative and the penalised spelling score, clipped to [0, 1]; a pair matches at
`threshold`. The docstring of each feature is its user documentation (`falsefriends watchlist algorithm`
and docs/watchlist.md print them), so what the code does and what the documentation says cannot drift.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from falsefriends.watchlist.normalise import NameForm

GENERIC_ORG_WORDS = frozenset({
    "center", "institute", "study", "research", "consulting", "strategic", "strategy", "group", "association",
    "development", "foundation", "academy", "university", "society", "council", "hr", "partner", "service",
    "solution", "management", "advisory", "network", "forum", "agency", "capital", "holding", "technology",
    "exchange", "cooperation", "talent", "recruitment", "resource", "human", "executive", "search", "media",
    "office", "company", "firm", "bureau",
})
"""Words that say what kind of organisation something is rather than which one (scope words such as
"global" or "international" are not among them: they are part of a name's identity); a fuzzy match may
disagree on them without penalty (it already pays for the difference in its spelling similarity)."""


class Mode(StrEnum):
    ALTERNATIVE = "alternative"
    PENALTY = "penalty"


@dataclass(frozen=True, slots=True)
class Pair:
    """A query name and an entry's name form, compared as organisation or as person names."""

    query: NameForm
    candidate: NameForm
    organisation: bool


@dataclass(frozen=True, slots=True)
class Feature:
    """One documented comparison with its weight; its docstring is the function's."""

    name: str
    function: Callable[[Pair], float]
    weight: float
    mode: Mode = Mode.ALTERNATIVE
    spelling: bool = False
    """An alternative that only says the spellings are close: penalties apply when it is the best one."""

    @property
    def doc(self) -> str:
        return " ".join((inspect.getdoc(self.function) or "").split())


@dataclass(frozen=True, slots=True)
class FeatureScore:
    """What one feature found for one pair: its value, weight, and what it added to the score."""

    name: str
    value: float
    weight: float
    contribution: float


@dataclass(frozen=True, slots=True)
class Comparison:
    """The score of one pair and the features behind it (only those that found something)."""

    score: float
    features: tuple[FeatureScore, ...]

    @property
    def best(self) -> str:
        positive = [f for f in self.features if f.contribution > 0]
        return max(positive, key=lambda f: f.contribution).name if positive else ""


def identical_name(pair: Pair) -> float:
    """Identical names once case, accents, punctuation and spacing are folded away
    ("RISE-HR" = "RiseHR" is not identical; "Rise HR" = "rise hr" is)."""
    return 1.0 if pair.query.folded == pair.candidate.folded and pair.query.folded else 0.0


def same_after_normalisation(pair: Pair) -> float:
    """The same words in any order; for organisations also without legal forms (Ltd, Co., GmbH, SARL, Inc,
    LLC...), stop words (of, for, the...), with spelling variants unified (Centre/Center, Programme/Program,
    Intl/International) and plurals reduced ("Global Views Strategic Consultancy GmbH" = "Global View
    Strategic Consulting")."""
    q = pair.query.sorted_text(pair.organisation)
    return 1.0 if q and q == pair.candidate.sorted_text(pair.organisation) else 0.0


def same_pinyin(pair: Pair) -> float:
    """Both names are pinyin (or Hanzi, converted to pinyin) with the same syllables: tones written as marks
    or digits or left out, given names joined or split, surname first or last ("Chenping Tao" = "Tao
    Chen-ping" = "Táo Chénpíng" = "tao2 chen2 ping2" = "陶晨平" when the entry gives it)."""
    q, c = pair.query.syllables, pair.candidate.syllables
    return 1.0 if q is not None and c is not None and sorted(q) == sorted(c) else 0.0


def acronym_of_name(pair: Pair) -> float:
    """Organisations only: one name is a single word of three letters or more that spells the initials of
    the other ("CCIPE" = "China Center of International Politics and Economy"). Four letters or more
    count fully; three letters count 0.8, because short acronyms collide often."""
    if not pair.organisation:
        return 0.0
    for short, long in ((pair.query, pair.candidate), (pair.candidate, pair.query)):
        if len(short.tokens) == 1 and len(short.tokens[0]) >= 3 and short.tokens[0] in long.acronyms():
            return 1.0 if len(short.tokens[0]) >= 4 else 0.8
    return 0.0


def _initials_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if len(a) != len(b) or len(a) < 2:
        return False
    remaining = list(b)
    full_match = False
    for token in a:
        for other in remaining:
            if token == other and len(token) >= 2:
                full_match = True
                remaining.remove(other)
                break
        else:
            for other in remaining:
                if (len(token) == 1 and other.startswith(token)) or (len(other) == 1 and token.startswith(other)):
                    remaining.remove(other)
                    break
            else:
                return False
    return full_match and any(len(t) == 1 for t in (*a, *b))


def initials_compatible(pair: Pair) -> float:
    """Persons only: the same number of words, at least one written out in both, and every other word an
    initial of its counterpart, in any order ("A. Li" = "Alex Li" = "Li A."). Weaker than a full name:
    an initial fits many names."""
    if pair.organisation:
        return 0.0
    return 1.0 if _initials_compatible(pair.query.person_core, pair.candidate.person_core) else 0.0


def same_sound(pair: Pair) -> float:
    """Persons only: the same words in any order once each is reduced to a rough sound key (first letter,
    then consonants, with c/k/q, s/z, f/v/w/ph, x/ks, j/dzh merged): catches names written back from another script
    ("Aleks" for "Alex") and vowel changes. Weaker than a spelling match."""
    if pair.organisation:
        return 0.0
    q, c = pair.query.sound, pair.candidate.sound
    return 1.0 if len(q) >= 2 and q == c else 0.0


def fuzzy_similarity(pair: Pair) -> float:
    """Spelling similarity (rapidfuzz `fuzz.ratio`, an edit-distance ratio) of the normalised words in
    alphabetical order, or of the words written together without spaces, whichever is higher: catches
    misspellings, dropped or doubled letters and "SinoEurope" for "Sino-Europe"."""
    org = pair.organisation
    sorted_ratio = fuzz.ratio(pair.query.sorted_text(org), pair.candidate.sorted_text(org))
    compact_ratio = fuzz.ratio(pair.query.compact(org), pair.candidate.compact(org))
    return max(sorted_ratio, compact_ratio) / 100.0


def one_typo_apart(pair: Pair) -> float:
    """The names written together without spaces (six letters or more) are one typo apart: a letter
    dropped, added, replaced, or two neighbours swapped ("RiseRH" for "RiseHR", "Rcahel Li" for "Rachel
    Li"). Catches the swaps that a spelling ratio counts twice in short names."""
    org = pair.organisation
    q, c = pair.query.compact(org), pair.candidate.compact(org)
    if min(len(q), len(c)) < 6 or q == c:
        return 0.0
    return 1.0 if OSA.distance(q, c, score_cutoff=1) <= 1 else 0.0


def _has_counterpart(token: str, others: tuple[str, ...]) -> bool:
    if token in others:
        return True
    # a word joined to its neighbour ("SinoEurope") starts or ends the joined word; a word buried inside
    # another ("lojun" in "milojunmarcas") is a different word
    if len(token) >= 4 and any(o.startswith(token) or o.endswith(token) for o in others if len(o) > len(token)):
        return True
    allowed = 0 if len(token) <= 3 else (1 if len(token) <= 7 else 2)
    return any(OSA.distance(token, other, score_cutoff=allowed) <= allowed for other in others)


def distinctive_word_conflict(pair: Pair) -> float:
    """Applies to fuzzy matches only. Each name has a word carrying identity that the other lacks, even
    allowing a typo (one edit in words of 4-7 letters, two beyond, none in shorter ones): a different
    organisation that looks alike ("Sino-Africa" for "Sino-Europe", "Global Vision" for "Global View") or a
    different person ("Alex Lin" for "Alex Li"). A word joined to its neighbour ("SinoEurope") counts as
    present. Generic organisation words (center, institute, consulting, ...) do not count."""
    org = pair.organisation
    q_core, c_core = pair.query.core(org), pair.candidate.core(org)

    def distinctive(tokens: tuple[str, ...]) -> list[str]:
        return [t for t in tokens if not (org and t in GENERIC_ORG_WORDS)]

    q_orphan = any(not _has_counterpart(t, c_core) for t in distinctive(q_core))
    c_orphan = any(not _has_counterpart(t, q_core) for t in distinctive(c_core))
    return 1.0 if q_orphan and c_orphan else 0.0


@dataclass(frozen=True)
class Algorithm:
    """A named, versioned list of features and the threshold at which a pair is a match."""

    name: str
    features: tuple[Feature, ...]
    threshold: float

    def compare(self, query: NameForm, candidate: NameForm, organisation: bool) -> Comparison:
        pair = Pair(query, candidate, organisation)
        scores: list[FeatureScore] = []
        spelling = exact = 0.0
        for feature in self._alternatives:
            value = feature.function(pair)
            if value > 0:
                contribution = feature.weight * value
                scores.append(FeatureScore(feature.name, round(value, 4), feature.weight, round(contribution, 4)))
                if feature.spelling:
                    spelling = max(spelling, contribution)
                else:
                    exact = max(exact, contribution)
        if spelling > exact:
            for feature in self._penalties:
                value = feature.function(pair)
                if value > 0:
                    contribution = feature.weight * value
                    scores.append(FeatureScore(feature.name, value, feature.weight, round(contribution, 4)))
                    spelling += contribution
        total = max(exact, spelling)
        return Comparison(round(min(1.0, max(0.0, total)), 4), tuple(scores))

    def score(self, query: NameForm, candidate: NameForm, organisation: bool) -> float:
        """The same score as `compare` without recording the features (to screen candidates fast)."""
        pair = Pair(query, candidate, organisation)
        spelling = exact = 0.0
        for feature in self._alternatives:
            contribution = feature.weight * feature.function(pair)
            if feature.spelling:
                spelling = max(spelling, contribution)
            else:
                exact = max(exact, contribution)
        if spelling > exact:
            spelling += sum(f.weight * f.function(pair) for f in self._penalties)
        return round(min(1.0, max(0.0, exact, spelling)), 4)

    @cached_property
    def _alternatives(self) -> tuple[Feature, ...]:
        return tuple(f for f in self.features if f.mode is Mode.ALTERNATIVE)

    @cached_property
    def _penalties(self) -> tuple[Feature, ...]:
        return tuple(f for f in self.features if f.mode is Mode.PENALTY)

    def describe(self) -> list[dict[str, object]]:
        """Name, weight, mode and documentation of each feature (for docs, the CLI and exports)."""
        return [{"feature": f.name, "weight": f.weight, "mode": f.mode.value, "doc": f.doc} for f in self.features]


LOGIC_V1 = Algorithm(
    name="logic-v1",
    threshold=0.80,
    features=(
        Feature("identical_name", identical_name, 1.0),
        Feature("same_after_normalisation", same_after_normalisation, 0.98),
        Feature("same_pinyin", same_pinyin, 0.95),
        Feature("acronym_of_name", acronym_of_name, 0.9),
        Feature("initials_compatible", initials_compatible, 0.8),
        Feature("same_sound", same_sound, 0.82),
        Feature("one_typo_apart", one_typo_apart, 0.85, spelling=True),
        Feature("fuzzy_similarity", fuzzy_similarity, 0.95, spelling=True),
        Feature("distinctive_word_conflict", distinctive_word_conflict, -0.3, Mode.PENALTY),
    ),
)
"""The default matching algorithm. A fuzzy match needs a spelling similarity of at least 0.80/0.95 = 0.84."""

ALGORITHMS = {LOGIC_V1.name: LOGIC_V1}


def get_algorithm(name: str) -> Algorithm:
    """The algorithm registered under `name`; a clear error for an unknown one."""
    try:
        return ALGORITHMS[name]
    except KeyError:
        raise ValueError(f"unknown matching algorithm {name!r}; known: {', '.join(sorted(ALGORITHMS))}") from None
