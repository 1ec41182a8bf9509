"""Campaigns: personas sharing templates and traces become one campaign with targets, timeline and evidence."""

from __future__ import annotations

from datetime import UTC

from falsefriends.check import Checker
from falsefriends.correlate.campaigns import CAMPAIGN_INDICATORS, CampaignSettings, corroborating, find_campaigns
from falsefriends.model import Evidence, Message
from tests.correlate.factories import CONFERENCE, OFFER, RECRUITER, T0, account, days, message, staff

TOPICS = ["energy", "defence", "trade", "space", "health", "nuclear", "telecoms", "cyber"]


def small_world() -> tuple[list[Message], list, list]:
    roster = staff(24)
    messages: list[Message] = []
    accounts = []
    # Campaign 1: four personas, one photo reused by two, one offer template, 16 targets over two weeks.
    for p in range(4):
        accounts.append(account(f"c1p{p}", name=f"Persona {p}", employer=f"Consulting {p}",
                                photo="face-1" if p < 2 else f"face-{p}"))
        for k in range(4):
            target = roster[p * 4 + k]
            body = OFFER.format(greeting="Dear", name=target.name, city="Geneva", fee=1000 + 100 * k,
                                topic=TOPICS[(p + k) % 8], sender=f"Persona {p}")
            messages.append(message(f"c1-{p}-{k}", body, f"c1p{p}", target.staff_id, T0 + days(p * 3 + k)))
    # Campaign 2: three personas of one front organisation, another template, targets 16-23.
    for p in range(3):
        accounts.append(account(f"c2p{p}", name=f"Agent {p}", employer="Institute of Global Exchange"))
        for k in range(3):
            target = roster[16 + (p * 3 + k) % 8]
            body = RECRUITER.format(name=target.name) + " We offer a generous fee and a trip to the conference."
            messages.append(message(f"c2-{p}-{k}", body, f"c2p{p}", target.staff_id, T0 + days(20 + p + k)))
    # Benign contacts: one organiser writing to three people over the months, two unrelated recruiters.
    accounts.append(account("organiser", employer="Water Council"))
    for k in range(3):
        messages.append(message(f"o{k}", CONFERENCE.format(name=roster[k].name, city="Lyon"), "organiser",
                                roster[k].staff_id, T0 + days(40 + 50 * k)))
    accounts.append(account("recruiter", employer="Acme Software"))
    messages.append(message("r1", "Hi, would you like to join our engineering team? Salary 80k.", "recruiter", "s5"))
    # The staff's other contacts: ordinary accounts that only exist in the connection lists.
    accounts.extend(account(f"contact{i}", employer=f"Employer {i % 20}") for i in range(60))
    return messages, accounts, roster


def test_two_planted_campaigns_are_named_with_personas_targets_and_why(checker: Checker) -> None:
    messages, accounts, roster = small_world()
    # By default only corroborated groups are campaigns: campaign 2 (a generous fee and a trip, no hostile
    # step) is bulk senders sharing a text, its link kept (uncounted) on each account.
    default = find_campaigns(messages, accounts, roster, message_evidence=checker.evidence_for_message)
    assert [c.accounts for c in default.campaigns] == [("c1p0", "c1p1", "c1p2", "c1p3")]
    assert any(e.rule == "coordinated-personas" and e.weight == 0 for e in default.account_evidence["c2p0"])
    settings = CampaignSettings.for_organisation(len(roster), list_uncorroborated=True)
    findings = find_campaigns(messages, accounts, roster, settings=settings,
                              message_evidence=checker.evidence_for_message)
    by_accounts = {c.accounts: c for c in findings.campaigns}
    c1 = by_accounts.get(("c1p0", "c1p1", "c1p2", "c1p3"))
    c2 = by_accounts.get(("c2p0", "c2p1", "c2p2"))
    assert c1 is not None and c2 is not None, [c.accounts for c in findings.campaigns]
    assert len(findings.campaigns) == 2
    assert c1.targets == tuple(sorted(f"s{i}" for i in range(16)))
    assert c1.sectors == {"state": 8, "business": 8, "unknown": 0}
    assert c1.first == T0.replace(tzinfo=UTC) and c1.last == (T0 + days(12)).replace(tzinfo=UTC)
    assert len(c1.templates) == 1 and c1.templates[0] in findings.templates.by_id()
    assert any(t.startswith("photo:face-1") for t in c1.traces)
    assert any(t.startswith("front:institute of global exchange") for t in c2.traces)  # held by no other contact
    # The offer's lures (paid report, WhatsApp, flattery) join the campaign evidence and its score.
    rules = {e.rule for e in c1.evidence}
    assert {"template-reuse", "coordinated-personas"} <= rules
    assert {e.indicator for e in c1.evidence} & {"M1", "M3", "M6"}
    assert c1.score >= checker.fusion.thresholds.high > c2.score > 0.0
    # Each persona carries the campaign evidence for its own assessment; benign contacts do not.
    assert {e.indicator for e in findings.account_evidence["c1p0"]} >= {"M9", "C1"}
    assert "organiser" not in findings.campaign_of() and "recruiter" not in findings.account_evidence
    why = next(e for e in c1.evidence if e.rule == "coordinated-personas")
    assert "4 accounts" in why.reason and "sent template" in why.reason
    # The picture: every pair of personas linked by the shared template, each persona to its 4 targets.
    graph = findings.graph_of(c1)
    assert len(graph.links) == 6 and len(graph.approaches) == 16
    heaviest = max(graph.links, key=lambda link: link[2])
    assert heaviest[:2] == ("c1p0", "c1p1")  # they also share the photo


def test_standardised_outreach_alone_scores_below_high(checker: Checker) -> None:
    messages, accounts, roster = small_world()
    findings = find_campaigns(messages, accounts, roster)
    assert all(c.score < checker.fusion.thresholds.high for c in findings.campaigns)
    assert all(e.detector in {"templates", "targeting", "clusters"} for c in findings.campaigns for e in c.evidence)


RECRUITING_FIRM = (
    "Hi {name}, I lead hiring for a software company; we offer a generously paid collaboration on a payments"
    " platform and would be glad to see your updated CV."
)


def bulk_world() -> tuple[list[Message], list, list]:
    """One honest recruiting firm (three recruiters, one template, paid offer and CV request) and one persona
    pair sending the same kind of offer, but asking to move to WhatsApp."""
    roster = staff(24)
    messages: list[Message] = []
    accounts = []
    for p in range(3):
        accounts.append(account(f"firm{p}", name=f"Recruiter {p}", employer="Acme Talent"))
        for k in range(4):
            target = roster[p * 4 + k]
            messages.append(message(f"f-{p}-{k}", RECRUITING_FIRM.format(name=target.name), f"firm{p}",
                                    target.staff_id, T0 + days(p + k)))
    for p in range(2):
        accounts.append(account(f"pers{p}", name=f"Persona {p}", employer=f"Consulting {p}", photo="face-9"))
        for k in range(4):
            target = roster[12 + p * 4 + k]
            body = RECRUITING_FIRM.format(name=target.name) + " Could we continue on WhatsApp?"
            messages.append(message(f"p-{p}-{k}", body, f"pers{p}", target.staff_id, T0 + days(30 + p + k)))
    accounts.extend(account(f"contact{i}", employer=f"Employer {i % 20}") for i in range(60))
    return messages, accounts, roster


def test_honest_bulk_senders_keep_their_campaign_evidence_uncounted(checker: Checker) -> None:
    messages, accounts, roster = bulk_world()
    default = find_campaigns(messages, accounts, roster, fusion=checker.fusion,
                             message_evidence=checker.evidence_for_message,
                             profile_evidence=checker.evidence_for_profile)
    # By default the firm is in no campaign; its accounts keep the link, uncounted.
    assert [c.accounts for c in default.campaigns] == [("pers0", "pers1")]
    assert default.campaign_of().get("firm0") is None
    assert all(e.weight == 0 for e in default.account_evidence["firm0"])
    findings = find_campaigns(messages, accounts, roster, fusion=checker.fusion,
                              settings=CampaignSettings.for_organisation(len(roster), list_uncorroborated=True),
                              message_evidence=checker.evidence_for_message,
                              profile_evidence=checker.evidence_for_profile)
    by_accounts = {c.accounts: c for c in findings.campaigns}
    firm = by_accounts[("firm0", "firm1", "firm2")]
    personas = by_accounts[("pers0", "pers1")]
    # Listed on request, the firm is a campaign (standardised outreach is a fact), with its M9 and C1 evidence ...
    firm_campaign = {e.indicator: e for e in firm.evidence if e.indicator in CAMPAIGN_INDICATORS}
    assert {"M9", "C1"} <= set(firm_campaign)
    # ... but not counted, with the reason, and the campaign stays below high despite its paid offer.
    assert all(e.weight == 0 and "Not counted" in e.reason for e in firm_campaign.values())
    assert {e.indicator for e in firm.evidence if e.weight > 0} >= {"M1", "M5"}
    assert firm.score < checker.fusion.thresholds.high
    assert all(e.weight == 0 for e in findings.account_evidence["firm0"])
    # The personas' move to WhatsApp corroborates their outreach: their campaign evidence counts.
    assert personas.score >= checker.fusion.thresholds.high
    counted = {e.indicator for e in findings.account_evidence["pers0"] if e.weight > 0}
    assert {"M9", "C1"} <= counted


def test_without_detectors_nothing_is_gated(checker: Checker) -> None:
    messages, accounts, roster = bulk_world()
    findings = find_campaigns(messages, accounts, roster)
    assert all(e.weight > 0 for e in findings.account_evidence["firm0"])
    gated = find_campaigns(messages, accounts, roster, message_evidence=checker.evidence_for_message,
                           settings=CampaignSettings(require_corroboration=False))
    assert all(e.weight > 0 for e in gated.account_evidence["firm0"])


def _item(indicator: str, weight: float, rule: str = "") -> Evidence:
    return Evidence(rule=rule or f"rule-{indicator}-{weight}", indicator=indicator, weight=weight, reason="r")


def test_corroborating_steps_traits_and_offer_with_request() -> None:
    settings = CampaignSettings()
    assert corroborating([_item("M1", 1.2), _item("M5", 0.6), _item("M6", 0.5), _item("P1", 0.5)], settings) == []
    assert corroborating([_item("P2", 0.4)], settings) == []  # a missing employer is not a front organisation
    assert corroborating([_item("M9", 2.0), _item("C1", 1.0), _item("P7", 0.8)], settings) == []
    assert [e.indicator for e in corroborating([_item("M3", 1.0), _item("M1", 1.2)], settings)] == ["M3"]
    assert [e.indicator for e in corroborating([_item("P2", 0.9)], settings)] == ["P2"]
    assert [e.indicator for e in corroborating([_item("P4", 1.0)], settings)] == ["P4"]
    assert sorted(e.indicator for e in corroborating([_item("M2", 1.3), _item("M4", 1.6)], settings)) == ["M2", "M4"]
    assert corroborating([_item("M4", 1.6)], settings) == []
    assert corroborating([_item("M3", 0.0)], settings) == []  # shown-only evidence corroborates nothing
