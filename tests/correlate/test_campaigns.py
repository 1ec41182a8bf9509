"""Campaigns: personas sharing templates and traces become one campaign with targets, timeline and evidence."""

from __future__ import annotations

from datetime import UTC

from falsefriends.check import Checker
from falsefriends.correlate.campaigns import find_campaigns
from falsefriends.model import Message
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
    # Benign contacts: one organiser writing to three people, two unrelated recruiters.
    accounts.append(account("organiser", employer="Water Council"))
    for k in range(3):
        messages.append(message(f"o{k}", CONFERENCE.format(name=roster[k].name, city="Lyon"), "organiser",
                                roster[k].staff_id, T0 + days(40 + k)))
    accounts.append(account("recruiter", employer="Acme Software"))
    messages.append(message("r1", "Hi, would you like to join our engineering team? Salary 80k.", "recruiter", "s5"))
    # The staff's other contacts: ordinary accounts that only exist in the connection lists.
    accounts.extend(account(f"contact{i}", employer=f"Employer {i % 20}") for i in range(60))
    return messages, accounts, roster


def test_two_planted_campaigns_are_named_with_personas_targets_and_why(checker: Checker) -> None:
    messages, accounts, roster = small_world()
    findings = find_campaigns(messages, accounts, roster, message_evidence=checker.evidence_for_message)
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
    assert any(t.startswith("employer:institute of global exchange") for t in c2.traces)
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
