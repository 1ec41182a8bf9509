"""Coordinated clusters among a scan's outreach accounts, with `correlate.clusters` (the audit's code).

Only accounts with outreach evidence (a template reused at scale, or a wide fan-out) are candidates:
a few per hundred members, so this step runs on one machine (the driver, on Spark) with scipy.sparse.
Each cluster is a campaign: its accounts get the coordination evidence (C1), and the campaign's own
messages and profiles decide whether its campaign evidence counts (`correlate.campaigns.corroborating`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from falsefriends.correlate.campaigns import CampaignSettings, corroborating
from falsefriends.correlate.clusters import (
    account_traces,
    campaign_candidates,
    coordination_graph,
    describe_shared,
    trace_kind,
)
from falsefriends.model import Account, Evidence, Message
from falsefriends.scan.signals import coordination_evidence

SETTINGS = CampaignSettings()
# A trace held by more accounts than this links nobody. The audit allows 2,000 (an organisation's contacts);
# among a platform's outreach accounts a recruiting firm's 2,000 recruiters sharing an employer would add
# four million pairs (10 GB measured at 1M members) for a trace that says "colleagues", not "campaign".
MAX_ACCOUNTS_PER_TRACE = 200


@dataclass(frozen=True)
class Candidate:
    member_id: int
    employer: str
    created: date | None
    own: tuple[Evidence, ...]  # the account's profile and message evidence (not campaign signals)
    photo: str | None = None  # the photo's fingerprint (scan.photos): a shared photo is a `photo:` trace


@dataclass(frozen=True)
class Outreach:
    sender: int
    recipient: int
    sent_at_ms: int | None
    template: str | None
    item: int


@dataclass(frozen=True)
class ScanCampaign:
    id: str
    members: tuple[int, ...]
    shared: tuple[str, ...]
    templates: tuple[str, ...]
    corroborated: bool
    evidence: Evidence


def find_campaigns(candidates: Sequence[Candidate], outreach: Sequence[Outreach]) -> list[ScanCampaign]:
    """Clusters of candidates linked by templates, employer, creation bursts and co-targeting."""
    if len(candidates) < 2:
        return []
    # Inputs in a fixed order whatever order an engine collected them in.
    candidates = sorted(candidates, key=lambda c: c.member_id)
    outreach = sorted(outreach, key=lambda o: o.item)
    accounts = [Account(key=str(c.member_id), employer=c.employer or "", created=c.created, photo=c.photo)
                for c in candidates]
    keys = {str(c.member_id) for c in candidates}
    template_of = {f"x{row.item}": row.template for row in outreach
                   if row.template is not None and str(row.sender) in keys}

    def messages() -> Iterator[Message]:
        # Built one at a time as account_traces reads them: a million messages held at once cost gigabytes.
        for row in outreach:
            sender = str(row.sender)
            if sender in keys:
                when = None if row.sent_at_ms is None else datetime.fromtimestamp(row.sent_at_ms / 1000, tz=UTC)
                yield Message(id=f"x{row.item}", body="", sender=sender, recipients=(str(row.recipient),),
                              sent_at=when)

    traces = account_traces(accounts, messages(), template_of, cotarget_days=SETTINGS.cotarget_days,
                            burst_days=SETTINGS.burst_days)
    graph = coordination_graph(traces, SETTINGS.kind_weights, max_accounts_per_trace=MAX_ACCOUNTS_PER_TRACE)
    clusters = campaign_candidates(graph, SETTINGS.edge_quantile, SETTINGS.min_edge_weight,
                                   min_size=SETTINGS.min_accounts, min_similarity=SETTINGS.min_similarity)
    own: Mapping[str, Sequence[Evidence]] = {str(c.member_id): c.own for c in candidates}
    found: list[ScanCampaign] = []
    for cluster in clusters:
        members = tuple(sorted(int(a) for a in cluster.accounts))
        kinds = {trace_kind(t) for t, _ in cluster.shared}
        lines = describe_shared(cluster.shared)
        lures = [e for a in cluster.accounts for e in own.get(a, ())]
        templates = tuple(sorted({t.split(":", 1)[1] for t, _ in cluster.shared if trace_kind(t) == "template"}))
        found.append(ScanCampaign(
            id=f"campaign-{members[0]}", members=members, shared=tuple(lines), templates=templates,
            corroborated=bool(corroborating(lures, SETTINGS)),
            evidence=coordination_evidence(len(members), len(kinds), "; ".join(lines))))
    found.sort(key=lambda c: c.id)
    return found


def membership(campaigns: Sequence[ScanCampaign]) -> dict[int, ScanCampaign]:
    out: dict[int, ScanCampaign] = {}
    for campaign in campaigns:
        for member in campaign.members:
            out.setdefault(member, campaign)
    return out

