"""Who is one sender, which note is a fan-out, and what corroborates a bland campaign: an 8-staff organisation
audited from exports in the real LinkedIn format (some downloaded before URL columns existed).

- a steady journalist sends one note to six staff, three in February and three over the following months: a
  trickle, not a fan-out (three in one month by chance), no campaign;
- an unknown account sends one note to three staff of three departments within a week; one of them downloaded
  an export without URL columns, where the account is a name-only key: one sender, one fan-out campaign holding
  both keys, never a campaign of two personas;
- two "headhunters" of one new front send a bland job note (no move off the platform, no front trait) to two
  staff each, after two other staff each accepted them without a word (credibility first): one campaign of
  both, corroborated, both at least medium with the campaign as the reason; without the quiet connections,
  the same note is what a recruiting firm sends, and no campaign.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from falsefriends.audit.campaigns import correlate_campaigns
from falsefriends.audit.run import run_audit
from falsefriends.check import Checker
from falsefriends.correlate.translations import default_encoder
from falsefriends.rules.loader import load_rules
from tests.audit.conftest import PACKS
from tests.audit.small_orgs import STYLE, SmallOrg, _at, _person, days, spread_order
from tests.audit.small_orgs import build as build_base

pytestmark = pytest.mark.skipif(default_encoder() is None, reason="the multilingual sentence encoder is not installed")

JOURNALIST_NOTE = ("Hello {first}, I'm preparing an article on {topic} and would value a practitioner's view."
                   " Would you have ten minutes for a few questions this month?")
FAN_OUT_NOTE = "Hi {first}, your background in {topic} stood out to me. I would be glad to have you in my network."
JOB_NOTE = ("Hello {first}, I am hiring for a client in the {topic} field: a senior role, well paid, with a flexible"
            " arrangement. Would you be open to hearing more?")


def _org(quiet: bool) -> SmallOrg:
    base = build_base(8, 3)
    # Start again from the base's staff and ordinary contacts only; the 2022-style export is staff 4's.
    staff = [replace(s, style=replace(STYLE, version="2022")) if i == 3 else s for i, s in enumerate(base.staff)]
    org = SmallOrg(staff)
    for s in staff:  # the base's ordinary contacts only
        org.connections[s.person.url] = [c for c in base.connections.get(s.person.url, []) if
                                         c[0].url.startswith("https://www.linkedin.com/in/contact-")]
    order = spread_order(staff)
    roles = org.roles
    roles["journalist"] = _person("Rita", "Moss", "rita-moss-press", "Evening Courier", "Reporter", "journalist")
    roles["fan_out"] = _person("Avery", "Lane", "avery-lane-77", kind="unknown")
    roles["hunter_1"] = _person("Paul", "Roth", "paul-roth-ridge", "Ridgeway Talent Partners", "Headhunter",
                                "persona")
    roles["hunter_2"] = _person("Nadia", "Kern", "nadia-kern-ridge", "Ridgeway Talent Partners", "Senior Headhunter",
                                "persona")
    # The journalist: three members in February (in three departments), three more over the following months.
    for offset, member in zip((0, 7, 14, 60, 110, 160), order[:6], strict=True):
        org.invite(roles["journalist"], member, _at(2, 1) + days(offset), JOURNALIST_NOTE)
    # The fan-out, one week in June; staff 4 (index 3) sees it in an export without URL columns.
    targets = [staff[3], *[s for s in order if s is not staff[3]][:2]]
    for day, member in enumerate(targets, 10):
        org.invite(roles["fan_out"], member, _at(6, day), FAN_OUT_NOTE)
    # The headhunters (October): quiet connections in September, then the note to two other staff each.
    quiet_staff = {"hunter_1": order[6:8], "hunter_2": order[0:2]}
    note_staff = {"hunter_1": order[2:4], "hunter_2": order[4:6]}
    for role in ("hunter_1", "hunter_2"):
        if quiet:
            for day, member in enumerate(quiet_staff[role], 3):
                org.connect(member, roles[role], date(2025, 9, day))
        for day, member in enumerate(note_staff[role], 6 if role == "hunter_1" else 9):
            org.invite(roles[role], member, _at(10, day), JOB_NOTE)
    return org


def _audit(tmp: Path, quiet: bool) -> dict[str, Any]:
    org = _org(quiet)
    exports, roster = org.write(tmp)
    checker = Checker(rules=load_rules(sorted(PACKS.glob("*.yaml"))), semantic=False)
    findings = run_audit([exports], roster, tmp / "audit", checker=checker, campaigns=correlate_campaigns).findings
    return {"org": org, "findings": findings, "accounts": {a.account: a for a in findings.accounts}}


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _audit(tmp_path_factory.mktemp("senders"), quiet=True)


def test_a_steady_journalist_is_no_fan_out_and_in_no_campaign(audited: dict[str, Any]) -> None:
    journalist = audited["org"].roles["journalist"].url
    assert not any(journalist in c["accounts"] for c in audited["findings"].campaigns)
    assert audited["accounts"][journalist].campaign is None


def test_one_sender_under_a_url_and_a_name_key_is_one_fan_out_campaign(audited: dict[str, Any]) -> None:
    url = audited["org"].roles["fan_out"].url
    holding = [c for c in audited["findings"].campaigns if url in c["accounts"]]
    assert len(holding) == 1 and holding[0]["kind"] == "fan-out"
    others = [audited["accounts"][k] for k in holding[0]["accounts"] if k != url]
    # Its second key is the name-only key of the export without URL columns, with the same name.
    assert [(a.url, a.name) for a in others] == [(None, "Avery Lane")]
    assert len(holding[0]["staff_targeted"]) == 3


def test_quiet_connections_first_make_a_bland_two_persona_note_a_campaign(audited: dict[str, Any],
                                                                         tmp_path: Path) -> None:
    org = audited["org"]
    hunters = {org.roles["hunter_1"].url, org.roles["hunter_2"].url}
    holding = [c for c in audited["findings"].campaigns if hunters & set(c["accounts"])]
    assert len(holding) == 1
    members = [audited["accounts"][k] for k in holding[0]["accounts"]]
    assert {a.account for a in members if a.url} == hunters
    # Besides them only a hunter's name-only key (staff 4's export has no URL columns).
    names = {org.roles["hunter_1"].full, org.roles["hunter_2"].full}
    assert all(a.name in names for a in members if not a.url)
    assert holding[0]["kind"] == "personas" and holding[0]["corroborated"]
    for url in hunters:
        account = audited["accounts"][url]
        assert account.level.value in ("medium", "high")
        assert any(e.indicator == "C3" and e.weight > 0 and holding[0]["id"] in e.reason for e in account.evidence)
        assert any(e.rule == "credibility-first" and e.weight > 0 for e in account.evidence)
    # The same note without the quiet connections is what a recruiting firm sends: no campaign.
    plain = _audit(tmp_path, quiet=False)
    assert not any(hunters & set(c["accounts"]) for c in plain["findings"].campaigns)
