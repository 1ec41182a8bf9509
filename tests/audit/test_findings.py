"""Findings on a hand-built organisation: accounts, who accepted, replied, was moved off-platform, and why."""

from __future__ import annotations

from falsefriends.audit.campaigns import CampaignResult
from falsefriends.audit.data import AuditData, from_exports
from falsefriends.audit.findings import build_findings
from falsefriends.audit.records import AccountFinding, Findings
from falsefriends.check import Checker
from falsefriends.model import Account, Channel, Evidence, Level, Message, Sector

from .conftest import World, export_of, received, staff, url, when


def _account(findings: Findings, key: str) -> AccountFinding:
    return next(a for a in findings.accounts if a.account == key)


def test_hostile_account_is_high_with_its_evidence(world: World, audit_checker: Checker) -> None:
    findings = build_findings(world.data, audit_checker)
    hostile = _account(findings, "https://www.linkedin.com/in/jane-smith-9")
    assert hostile.level is Level.HIGH
    assert hostile.score > 0.85
    assert hostile.indicators == ["M1", "M3", "M4", "P1"]
    quoted = {(e.rule, e.excerpt) for e in hostile.evidence}
    # the exact words, from the notes and messages to both staff members it approached
    assert quoted == {("test-paid-report", "generous fee"), ("test-paid-report", "well paid"),
                      ("test-move-app", "WhatsApp"), ("test-ask-notes", "analysis notes"),
                      ("test-headhunter-title", "Headhunter")}
    assert hostile.name == "Jane Smith"
    assert hostile.employer == "Global Insight Partners"
    assert findings.accounts[0].account == hostile.account  # riskiest first


def test_who_was_approached_accepted_replied_and_moved_off_platform(world: World, audit_checker: Checker) -> None:
    findings = build_findings(world.data, audit_checker)
    hostile = _account(findings, "https://www.linkedin.com/in/jane-smith-9")
    assert hostile.staff_approached == ["S1", "S2"]
    assert hostile.accepted_by == ["S1"]
    assert hostile.replied == ["S1"]
    assert hostile.asked_off_platform == ["S1"]
    assert hostile.first_contact == when(3, 1)
    assert hostile.last_contact == when(4, 10)
    assert hostile.campaign is None
    by_staff = {a.staff_id: a for a in hostile.approaches}
    assert by_staff["S1"].level is Level.HIGH and by_staff["S1"].messages == 3 and by_staff["S1"].invited
    assert by_staff["S2"].level is Level.MEDIUM and by_staff["S2"].indicators == ["M1", "P1"]
    assert not by_staff["S2"].replied and not by_staff["S2"].accepted


def test_genuine_recruiter_stays_low_and_colleagues_are_not_outside_accounts(world: World,
                                                                           audit_checker: Checker) -> None:
    findings = build_findings(world.data, audit_checker)
    recruiter = _account(findings, "https://www.linkedin.com/in/tom-hr")
    assert recruiter.level is Level.LOW and recruiter.evidence == []
    assert recruiter.accepted_by == ["S2"] and recruiter.replied == ["S2"]
    keys = {a.account for a in findings.accounts}
    assert "https://www.linkedin.com/in/alice-martin" not in keys
    assert len(findings.accounts) == 2
    assert findings.campaigns == []


def test_staff_exposure_weighs_what_they_did(world: World, audit_checker: Checker) -> None:
    findings = build_findings(world.data, audit_checker)
    by_id = {s.staff_id: s for s in findings.staff}
    alice, bob, carol = by_id["S1"], by_id["S2"], by_id["S3"]
    assert alice.level is Level.HIGH and alice.stage == "replied"
    assert bob.level is Level.MEDIUM and bob.stage == "approached"
    assert bob.exposure < alice.exposure
    assert carol.level is Level.LOW and carol.stage == "none" and carol.exported and carol.flagged == []
    assert alice.flagged[0].asked_off_platform and alice.flagged[0].accepted
    # Alice accepted, replied and was asked to move to WhatsApp: her advice is for that stage (stop, keep the
    # chat as evidence, tell the security officer), never only "do not reply"; Bob was only contacted
    assert not any("Do not reply" in step for step in alice.advice)
    assert any("Do not delete that chat" in step for step in alice.advice)
    assert bob.advice[0].startswith("Do not reply, do not accept")
    assert carol.advice == []
    assert [s.staff_id for s in findings.staff] == ["S1", "S2", "S3"]


def test_groups_summary_and_timeline(world: World, audit_checker: Checker) -> None:
    findings = build_findings(world.data, audit_checker)
    sectors = {g.group: g for g in findings.sectors}
    assert sectors["state"].approached_flagged == 1 and sectors["business"].approached_flagged == 1
    assert sectors["business"].staff == 2 and sectors["business"].approached == 1
    departments = {g.group: g for g in findings.departments}
    assert departments["Research"].asked_off_platform_flagged == 1
    assert departments["Engineering"].exposure_medium == 1
    summary = findings.summary
    assert (summary.staff, summary.exports, summary.accounts, summary.accounts_high) == (3, 3, 2, 1)
    assert summary.staff_approached_flagged == 2 and summary.staff_asked_off_platform == 1
    assert summary.invitations_scored == 3 and summary.messages_scored == 3
    assert [(m.month, m.approaches, m.flagged) for m in findings.timeline] == [
        ("2025-02", 1, 0), ("2025-03", 1, 1), ("2025-04", 1, 1)]


def test_conversation_scoring_beats_single_messages(audit_checker: Checker) -> None:
    """Offer, move off-platform and request in three messages: each alone is low, the thread is high."""
    dan = staff("S9", "Dan Roe")
    persona = Account(key=url("x-consult"), url=url("x-consult"), name="Li Wei")
    thread = (
        received(persona, dan, "We can pay a generous fee.", when(5, 1), "c9"),
        received(persona, dan, "Easier to talk on Telegram.", when(5, 2), "c9"),
        received(persona, dan, "Please send a white paper on export controls.", when(5, 3), "c9"),
    )
    singles = [audit_checker.message(m) for m in thread]
    assert all(a.level is Level.LOW for a in singles)
    findings = build_findings(from_exports([export_of(dan, messages=thread)], [dan]), audit_checker)
    account = findings.accounts[0]
    assert account.level is Level.HIGH
    assert account.score > max(a.score for a in singles)
    assert {e.message for e in account.evidence} == {m.id for m in thread}


def test_profile_only_accounts_are_scored(audit_checker: Checker) -> None:
    erin = staff("S4", "Erin Vale")
    contact = Account(key=url("hh"), url=url("hh"), name="Sam Lee", headline="Headhunter for think tanks")
    findings = build_findings(from_exports([export_of(erin, connections=(contact,))], [erin]), audit_checker)
    account = findings.accounts[0]
    assert account.accepted_by == ["S4"] and account.staff_approached == []
    assert [e.rule for e in account.evidence] == ["test-headhunter-title"]
    assert findings.staff[0].stage == "accepted"


def test_senders_without_urls_are_resolved_by_name_within_an_export(audit_checker: Checker) -> None:
    """Older exports lack sender URLs: the name links the message to the connection that has one (the request
    was sent before the connection was made: the request it became; one sent after it is a namesake's,
    tests/audit/test_namesake_resolution.py)."""
    fay = staff("S5", "Fay Oduya")
    persona = Account(key=url("p-1"), url=url("p-1"), name="Mia Chen")
    note = Message(id="n1", body="A generous fee awaits; write me on WeChat.", sender=None, sender_name="Mia Chen",
                   channel=Channel.INVITATION, sent_at=when(2, 27))
    findings = build_findings(from_exports([export_of(fay, connections=(persona,), invitations=(note,))], [fay]),
                              audit_checker)
    assert [a.account for a in findings.accounts] == ["https://www.linkedin.com/in/p-1"]
    assert findings.accounts[0].accepted_by == ["S5"] and findings.accounts[0].staff_approached == ["S5"]


def test_an_export_no_roster_entry_claims_is_kept_as_unlisted(audit_checker: Checker) -> None:
    gil = staff("S6", "Gil Amar")
    stranger = staff("X", "Hal Ito").model_copy(update={"export_file": "other.zip"})
    data: AuditData = from_exports([export_of(stranger)], [gil])
    findings = build_findings(data, audit_checker)
    ids = {s.staff_id: s for s in findings.staff}
    assert ids["unlisted-1"].in_roster is False and ids["unlisted-1"].exported
    assert ids["S6"].exported is False
    assert findings.summary.unlisted_exports == 1 and findings.summary.staff == 1


def test_roster_sector_none_is_reported_as_unknown(audit_checker: Checker) -> None:
    ivy = staff("S7", "Ivy Park").model_copy(update={"sector": None})
    findings = build_findings(from_exports([export_of(ivy)], [ivy]), audit_checker)
    assert [g.group for g in findings.sectors] == ["unknown"]
    assert Sector.STATE.value == "state"


def test_campaign_evidence_counts_in_the_account_score(world: World, audit_checker: Checker) -> None:
    """The seam: a campaign finder's evidence joins each approach's fusion and the account gets its campaign."""
    hostile_key = "https://www.linkedin.com/in/jane-smith-9"
    seen: dict[str, object] = {}

    def finder(messages, accounts, staff, connections, checker, profile_evidence=None, message_evidence=None):  # type: ignore[no-untyped-def]
        seen["senders"] = {m.sender for m in messages}
        seen["recipients"] = {r for m in messages for r in m.recipients}
        seen["connections"] = {(c.owner, c.contact.key) for c in connections}
        item = Evidence(rule="test-template", indicator="M9", weight=2.0, reason="same text to many staff",
                        detector="templates")
        campaign = {"id": "cmp-1", "accounts": [hostile_key], "staff_targeted": ["S1", "S2"], "evidence": []}
        return CampaignResult(campaigns=[campaign], campaign_of={hostile_key: "cmp-1"},
                              evidence={hostile_key: (item,)})

    plain = build_findings(world.data, audit_checker)
    linked = build_findings(world.data, audit_checker, campaigns=finder)
    before, after = _account(plain, hostile_key), _account(linked, hostile_key)
    assert after.campaign == "cmp-1" and linked.campaigns[0]["id"] == "cmp-1"
    assert "M9" in after.indicators and after.score > before.score
    by_staff = {a.staff_id: a for a in after.approaches}
    assert by_staff["S2"].level is Level.HIGH  # the invitation alone was medium; the campaign makes it high
    assert seen["senders"] == {hostile_key, "https://www.linkedin.com/in/tom-hr"}
    assert seen["recipients"] == {"S1", "S2"}
    assert ("S1", hostile_key) in seen["connections"]  # type: ignore[operator]
    assert _account(linked, "https://www.linkedin.com/in/tom-hr").campaign is None


def test_an_account_known_only_by_name_says_so(audit_checker: Checker) -> None:
    gus = staff("S8", "Gus Lind")
    note = Message(id="n2", body="A generous fee for a white paper.", sender=None, sender_name="Ana Vos",
                   channel=Channel.INVITATION, sent_at=when(7, 1))
    findings = build_findings(from_exports([export_of(gus, invitations=(note,))], [gus]), audit_checker)
    (account,) = findings.accounts
    assert account.identity == "name" and account.identity_confidence == 0.3
    assert account.name == "Ana Vos" and account.level is Level.MEDIUM
    hostile = build_findings(from_exports([export_of(gus, connections=(Account(key=url("a"), url=url("a")),))],
                                          [gus]), audit_checker).accounts[0]
    assert hostile.identity == "url" and hostile.identity_confidence == 1.0
