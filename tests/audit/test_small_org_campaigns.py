"""Campaigns in small organisations (5, 8 and 20 staff), audited from exports in the real LinkedIn format.

Every planted campaign (one offer in French and English; one note in English and German; a single-account
fan-out) must come out as its own campaign holding all its accounts; no genuine account (recruiters of a
known firm writing to one team, a colleague moving a chat to WhatsApp, a namesake of a listed persona, the
organisation's ordinary contacts) may be in a campaign; the bland persona of a hostile campaign is at least
medium with that campaign named in its evidence; the fan-out is medium, not high.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from falsefriends.audit.campaigns import correlate_campaigns
from falsefriends.audit.run import run_audit
from falsefriends.check import Checker
from falsefriends.correlate.translations import default_encoder
from falsefriends.model import Level
from falsefriends.rules.loader import load_rules
from falsefriends.watchlist.provider import WatchlistProvider
from tests.audit.conftest import PACKS
from tests.audit.small_orgs import BENIGN, CAMPAIGNS, build, listed_watchlist

pytestmark = pytest.mark.skipif(default_encoder() is None, reason="the multilingual sentence encoder is not installed")

SIZES = {5: 3, 8: 5, 20: 5}  # staff -> staff the fan-out account writes to


@pytest.fixture(scope="module", params=sorted(SIZES), ids=lambda n: f"{n}-staff")
def audited(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    size = request.param
    org = build(size, SIZES[size])
    out = tmp_path_factory.mktemp(f"org{size}")
    exports, roster = org.write(out)
    checker = Checker(rules=load_rules(sorted(PACKS.glob("*.yaml"))),
                      providers=(WatchlistProvider(listed_watchlist(org)),), semantic=False)
    findings = run_audit([exports], roster, out / "audit", checker=checker, campaigns=correlate_campaigns).findings
    accounts = {a.account: a for a in findings.accounts}
    return {"org": org, "findings": findings, "accounts": accounts, "checker": checker, "size": size}


def _campaign_holding(audited: dict[str, Any], url: str) -> dict[str, Any]:
    found = [c for c in audited["findings"].campaigns if url in c["accounts"]]
    assert len(found) == 1, f"{url} is in {len(found)} campaigns"
    return found[0]


@pytest.mark.parametrize("name", sorted(CAMPAIGNS))
def test_each_two_language_campaign_is_its_own_campaign_with_all_its_personas(audited: dict[str, Any],
                                                                             name: str) -> None:
    org = audited["org"]
    personas = {org.roles[key].url for key in CAMPAIGNS[name]}
    campaign = _campaign_holding(audited, next(iter(personas)))
    assert set(campaign["accounts"]) == personas
    assert campaign["kind"] == "personas" and campaign["corroborated"]
    # The two language versions are one template, sent by both personas.
    joined = [t for t in campaign["template_records"] if set(t["senders"]) == personas]
    assert joined and joined[0]["slot_examples"].get("translations")
    targets = {s for key in CAMPAIGNS[name] for s in org.targets[org.roles[key].url]}
    assert targets <= set(campaign["staff_targeted"])


def test_the_single_account_fan_out_is_a_campaign_of_its_own_at_medium(audited: dict[str, Any]) -> None:
    org = audited["org"]
    url = org.roles["fan_out"].url
    campaign = _campaign_holding(audited, url)
    assert campaign["kind"] == "fan-out" and campaign["accounts"] == [url]
    assert len(campaign["departments"]) >= 2
    assert set(campaign["staff_targeted"]) == set(org.targets[url])
    assert any(t.startswith(f"fan-out:{SIZES[audited['size']]} staff in ") for t in campaign["traces"])
    account = audited["accounts"][url]
    assert account.level is Level.MEDIUM
    reasons = [e for e in account.evidence if e.rule == "fan-out-campaign" and e.weight > 0]
    assert reasons and campaign["id"] in reasons[0].reason


def test_the_bland_persona_of_a_hostile_campaign_is_medium_with_the_campaign_as_reason(
        audited: dict[str, Any]) -> None:
    org, checker = audited["org"], audited["checker"]
    bland = audited["accounts"][org.roles["front_de"].url]
    campaign = _campaign_holding(audited, bland.account)
    # Its own texts are bland: none of its messages has a counted lure.
    own_notes = [m for s in org.staff for m in org.messages.get(s.person.url, []) if m.sender.url == bland.account]
    own_notes += [i for s in org.staff for i in org.invitations.get(s.person.url, []) if i.sender.url == bland.account]
    assert own_notes
    from falsefriends.model import Message

    for note in own_notes:
        text = getattr(note, "content", None) or getattr(note, "note", "")
        assert not [e for e in checker.evidence_for_message(Message(id="x", body=text)) if e.weight > 0]
    assert bland.level in (Level.MEDIUM, Level.HIGH)
    member = [e for e in bland.evidence if e.rule in ("campaign-member", "coordinated-personas") and e.weight > 0]
    assert member and all(campaign["id"] in e.reason for e in member)
    assert bland.campaign == campaign["id"]


def test_no_genuine_account_is_in_a_campaign_and_the_recruiters_stay_low(audited: dict[str, Any]) -> None:
    org, findings = audited["org"], audited["findings"]
    planted = {org.roles[k].url for members in CAMPAIGNS.values() for k in members} | {org.roles["fan_out"].url}
    in_campaigns = {a for c in findings.campaigns for a in c["accounts"]}
    assert in_campaigns == planted
    for key in BENIGN:
        account = audited["accounts"].get(org.roles[key].url)
        assert account is not None and account.campaign is None, key
        assert not [e for e in account.evidence if e.indicator in ("C1", "C3") and e.weight > 0], key
    for key in ("recruiter_1", "recruiter_2", "namesake", "acme_engineer"):
        assert audited["accounts"][org.roles[key].url].level is Level.LOW, key
    # The colleague's move to WhatsApp is their own message's evidence, nothing more.
    assert audited["accounts"][org.roles["colleague"].url].level is not Level.HIGH


def test_names_never_count_the_namesake_of_a_listed_persona_is_not_raised(audited: dict[str, Any]) -> None:
    org = audited["org"]
    namesake = audited["accounts"][org.roles["namesake"].url]
    listed = audited["accounts"][org.roles["listed_fr"].url]
    assert namesake.name == listed.name
    assert namesake.score < listed.score and namesake.level is Level.LOW
    assert all(e.weight == 0 for e in namesake.evidence if e.detector == "watchlist")


def test_written_in_the_real_export_format(tmp_path: Path) -> None:
    from falsefriends.ingest.linkedin_export import read_export

    org = build(8, 5)
    exports, _ = org.write(tmp_path)
    export = read_export(next(exports.glob("S001_*.zip")))
    assert export.report.rows_quarantined == 0 and export.report.rows_accepted > 0
    head = (tmp_path / "roster.csv").read_text(encoding="utf-8").splitlines()[0]
    assert head == "staff_id,name,department,sector,profile_url,export_file"
