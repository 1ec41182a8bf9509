"""Findings of an organisation audit: who approached whom, how risky, and what staff did about it.

For every staff export, each outside account that sent an invitation or a message starts an
*approach* (the account x staff pair). The approach is scored as a whole: the account's profile plus
every invitation note and message it sent that staff member, in one `Checker.assess`, so an offer in
the note, the move to WhatsApp in the second message and the request for notes in the fourth add up.
An account's score is its worst approach (or its profile alone when it only appears as a connection).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from importlib.metadata import PackageNotFoundError, version

from falsefriends.advice import advice_for, furthest, stage_of
from falsefriends.audit.campaigns import CampaignFinder, CampaignResult, no_campaigns
from falsefriends.audit.data import AuditData, StaffExport, account_key, name_key, normalise_key, sender_key
from falsefriends.audit.exposure import engagement, level_for, stage
from falsefriends.audit.records import (
    AccountFinding,
    Approach,
    Findings,
    GroupFigures,
    IngestTotals,
    MonthCount,
    StaffFinding,
    StaffLink,
    Summary,
)
from falsefriends.audit.unknown_fields import drop_unknown, unknown_fields
from falsefriends.check import Checker
from falsefriends.detect.profile import profile_evidence
from falsefriends.ingest.identity import describe_key
from falsefriends.model import Account, Channel, Connection, Direction, Evidence, Level, Message
from falsefriends.text import fold

OFF_PLATFORM = "M3"
"""The indicator of a request to move the conversation to another app (tradecraft.md)."""

FLAGGED = (Level.MEDIUM, Level.HIGH)
_LEVEL_RANK = {Level.LOW: 0, Level.MEDIUM: 1, Level.HIGH: 2}


@dataclass
class _Thread:
    """What one outside account and one staff member exchanged, gathered before scoring."""

    account: str
    staff_id: str
    received: list[Message] = field(default_factory=list)
    conversations: set[str] = field(default_factory=set)
    invited: bool = False
    replied: bool = False
    first: datetime | None = None
    last: datetime | None = None

    def seen(self, when: datetime | None) -> None:
        if when is None:
            return
        when = _aware(when)
        self.first = when if self.first is None or when < self.first else self.first
        self.last = when if self.last is None or when > self.last else self.last


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _day(when: date | None) -> datetime | None:
    return None if when is None else datetime.combine(when, time(), tzinfo=UTC)


def _merge_profile(current: Account | None, other: Account) -> Account:
    """Keep the first non-empty value of every field: exports show different parts of one profile."""
    if current is None:
        return other
    update = {name: getattr(other, name) for name in Account.model_fields
              if not getattr(current, name) and getattr(other, name)}
    return current.model_copy(update=update) if update else current


def _staff_keys(data: AuditData) -> set[str]:
    keys = {normalise_key(m.profile_url) for m in data.staff} | {e.owner_key for e in data.exports}
    return {k for k in keys if k}


def _resolver(export: StaffExport) -> dict[str, str]:
    """Folded name -> key for the accounts of one export that have a URL, when the name is unambiguous.

    Older exports and some message rows carry no profile URL; within one export a displayed name is a
    safe enough link to the connection or contact that does have one, unless the export shows two people of
    that name: a name-only invitation sent after the connection of that name was made (nobody invites a
    person they are already connected with, and Invitations.csv holds only requests still pending). A
    namesake is then never resolved by name alone.
    """
    by_name: dict[str, set[str]] = defaultdict(set)
    connected_on: dict[str, date] = {}
    for key, account in export.contacts.items():
        if not key.startswith("name:") and account.name:
            by_name[name_key(account.name)].add(key)
    for connection in export.connections:
        key = account_key(connection.contact)
        if not key.startswith("name:") and connection.contact.name:
            name = name_key(connection.contact.name)
            by_name[name].add(key)
            if connection.connected_on is not None:
                connected_on[name] = min(connection.connected_on, connected_on.get(name, connection.connected_on))
    for message in export.messages:
        if message.channel is not Channel.INVITATION or message.direction is not Direction.INCOMING:
            continue
        raw = sender_key(message)
        sent = _aware(message.sent_at).date() if message.sent_at is not None else None
        if raw.startswith("name:") and raw in connected_on and sent is not None and connected_on[raw] < sent:
            by_name.pop(raw, None)
    return {name: next(iter(keys)) for name, keys in by_name.items() if len(keys) == 1}


class _Collector:
    """Walks every export once and gathers threads, connections and profiles."""

    def __init__(self, data: AuditData) -> None:
        self.data = data
        self.staff_keys = _staff_keys(data)
        self.staff_names = {fold(m.name).text.strip() for m in data.staff if m.name.strip()}
        self.threads: dict[tuple[str, str], _Thread] = {}
        self.accepted: dict[tuple[str, str], datetime | None] = {}
        self.profiles: dict[str, Account] = {}
        self.invitations = 0
        self.messages = 0

    def _key(self, raw: str, names: dict[str, str]) -> str:
        return names.get(raw, raw) if raw.startswith("name:") else raw

    def _is_staff(self, key: str) -> bool:
        return key in self.staff_keys or (key.startswith("name:") and key[5:] in self.staff_names)

    def _thread(self, key: str, staff_id: str) -> _Thread:
        thread = self.threads.get((key, staff_id))
        if thread is None:
            thread = self.threads[(key, staff_id)] = _Thread(key, staff_id)
        return thread

    def collect(self) -> None:
        for export in self.data.exports:
            self._collect_export(export)

    def _collect_export(self, export: StaffExport) -> None:
        names = _resolver(export)
        for key, account in export.contacts.items():
            resolved = self._key(key, names)
            if not self._is_staff(resolved):
                self.profiles[resolved] = _merge_profile(self.profiles.get(resolved), account)
        for connection in export.connections:
            key = self._key(account_key(connection.contact), names)
            if self._is_staff(key):
                continue
            self.profiles[key] = _merge_profile(self.profiles.get(key), connection.contact)
            self.accepted[(key, export.staff_id)] = _day(connection.connected_on)
        party_of_conversation: dict[str, set[str]] = defaultdict(set)
        outgoing: list[Message] = []
        for message in export.messages:
            if message.direction is Direction.OUTGOING:
                outgoing.append(message)
                continue
            key = self._key(sender_key(message), names)
            if self._is_staff(key):
                continue
            if key not in self.profiles:
                self.profiles[key] = Account(key=key, name=message.sender_name,
                                             url=message.sender if key == normalise_key(message.sender) else None)
            thread = self._thread(key, export.staff_id)
            thread.received.append(message)
            thread.seen(message.sent_at)
            if message.channel is Channel.INVITATION:
                thread.invited = True
                self.invitations += 1
            else:
                self.messages += 1
            if message.conversation:
                thread.conversations.add(message.conversation)
                party_of_conversation[message.conversation].add(key)
        for message in outgoing:
            parties = set(party_of_conversation.get(message.conversation or "", ()))
            for recipient in message.recipients:
                key = self._key(normalise_key(recipient) or name_key(recipient), names)
                if (key, export.staff_id) in self.threads:
                    parties.add(key)
            if message.channel is Channel.INVITATION:
                continue  # the staff member inviting someone is not a reply to an approach
            for key in parties:
                thread = self.threads[(key, export.staff_id)]
                thread.replied = True
                thread.seen(message.sent_at)


def _dedupe(evidence: Iterable[Evidence]) -> list[Evidence]:
    seen: set[tuple[object, ...]] = set()
    kept: list[Evidence] = []
    for item in evidence:
        mark = (item.rule, item.message, item.span, item.field, item.excerpt)
        if mark not in seen:
            seen.add(mark)
            kept.append(item)
    kept.sort(key=lambda e: (-e.weight, e.indicator, e.message or "", e.span or (0, 0)))
    return kept


TEMPLATE_DETECTORS = frozenset({"templates"})
"""Detectors whose excerpt is a template's folded, masked text rather than the sender's words."""
EXCERPT_CHARS = 300


RECIPIENT = "[recipient]"
"""What stands for the recipient's own name in a quoted message (the template's slot, not a staff name)."""


def _without_name(body: str, name: str) -> str:
    """The message with its recipient's name and name parts (as a greeting uses them) replaced by RECIPIENT."""
    # as written and in capitals, not in any case: a staff member called Will must not mask "will"
    forms = {form for part in {name.strip(), *name.split()} if len(part) >= 2 for form in (part, part.upper())}
    parts = sorted(forms, key=len, reverse=True)
    if not parts:
        return body
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in parts) + r")(?!\w)")
    return pattern.sub(RECIPIENT, body)


def _in_senders_words(evidence: list[Evidence], bodies: dict[str, str]) -> list[Evidence]:
    """Template evidence quoting the message the account sent (its exact words, the recipient's name masked as
    the template's slot), not the folded template text ("je me connecte au sujet d une opportunite"); the
    template's id stays in the reason."""
    shown: list[Evidence] = []
    for item in evidence:
        body = bodies.get(item.message or "") if item.detector in TEMPLATE_DETECTORS else None
        if body:
            words = " ".join(body.split())
            item = item.model_copy(update={"excerpt": words if len(words) <= EXCERPT_CHARS
                                           else words[:EXCERPT_CHARS - 1] + "…"})
        shown.append(item)
    return shown


def _sorted_by_time(messages: Sequence[Message]) -> list[Message]:
    floor = datetime.min.replace(tzinfo=UTC)
    return sorted(messages, key=lambda m: (_aware(m.sent_at) if m.sent_at else floor, m.id))


def _campaign_inputs(collector: _Collector) -> tuple[list[Message], list[Account], list[Connection]]:
    """What staff received, keyed the way the collector resolved it, for campaign correlation."""
    messages = [m.model_copy(update={"sender": t.account, "recipients": (t.staff_id,)})
                for t in collector.threads.values() for m in t.received]
    accounts = [p if p.key == key else p.model_copy(update={"key": key}) for key, p in collector.profiles.items()]
    profiles = {a.key: a for a in accounts}
    connections = [Connection(owner=staff_id, contact=profiles.get(key) or Account(key=key),
                              connected_on=when.date() if when else None)
                   for (key, staff_id), when in collector.accepted.items()]
    return messages, accounts, connections


class _Detectors:
    """The checker's detectors, run once per distinct text and once per profile.

    Stock texts (the platform's default invitation, a recruiter's template) reach many staff: their
    evidence is computed once and re-stamped with each message's id. Only when the checker has no extra
    evidence providers, whose evidence may depend on more than the text.
    """

    def __init__(self, checker: Checker, connected: set[str] | None = None) -> None:
        self.checker = checker
        # Accounts that are some staff member's connection: the exports hold their employer (audit.unknown_fields).
        self.connected = connected or set()
        self.cache_texts = not checker.providers
        self.by_text: dict[tuple[str, str], list[Evidence]] = {}
        self.by_profile: dict[tuple[object, ...], list[Evidence]] = {}
        self.by_evidence: dict[tuple[tuple[str, float, str], ...], tuple[float, Level, tuple[str, ...]]] = {}

    def profile(self, account: Account) -> list[Evidence]:
        """`Checker.evidence_for_profile`, with the profile rules run once per distinct set of the fields they read.

        Rules never read the name, key, URL, handles or photo (rules/schema.py ProfileField, rules/conditions.py),
        so the 100,000 connections of a large export, who share a few employers and titles, cost a few hundred
        rule runs; the providers (the watchlist: names, identifiers) still see every account.
        """
        unknown = unknown_fields(account, connected=(account.key or "") in self.connected)
        shape = (account.headline, account.employer, account.position, account.positions, account.education,
                 account.location, account.about, account.connections, unknown)
        rules = self.by_profile.get(shape)
        if rules is None:
            rules = self.by_profile[shape] = drop_unknown(profile_evidence(account, self.checker.rules),
                                                          self.checker.rules, unknown)
        found = list(rules)
        for provider in self.checker.providers:
            found.extend(provider.profile_evidence(account))
        return found

    def score(self, evidence: Sequence[Evidence]) -> tuple[float, Level, tuple[str, ...]]:
        """The fusion's score of the evidence; it reads only each item's indicator, weight and detector."""
        shape = tuple((e.indicator, e.weight, e.detector) for e in evidence)
        found = self.by_evidence.get(shape)
        if found is None:
            found = self.by_evidence[shape] = self.checker.fusion.score(evidence)
        return found

    def message(self, message: Message) -> list[Evidence]:
        if not self.cache_texts:
            return self.checker.evidence_for_message(message)
        key = (message.subject, message.body)
        found = self.by_text.get(key)
        if found is None:
            found = self.by_text[key] = self.checker.evidence_for_message(message)
        return [e if e.message == message.id else e.model_copy(update={"message": message.id}) for e in found]

    def assess(self, subject: str, messages: Sequence[Message], profile_evidence: Sequence[Evidence],
               extra: Sequence[Evidence]) -> tuple[float, Level, tuple[str, ...], list[Evidence]]:
        """Checker.assess over the profile and every message, plus the account's campaign evidence."""
        evidence = list(profile_evidence)
        for message in messages:
            evidence.extend(self.message(message))
        evidence.extend(extra)
        score, level, indicators = self.score(evidence)
        return score, level, indicators, evidence


def _score_accounts(collector: _Collector, detectors: _Detectors, campaigns: CampaignResult) -> list[AccountFinding]:
    by_account: dict[str, list[_Thread]] = defaultdict(list)
    for thread in collector.threads.values():
        by_account[thread.account].append(thread)
    connected: dict[str, list[str]] = defaultdict(list)
    for (key, staff_id) in collector.accepted:
        connected[key].append(staff_id)
    findings: list[AccountFinding] = []
    for key in sorted(set(by_account) | set(connected) | set(collector.profiles)):
        profile = collector.profiles.get(key) or Account(key=key)
        profile_evidence = detectors.profile(profile)
        extra = campaigns.evidence.get(key, ())
        approaches: list[Approach] = []
        evidence: list[Evidence] = []
        threads = sorted(by_account.get(key, ()), key=lambda t: t.staff_id)
        if threads:
            for thread in threads:
                a_score, a_level, a_indicators, found = detectors.assess(
                    f"{key} -> {thread.staff_id}", _sorted_by_time(thread.received), profile_evidence, extra)
                evidence.extend(found)
                off_platform = any(e.indicator == OFF_PLATFORM and e.message for e in found)
                approaches.append(Approach(
                    staff_id=thread.staff_id, score=a_score, level=a_level, indicators=list(a_indicators),
                    channels=sorted({m.channel.value for m in thread.received}),
                    messages=len(thread.received), invited=thread.invited,
                    accepted=(key, thread.staff_id) in collector.accepted, replied=thread.replied,
                    asked_off_platform=off_platform, first_contact=thread.first, last_contact=thread.last,
                ))
            worst = max(approaches, key=lambda a: a.score)
            score, level = worst.score, worst.level
        else:
            score, level, _, found = detectors.assess(key, (), profile_evidence, extra)
            evidence.extend(found)
        names = {s.staff_id: s.name for s in collector.data.staff}
        bodies = {m.id: _without_name(m.body, names.get(t.staff_id, "")) for t in threads for m in t.received}
        kept = _in_senders_words(_dedupe(evidence), bodies)
        indicators = sorted({e.indicator for e in kept if e.weight > 0}, key=_indicator_sort)
        firsts = [a.first_contact for a in approaches if a.first_contact]
        lasts = [a.last_contact for a in approaches if a.last_contact]
        identity = describe_key(key)
        findings.append(AccountFinding(
            account=key, identity=identity.method, identity_confidence=identity.confidence, name=profile.name,
            # the exports hold a connection's position, not its headline: the position stands in for it
            headline=profile.headline or profile.position, employer=profile.employer, url=profile.url,
            score=score, level=level,
            indicators=indicators, evidence=kept,
            staff_approached=[a.staff_id for a in approaches],
            accepted_by=sorted(connected.get(key, ())),
            replied=[a.staff_id for a in approaches if a.replied],
            asked_off_platform=[a.staff_id for a in approaches if a.asked_off_platform],
            first_contact=min(firsts) if firsts else None, last_contact=max(lasts) if lasts else None,
            campaign=campaigns.campaign_of.get(key), approaches=approaches,
        ))
    findings.sort(key=lambda a: (-a.score, -len(a.staff_approached), a.account))
    return findings


def _indicator_sort(indicator: str) -> tuple[str, int]:
    digits = "".join(ch for ch in indicator if ch.isdigit())
    return indicator.rstrip("0123456789"), int(digits) if digits else 0


def _staff_findings(data: AuditData, accounts: Sequence[AccountFinding], checker: Checker) -> list[StaffFinding]:
    thresholds = checker.fusion.thresholds
    exported = {e.staff_id for e in data.exports}
    links: dict[str, list[tuple[AccountFinding, bool, bool, bool, bool]]] = defaultdict(list)
    for account in accounts:
        by_staff = {a.staff_id: a for a in account.approaches}
        for staff_id in sorted(set(by_staff) | set(account.accepted_by)):
            approach = by_staff.get(staff_id)
            links[staff_id].append((
                account, approach is not None, staff_id in account.accepted_by,
                approach is not None and approach.replied, approach is not None and approach.asked_off_platform,
            ))
    findings: list[StaffFinding] = []
    for member in data.staff:
        exposure, worst_stage = 0.0, "none"
        flagged: list[StaffLink] = []
        worst_level, indicators = Level.LOW, set()
        approached_by: list[str] = []
        for account, approached, accepted, replied, off in links.get(member.staff_id, ()):
            if approached:
                approached_by.append(account.account)
            weighed = account.score * engagement(approached, accepted, replied)
            if weighed > exposure:
                exposure, worst_stage = weighed, stage(approached, accepted, replied)
            if account.level in FLAGGED:
                flagged.append(StaffLink(account=account.account, name=account.name, score=account.score,
                                         level=account.level, approached=approached, accepted=accepted,
                                         replied=replied, asked_off_platform=off))
                if _LEVEL_RANK[account.level] > _LEVEL_RANK[worst_level]:
                    worst_level = account.level
                indicators.update(account.indicators)
        flagged.sort(key=lambda link: (-link.score, link.account))
        exposure = round(exposure, 4)
        findings.append(StaffFinding(
            staff_id=member.staff_id, name=member.name, department=member.department,
            sector=member.sector.value if member.sector else None, profile_url=member.profile_url,
            in_roster=not member.staff_id.startswith("unlisted-"), exported=member.staff_id in exported,
            exposure=exposure, level=level_for(exposure, thresholds.medium, thresholds.high),
            stage=worst_stage, approached_by=sorted(approached_by), flagged=flagged,
            advice=_advice(worst_level, indicators, flagged),
        ))
    findings.sort(key=lambda s: (-s.exposure, s.staff_id))
    return findings


def _advice(level: Level, indicators: set[str], flagged: Sequence[StaffLink]) -> list[str]:
    """The notice's advice: for the worst level, the indicators seen, and the furthest stage the person reached
    with a flagged account (accepted, replied, answered a request to move apps), so that someone who already
    replied is not told only "do not reply"."""
    if not flagged:
        return []
    reached = furthest([stage_of(accepted=link.accepted, replied=link.replied,
                                 asked_off_platform=link.asked_off_platform) for link in flagged])
    return advice_for(level, tuple(sorted(indicators, key=_indicator_sort)), reached)


def _group_figures(name: str, members: Sequence[StaffFinding]) -> GroupFigures:
    return GroupFigures(
        group=name, staff=len(members), exported=sum(m.exported for m in members),
        approached=sum(bool(m.approached_by) for m in members),
        approached_flagged=sum(any(link.approached for link in m.flagged) for m in members),
        accepted_flagged=sum(any(link.accepted for link in m.flagged) for m in members),
        replied_flagged=sum(any(link.replied for link in m.flagged) for m in members),
        asked_off_platform_flagged=sum(any(link.asked_off_platform for link in m.flagged) for m in members),
        exposure_high=sum(m.level is Level.HIGH for m in members),
        exposure_medium=sum(m.level is Level.MEDIUM for m in members),
    )


def _groups(staff: Sequence[StaffFinding], attribute: str, empty: str) -> list[GroupFigures]:
    grouped: dict[str, list[StaffFinding]] = defaultdict(list)
    for member in staff:
        grouped[getattr(member, attribute) or empty].append(member)
    figures = [_group_figures(name, members) for name, members in grouped.items()]
    figures.sort(key=lambda g: (-g.approached_flagged, -g.approached, g.group))
    return figures


def _months_between(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    months: list[str] = []
    while f"{year:04d}-{month:02d}" <= last and len(months) < 600:
        months.append(f"{year:04d}-{month:02d}")
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return months


def _timeline(accounts: Sequence[AccountFinding]) -> list[MonthCount]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for account in accounts:
        for approach in account.approaches:
            if approach.first_contact is None:
                continue
            month = approach.first_contact.strftime("%Y-%m")
            counts[month][0] += 1
            counts[month][1] += account.level in FLAGGED
    if not counts:
        return []
    months = _months_between(min(counts), max(counts))
    return [MonthCount(month=m, approaches=counts[m][0], flagged=counts[m][1]) if m in counts
            else MonthCount(month=m) for m in months]


def _summary(data: AuditData, collector: _Collector, accounts: Sequence[AccountFinding],
             staff: Sequence[StaffFinding]) -> Summary:
    approaches = [(a, p) for a in accounts for p in a.approaches]
    firsts = [a.first_contact for a in accounts if a.first_contact]
    lasts = [a.last_contact for a in accounts if a.last_contact]
    return Summary(
        staff=sum(m.in_roster for m in staff), exports=len(data.exports),
        unlisted_exports=sum(not m.in_roster for m in staff),
        accounts=len(accounts), accounts_high=sum(a.level is Level.HIGH for a in accounts),
        accounts_medium=sum(a.level is Level.MEDIUM for a in accounts),
        approaches=len(approaches), approaches_flagged=sum(a.level in FLAGGED for a, _ in approaches),
        staff_approached=sum(bool(m.approached_by) for m in staff),
        staff_approached_flagged=sum(any(link.approached for link in m.flagged) for m in staff),
        staff_accepted_flagged=sum(any(link.accepted for link in m.flagged) for m in staff),
        staff_replied_flagged=sum(any(link.replied for link in m.flagged) for m in staff),
        staff_asked_off_platform=sum(any(link.asked_off_platform for link in m.flagged) for m in staff),
        staff_exposure_high=sum(m.level is Level.HIGH for m in staff),
        staff_exposure_medium=sum(m.level is Level.MEDIUM for m in staff),
        invitations_scored=collector.invitations, messages_scored=collector.messages,
        first_contact=min(firsts) if firsts else None, last_contact=max(lasts) if lasts else None,
    )


def _tool_version() -> str:
    try:
        return version("falsefriends")
    except PackageNotFoundError:
        return "unknown"


def _with_staff_names_masked(checker: Checker, data: AuditData) -> Checker:
    """The checker whose semantic detector also masks the roster's names, with every text encoded in one batch.

    Staff names appear in greetings of the messages they receive; they must never move a score.
    """
    if checker.semantic is None:
        return checker
    semantic = checker.semantic.with_names(s.name for s in data.staff if s.name)
    semantic.warm(list(dict.fromkeys(m.body for export in data.exports for m in export.messages if m.body)))
    return Checker(rules=checker.rules, fusion=checker.fusion, providers=checker.providers, semantic=semantic)


def build_findings(data: AuditData, checker: Checker | None = None,
                   campaigns: CampaignFinder = no_campaigns, now: datetime | None = None) -> Findings:
    """Score every outside account and approach, and gather per-staff, per-group and per-month figures.

    With `campaigns=correlate_campaigns`, campaign correlation runs first, so that its evidence
    (standardised messages, fan-out, coordinated personas) counts in each account's score. It is off by
    default until its precision on organisation data is measured (see docs/audit.md).
    """
    checker = checker if checker is not None else Checker()
    collector = _Collector(data)
    collector.collect()
    messages, profiles, connections = _campaign_inputs(collector)
    checker = _with_staff_names_masked(checker, data)
    detectors = _Detectors(checker, {key for key, _ in collector.accepted})
    correlated = campaigns(messages, profiles, data.staff, connections, checker, profile_evidence=detectors.profile,
                           message_evidence=detectors.message)
    accounts = _score_accounts(collector, detectors, correlated)
    staff = _staff_findings(data, accounts, checker)
    report = data.ingest
    return Findings(
        generated_with={"falsefriends": _tool_version(), "fusion": checker.fusion.version,
                        "rules": str(len(checker.rules.rules))},
        generated_at=now if now is not None else datetime.now(UTC).replace(microsecond=0),
        summary=_summary(data, collector, accounts, staff),
        ingest=IngestTotals(files=report.files, rows_read=report.rows_read, rows_accepted=report.rows_accepted,
                            rows_quarantined=report.rows_quarantined, quarantine=list(report.quarantine),
                            errors=list(report.errors)),
        accounts=accounts, campaigns=correlated.campaigns, staff=staff,
        departments=_groups(staff, "department", "(no department)"),
        sectors=_groups(staff, "sector", "unknown"),
        timeline=_timeline(accounts),
    )

