"""Blocking index: finds the few listed names worth comparing with a query, so matching scales.

Comparing a name with every listed name costs one full comparison per entry; the index instead files
every name form under cheap keys and compares a query only with forms that share keys with it:

- exact keys, which find a form that the algorithm will score as the same name without any fuzziness:
  the folded name, the sorted normalised words, the pinyin syllables, the sorted sound keys of a person's
  words, acronyms and their expansions, a written-out word with the initials of the others;
- fuzzy keys, which find forms a misspelling away: each word, its sound key, its first three and its last
  three letters. Keys are consulted rarest first within a budget of postings, so a word that half the list
  shares ("center", "wang") costs little; the forms sharing most keys go on to a spelling-similarity
  prefilter (rapidfuzz `process.extract`, in C), and only those above the cutoff get the full comparison.

`benchmarks/watchlist_match.py` measures the recall of this prefilter against brute force over all pairs.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from falsefriends.watchlist.normalise import NameForm, phonetic_key

POSTING_BUDGET = 6000
"""Postings read per query before rarer keys stop being added (the two rarest keys are always read)."""

SHORTLIST = 150
"""Forms sharing the most keys with a query that go on to the spelling-similarity prefilter."""


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
    if organisation:
        single = form.tokens[0] if len(form.tokens) == 1 and len(form.tokens[0]) >= 3 else None
        # a query acronym finds listed expansions, a query expansion finds listed acronyms
        if single:
            keys.add(f"oac:{single}" if query else f"oaw:{single}")
        for acronym in form.acronyms():
            keys.add(f"oaw:{acronym}" if query else f"oac:{acronym}")
    elif len(core) >= 2:
        keys.add("pk:" + " ".join(sorted(phonetic_key(t) for t in core)))
        for index, token in enumerate(core):
            if len(token) >= 2:
                initials = sorted(t[0] for i, t in enumerate(core) if i != index)
                keys.add(f"pi:{token}|{''.join(initials)}")
    return keys


def fuzzy_keys(form: NameForm, organisation: bool) -> set[str]:
    """Keys shared by forms a few typos apart: words, sound keys, first and last three letters."""
    m = _mode(organisation)
    keys: set[str] = set()
    for token in form.core(organisation):
        if len(token) < 2:
            continue
        keys.add(f"{m}t:{token}")
        keys.add(f"{m}p:{phonetic_key(token)}")
        if len(token) >= 4:
            keys.add(f"{m}b:{token[:3]}")
            keys.add(f"{m}e:{token[-3:]}")
    compact = form.compact(organisation)
    if len(compact) >= 4:
        keys.add(f"{m}b:{compact[:3]}")
    return keys


class BlockingIndex:
    """Name forms filed under exact and fuzzy keys (see the module docstring)."""

    def __init__(self) -> None:
        self.forms: list[IndexedForm] = []
        self._exact: dict[str, list[int]] = {}
        self._fuzzy: dict[str, list[int]] = {}

    def __len__(self) -> int:
        return len(self.forms)

    def add(self, entry: int, form: NameForm, organisation: bool) -> None:
        form_id = len(self.forms)
        self.forms.append(IndexedForm(entry, form, organisation, form.sorted_text(organisation),
                                      form.compact(organisation)))
        for key in exact_keys(form, organisation, query=False):
            self._exact.setdefault(key, []).append(form_id)
        for key in fuzzy_keys(form, organisation):
            self._fuzzy.setdefault(key, []).append(form_id)

    def exact_candidates(self, query: NameForm, organisation: bool) -> set[int]:
        found: set[int] = set()
        for key in exact_keys(query, organisation, query=True):
            found.update(self._exact.get(key, ()))
        return found

    def shortlist(self, query: NameForm, organisation: bool) -> list[int]:
        """Forms sharing the most fuzzy keys with the query, rarest keys first within the posting budget."""
        postings = sorted((self._fuzzy[k] for k in fuzzy_keys(query, organisation) if k in self._fuzzy), key=len)
        counts: Counter[int] = Counter()
        read = 0
        for index, posting in enumerate(postings):
            if index >= 2 and read + len(posting) > POSTING_BUDGET:
                break
            counts.update(posting)
            read += len(posting)
        return [form_id for form_id, _ in counts.most_common(SHORTLIST)]

    def fuzzy_candidates(self, query: NameForm, organisation: bool, cutoff: float) -> set[int]:
        """Shortlisted forms whose spelling similarity (sorted words or compact form) reaches `cutoff` (0-1)."""
        shortlist = self.shortlist(query, organisation)
        if not shortlist:
            return set()
        score_cutoff = cutoff * 100.0
        found: set[int] = set()
        sorted_choices = [self.forms[i].sorted_text for i in shortlist]
        for _, _, position in process.extract(query.sorted_text(organisation), sorted_choices, scorer=fuzz.ratio,
                                              score_cutoff=score_cutoff, limit=None):
            found.add(shortlist[position])
        compact_choices = [self.forms[i].compact for i in shortlist]
        for _, _, position in process.extract(query.compact(organisation), compact_choices, scorer=fuzz.ratio,
                                              score_cutoff=score_cutoff, limit=None):
            found.add(shortlist[position])
        return found
