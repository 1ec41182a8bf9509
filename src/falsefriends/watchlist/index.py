"""Blocking index: finds the few listed names worth comparing with a query, so matching scales.

Comparing a name with every listed name costs one full comparison per entry; the index instead files
every name form under cheap keys and compares a query only with forms that share keys with it:

- exact keys, which find a form that the algorithm will score as the same name without any fuzziness:
  the folded name, the sorted normalised words, the pinyin syllables, the sorted sound keys of a person's
  words, acronyms and their expansions, a written-out word with the initials of the others, and (for names
  of 6 to 14 letters written together) the name minus each one of its letters;
- fuzzy keys, which find forms a misspelling away: each word's sound key; its first three and last three
  letters (one typo in a word of seven letters or more leaves one of them intact); for words of four to six
  letters also the word without each one of its letters (one typo away always shares one); shorter words
  themselves; and the first and last three letters of the words written together. Each key keeps the
  texts of its forms next to their ids, so a query's spelling similarity with a whole block is computed by
  rapidfuzz in C (`process.extract` with a cutoff) without building Python lists per query; only forms at
  or above the cutoff go on to the full comparison. A pair of names that similar almost always shares a
  word, a sound, or three letters at the start or end of a word.

`benchmarks/watchlist_match.py` measures the recall of this prefilter against brute force over all pairs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from falsefriends.watchlist.normalise import NameForm, phonetic_key

BLOCK_CAP = 0.03
"""Largest share of the list a block may hold and still be scanned (when the query has smaller blocks)."""

BLOCK_MIN = 300
"""Blocks up to this size are always scanned, whatever the size of the list."""


@dataclass(frozen=True, slots=True)
class IndexedForm:
    """One name form of one entry, as filed in the index."""

    entry: int
    form: NameForm
    organisation: bool
    sorted_text: str
    compact: str


def _mode(organisation: bool) -> str:
    return "o" if organisation else "p"


def exact_keys(form: NameForm, organisation: bool, query: bool) -> set[str]:
    """Keys shared by two forms that an alternative feature of logic-v1 scores as the same name."""
    m = _mode(organisation)
    core = form.core(organisation)
    keys = {f"{m}f:{form.folded}", f"{m}n:{' '.join(sorted(core))}"}
    if form.syllables:
        keys.add(f"{m}s:{' '.join(sorted(form.syllables))}")
    compact = form.compact(organisation)
    if 6 <= len(compact) <= 14:
        # one typo apart: both share the compact name minus one letter (a deletion neighbourhood)
        keys.update(f"{m}x:{compact[:i]}{compact[i + 1:]}" for i in range(len(compact)))
    if organisation:
        single = form.tokens[0] if len(form.tokens) == 1 and len(form.tokens[0]) >= 3 else None
        # a query acronym finds listed expansions, a query expansion finds listed acronyms
        if single:
            keys.add(f"oac:{single}" if query else f"oaw:{single}")
        for acronym in form.acronyms():
            keys.add(f"oaw:{acronym}" if query else f"oac:{acronym}")
    elif len(core) >= 2:
        keys.add("pk:" + " ".join(form.sound))
        for index, token in enumerate(core):
            if len(token) >= 2:
                initials = sorted(t[0] for i, t in enumerate(core) if i != index)
                keys.add(f"pi:{token}|{''.join(initials)}")
    return keys


@lru_cache(maxsize=1 << 16)
def _query_exact_keys(form: NameForm, organisation: bool) -> frozenset[str]:
    """A query's exact keys, remembered: the same names and spans of text are looked up again and again."""
    return frozenset(exact_keys(form, organisation, query=True))


def fuzzy_keys(form: NameForm, organisation: bool) -> set[str]:
    """Keys shared by forms a few typos apart: words, sound keys, first and last three letters."""
    m = _mode(organisation)
    keys: set[str] = set()
    for token in form.core(organisation):
        if len(token) < 2:
            continue
        keys.add(f"{m}p:{phonetic_key(token)}")
        if len(token) >= 4:
            keys.add(f"{m}b:{token[:3]}")
            keys.add(f"{m}e:{token[-3:]}")
        if 4 <= len(token) <= 6:
            # in a short word one typo can touch both ends; the word minus any one letter is shared by
            # every spelling one typo away (a deletion neighbourhood)
            keys.update(f"{m}d:{token[:i]}{token[i + 1:]}" for i in range(len(token)))
        elif len(token) < 4:
            keys.add(f"{m}t:{token}")
    return keys


def compact_keys(form: NameForm, organisation: bool) -> set[str]:
    """Keys of the words written together: its first and last three letters."""
    compact = form.compact(organisation)
    if len(compact) < 4:
        return set()
    m = _mode(organisation)
    return {f"{m}cb:{compact[:3]}", f"{m}ce:{compact[-3:]}"}


class _Block:
    """The forms filed under one key: their ids and, in parallel, the texts compared in C."""

    __slots__ = ("ids", "texts")

    def __init__(self) -> None:
        self.ids: list[int] = []
        self.texts: list[str] = []


class BlockingIndex:
    """Name forms filed under exact and fuzzy keys (see the module docstring)."""

    def __init__(self) -> None:
        self.forms: list[IndexedForm] = []
        self._exact: dict[str, list[int]] = {}
        self._fuzzy: dict[str, _Block] = {}
        self._compact: dict[str, _Block] = {}

    def __len__(self) -> int:
        return len(self.forms)

    def add(self, entry: int, form: NameForm, organisation: bool) -> None:
        form_id = len(self.forms)
        indexed = IndexedForm(entry, form, organisation, form.sorted_text(organisation), form.compact(organisation))
        self.forms.append(indexed)
        for key in exact_keys(form, organisation, query=False):
            self._exact.setdefault(key, []).append(form_id)
        for key in fuzzy_keys(form, organisation):
            block = self._fuzzy.setdefault(key, _Block())
            block.ids.append(form_id)
            block.texts.append(indexed.sorted_text)
        for key in compact_keys(form, organisation):
            block = self._compact.setdefault(key, _Block())
            block.ids.append(form_id)
            block.texts.append(indexed.compact)

    def exact_candidates(self, query: NameForm, organisation: bool) -> set[int]:
        found: set[int] = set()
        for key in _query_exact_keys(query, organisation):
            found.update(self._exact.get(key, ()))
        return found

    def _selective(self, blocks: dict[str, _Block], keys: set[str]) -> list[_Block]:
        """The query's blocks, leaving out those larger than `BLOCK_CAP` of the list (generic words such as
        "center" or a very common surname) unless nothing smaller is left."""
        found = sorted((b for b in (blocks.get(k) for k in keys) if b is not None), key=lambda b: len(b.ids))
        cap = max(BLOCK_MIN, BLOCK_CAP * len(self.forms))
        small = [b for b in found if len(b.ids) <= cap]
        return small or found[:2]

    def fuzzy_candidates(self, query: NameForm, organisation: bool, cutoff: float) -> set[int]:
        """Forms sharing a block with the query whose spelling similarity (words in alphabetical order, or
        written together) reaches `cutoff` (0-1)."""
        score_cutoff = cutoff * 100.0
        found: set[int] = set()
        for blocks, text, keys in (
            (self._fuzzy, query.sorted_text(organisation), fuzzy_keys(query, organisation)),
            (self._compact, query.compact(organisation), compact_keys(query, organisation)),
        ):
            if not text:
                continue
            for block in self._selective(blocks, keys):
                for _, _, position in process.extract(text, block.texts, scorer=fuzz.ratio,
                                                      score_cutoff=score_cutoff, limit=None):
                    found.add(block.ids[position])
        return found
