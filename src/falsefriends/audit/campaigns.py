"""Where campaign correlation plugs into the audit: before accounts are scored, so campaign evidence counts.

`correlate_campaigns` (what `falsefriends audit` uses unless `--no-campaigns` is given) calls
`falsefriends.correlate`'s `find_campaigns` on what staff received: standardised messages (M9), one
account approaching many staff (fan-out) and coordinated personas (C1) become evidence on each account
(counted only when corroborated by a hostile step or persona trait, see `correlate.campaigns.corroborating`),
and the linked accounts become the `campaigns` of findings.json.
`no_campaigns` (`--no-campaigns`, and `run_audit`'s default) leaves `campaigns` empty and every
account's `campaign` null.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from falsefriends.check import Checker
from falsefriends.model import Account, Campaign, Connection, Evidence, Message, MessageTemplate, StaffMember


@dataclass(frozen=True)
class CampaignResult:
    """Campaigns as contract dicts, each account's campaign id, and the campaign evidence per account."""

    campaigns: list[dict[str, Any]] = field(default_factory=list)
    campaign_of: dict[str, str] = field(default_factory=dict)
    evidence: dict[str, tuple[Evidence, ...]] = field(default_factory=dict)


class CampaignFinder(Protocol):
    """Links outside accounts into campaigns from the messages staff received.

    `messages` have `sender` set to the resolved account key and `recipients` to the staff id;
    `connections` have `owner` set to the staff id.
    """

    def __call__(self, messages: Sequence[Message], accounts: Sequence[Account], staff: Sequence[StaffMember],
                 connections: Sequence[Connection], checker: Checker, *,
                 profile_evidence: ProfileEvidence | None = None,
                 message_evidence: MessageEvidence | None = None) -> CampaignResult: ...


ProfileEvidence = Callable[[Account], Sequence[Evidence]]
"""The audit's profile evidence (the checker's, without conditions on fields the exports do not hold)."""
MessageEvidence = Callable[[Message], Sequence[Evidence]]
"""The audit's message evidence (the checker's, computed once per distinct text)."""


def no_campaigns(messages: Sequence[Message], accounts: Sequence[Account], staff: Sequence[StaffMember],
                 connections: Sequence[Connection], checker: Checker, *,
                 profile_evidence: ProfileEvidence | None = None,
                 message_evidence: MessageEvidence | None = None) -> CampaignResult:
    """No campaign correlation: `campaigns` stays empty and every account's `campaign` null."""
    return CampaignResult()


def with_workspace_photos(finder: CampaignFinder, engine: Any) -> CampaignFinder:
    """`finder` on accounts that carry the photo users checked on them in this workspace (`check --photo --db`,
    the web check page: `photo.seen`), so that personas sharing a photo are linked (a `photo:` trace of the
    coordination graph), as they are in a platform scan. LinkedIn exports hold no photos; without sightings
    the accounts are passed on unchanged."""

    def correlate(messages: Sequence[Message], accounts: Sequence[Account], staff: Sequence[StaffMember],
                  connections: Sequence[Connection], checker: Checker, *,
                  profile_evidence: ProfileEvidence | None = None,
                  message_evidence: MessageEvidence | None = None) -> CampaignResult:
        from falsefriends.photo.seen import load_sightings, with_seen_photos

        sightings = load_sightings(engine)
        shown = with_seen_photos(accounts, sightings) if sightings else list(accounts)
        return finder(messages, shown, staff, connections, checker, profile_evidence=profile_evidence,
                      message_evidence=message_evidence)

    return correlate


def campaign_dict(campaign: Campaign, checker: Checker, *, links: Sequence[tuple[str, str, float]] = (),
                  templates: Sequence[MessageTemplate] = (), kind: str = "personas",
                  departments: Sequence[str] = ()) -> dict[str, Any]:
    """A campaign in the findings contract: `id`, `accounts`, `staff_targeted`, `evidence`, and details.

    `links` are the account pairs linked by shared traces, with their weight (the campaign graph);
    `templates` the campaign's standardised messages, kept without their message ids and recipients
    (`reached` counts the recipients) so that `check --templates` can recognise them later.
    """
    from falsefriends.correlate.campaigns import CAMPAIGN_INDICATORS  # scipy: imported only when used

    dumped = campaign.model_dump(mode="json")
    return {
        "id": dumped["id"],
        # "personas": accounts linked by shared traces; "fan-out": one account's note to many staff.
        "kind": kind,
        "accounts": dumped["accounts"],
        "staff_targeted": dumped["targets"],
        # The departments of the staff targeted (the reach of a fan-out across unrelated departments).
        "departments": list(departments),
        "evidence": dumped["evidence"],
        "score": dumped["score"],
        "level": checker.fusion.level(campaign.score).value,
        "templates": dumped["templates"],
        "traces": dumped["traces"],
        "sectors": dumped["sectors"],
        "first_contact": dumped["first"],
        "last_contact": dumped["last"],
        # Campaign evidence counted (not only shown): the campaign's outreach was corroborated.
        "corroborated": any(e.indicator in CAMPAIGN_INDICATORS and e.weight > 0 for e in campaign.evidence),
        "links": [[a, b, w] for a, b, w in links],
        "template_records": [
            {"reached": len(t.recipients),
             **t.model_copy(update={"messages": (), "recipients": ()}).model_dump(mode="json")}
            for t in templates
        ],
    }


def correlate_campaigns(messages: Sequence[Message], accounts: Sequence[Account], staff: Sequence[StaffMember],
                        connections: Sequence[Connection], checker: Checker, *,
                        profile_evidence: ProfileEvidence | None = None,
                        message_evidence: MessageEvidence | None = None) -> CampaignResult:
    """Campaigns found by `falsefriends.correlate` (templates, translations of one template, coordinated
    personas, single-account fan-outs), with thresholds scaled to the roster's size.

    Translations are joined with the multilingual sentence encoder when its package is installed.
    """
    from falsefriends.correlate.campaigns import find_campaigns
    from falsefriends.correlate.translations import default_encoder

    found = find_campaigns(messages, accounts, staff, connections, fusion=checker.fusion,
                           message_evidence=message_evidence or checker.evidence_for_message,
                           profile_evidence=profile_evidence or checker.evidence_for_profile,
                           encode=default_encoder())
    campaigns = sorted(found.campaigns, key=lambda c: (-c.score, c.id))
    by_id = found.templates.by_id()
    department_of = {m.staff_id: m.department for m in staff if m.department}
    return CampaignResult(
        campaigns=[campaign_dict(c, checker, links=found.graph_of(c).links,
                                 templates=[by_id[t] for t in c.templates if t in by_id],
                                 kind=found.kinds.get(c.id, "personas"),
                                 departments=sorted({department_of[t] for t in c.targets if t in department_of}))
                   for c in campaigns],
        campaign_of=found.campaign_of(),
        evidence=dict(found.account_evidence),
    )
