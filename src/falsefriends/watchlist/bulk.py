"""Matching many names at once: every pair the spelling cutoff admits, screened by logic-v1 as array operations.

`WatchlistMatcher.match_names` answers a batch of names (an audit's connections, a platform scan) with
the same hits `match_name` gives each name, by another route to the candidates:

1. candidates without a blocking index: rapidfuzz `process.cdist` compares each query with every listed
   form of its kind whose length the cutoff admits (queries sorted by length, each chunk against one
   slice of the forms sorted by length), on the words in alphabetical order and on the words written
   together, so every pair at or above the spelling cutoff is found (brute force, in C); the index's exact
   keys add the pairs that match without a close spelling (pinyin, sound, acronym, initials, one typo);
2. screening: each pair's logic-v1 score computed for all pairs at once: equal keys compared as integer
   ids, spelling ratios and typo distances by `rapidfuzz.process.cpdist`, the distinctive-word penalty
   from the counterpart relation of each distinct pair of words (equal, one a prefix or suffix of the
   longer, a typo or two apart) reduced over the words of each pair; acronyms and initials, rare, in
   Python;
3. every pair the screen keeps goes through `Algorithm.compare`, so the score, the evidence and the
   threshold of each hit are exactly those of `match_name`.

Nothing here looks at a name's script: every name is compared in its romanised, folded form.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, Postfix, Prefix
from rapidfuzz.process import cdist, cpdist
from scipy.sparse import csr_matrix, diags

from falsefriends.watchlist.features import (
    GENERIC_ORG_WORDS,
    LOGIC_V1,
    Pair,
    acronym_of_name,
    fuzzy_similarity,
    initials_compatible,
)
from falsefriends.watchlist.normalise import NameForm

if TYPE_CHECKING:
    from falsefriends.watchlist.matcher import WatchlistMatcher

I64 = NDArray[np.int64]
F64 = NDArray[np.float64]

_CHUNK = 1024
"""Queries compared with the forms in one `cdist` call (a chunk x forms uint8 matrix)."""

_PAIR_CHUNK = 200_000
"""Candidate pairs screened at a time (the word-pair expansion is about ten times larger)."""


@dataclass(frozen=True)
class _Side:
    """The prepared names of one side (queries or listed forms) as arrays, for one kind of name."""

    forms: tuple[NameForm, ...]
    sorted_text: NDArray[np.object_]
    compact: NDArray[np.object_]
    folded_id: I64
    sorted_id: I64
    syllables_id: I64
    sound_id: I64
    single: NDArray[np.bool_]
    initial: NDArray[np.bool_]
    core_len: I64
    token_ptr: I64
    token_ids: I64
    key_ptr: I64
    key_ids: I64


class _Vocabulary:
    """Integer ids for strings shared by both sides (keys compared by id, words of the penalty)."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self._arrays: tuple[NDArray[np.object_], I64, NDArray[np.bool_]] | None = None

    def id(self, text: str) -> int:
        return self.ids.setdefault(text, len(self.ids))

    def arrays(self) -> tuple[NDArray[np.object_], I64, NDArray[np.bool_]]:
        """The words by id, their lengths, and whether each is a generic organisation word (built once)."""
        if self._arrays is None or len(self._arrays[0]) != len(self.ids):
            words = np.array([*self.ids, ""], dtype=object)[:len(self.ids)]
            lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
            generic = np.fromiter((w in GENERIC_ORG_WORDS for w in words), dtype=bool, count=len(words))
            self._arrays = (words, lengths, generic)
        return self._arrays


def _factorise(values: I64) -> tuple[I64, I64]:
    """The distinct values (sorted) and each value's position among them, by one sort (numpy 2's
    hash-based `np.unique` is several times slower on millions of int64)."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    first = np.empty(len(ordered), dtype=bool)
    first[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    inverse = np.empty(len(values), dtype=np.int64)
    inverse[order] = np.cumsum(first) - 1
    return ordered[first], inverse


def exact_keys(form: NameForm, organisation: bool, query: bool) -> list[str]:
    """Keys two names share when an alternative of logic-v1 other than spelling can score them as one name
    (identical, same words, same pinyin, same sound, initials, acronym); the index's one-typo keys are not
    needed here, a typo match being a pair without word conflict (see `no_conflict_pairs`)."""
    keys = ["f:" + form.folded, "n:" + form.sorted_text(organisation)]
    if form.syllables is not None:
        keys.append("s:" + " ".join(sorted(form.syllables)))
    if organisation:
        single = form.tokens[0] if len(form.tokens) == 1 and len(form.tokens[0]) >= 3 else None
        # a query's single word meets a listed acronym, a query's acronym a listed single word
        if single:
            keys.append(("a:" if query else "w:") + single)
        keys += [("w:" if query else "a:") + acronym for acronym in form.acronyms()]
    elif len(core := form.person_core) >= 2:
        keys.append("k:" + " ".join(form.sound))
        for index, token in enumerate(core):
            if len(token) >= 2:
                keys.append(f"i:{token}|{''.join(sorted(t[0] for i, t in enumerate(core) if i != index))}")
    return keys


def _side(forms: Sequence[NameForm], organisation: bool, keys: _Vocabulary, words: _Vocabulary,
          query: bool) -> _Side:
    """The arrays of one side, in one pass over its names (this runs once per name of a batch)."""
    key_ids, word_ids = keys.ids, words.ids
    sorted_texts: list[str] = []
    compacts: list[str] = []
    columns: list[tuple[int, int, int, int, bool, bool, int]] = []
    token_counts: list[int] = []
    tokens: list[int] = []
    key_counts: list[int] = []
    exact: list[int] = []
    for form in forms:
        core = form.core(organisation)
        found = [key_ids.setdefault(k, len(key_ids)) for k in exact_keys(form, organisation, query)]
        syllables = key_ids.get("s:" + " ".join(sorted(form.syllables)), -1) if form.syllables is not None else -1
        sound = key_ids.setdefault("k:" + " ".join(form.sound), len(key_ids)) if len(form.sound) >= 2 else -1
        columns.append((found[0], found[1], syllables, sound, len(form.tokens) == 1 and len(form.tokens[0]) >= 3,
                        any(len(t) == 1 for t in form.person_core), len(form.person_core)))
        sorted_texts.append(form.sorted_text(organisation))
        compacts.append(form.compact(organisation))
        token_counts.append(len(core))
        tokens += [word_ids.setdefault(t, len(word_ids)) for t in core]
        key_counts.append(len(found))
        exact += found
    table = np.array(columns, dtype=np.int64).reshape(len(forms), 7)
    return _Side(
        forms=tuple(forms),
        sorted_text=np.array([*sorted_texts, ""], dtype=object)[:len(forms)],
        compact=np.array([*compacts, ""], dtype=object)[:len(forms)],
        folded_id=table[:, 0],
        sorted_id=table[:, 1],
        syllables_id=table[:, 2],
        sound_id=table[:, 3],
        single=table[:, 4].astype(bool),
        initial=table[:, 5].astype(bool),
        core_len=table[:, 6],
        token_ptr=np.concatenate(([0], np.cumsum(token_counts))).astype(np.int64),
        token_ids=np.array(tokens, dtype=np.int64),
        key_ptr=np.concatenate(([0], np.cumsum(key_counts))).astype(np.int64),
        key_ids=np.array(exact, dtype=np.int64),
    )


def _exact_pairs(q: _Side, f: _Side, size: int) -> tuple[I64, I64]:
    """Pairs (query, form) sharing an exact key (a sparse product of the two key incidence matrices)."""
    def incidence(side: _Side) -> csr_matrix:
        owner = np.repeat(np.arange(len(side.forms)), np.diff(side.key_ptr))
        return csr_matrix((np.ones(len(owner), dtype=np.float32), (owner, side.key_ids)),
                          shape=(len(side.forms), size))

    found = (incidence(q) @ incidence(f).T).tocoo()
    return found.row.astype(np.int64), found.col.astype(np.int64)


def _length_bounds(length: int, cutoff: float) -> tuple[int, int]:
    """Shortest and longest partner a string of `length` can have at spelling ratio >= cutoff (0-1)."""
    if cutoff <= 0:
        return 0, 1 << 30
    low = math.floor(length * cutoff / (2 - cutoff)) - 1
    high = math.ceil(length * (2 - cutoff) / cutoff) + 1 if cutoff < 2 else length
    return max(low, 0), high


def spelling_pairs(queries: NDArray[np.object_], choices: NDArray[np.object_], cutoff: float) -> tuple[I64, I64]:
    """Every (query, choice) pair whose `fuzz.ratio` reaches `cutoff` (0-1), by `cdist` over length windows.

    A pair of lengths l and m can reach ratio r only if 2 min(l, m) / (l + m) >= r, so each chunk of
    queries (sorted by length) is compared only with the slice of choices (sorted by length) in range.
    """
    if len(queries) == 0 or len(choices) == 0 or cutoff > 1:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    q_len = np.fromiter(map(len, queries), dtype=np.int64, count=len(queries))
    c_len = np.fromiter(map(len, choices), dtype=np.int64, count=len(choices))
    q_order, c_order = np.argsort(q_len, kind="stable"), np.argsort(c_len, kind="stable")
    c_sorted_len = c_len[c_order]
    c_sorted = choices[c_order]
    rows: list[I64] = []
    cols: list[I64] = []
    for start in range(0, len(q_order), _CHUNK):
        chunk = q_order[start:start + _CHUNK]
        low, _ = _length_bounds(int(q_len[chunk[0]]), cutoff)
        _, high = _length_bounds(int(q_len[chunk[-1]]), cutoff)
        lo = int(np.searchsorted(c_sorted_len, low, side="left"))
        hi = int(np.searchsorted(c_sorted_len, high, side="right"))
        if lo >= hi:
            continue
        scores = cdist(queries[chunk], c_sorted[lo:hi], scorer=fuzz.ratio, score_cutoff=cutoff * 100.0,
                       dtype=np.uint8, workers=1)
        row, col = np.nonzero(scores)
        rows.append(chunk[row])
        cols.append(c_order[lo + col])
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(rows).astype(np.int64), np.concatenate(cols).astype(np.int64)


def _allowed_typos(length: I64) -> I64:
    """Edits a word of `length` letters may differ by and still have a counterpart (as `_has_counterpart`)."""
    return np.where(length <= 3, 0, np.where(length <= 7, 1, 2))


def _counterparts(chosen: I64, others: I64, words: _Vocabulary) -> tuple[I64, I64]:
    """Pairs (w, u) of word ids, w from `chosen` and u from `others`, where u is a counterpart of w as
    `distinctive_word_conflict` counts it: the same word, w (4 letters or more) starting or ending the
    longer u, or u a typo or two away (OSA distance, by `cdist` over words of lengths two apart at most)."""
    vocabulary, lengths, _ = words.arrays()
    chosen, others = np.unique(chosen), np.unique(others)
    found_w: list[I64] = [np.zeros(0, dtype=np.int64)]
    found_u: list[I64] = [np.zeros(0, dtype=np.int64)]
    other_len = lengths[others]
    order = np.argsort(other_len, kind="stable")
    others, other_len = others[order], other_len[order]
    chosen_len = lengths[chosen]
    for length in np.unique(chosen_len).tolist():
        group = chosen[chosen_len == length]
        allowed = int(_allowed_typos(np.array([length]))[0])
        lo = int(np.searchsorted(other_len, length - allowed, side="left"))
        hi = int(np.searchsorted(other_len, length + allowed, side="right"))
        if lo >= hi:
            continue
        distance = cdist(vocabulary[group], vocabulary[others[lo:hi]], scorer=OSA.distance, score_cutoff=allowed,
                         dtype=np.uint8, workers=1)
        row, col = np.nonzero(distance <= allowed)
        found_w.append(group[row])
        found_u.append(others[lo + col])
    # w (4 letters or more) at the start or the end of a longer u: the range of the sorted words (sorted
    # backwards for ends) that begin with w, found by binary search
    inside = chosen[chosen_len >= 4]
    for backwards in (False, True):
        texts = [vocabulary[u][::-1] if backwards else vocabulary[u] for u in others.tolist()]
        keys = [vocabulary[w][::-1] if backwards else vocabulary[w] for w in inside.tolist()]
        if not texts or not keys:
            continue
        sorted_texts = np.array(texts, dtype=str)
        order = np.argsort(sorted_texts, kind="stable")
        sorted_texts = sorted_texts[order]
        starts = np.searchsorted(sorted_texts, np.array(keys, dtype=str), side="left")
        stops = np.searchsorted(sorted_texts, np.array([k + "\U0010ffff" for k in keys], dtype=str), side="left")
        counts = stops - starts
        w = np.repeat(inside, counts)
        u = others[order[_ranges(starts, counts)]]
        longer = lengths[u] > lengths[w]
        found_w.append(w[longer])
        found_u.append(u[longer])
    return np.concatenate(found_w).astype(np.int64), np.concatenate(found_u).astype(np.int64)


def _chosen_words(side: _Side, words: _Vocabulary, organisation: bool, frequency: I64) -> tuple[I64, I64]:
    """Each name's two rarest distinctive words (the longer first among equally rare ones); -1 where it
    has fewer."""
    _, lengths, generic = words.arrays()
    n = len(side.forms)
    counts = np.diff(side.token_ptr)
    owner = np.repeat(np.arange(n), counts)
    ids = side.token_ids
    distinctive = ~generic[ids] if organisation else np.ones(len(ids), dtype=bool)
    owner, ids = owner[distinctive], ids[distinctive]
    order = np.lexsort((ids, -lengths[ids], frequency[ids], owner))
    owner, ids = owner[order], ids[order]
    first = np.ones(len(owner), dtype=bool)
    first[1:] = owner[1:] != owner[:-1]
    chosen = np.full(n, -1, dtype=np.int64)
    chosen[owner[first]] = ids[first]
    # the next word of the same name that is another word (a name may repeat a word)
    rest = ~first & (ids != chosen[owner])
    second = np.full(n, -1, dtype=np.int64)
    rest_owner, rest_ids = owner[rest], ids[rest]
    leading = np.ones(len(rest_owner), dtype=bool)
    leading[1:] = rest_owner[1:] != rest_owner[:-1]
    second[rest_owner[leading]] = rest_ids[leading]
    return chosen, second


def _incidence(side: _Side, size: int) -> csr_matrix:
    """(words x names) 0/1 matrix of the words in each name's core."""
    counts = np.diff(side.token_ptr)
    owner = np.repeat(np.arange(len(side.forms)), counts)
    matrix = csr_matrix((np.ones(len(owner), dtype=np.float32), (side.token_ids, owner)),
                        shape=(size, len(side.forms)))
    matrix.sum_duplicates()
    return matrix


def _select(chosen: I64, size: int) -> csr_matrix:
    rows = np.flatnonzero(chosen >= 0)
    return csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, chosen[rows])), shape=(len(chosen), size))


def _through_chosen(first: I64, second: I64, relation: csr_matrix, incidence: csr_matrix) -> tuple[I64, I64]:
    """Pairs (name, other name) where the other name holds a counterpart of the name's first chosen word
    and, when the name has a second distinctive word, of that one too."""
    holds = (relation @ incidence).tocsr()
    holds.data[:] = 1.0
    size = relation.shape[0]
    pairs = _select(first, size) @ holds
    has_second = second >= 0
    if has_second.any():
        both = pairs.multiply(_select(second, size) @ holds).tocsr()
        single_rows = diags(np.asarray(~has_second, dtype=np.float32))
        pairs = both + single_rows @ pairs
    found = pairs.tocoo()
    keep = found.data > 0
    return found.row[keep].astype(np.int64), found.col[keep].astype(np.int64)


def no_conflict_pairs(q: _Side, f: _Side, words: _Vocabulary, organisation: bool) -> tuple[I64, I64]:
    """Every pair (query, form) without a distinctive-word conflict, where both have a distinctive word.

    No conflict means every distinctive word of one name has a counterpart in the other; in particular
    its two rarest ones do. So the pairs are those where the form holds counterparts of the query's two
    chosen words (its one, when it has one), and those where the query holds counterparts of the form's.
    """
    size = len(words.ids)
    frequency = np.bincount(np.concatenate((q.token_ids, f.token_ids)), minlength=size).astype(np.int64)
    rows: list[I64] = []
    cols: list[I64] = []
    for side, other_side, flip in ((q, f, False), (f, q, True)):
        first, second = _chosen_words(side, words, organisation, frequency)
        chosen = np.concatenate((first, second))
        w, u = _counterparts(chosen[chosen >= 0], other_side.token_ids, words)
        relation = csr_matrix((np.ones(len(w), dtype=np.float32), (w, u)), shape=(size, size))
        a, b = _through_chosen(first, second, relation, _incidence(other_side, size))
        rows.append(b if flip else a)
        cols.append(a if flip else b)
    return np.concatenate(rows), np.concatenate(cols)


def _word_conflicts(q: _Side, f: _Side, left: I64, right: I64, words: _Vocabulary,
                    organisation: bool) -> NDArray[np.bool_]:
    """`distinctive_word_conflict` of each pair (q.forms[left[k]], f.forms[right[k]]), as arrays."""
    n_pairs = len(left)
    q_count = q.token_ptr[left + 1] - q.token_ptr[left]
    f_count = f.token_ptr[right + 1] - f.token_ptr[right]
    per_pair = q_count * f_count
    total = int(per_pair.sum())
    if total == 0:
        return np.zeros(n_pairs, dtype=bool)
    pair = np.repeat(np.arange(n_pairs), per_pair)
    within = np.arange(total) - np.repeat(np.cumsum(per_pair) - per_pair, per_pair)
    i, j = within // f_count[pair], within % f_count[pair]
    a = q.token_ids[q.token_ptr[left][pair] + i]
    b = f.token_ids[f.token_ptr[right][pair] + j]
    # the counterpart relation of each distinct pair of words, both ways
    vocabulary, lengths, generic_words = words.arrays()
    size = len(vocabulary)
    codes, inverse = _factorise(a * size + b)
    ua, ub = codes // size, codes % size
    sa, sb, la, lb = vocabulary[ua], vocabulary[ub], lengths[ua], lengths[ub]
    prefix = cpdist(sa, sb, scorer=Prefix.similarity, workers=1).astype(np.int64)
    suffix = cpdist(sa, sb, scorer=Postfix.similarity, workers=1).astype(np.int64)
    typo = cpdist(sa, sb, scorer=OSA.distance, score_cutoff=2, workers=1).astype(np.int64)

    a_in_b = (ua == ub) | ((la >= 4) & (lb > la) & ((prefix == la) | (suffix == la))) | (typo <= _allowed_typos(la))
    b_in_a = (ua == ub) | ((lb >= 4) & (la > lb) & ((prefix == lb) | (suffix == lb))) | (typo <= _allowed_typos(lb))
    a_found, b_found = a_in_b[inverse], b_in_a[inverse]
    # a query word has a counterpart when any listed word is one (and the other way round)
    q_word = np.repeat(np.cumsum(q_count) - q_count, per_pair) + i
    f_word = np.repeat(np.cumsum(f_count) - f_count, per_pair) + j
    q_has = np.bincount(q_word, weights=a_found, minlength=int(q_count.sum())) > 0
    f_has = np.bincount(f_word, weights=b_found, minlength=int(f_count.sum())) > 0
    generic = generic_words if organisation else np.zeros(size, dtype=bool)
    q_words = q.token_ids[_gather(q.token_ptr, left)]
    f_words = f.token_ids[_gather(f.token_ptr, right)]
    q_orphan = np.bincount(np.repeat(np.arange(n_pairs), q_count), weights=~q_has & ~generic[q_words],
                           minlength=n_pairs) > 0
    f_orphan = np.bincount(np.repeat(np.arange(n_pairs), f_count), weights=~f_has & ~generic[f_words],
                           minlength=n_pairs) > 0
    return np.asarray(q_orphan & f_orphan)


def _ranges(starts: I64, counts: I64) -> I64:
    """starts[k], starts[k] + 1, ..., starts[k] + counts[k] - 1 for each k, concatenated."""
    total = int(counts.sum())
    return np.repeat(starts, counts) + (np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts))


def _gather(ptr: I64, rows: I64) -> I64:
    """Positions ptr[r]..ptr[r+1]-1 of each row r, concatenated (row order kept)."""
    counts = ptr[rows + 1] - ptr[rows]
    total = int(counts.sum())
    return np.repeat(ptr[rows], counts) + (np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts))


def _python_feature(function: Callable[[Pair], float], q: _Side, f: _Side, left: I64, right: I64,
                    organisation: bool, where: NDArray[np.bool_]) -> F64:
    values = np.zeros(len(left), dtype=np.float64)
    for k in np.flatnonzero(where).tolist():
        values[k] = function(Pair(q.forms[left[k]], f.forms[right[k]], organisation))
    return values


def _weight(name: str) -> float:
    return next(feature.weight for feature in LOGIC_V1.features if feature.name == name)


def screen_scores(q: _Side, f: _Side, left: I64, right: I64, words: _Vocabulary, organisation: bool) -> F64:
    """logic-v1's score of each pair, before rounding (see the module docstring)."""
    weight = {feature.name: feature.weight for feature in LOGIC_V1.features}
    identical = (q.folded_id[left] == f.folded_id[right]).astype(np.float64)
    same = (q.sorted_id[left] == f.sorted_id[right]).astype(np.float64)
    pinyin = ((q.syllables_id[left] >= 0) & (q.syllables_id[left] == f.syllables_id[right])).astype(np.float64)
    if organisation:
        acronym = _python_feature(acronym_of_name, q, f, left, right, organisation,
                                  q.single[left] | f.single[right])
        initials = sound = np.zeros(len(left), dtype=np.float64)
    else:
        acronym = np.zeros(len(left), dtype=np.float64)
        initials = _python_feature(initials_compatible, q, f, left, right, organisation,
                                   (q.initial[left] | f.initial[right]) & (q.core_len[left] == f.core_len[right]))
        sound = ((q.sound_id[left] >= 0) & (q.sound_id[left] == f.sound_id[right])).astype(np.float64)
    exact = np.max([identical * weight["identical_name"], same * weight["same_after_normalisation"],
                    pinyin * weight["same_pinyin"], acronym * weight["acronym_of_name"],
                    initials * weight["initials_compatible"], sound * weight["same_sound"]], axis=0)
    q_compact, f_compact = q.compact[left], f.compact[right]
    ratio = np.maximum(cpdist(q.sorted_text[left], f.sorted_text[right], scorer=fuzz.ratio, workers=1),
                       cpdist(q_compact, f_compact, scorer=fuzz.ratio, workers=1)) / 100.0
    c_len_q = np.fromiter(map(len, q_compact), dtype=np.int64, count=len(left))
    c_len_f = np.fromiter(map(len, f_compact), dtype=np.int64, count=len(left))
    typo = ((np.minimum(c_len_q, c_len_f) >= 6) & (q_compact != f_compact)
            & (cpdist(q_compact, f_compact, scorer=OSA.distance, score_cutoff=1, workers=1) <= 1))
    spelling = np.maximum(typo * weight["one_typo_apart"], ratio * weight["fuzzy_similarity"])
    penalised = spelling > exact
    if penalised.any():
        conflict = _word_conflicts(q, f, left[penalised], right[penalised], words, organisation)
        spelling[penalised] += conflict * weight["distinctive_word_conflict"]
    return np.clip(np.maximum(exact, spelling), 0.0, 1.0)


def candidate_pairs(matcher: WatchlistMatcher, queries: Sequence[NameForm], organisation: bool,
                    threshold: float) -> tuple[_Side, _Side, I64, I64, I64, _Vocabulary]:
    """The pairs (query, form) worth scoring and the arrays to score them (forms of one kind)."""
    keys, words = _Vocabulary(), _Vocabulary()
    form_ids = np.array([k for k, indexed in enumerate(matcher.index.forms) if indexed.organisation is organisation],
                        dtype=np.int64)
    q = _side(queries, organisation, keys, words, query=True)
    f = _side([matcher.index.forms[k].form for k in form_ids.tolist()], organisation, keys, words, query=False)
    cutoff = threshold / next(f.weight for f in LOGIC_V1.features if f.function is fuzzy_similarity)
    left_parts, right_parts = [], []
    # A pair in distinctive-word conflict scores at most the best spelling weight plus the penalty: above
    # that, spelling matches are among the pairs without a conflict, found through counterpart words.
    conflicted = max(w for w in (_weight("fuzzy_similarity"), _weight("one_typo_apart"))) + \
        _weight("distinctive_word_conflict")
    if threshold > conflicted:
        rows, cols = no_conflict_pairs(q, f, words, organisation)
        left_parts.append(rows)
        right_parts.append(cols)
        # a name with no distinctive word (only generic organisation words) conflicts with nothing
        q_open = np.flatnonzero(_chosen_words(q, words, organisation, np.zeros(len(words.ids), np.int64))[0] < 0)
        f_open = np.flatnonzero(_chosen_words(f, words, organisation, np.zeros(len(words.ids), np.int64))[0] < 0)
        for text in ("sorted_text", "compact"):
            rows, cols = spelling_pairs(getattr(q, text)[q_open], getattr(f, text), cutoff)
            left_parts.append(q_open[rows])
            right_parts.append(cols)
            rows, cols = spelling_pairs(getattr(q, text), getattr(f, text)[f_open], cutoff)
            left_parts.append(rows)
            right_parts.append(f_open[cols])
    else:
        for text in ("sorted_text", "compact"):
            rows, cols = spelling_pairs(getattr(q, text), getattr(f, text), cutoff)
            left_parts.append(rows)
            right_parts.append(cols)
    rows, cols = _exact_pairs(q, f, len(keys.ids))
    left_parts.append(rows)
    right_parts.append(cols)
    n_forms = max(len(form_ids), 1)
    codes, _ = _factorise(np.concatenate(left_parts) * n_forms + np.concatenate(right_parts))
    return q, f, codes // n_forms, codes % n_forms, form_ids, words


def screened_pairs(matcher: WatchlistMatcher, queries: Sequence[NameForm], organisation: bool,
                   threshold: float) -> tuple[I64, I64]:
    """(query position, index form id) of every pair whose logic-v1 score may reach `threshold`."""
    q, f, left, right, form_ids, words = candidate_pairs(matcher, queries, organisation, threshold)
    keep_left, keep_right = [], []
    for start in range(0, len(left), _PAIR_CHUNK):
        part_left, part_right = left[start:start + _PAIR_CHUNK], right[start:start + _PAIR_CHUNK]
        # a margin below the threshold: the exact score of every kept pair comes from Algorithm.compare
        kept = screen_scores(q, f, part_left, part_right, words, organisation) >= threshold - 1e-6
        keep_left.append(part_left[kept])
        keep_right.append(form_ids[part_right[kept]])
    if not keep_left:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(keep_left), np.concatenate(keep_right)
