"""The watchlist as an evidence provider for `Checker`: profile and message evidence with documented weights.

    Checker(providers=[WatchlistProvider()])            # the bundled list
    Checker(providers=[WatchlistProvider(my_list)])     # a workspace or imported list

Corroboration is the rule: a persona's NAME alone is reported (rule `watchlist-persona-name-only`) with
weight 0 and never moves a score, because listed persona names ("Jason Wang", "Alex Li") are carried by
many innocent people. A name counts only with the persona's claimed employer, its profile URL, handle or
photo, or approach behaviour in the same message. Working for a listed front counts on its own; working for
a real institution that personas merely claimed (CSIS, a real university) never does.

Weights are log-odds added by the fusion (bias -3.0; medium from 0.30, high from 0.70), where each indicator
counts once at its strongest weight. See `WEIGHTS` and docs/watchlist.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import compress, count, repeat

from falsefriends.model import Account, Evidence, Message
from falsefriends.rules.loader import RuleSet
from falsefriends.text import fold_plain
from falsefriends.watchlist.entries import Entry, EntryKind, IdentifierKind, Watchlist
from falsefriends.watchlist.identifiers import extract
from falsefriends.watchlist.matcher import IdentifierHit, NameHit, WatchlistMatcher
from falsefriends.watchlist.normalise import prepare

DETECTOR = "watchlist"
MAX_EXCERPT = 160
MAX_POSITIONS = 20
MAX_NAME_STARTS = 300
"""Capitalised words of a message tried as the start of an organisation name (bounds hostile texts)."""


@dataclass(frozen=True)
class Weight:
    """A watchlist rule: its indicator, its log-odds weight and why."""

    rule: str
    indicator: str
    weight: float
    why: str


WEIGHTS: dict[str, Weight] = {w.rule: w for w in (
    Weight("watchlist-org-match", "P2", 3.0,
           "employer or past employer is a listed front (times the name-match score): medium on its own"),
    Weight("watchlist-org-mentioned", "P2", 2.5,
           "a message names a listed front (times the name-match score)"),
    Weight("watchlist-persona-corroborated", "W1", 4.0,
           "a listed persona's name with its profile URL, handle or photo, or with its claimed front employer"),
    Weight("watchlist-persona-corroborated-real-employer", "W1", 2.5,
           "a listed persona's name with the real institution it claimed (a real employee there can share a "
           "name, so medium rather than high)"),
    Weight("watchlist-persona-behaviour", "W1", 2.0,
           "a listed persona's name on a message that itself shows approach behaviour (M1-M5, M10, M11)"),
    Weight("watchlist-persona-name-only", "W1", 0.0, "name only, not counted"),
    Weight("watchlist-claimed-institution", "W0", 0.0,
           "a real institution personas claimed: not a front, not counted"),
    Weight("watchlist-handle-match", "W2", 4.0, "a listed profile URL, messaging handle or phone number"),
    Weight("watchlist-photo-match", "W3", 4.0, "a listed photo hash (3.0 when a few bits away)"),
    Weight("watchlist-domain-match", "W4", 3.0, "a listed e-mail or web domain"),
)}

BEHAVIOUR_INDICATORS = frozenset({"M1", "M2", "M3", "M4", "M5", "M10", "M11"})
"""Message indicators that are approach behaviour (offer, trip, move off-platform, requests)."""

_HEADLINE_EMPLOYER = re.compile(r"(?:\bat|@|\bchez|\bbei|\bfor)\s+([^|•·,;()\n]{2,100})", re.IGNORECASE)
_HEX = re.compile(r"^(?:0x)?[0-9a-fA-F]{16,256}$")
_WORD = re.compile(r"[^\W_][\w'&.-]*", re.UNICODE)
# Words that join the words of a name; alone they are no sign that a name is near.
_CONNECTING_WORDS = frozenset({"of", "for", "and", "the", "de", "du", "des", "la", "le", "et", "fur", "und", "der",
                               "die", "das", "&", "on", "in"})


def _anchor_key(word: str) -> str:
    folded = word.lower() if word.isascii() else fold_plain(word)
    return folded.strip(".'&-")


_remembered_anchor_key = lru_cache(maxsize=1 << 16)(_anchor_key)
"""`_anchor_key` with its answers kept (looked up in C): words recur from message to message."""


def _anchored(text: str, anchors: frozenset[str]) -> list[int]:
    """Indices of the words of `text` whose `_anchor_key` is in `anchors` (looked up in C, no step per word)."""
    if text.isascii():  # lower() keeps ASCII words where they are: one pass for the whole text
        keys = map(str.strip, _WORD.findall(text.lower()), repeat(".'&-"))
    else:
        keys = map(_remembered_anchor_key, _WORD.findall(text))
    return list(compress(count(), map(anchors.__contains__, keys)))


def _sources(entry: Entry) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.source for p in entry.provenance))


def _listing(entry: Entry) -> str:
    return f"{entry.id}, {entry.status.value}, {', '.join(_sources(entry))}"


def _features(hit: NameHit) -> str:
    return ", ".join(f"{f.name} {f.value:g}x{f.weight:g}" for f in hit.features)


class WatchlistProvider:
    """Evidence from a watchlist about profiles and messages (see the module docstring)."""

    def __init__(self, watchlist: Watchlist | None = None, rules: RuleSet | None = None,
                 matcher: WatchlistMatcher | None = None) -> None:
        if matcher is None:
            if watchlist is None:
                from falsefriends.watchlist.bundled import bundled_watchlist

                watchlist = bundled_watchlist()
            matcher = WatchlistMatcher(watchlist)
        self.matcher = matcher
        self._rules = rules

    @property
    def rules(self) -> RuleSet:
        if self._rules is None:
            from falsefriends.rules.loader import default_rules

            self._rules = default_rules()
        return self._rules

    # -- profiles -------------------------------------------------------------------------------------

    def employer_texts(self, account: Account) -> list[tuple[str, str]]:
        """(field, organisation name) pairs a profile claims: employer, positions, the headline's "at X"."""
        found: list[tuple[str, str]] = []
        if account.employer:
            found.append(("employer", account.employer))
        found.extend(("positions", p.company) for p in account.positions[:MAX_POSITIONS] if p.company)
        match = _HEADLINE_EMPLOYER.search(account.headline[:500])
        if match:
            found.append(("headline", match.group(1).strip()))
        unique: dict[str, tuple[str, str]] = {}
        for field, text in found:
            unique.setdefault(prepare(text).folded, (field, text))
        return list(unique.values())

    def profile_identifiers(self, account: Account) -> list[tuple[str, IdentifierKind, str]]:
        """(field, kind, value) for every identifier a profile carries or writes in its summary."""
        found: list[tuple[str, IdentifierKind, str]] = []
        for field, value in (("url", account.url), ("key", account.key)):
            if value:
                found.append((field, IdentifierKind.PROFILE_URL, value))
        for handle in account.handles:
            kind = IdentifierKind.PROFILE_URL if "/" in handle else IdentifierKind.HANDLE
            found.append(("handles", kind, handle))
            if re.fullmatch(r"\+?[0-9 ()./-]{6,24}", handle.strip()):
                found.append(("handles", IdentifierKind.PHONE, handle))
        if account.photo and _HEX.match(account.photo.strip()):
            found.append(("photo", IdentifierKind.PHOTO_HASH, account.photo.strip()))
        for field in ("about", "headline"):
            for item in extract(getattr(account, field)):
                found.append((field, item.kind, item.value))
        return found

    def profile_evidence(self, account: Account) -> list[Evidence]:
        evidence: list[Evidence] = []
        employers = self.employer_texts(account)
        for field, text in employers:
            for hit in self.matcher.match_name(text, [EntryKind.ORGANISATION], limit=3):
                evidence.append(self._org_evidence(hit, field))
        identifier_hits = [(field, hit) for field, kind, value in self.profile_identifiers(account)
                           for hit in self.matcher.match_identifier(kind, value)]
        evidence.extend(self._identifier_evidence(hit, field=field) for field, hit in identifier_hits)
        if account.name:
            for hit in self.matcher.match_name(account.name, [EntryKind.PERSONA], limit=3):
                evidence.append(self._persona_evidence(hit, employers, [h for _, h in identifier_hits]))
        return evidence

    def _org_evidence(self, hit: NameHit, field: str, message: str | None = None,
                      span: tuple[int, int] | None = None) -> Evidence:
        entry = hit.entry
        if not entry.front:
            rule = WEIGHTS["watchlist-claimed-institution"]
            return Evidence(
                rule=rule.rule, indicator=rule.indicator, weight=0.0, detector=DETECTOR, source=_sources(entry),
                reason=(f"{hit.query!r} matches {entry.name!r}, a real institution that personas have claimed "
                        f"({_listing(entry)}); working there is not a signal: not counted."),
                excerpt=hit.query[:MAX_EXCERPT], field=field if message is None else None, message=message, span=span)
        rule = WEIGHTS["watchlist-org-mentioned" if message else "watchlist-org-match"]
        return Evidence(
            rule=rule.rule, indicator=rule.indicator, weight=round(rule.weight * hit.score, 3), detector=DETECTOR,
            source=_sources(entry),
            reason=(f"{hit.query!r} matches the listed front {entry.name!r} ({_listing(entry)}) with score "
                    f"{hit.score:.2f} by {hit.algorithm}: {_features(hit)}."),
            excerpt=hit.query[:MAX_EXCERPT], field=field if message is None else None, message=message, span=span)

    def _identifier_evidence(self, hit: IdentifierHit, field: str | None = None, message: str | None = None,
                             span: tuple[int, int] | None = None, excerpt: str = "") -> Evidence:
        entry = hit.entry
        if hit.kind is IdentifierKind.PHOTO_HASH:
            rule = WEIGHTS["watchlist-photo-match"]
            weight = rule.weight if hit.distance == 0 else rule.weight - 1.0
            what = "photo hash" if hit.distance == 0 else f"photo hash ({hit.distance} bits away)"
        elif hit.kind in (IdentifierKind.EMAIL_DOMAIN, IdentifierKind.WEB_DOMAIN):
            rule, weight, what = WEIGHTS["watchlist-domain-match"], WEIGHTS["watchlist-domain-match"].weight, "domain"
        else:
            rule, weight, what = WEIGHTS["watchlist-handle-match"], WEIGHTS["watchlist-handle-match"].weight, \
                hit.kind.value
        label = entry.name or entry.id
        return Evidence(
            rule=rule.rule, indicator=rule.indicator, weight=weight, detector=DETECTOR, source=_sources(entry),
            reason=f"The {what} {hit.listed!r} is listed for {label!r} ({_listing(entry)}).",
            excerpt=(excerpt or hit.query)[:MAX_EXCERPT], field=field, message=message, span=span)

    def _persona_evidence(self, hit: NameHit, employers: list[tuple[str, str]],
                          identifier_hits: Iterable[IdentifierHit], message: str | None = None,
                          behaviour: tuple[str, ...] = ()) -> Evidence:
        persona = hit.entry
        field = None if message else "name"
        own = [h for h in identifier_hits if h.entry.id == persona.id]
        base = f"The name {hit.query!r} matches the listed persona {persona.name!r} ({_listing(persona)}) " \
               f"with score {hit.score:.2f} by {hit.algorithm}: {_features(hit)}"
        if own:
            rule = WEIGHTS["watchlist-persona-corroborated"]
            reason = f"{base}; corroborated by its listed {own[0].kind.value} {own[0].listed!r}."
            return self._persona(rule, rule.weight, persona, hit, reason, field, message)
        claimed = self._claimed_employer_match(persona, employers)
        if claimed is not None:
            front = persona.employer_is_front is True
            rule = WEIGHTS["watchlist-persona-corroborated" if front else
                           "watchlist-persona-corroborated-real-employer"]
            kind = "a listed front" if front else (
                "a real institution it claimed" if persona.employer_is_front is False else "an organisation")
            reason = f"{base}; corroborated by the same claimed employer {claimed!r} ({kind})."
            return self._persona(rule, rule.weight, persona, hit, reason, field, message)
        if behaviour:
            rule = WEIGHTS["watchlist-persona-behaviour"]
            reason = f"{base}; corroborated by approach behaviour in the same message ({', '.join(behaviour)})."
            return self._persona(rule, rule.weight, persona, hit, reason, field, message)
        rule = WEIGHTS["watchlist-persona-name-only"]
        reason = (f"{base}. Name only, not counted: many innocent people share listed persona names; it would "
                  "count with the persona's claimed employer, profile URL, handle, photo or approach behaviour.")
        return self._persona(rule, 0.0, persona, hit, reason, field, message)

    @staticmethod
    def _persona(rule: Weight, weight: float, persona: Entry, hit: NameHit, reason: str, field: str | None,
                 message: str | None) -> Evidence:
        # message evidence found via sender_name has no span in the body, so it names the field instead
        return Evidence(rule=rule.rule, indicator=rule.indicator, weight=weight, detector=DETECTOR,
                        source=_sources(persona), reason=reason, excerpt=hit.query[:MAX_EXCERPT],
                        field=field or "sender_name", message=message)

    def _claimed_employer_match(self, persona: Entry, employers: list[tuple[str, str]]) -> str | None:
        if not persona.employer or not employers:
            return None
        forms = [persona.employer]
        for entry in self.matcher.entries:
            if entry.kind is EntryKind.ORGANISATION and persona.employer in entry.names:
                forms.extend(entry.names)
        for _, text in employers:
            for form in forms:
                if self.matcher.compare(text, form, organisation=True).score >= self.matcher.algorithm.threshold:
                    return text
        return None

    # -- messages -------------------------------------------------------------------------------------

    def message_evidence(self, message: Message) -> list[Evidence]:
        evidence: list[Evidence] = []
        identifier_hits: list[IdentifierHit] = []
        if message.sender:
            for id_hit in self.matcher.match_identifier(IdentifierKind.PROFILE_URL, message.sender):
                identifier_hits.append(id_hit)
                evidence.append(self._identifier_evidence(id_hit, field="sender", message=message.id))
        seen: set[tuple[str, str]] = set()
        for item in extract(message.body):
            for id_hit in self.matcher.match_identifier(item.kind, item.value):
                if (id_hit.entry.id, id_hit.listed) in seen:
                    continue
                seen.add((id_hit.entry.id, id_hit.listed))
                identifier_hits.append(id_hit)
                evidence.append(self._identifier_evidence(id_hit, message=message.id, span=item.span,
                                                          excerpt=message.body[item.span[0]:item.span[1]]))
        mentioned: set[str] = set()
        for text, span in self.organisation_mentions(message.body):
            for hit in self.matcher.match_name(text, [EntryKind.ORGANISATION], limit=1):
                # the first mention of each front is quoted; repeating a name adds nothing
                if hit.entry.front and hit.entry.id not in mentioned:
                    mentioned.add(hit.entry.id)
                    evidence.append(self._org_evidence(hit, "body", message=message.id, span=span))
        if message.sender_name:
            persona_hits = self.matcher.match_name(message.sender_name, [EntryKind.PERSONA], limit=3)
            if persona_hits:
                fired = {e.indicator for e in self._behaviour(message)}
                behaviour = tuple(sorted(fired & BEHAVIOUR_INDICATORS))
                for hit in persona_hits:
                    evidence.append(self._persona_evidence(hit, [], identifier_hits, message=message.id,
                                                           behaviour=behaviour))
        return evidence

    def _behaviour(self, message: Message) -> list[Evidence]:
        from falsefriends.detect.message import message_evidence

        return message_evidence(message, self.rules)

    @cached_property
    def _organisation_words(self) -> frozenset[str]:
        """Every distinctive word of a listed organisation's names, as written and as normalised."""
        words: set[str] = set()
        for entry in self.matcher.entries:
            if entry.kind is not EntryKind.ORGANISATION:
                continue
            for name in entry.names:
                words.update(_anchor_key(m.group(0)) for m in _WORD.finditer(name))
                words.update(prepare(name).tokens)
        return frozenset(w for w in words if w and w not in _CONNECTING_WORDS)

    def organisation_mentions(self, text: str, max_words: int = 8) -> list[tuple[str, tuple[int, int]]]:
        """Spans of `text` that are, exactly after normalisation, a listed organisation's name or acronym.

        Only runs of words starting with a capital letter are tried (names are written so), which keeps
        this linear in practice; fuzzy spellings inside free text are left to the profile fields."""
        # A span can only equal a listed name if it holds one of the listed names' words: runs of words
        # with none of them are skipped without being normalised (most messages name no listed front).
        head = text[:20_000]
        anchored = _anchored(head, self._organisation_words)
        if not anchored:
            return []
        words = list(_WORD.finditer(head))  # match objects, built in C; read only near anchored words
        # a start is tried only if one of the `max_words` words from it is anchored: in order, each once
        starts = sorted({i for a in anchored for i in range(max(0, a - max_words + 1), a + 1)})
        found: list[tuple[str, tuple[int, int]]] = []
        taken_until = -1
        tried = 0
        for i in starts:
            word, start = words[i].group(0), words[i].start()
            if start < taken_until or not (word[0].isupper() or not word[0].isascii()):
                continue
            tried += 1
            if tried > MAX_NAME_STARTS:
                break
            best: tuple[str, tuple[int, int]] | None = None
            for j in range(i, min(len(words), i + max_words)):
                span = (start, words[j].end())
                candidate = text[span[0]:span[1]].rstrip(".")
                if self.matcher.index.exact_candidates(prepare(candidate), True):
                    best = (candidate, (span[0], span[0] + len(candidate)))
            if best is not None:
                found.append(best)
                taken_until = best[1][1]
        return found
