"""Matching names and identifiers against a watchlist; every hit carries the features that made it.

`WatchlistMatcher` is built once per list (it indexes every name form, see `index.py`) and then answers
`match_name` (a persona or organisation name, through the named algorithm, `logic-v1` by default) and
`match_identifier` (a profile URL, handle, phone, domain or photo hash, compared by canonical key).
Expired entries are left out of matching but stay in the list for the record.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from falsefriends.watchlist.entries import Entry, EntryKind, IdentifierKind, Watchlist
from falsefriends.watchlist.features import LOGIC_V1, Algorithm, Comparison, FeatureScore, fuzzy_similarity
from falsefriends.watchlist.identifiers import canonical, lookup_kind, photo_hash_near
from falsefriends.watchlist.index import BlockingIndex
from falsefriends.watchlist.normalise import prepare

NAMED_KINDS = (EntryKind.PERSONA, EntryKind.ORGANISATION)


@dataclass(frozen=True, slots=True)
class NameHit:
    """A listed entry whose name form matched a query name, with the algorithm's evidence."""

    entry: Entry
    query: str
    form: str
    score: float
    algorithm: str
    features: tuple[FeatureScore, ...]

    def explain(self) -> str:
        parts = ", ".join(f"{f.name}={f.value:g}x{f.weight:g}" for f in self.features)
        return f"{self.query!r} ~ {self.form!r} ({self.entry.id}): {self.score:.2f} by {self.algorithm} [{parts}]"


@dataclass(frozen=True, slots=True)
class IdentifierHit:
    """A listed entry carrying the same identifier as the query (or a photo hash a few bits away)."""

    entry: Entry
    kind: IdentifierKind
    query: str
    listed: str
    distance: int = 0


_NAME_MEMO = 1 << 17
"""Name queries remembered per matcher (about 100 bytes each and their hits); cleared when full."""


class WatchlistMatcher:
    """Matches names and identifiers against one watchlist (see the module docstring)."""

    def __init__(self, watchlist: Watchlist, algorithm: Algorithm = LOGIC_V1, on: date | None = None) -> None:
        self.watchlist = watchlist
        self.algorithm = algorithm
        self.entries = tuple(e for e in watchlist.entries if e.active(on))
        self._fuzzy_weight = next(f.weight for f in algorithm.features if f.function is fuzzy_similarity)
        self.index = BlockingIndex()
        self._identifiers: dict[tuple[str, str], list[int]] = {}
        self._names: dict[tuple[str, tuple[EntryKind, ...], float | None, int], list[NameHit]] = {}
        self._photos: list[tuple[int, str]] = []
        for position, entry in enumerate(self.entries):
            if entry.kind in NAMED_KINDS:
                organisation = entry.kind is EntryKind.ORGANISATION
                for name in entry.names:
                    self.index.add(position, prepare(name), organisation)
            for identifier in entry.identifiers:
                key = canonical(identifier.kind, identifier.value)
                if not key:
                    continue
                self._identifiers.setdefault((lookup_kind(identifier.kind), key), []).append(position)
                if identifier.kind is IdentifierKind.PHOTO_HASH:
                    self._photos.append((position, key))

    def compare(self, name: str, form: str, organisation: bool) -> Comparison:
        """Compare two names directly with the algorithm (no index)."""
        return self.algorithm.compare(prepare(name), prepare(form), organisation)

    def match_name(self, name: str, kinds: Iterable[EntryKind] = NAMED_KINDS, threshold: float | None = None,
                   limit: int = 10) -> list[NameHit]:
        """Entries of `kinds` whose best name form scores at least `threshold`, best first.

        Answers are remembered (the matcher never changes): an audit asks about the same employers and
        the same common names thousands of times.
        """
        memo = (name, tuple(kinds), threshold, limit)
        found = self._names.get(memo)
        if found is None:
            if len(self._names) >= _NAME_MEMO:
                self._names.clear()
            found = self._names[memo] = self._match_name(name, memo[1], threshold, limit)
        return list(found)

    def match_names(self, names: Sequence[str], kinds: Iterable[EntryKind] = NAMED_KINDS,
                    threshold: float | None = None, limit: int = 10) -> list[list[NameHit]]:
        """`match_name` for each of `names`, computed together (see `bulk.py`): the same scorer, threshold
        and evidence, with candidates from an exhaustive spelling comparison instead of the index.

        Pays from a few hundred names up (an audit's connections, a scan); an algorithm other than
        logic-v1 falls back to one `match_name` per name.
        """
        if self.algorithm is not LOGIC_V1:
            return [self.match_name(name, kinds, threshold, limit) for name in names]
        from falsefriends.watchlist.bulk import screened_pairs

        threshold = self.algorithm.threshold if threshold is None else threshold
        wanted = set(kinds)
        distinct = list(dict.fromkeys(names))
        prepared = [prepare(name) for name in distinct]
        queries = [k for k, form in enumerate(prepared) if form.tokens]
        best: list[dict[int, NameHit]] = [{} for _ in distinct]
        for organisation in (False, True):
            if (EntryKind.ORGANISATION if organisation else EntryKind.PERSONA) not in wanted:
                continue
            rows, form_ids = screened_pairs(self, [prepared[k] for k in queries], organisation, threshold)
            for row, form_id in zip(rows.tolist(), form_ids.tolist(), strict=True):
                position = queries[row]
                indexed = self.index.forms[form_id]
                comparison = self.algorithm.compare(prepared[position], indexed.form, organisation)
                if comparison.score < threshold:
                    continue
                current = best[position].get(indexed.entry)
                if current is None or comparison.score > current.score:
                    best[position][indexed.entry] = NameHit(
                        self.entries[indexed.entry], distinct[position], indexed.form.raw, comparison.score,
                        self.algorithm.name, comparison.features)
        found = {name: sorted(hits.values(), key=lambda h: (-h.score, h.entry.id))[:limit]
                 for name, hits in zip(distinct, best, strict=True) if hits}
        return [list(found.get(name, ())) for name in names]

    def _match_name(self, name: str, kinds: Iterable[EntryKind], threshold: float | None, limit: int) -> list[NameHit]:
        threshold = self.algorithm.threshold if threshold is None else threshold
        query = prepare(name)
        if not query.tokens:
            return []
        wanted = set(kinds)
        best: dict[int, NameHit] = {}
        for organisation in (False, True):
            kind = EntryKind.ORGANISATION if organisation else EntryKind.PERSONA
            if kind not in wanted:
                continue
            candidates = self.index.exact_candidates(query, organisation)
            candidates |= self.index.fuzzy_candidates(query, organisation, threshold / self._fuzzy_weight)
            for form_id in candidates:
                indexed = self.index.forms[form_id]
                if indexed.organisation is not organisation:
                    continue
                current = best.get(indexed.entry)
                if self.algorithm.score(query, indexed.form, organisation) < max(
                        threshold, current.score if current else 0.0):
                    continue
                comparison = self.algorithm.compare(query, indexed.form, organisation)
                if current is None or comparison.score > current.score:
                    best[indexed.entry] = NameHit(self.entries[indexed.entry], name, indexed.form.raw,
                                                  comparison.score, self.algorithm.name, comparison.features)
        return sorted(best.values(), key=lambda h: (-h.score, h.entry.id))[:limit]

    def match_identifier(self, kind: IdentifierKind, value: str) -> list[IdentifierHit]:
        """Entries listing the same identifier; photo hashes also match within a few bits."""
        key = canonical(kind, value)
        if not key:
            return []
        hits = [IdentifierHit(self.entries[p], kind, value, key)
                for p in self._identifiers.get((lookup_kind(kind), key), [])]
        if kind is IdentifierKind.PHOTO_HASH:
            exact = {id(h.entry) for h in hits}
            for position, listed in self._photos:
                distance = None if key == listed else photo_hash_near(key, listed)
                if distance is not None and id(self.entries[position]) not in exact:
                    hits.append(IdentifierHit(self.entries[position], kind, value, listed, distance))
        return hits
