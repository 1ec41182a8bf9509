"""Campaigns as first-class results: templates, targeting, coordinated clusters and trust joined up.

`find_campaigns` is what the audit calls: from the messages staff received, the outside accounts, the
staff roster and the accepted connections, it returns every campaign candidate (accounts, templates,
targets, timeline, score, evidence) and the campaign evidence for each account, so that an account's
own assessment can include what its campaign did. Honest bulk senders (recruiters, conference
organisers, expert networks) also send standardised messages to many staff: campaign evidence counts
only where the campaign's own messages or profiles show a step they do not take (`corroborating`).
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from falsefriends.correlate.clusters import (
    DEFAULT_KIND_WEIGHTS,
    CoordinationGraph,
    account_traces,
    campaign_candidates,
    coordination_graph,
    describe_shared,
    trace_kind,
)
from falsefriends.correlate.credibility import (
    CREDIBILITY_INDICATOR,
    credibility_first_evidence,
    in_runs,
    quiet_connections,
)
from falsefriends.correlate.normalise import fast_fold
from falsefriends.correlate.targeting import (
    AccountTargeting,
    fan_out_evidence,
    sector_split,
    staff_index,
    targeting_by_account,
)
from falsefriends.correlate.templates import (
    MIN_REACH_PER_SENDER,
    TemplateResult,
    find_templates,
    outreach_templates,
    template_reuse_evidence,
)
from falsefriends.correlate.traces import fan_outs, front_and_handle_traces
from falsefriends.correlate.translations import Encode
from falsefriends.correlate.trust import TrustScores, low_trust_evidence, trust_from_connections
from falsefriends.detect.fusion import FusionModel, default_fusion
from falsefriends.model import Account, Campaign, Connection, Evidence, Message, StaffMember

COORDINATION_RULE = "coordinated-personas"
COORDINATION_INDICATOR = "C1"
# The evidence correlation adds to accounts: standardised messages, fan-out, coordination, membership.
CAMPAIGN_INDICATORS = frozenset({"M9", "P7", COORDINATION_INDICATOR, "C2", "C3"})


@dataclass(frozen=True)
class CampaignSettings:
    """Knobs of campaign detection, with the values used by default (an organisation of 50 staff or more).

    `for_organisation(staff)` scales the thresholds that depend on how many people a campaign can reach.
    """

    template_threshold: float = 0.5
    min_template_recipients: int = 3
    min_reach_per_sender: float = MIN_REACH_PER_SENDER
    # A template reaching people of one department only is a team's business (a recruiter hiring for one
    # team); outreach spreads across departments. Not applied where the roster holds no departments.
    min_template_departments: int = 2
    # Translations of one template are one template when a sentence encoder is given to `find_campaigns`.
    link_translations: bool = True
    # Single-account fan-out: one outside account sending one note to this many staff in at least
    # `fan_out_min_departments` departments within `fan_out_days` days is a campaign of its own.
    fan_out_days: int = 30
    fan_out_min_departments: int = 2
    # An organisation's contacts are few and mostly unrelated: an absolute cut on edge weight is enough
    # there; on platform-scale data set a quantile (Pacheco et al. keep the top edges).
    edge_quantile: float | None = None
    min_edge_weight: float = 1.5
    min_similarity: float = 0.45
    min_accounts: int = 2
    cotarget_days: int = 7
    burst_days: int = 3
    fan_out_min_staff: int = 5
    # Staff a single-account fan-out campaign must reach in its burst (`traces.fan_outs`); below 75 staff 3,
    # like a template's reach: the burst rule (most of the note's reach in one window) keeps genuine senders'
    # steady notes out, so the count need not grow with the organisation as P7's does.
    fan_out_campaign_min_staff: int = 5
    use_trust: bool = False
    low_trust_fraction: float = 0.05
    kind_weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_KIND_WEIGHTS))
    # Corroboration (see `corroborating`): campaign evidence counts only for a campaign (or a lone
    # account) whose own messages or profiles show a step that honest bulk senders do not take.
    require_corroboration: bool = True
    # The move off the platform, the fake "technical assessment", the paid policy paper (tradecraft.md).
    hostile_steps: frozenset[str] = frozenset({"M3", "M10", "M11"})
    # Front-organisation and persona traits of the profile; only at `min_trait_weight` or more, so that
    # a merely missing employer (an export without that column) does not count.
    # C4 (`correlate.credibility`): quiet connections to staff shortly before the approaches to others.
    persona_traits: frozenset[str] = frozenset({"P2", "P4", "P5", "P8", CREDIBILITY_INDICATOR})
    min_trait_weight: float = 0.6
    # An offer tied to a request for analysis or insights: the collection step.
    offers: frozenset[str] = frozenset({"M1", "M2", "M11"})
    requests: frozenset[str] = frozenset({"M4"})
    # Membership raises risk: an account of a corroborated campaign, or an unknown account's fan-out, is
    # raised to at least medium (`MEMBER_RULE`, `FAN_OUT_RULE`), the campaign named as the reason.
    raise_members: bool = True
    # Linked accounts whose outreach nothing corroborates (bulk senders sharing texts) are not campaigns:
    # their link stays, uncounted, in each account's evidence. True lists them as campaigns capped below high.
    list_uncorroborated: bool = False
    # A campaign of personas needs one account whose approaches are a run (`credibility.in_runs`): a persona
    # writes to its targets in a wave; colleagues of one firm who each write to a colleague now and then
    # over a year, sharing a text and an employer, are that firm's correspondence.
    require_run: bool = True
    # A listed persona, handle, photo or domain (watchlist, weight 2 or more) corroborates as well.
    listed: frozenset[str] = frozenset({"W1", "W2", "W3", "W4"})
    min_listed_weight: float = 2.0

    @classmethod
    def for_organisation(cls, staff: int, **overrides: Any) -> CampaignSettings:
        """Settings for an organisation of `staff` people (see docs/campaigns.md, "Small organisations").

        - a template is outreach from 2 staff reached (3 from 75 staff): a campaign reaches a few per cent
          of an organisation (4-9 % in the simulator, tens of people of thousands in DGSI 2018); in 8 staff
          that is one or two people, and the department spread, not the count, keeps one team's mail out;
        - its senders must each reach 2 staff on average (3 from 75 staff): a text many people send once
          each (a thank-you) still stays out; three per persona is 4 % of the staff only from 75 staff up, so
          below that a campaign of three personas reaching two or three people each would be missed;
        - fan-out evidence (P7) from 3 staff up to 20 staff, 4 from 21 to 26 staff and 5 from 27 staff (15 %
          of the staff, within 3 to 5): a persona approaches 3 or more people of an organisation in a month
          (the simulator's 4-9 %, at least 3), and five people are most of a small office;
        - the single-account fan-out campaign from 3 staff (5 from 75 staff): it must be a burst (most of the
          note's reach within one window, `traces.fan_outs`), which keeps steady senders out at any size, and
          a persona of a 60-staff organisation reaches 3 or 4 people.
        """
        small = staff < SMALL_ORGANISATION
        values: dict[str, Any] = {
            "min_template_recipients": 2 if small else 3,
            "min_reach_per_sender": 2.0 if small else MIN_REACH_PER_SENDER,
            "fan_out_min_staff": max(3, min(5, math.ceil(0.15 * staff))),
            "fan_out_campaign_min_staff": 3 if small else 5,
        }
        values.update(overrides)
        return cls(**values)


# Below this many staff the template thresholds are those of a small organisation: a persona reaches 4-9 %
# of the staff, which is three people or more only from 75 staff up.
SMALL_ORGANISATION = 75
MEMBER_RULE = "campaign-member"
FAN_OUT_RULE = "fan-out-campaign"
MEMBER_INDICATOR = "C3"


@dataclass(frozen=True)
class CampaignFindings:
    """Everything campaign detection found, for the audit's findings and reports."""

    campaigns: tuple[Campaign, ...]
    account_evidence: dict[str, tuple[Evidence, ...]]
    templates: TemplateResult
    targeting: dict[str, AccountTargeting]
    trust: TrustScores | None = None
    coordination: CoordinationGraph | None = None
    # Campaign id -> "personas" (accounts linked by shared traces) or "fan-out" (one account, one note,
    # many staff across departments).
    kinds: dict[str, str] = field(default_factory=dict)

    def campaign_of(self) -> dict[str, str]:
        """Account key -> campaign id."""
        return {a: c.id for c in self.campaigns for a in c.accounts}

    def graph_of(self, campaign: Campaign) -> CampaignGraph:
        """The campaign as a graph to draw: its accounts, the staff they approached, and the links.

        Account-account links carry the weight of the traces the two share; account-staff links
        carry the number of approaches.
        """
        links: list[tuple[str, str, float]] = []
        if self.coordination is not None:
            index = {a: i for i, a in enumerate(self.coordination.accounts)}
            members = [a for a in campaign.accounts if a in index]
            for i, a in enumerate(members):
                for b in members[i + 1:]:
                    weight = float(self.coordination.weights[index[a], index[b]])
                    if weight > 0:
                        links.append((a, b, round(weight, 3)))
        approaches: list[tuple[str, str, int]] = []
        for account in campaign.accounts:
            targeting = self.targeting.get(account)
            if targeting is not None:
                approaches.extend((account, staff_id, 1) for staff_id in targeting.staff)
        return CampaignGraph(campaign.accounts, campaign.targets, tuple(links), tuple(approaches))


@dataclass(frozen=True)
class CampaignGraph:
    """Nodes and edges of one campaign, for the report's picture."""

    accounts: tuple[str, ...]
    targets: tuple[str, ...]
    links: tuple[tuple[str, str, float], ...]
    approaches: tuple[tuple[str, str, int], ...]


def coordination_weight(accounts: int, shared_kinds: int) -> float:
    """Log-odds for belonging to a coordinated cluster: 0.5 for a pair linked one way, up to 1.0 with more
    accounts and more kinds of link. Modest on purpose: colleagues of one real recruiting firm share
    templates and an employer too; the lures in the messages must carry the rest."""
    return round(min(1.0, 0.5 + 0.125 * (min(accounts, 4) - 2) + 0.125 * (min(shared_kinds, 3) - 1)), 3)


def corroborating(items: Iterable[Evidence], settings: CampaignSettings) -> list[Evidence]:
    """The items that corroborate standardised outreach as hostile, or none.

    Recruiters, conference organisers and expert networks send standardised paid offers, trips, CV
    requests and flattery to many people every day (tradecraft.md, "hard negatives"): the campaign
    signals (M9, P7, C1) alone, or with those lures, say "bulk sender", not "persona". They count when
    the campaign's own messages or profiles also show one of: a hostile step (move off the platform M3,
    fake technical assessment M10, paid policy paper M11), a front-organisation or persona trait (P2,
    P4, P5, P8 at `min_trait_weight` or more), or an offer (M1, M2, M11) tied to a request for analysis
    (M4).
    """
    items = [e for e in items if e.weight > 0 and e.indicator not in CAMPAIGN_INDICATORS]
    found = [e for e in items if e.indicator in settings.hostile_steps]
    found += [e for e in items if e.indicator in settings.persona_traits and e.weight >= settings.min_trait_weight]
    found += [e for e in items if e.indicator in settings.listed and e.weight >= settings.min_listed_weight]
    offers = [e for e in items if e.indicator in settings.offers]
    requests = [e for e in items if e.indicator in settings.requests]
    if offers and requests:
        found += [max(offers, key=lambda e: e.weight), max(requests, key=lambda e: e.weight)]
    return _strongest_per_rule(found)


def _uncounted(item: Evidence, why: str) -> Evidence:
    """Campaign evidence shown but not counted (weight 0): the outreach was not corroborated."""
    return item.model_copy(update={"weight": 0.0, "reason": f"{item.reason} Not counted: {why}"})


_NOT_CORROBORATED = (
    "standardised outreach to many staff, without a move off the platform, a paid policy paper, a technical"
    " assessment, a front-organisation trait or an offer tied to a request for analysis in the messages or"
    " profiles, is what honest recruiters, conference organisers and expert networks do (tradecraft.md)."
)


_NO_RUN = (
    "none of these accounts wrote to the staff in one run (each first wrote to the staff it reached over more than"
    " 60 days): colleagues of one firm who write to staff now and then, sharing a text and an employer, are that"
    " firm's correspondence, not a wave of approaches."
)


def find_campaigns(
    messages: Sequence[Message],
    accounts: Iterable[Account],
    roster: Iterable[StaffMember],
    connections: Iterable[Connection] = (),
    *,
    settings: CampaignSettings | None = None,
    fusion: FusionModel | None = None,
    message_evidence: Callable[[Message], Sequence[Evidence]] | None = None,
    profile_evidence: Callable[[Account], Sequence[Evidence]] | None = None,
    encode: Encode | None = None,
) -> CampaignFindings:
    """Campaign candidates among the outside accounts that approached staff.

    Templates are found among messages received by staff (translations joined when `encode`, a
    multilingual sentence encoder, is given); accounts are linked by shared traces; each cluster becomes a
    `Campaign` whose score is the fusion of its accounts' campaign evidence and, when `message_evidence` /
    `profile_evidence` are given (`Checker.evidence_for_message`, `Checker.evidence_for_profile`), of the
    lures in its messages and the indicators of its profiles: standardised outreach alone is what honest
    recruiters do too. One outside account that sent one note to many staff across departments within a
    short window is a campaign of its own ("fan-out").

    With those callables, the campaign evidence (M9, P7, C1) of a campaign, or of an account in no
    campaign, counts only when its own messages and profiles corroborate it (`corroborating`); otherwise
    it is kept with weight 0 and the reason, and the campaign's score stays below high. `settings`
    default to `CampaignSettings.for_organisation(len(roster))`.
    """
    roster = list(roster)
    settings = settings or CampaignSettings.for_organisation(len(roster))
    fusion = fusion or default_fusion()
    if message_evidence is not None:
        message_evidence = _memoised(message_evidence)
    staff = staff_index(roster)
    account_list = list(accounts)
    names = {key: m.name for key, m in staff.items() if m.name}
    names.update({a.key: a.name for a in account_list if a.key and a.name})
    incoming = [m for m in messages if m.sender and m.sender not in staff and any(r in staff for r in m.recipients)]
    templates = find_templates(incoming, names, threshold=settings.template_threshold,
                               encode=encode if settings.link_translations else None)
    targeting = targeting_by_account(incoming, staff)
    evidence: dict[str, list[Evidence]] = defaultdict(list)
    staff_keys = set(staff)
    department_of = {key: m.department for key, m in staff.items() if m.department}
    reach = {"staff": staff_keys, "min_recipients": settings.min_template_recipients,
             "min_reach_per_sender": settings.min_reach_per_sender, "department_of": department_of,
             "min_departments": settings.min_template_departments,
             "weak_keys": {a.key for a in account_list if a.key and not a.url}}
    outreach = outreach_templates(templates, incoming, **reach)  # type: ignore[arg-type]
    for account, items in template_reuse_evidence(templates, incoming, **reach).items():  # type: ignore[arg-type]
        evidence[account].extend(items)
    for account, summary in targeting.items():
        found = fan_out_evidence(summary, settings.fan_out_min_staff)
        if found is not None:
            evidence[account].append(found)
    connection_list = list(connections)
    trust = None
    if settings.use_trust and connection_list:
        trust = trust_from_connections(connection_list, [m.staff_id for m in roster] + [
            m.profile_url for m in roster if m.profile_url
        ])
        for account, item in low_trust_evidence(trust, targeting, settings.low_trust_fraction).items():
            evidence[account].append(item)

    outside = [a for a in account_list if (a.key or a.url) and (a.key or a.url) not in staff]
    # Only outreach templates link accounts: a text everyone sends once (a thank-you, a stock
    # invitation) would join hundreds of genuine contacts into one "campaign".
    template_of = {m: t for m, t in templates.template_of.items() if t in outreach}
    traces = account_traces(
        outside, incoming, template_of, targets=staff_keys,
        cotarget_days=settings.cotarget_days, burst_days=settings.burst_days,
    )
    for account in targeting:
        traces.setdefault(account, set())
    # Fronts among the accounts that did outreach (M9 or P7): an ordinary contact who chats with staff
    # does not make its employer a front.
    outreaching = {a for a, items in evidence.items() if any(e.rule in _OUTREACH_RULES for e in items)}
    front_and_handle_traces(traces, outside, incoming, approached=outreaching, wrote=set(targeting))
    # Quiet connections to staff shortly before the approaches (credibility first): a persona trait.
    # A connection in an export without URL columns names the account by name, employer and title: the same
    # account as the one known by URL with that very name and employer.
    connection_keys = _same_name_and_employer(account_list, set(targeting))
    credible = credibility_first_evidence(
        quiet_connections(incoming, connection_list, staff, same_as=connection_keys), outreaching)
    for account, item in credible.items():
        evidence[account].append(item)
    # A URL key and name-only keys of the same display name that sent one of its templates are one account seen
    # in exports with and without URL columns: one node of the graph. Kept apart, the template they share made
    # the persona's traces unlike its co-personas' (one more trace of its own), and the similarity cut split
    # campaigns of three personas at 8 and 20 staff (development worlds, seeds 1-20).
    profiles = {a.key or a.url or "": a for a in account_list}
    alias = _second_keys(traces, profiles)
    for second, first in alias.items():
        traces[first] |= traces.pop(second)
    graph = coordination_graph(traces, settings.kind_weights)
    # One template (or photo, handle, front) shared by two accounts links them, however few the accounts:
    # the cut is the weight of such a trace when the accounts are few (IDF log(n/2)), at most the absolute cut.
    edge_cut = min(settings.min_edge_weight, 0.99 * math.log(max(len(graph.accounts), 3) / 2.0))
    clusters = campaign_candidates(
        graph, settings.edge_quantile, edge_cut, min_size=settings.min_accounts,
        min_similarity=settings.min_similarity,
    )
    template_ids = {t.id for t in templates.templates}
    by_sender: dict[str, list[Message]] = defaultdict(list)
    for message in incoming:
        by_sender[message.sender or ""].append(message)
    # Without the lure and profile detectors nothing can corroborate: the evidence is then left as found.
    gate = settings.require_corroboration and (message_evidence is not None or profile_evidence is not None)
    gated: set[str] = set()
    running = in_runs(incoming, staff)
    campaigns: list[Campaign] = []
    kinds: dict[str, str] = {}
    # One sender under two keys (above) is one account: its note to many staff is a fan-out or nothing, never a
    # campaign of several personas; in a campaign, its name-only keys are members with it.
    members_of: dict[str, list[str]] = defaultdict(list)
    for second, first in sorted(alias.items()):
        members_of[first].append(second)
    for cluster in clusters:
        members = (*cluster.accounts, *(s for a in cluster.accounts for s in members_of.get(a, ())))
        if not any(e.rule in _OUTREACH_RULES for a in members for e in evidence.get(a, ())):
            continue  # linked accounts without standardised or mass outreach to staff: not a campaign here
        campaign_id = _campaign_id(members)
        kinds_shared = {trace_kind(t) for t, _ in cluster.shared}
        why = "; ".join(describe_shared(cluster.shared))
        weight = coordination_weight(len(cluster.accounts), len(kinds_shared))
        for account in members:
            evidence[account].append(
                Evidence(
                    rule=COORDINATION_RULE,
                    indicator=COORDINATION_INDICATOR,
                    weight=weight,
                    reason=(
                        f"One of {len(cluster.accounts)} accounts of campaign {campaign_id}, linked by shared traces"
                        f" ({why}); fake-profile campaigns run many personas with the same messages, photos and"
                        " front organisations (DGSI 2018; Secureworks 2015)."
                    ),
                    source=("DGSI 2018", "Secureworks 2015"),
                    detector="clusters",
                    excerpt=why[:300],
                )
            )
        lures = _own_evidence(members, by_sender, profiles, message_evidence, profile_evidence)
        lures += _strongest_per_rule(credible[a] for a in members if a in credible)
        cap = None
        support = corroborating(lures, settings) if gate else []
        why_not = _NOT_CORROBORATED
        if support and settings.require_run and not running.intersection(members):
            support, why_not = [], _NO_RUN  # steady correspondence of colleagues, not a wave of approaches
        if gate and not support:
            for account in members:
                evidence[account] = [_uncounted(e, why_not) for e in evidence.get(account, ())]
            gated.update(members)
            if not settings.list_uncorroborated:
                continue  # bulk senders sharing texts: their link is shown on each account, not as a campaign
            # A group of bulk senders is worth a look, not a report-and-remove: at most medium.
            cap = (fusion.thresholds.medium + fusion.thresholds.high) / 2
        elif support and settings.raise_members:
            hostile = _describe_support(support, members, by_sender, profiles, message_evidence,
                                        profile_evidence, credible)
            for account in members:
                _raise_to_medium(evidence[account], fusion, Evidence(
                    rule=MEMBER_RULE, indicator=MEMBER_INDICATOR, weight=0.0,
                    reason=(f"Member of campaign {campaign_id} ({len(cluster.accounts)} accounts linked by {why}),"
                            f" whose messages or profiles show {hostile}: an account that shares a template or"
                            " front with a hostile persona is part of the operation, however bland its own"
                            " messages (DGSI 2018)."),
                    source=("DGSI 2018",), detector="campaigns", excerpt=f"campaign {campaign_id}",
                ))
        gated.update(members)
        kinds[campaign_id] = "personas"
        campaigns.append(_campaign(members, cluster.shared, templates, template_ids, targeting, staff,
                                   evidence, lures, fusion, cap))
    if gate:
        # Accounts in no campaign: their own messages and profile (over all keys of one sender) must
        # corroborate their outreach.
        alone: dict[str, list[str]] = defaultdict(list)
        for account in sorted(set(evidence) - gated):
            alone[alias.get(account, account)].append(account)
        for first, keys in alone.items():
            own = _own_evidence([first, *members_of.get(first, ())], by_sender, profiles, message_evidence,
                                profile_evidence)
            own += _strongest_per_rule(credible[a] for a in [first, *members_of.get(first, ())] if a in credible)
            if not corroborating(own, settings):
                for account in keys:
                    evidence[account] = [_uncounted(e, _NOT_CORROBORATED) for e in evidence[account]]
    for fan in fan_outs(incoming, templates.template_of, staff, min_staff=settings.fan_out_campaign_min_staff,
                        min_departments=settings.fan_out_min_departments, days=settings.fan_out_days,
                        alias=alias):
        fan_keys = (fan.account, *members_of.get(fan.account, ()))
        if gated.intersection(fan_keys):
            continue  # already linked to other accounts (in a campaign, or bulk senders sharing texts)
        employer = _verified_employer(profiles.get(fan.account), account_list, set(targeting))
        if employer:
            continue  # a named employer that the exports show real people at: a firm's mailing, not a persona
        campaign_id = _campaign_id(fan_keys)
        where = ", ".join(fan.departments)
        trace = f"fan-out:{len(fan.staff)} staff in {len(fan.departments)} departments within {fan.span_days} days"
        if settings.raise_members:
            member = Evidence(
                rule=FAN_OUT_RULE, indicator=MEMBER_INDICATOR, weight=0.0,
                reason=(f"Single-account fan-out campaign {campaign_id}: this account sent one note (template"
                        f" {fan.template}) to {len(fan.staff)} staff in {len(fan.departments)} unrelated"
                        f" departments ({where}) within {fan.span_days} days, and no employer of it can be checked"
                        " in the exports; worth a word with the security officer (BfV 2017, DGSI 2018)."),
                source=("BfV 2017", "DGSI 2018"), detector="campaigns", excerpt=where[:300],
            )
            for key in fan_keys:
                _raise_to_medium(evidence[key], fusion, member)
        lures = _own_evidence(fan_keys, by_sender, profiles, message_evidence, profile_evidence)
        lures += _strongest_per_rule(credible[a] for a in fan_keys if a in credible)
        gated.update(fan_keys)
        kinds[campaign_id] = "fan-out"
        campaigns.append(_campaign(fan_keys, ((trace, 1),), templates, template_ids, targeting, staff,
                                   evidence, lures, fusion, None))
    frozen = {k: tuple(v) for k, v in evidence.items()}
    return CampaignFindings(tuple(campaigns), frozen, templates, targeting, trust, graph, kinds)


def _memoised(message_evidence: Callable[[Message], Sequence[Evidence]]) -> Callable[[Message], Sequence[Evidence]]:
    """The message evidence computed once per message: corroboration, its explanation and the gate of lone
    accounts read the same messages again."""
    seen: dict[str, Sequence[Evidence]] = {}

    def evidence(message: Message) -> Sequence[Evidence]:
        found = seen.get(message.id)
        if found is None:
            found = seen[message.id] = message_evidence(message)
        return found

    return evidence


def _campaign_id(accounts: Iterable[str]) -> str:
    digest = hashlib.blake2b("\n".join(sorted(accounts)).encode("utf-8"), digest_size=5).hexdigest()
    return f"cmp-{digest}"


def _logit(probability: float) -> float:
    return math.log(probability / (1.0 - probability))


def _raise_to_medium(items: list[Evidence], fusion: FusionModel, member: Evidence) -> None:
    """Add `member` with the weight that brings the account's campaign evidence to medium (at least 0.25).

    The fused score of an account only adds to its campaign evidence, so the account is then at least
    medium, with this campaign as the reason. Both thresholds of a learnt fusion are respected.
    """
    medium = fusion.thresholds.medium
    if fusion.prior_thresholds is not None:
        medium = max(medium, fusion.prior_thresholds.medium)
    have, _ = fusion.logit([e for e in items if e.weight > 0 and e.indicator != MEMBER_INDICATOR])
    needed = _logit(medium) + 0.05 - have
    weight = round(max(0.25, needed), 3)
    if any(e.indicator == MEMBER_INDICATOR and e.weight >= weight for e in items):
        return
    items.append(member.model_copy(update={"weight": weight}))


def _describe_support(
    support: Sequence[Evidence], accounts: Sequence[str], by_sender: Mapping[str, Sequence[Message]],
    profiles: Mapping[str, Account], message_evidence: Callable[[Message], Sequence[Evidence]] | None,
    profile_evidence: Callable[[Account], Sequence[Evidence]] | None,
    credible: Mapping[str, Evidence] | None = None,
) -> str:
    """'a move off the platform (M3) from <account>, ...': the hostile steps and who took them."""
    wanted = {e.rule for e in support}
    seen: dict[str, str] = {}
    for account in accounts:
        items: list[Evidence] = []
        if message_evidence is not None:
            items.extend(e for m in by_sender.get(account, ()) for e in message_evidence(m))
        if profile_evidence is not None and account in profiles:
            items.extend(profile_evidence(profiles[account]))
        if credible and account in credible:
            items.append(credible[account])
        for item in items:
            if item.rule in wanted and item.weight > 0:
                seen.setdefault(f"{item.indicator} {item.rule}", account)
    parts = [f"{what} from {who}" for what, who in sorted(seen.items())][:4]
    return "; ".join(parts) or ", ".join(sorted(wanted))


def _same_name_and_employer(accounts: Sequence[Account], among: set[str]) -> dict[str, str]:
    """{key without URL: URL key in `among`} where exactly one account known by URL has the same display name
    and the same (non-empty) employer: one account seen in an export without URL columns. Names are only
    compared for equality, whatever their script. Only employers of `among` are read further (a large export
    holds 100,000 connections and a few hundred employers)."""
    folded: dict[str, str] = {}

    def employer_of(account: Account) -> str:
        raw = account.employer
        if raw not in folded:
            folded[raw] = fast_fold(raw)
        return folded[raw]

    wanted = {employer_of(a) for a in accounts if a.url and a.employer and (a.key or a.url) in among}
    wanted.discard("")
    by_identity: dict[tuple[str, str], list[str]] = defaultdict(list)
    seconds: list[tuple[str, tuple[str, str]]] = []
    for account in accounts:
        if not account.employer or not account.name:
            continue
        employer = employer_of(account)
        if employer not in wanted:
            continue
        identity = (fast_fold(account.name), employer)
        key = account.key or account.url
        if account.url and key:
            by_identity[identity].append(key)
        elif account.key:
            seconds.append((account.key, identity))
    out: dict[str, str] = {}
    for key, identity in seconds:
        found = by_identity.get(identity, [])
        if len(found) == 1 and found[0] in among:
            out[key] = found[0]
    return out


def _second_keys(traces: Mapping[str, set[str]], profiles: Mapping[str, Account]) -> dict[str, str]:
    """{name-only key: URL key} for name-only keys (exports without URL columns) that show exactly the display
    name of an account known by URL and sent a template that account sent (of one such account only): one
    sender seen twice.

    The names are only compared for equality, whatever their script; a namesake that sent none of the URL
    account's templates is never joined."""
    by_name: dict[str, list[str]] = defaultdict(list)
    for key in traces:
        profile = profiles.get(key)
        if profile is not None and profile.url and profile.name:
            by_name[fast_fold(profile.name)].append(key)
    alias: dict[str, str] = {}
    for key, held in traces.items():
        profile = profiles.get(key)
        if profile is None or profile.url or not profile.name:
            continue
        sent = {t for t in held if t.startswith("template:")}
        known = [k for k in by_name.get(fast_fold(profile.name), ()) if sent & traces[k]]
        if len(known) == 1:
            alias[key] = known[0]
    return alias


def _verified_employer(profile: Account | None, accounts: Sequence[Account], approached: set[str]) -> str:
    """The account's employer when it is named and some contact of staff (known by URL) who never approached
    them names it too: people the staff already know work there. Empty otherwise (unknown is not verified)."""
    if profile is None:
        return ""
    employer = fast_fold(profile.employer)
    if not employer:
        return ""
    own = profile.key or profile.url
    for other in accounts:
        key = other.key or other.url
        # Only accounts known by URL: a name-only key may be a second key of this very account.
        if other.url and key != own and key not in approached and fast_fold(other.employer) == employer:
            return profile.employer
    return ""


# Evidence of outreach to staff: a campaign candidate needs at least one account with one of these.
_OUTREACH_RULES = frozenset({"template-reuse", "targeting-fan-out"})


def _own_evidence(
    accounts: Iterable[str],
    by_sender: Mapping[str, Sequence[Message]],
    profiles: Mapping[str, Account],
    message_evidence: Callable[[Message], Sequence[Evidence]] | None,
    profile_evidence: Callable[[Account], Sequence[Evidence]] | None,
) -> list[Evidence]:
    """What the accounts' messages and profiles show: the strongest item per rule over them."""
    accounts = list(accounts)
    found: list[Evidence] = []
    if message_evidence is not None:
        found.extend(_strongest_per_rule(
            item for account in accounts for message in by_sender.get(account, ())
            for item in message_evidence(message)
        ))
    if profile_evidence is not None:
        found.extend(_strongest_per_rule(
            item for a in accounts if a in profiles for item in profile_evidence(profiles[a])
        ))
    return found


def _strongest_per_rule(items: Iterable[Evidence]) -> list[Evidence]:
    strongest: dict[str, Evidence] = {}
    for item in items:
        if item.rule not in strongest or item.weight > strongest[item.rule].weight:
            strongest[item.rule] = item
    return list(strongest.values())


def _campaign(
    accounts: tuple[str, ...],
    shared: tuple[tuple[str, int], ...],
    templates: TemplateResult,
    template_ids: set[str],
    targeting: Mapping[str, AccountTargeting],
    staff: Mapping[str, StaffMember],
    evidence: Mapping[str, list[Evidence]],
    lures: Sequence[Evidence],
    fusion: FusionModel,
    cap: float | None = None,
) -> Campaign:
    members = set(accounts)
    used = tuple(t.id for t in templates.templates if members.intersection(t.senders) and t.id in template_ids)
    targets = sorted({s for a in accounts if a in targeting for s in targeting[a].staff})
    times = [t for a in accounts if a in targeting for t in (targeting[a].first, targeting[a].last) if t is not None]
    # The campaign's evidence: each account's strongest item per indicator, so the fusion counts each once.
    strongest: dict[tuple[str, str], Evidence] = {}
    for item in [*(e for a in accounts for e in evidence.get(a, ())), *lures]:
        key = (item.indicator, item.rule)
        if key not in strongest or item.weight > strongest[key].weight:
            strongest[key] = item
    items = tuple(sorted(strongest.values(), key=lambda e: (-e.weight, e.rule)))
    score, _, _ = fusion.score(items)
    if cap is not None:
        score = min(score, cap)
    return Campaign(
        id=_campaign_id(accounts),
        accounts=tuple(sorted(accounts)),
        templates=used,
        targets=tuple(targets),
        first=min(times) if times else None,
        last=max(times) if times else None,
        score=score,
        evidence=items,
        traces=tuple(t for t, _ in shared),
        sectors=sector_split(targets, staff),
    )
