"""A persona seen under its URL and, in an older export, under its name only is one account in the campaign.

An 8-staff organisation in the real export format; one staff member downloaded an older export ("2022": no URL
columns in Connections.csv and Invitations.csv). Three personas claim one front: two send one offer (with a move
to WhatsApp) to four staff; the third sends its own, different note to two staff by message and to the member
with the old export by a connection request, where it shows by name only.

The third persona's note is then a template of two keys (its URL and its name): kept as two accounts, that
template was a trace the persona held and its co-personas did not, its traces looked unlike theirs, and the
similarity cut left it out of the campaign (campaigns of three personas split this way at 8 and 20 staff on the
development worlds). One sender under two keys is one node of the coordination graph, and both keys are members.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from falsefriends.audit.campaigns import correlate_campaigns
from falsefriends.audit.run import run_audit
from falsefriends.check import Checker
from falsefriends.model import Level
from falsefriends.rules.loader import load_rules
from tests.audit.conftest import PACKS
from tests.audit.small_orgs import SmallOrg, _at, _person, ministry_staff

FRONT = "Harbourline Strategy Council"
OFFER = ("Hello {first}, thank you for connecting. Our council pays EUR 1,800 for a short briefing of 5 pages on"
         " {topic}, drawn from your own reading of public sources. Shall we continue on WhatsApp?")
NOTE = ("Guten Tag {first}, wir stellen gerade ein kleines Gremium von Praktikern zusammen, die sich über aktuelle"
        " Entwicklungen austauschen. Darf ich Sie in mein Netzwerk aufnehmen?")



def build() -> SmallOrg:
    staff = ministry_staff("4c")
    org = SmallOrg(staff)
    roles = org.roles
    roles["offer_1"] = _person("Nadia", "Okafor", "nadia-okafor-hsc-21", FRONT, "Programme Director", "persona")
    roles["offer_2"] = _person("Pieter", "Claes", "pieter-claes-hsc-64", FRONT, "Senior Fellow", "persona")
    roles["note"] = _person("Greta", "Falk", "greta-falk-hsc-38", FRONT, "Network Lead", "persona", "de")
    for persona, members in ((roles["offer_1"], (staff[0], staff[3])), (roles["offer_2"], (staff[2], staff[4]))):
        for day, member in enumerate(members, 3):
            org.connect(member, persona, date(2025, 5, day))
            org.say(persona, member, _at(5, day + 1), OFFER)
    for day, member in enumerate((staff[5], staff[7]), 6):
        org.connect(member, roles["note"], date(2025, 5, day))
        org.say(roles["note"], member, _at(5, day + 1), NOTE)
    org.invite(roles["note"], staff[1], _at(5, 9), NOTE)  # the old export: by name only
    # Ordinary contacts, so that the organisation has a network besides the approaches.
    for i, member in enumerate(staff):
        for j, firm in enumerate(("Grid Operator SA", "Helix Batteries", "Statistics Office")):
            contact = _person(f"Contact{i}{j}", "Lee", f"contact-{i}-{j}-4c", firm, "Engineer", "contact")
            org.connect(member, contact, date(2022, 1 + j, 10 + i))
    return org


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    org = build()
    out: Path = tmp_path_factory.mktemp("second-keys")
    exports, roster = org.write(out)
    checker = Checker(rules=load_rules(sorted(PACKS.glob("*.yaml"))), semantic=False)
    findings = run_audit([exports], roster, out / "audit", checker=checker, campaigns=correlate_campaigns).findings
    return {"org": org, "findings": findings, "accounts": {a.account: a for a in findings.accounts}}


def test_the_three_personas_and_the_name_only_key_are_one_campaign(audited: dict[str, Any]) -> None:
    org, findings = audited["org"], audited["findings"]
    personas = {org.roles[k].url for k in ("offer_1", "offer_2", "note")}
    [campaign] = [c for c in findings.campaigns if personas & set(c["accounts"])]
    assert personas <= set(campaign["accounts"]) and campaign["kind"] == "personas"
    [second] = set(campaign["accounts"]) - personas
    name_only = audited["accounts"][second]
    assert name_only.name == "Greta Falk" and not name_only.url and name_only.staff_approached == ["S002"]
    assert not any(c["kind"] == "fan-out" for c in findings.campaigns)


def test_the_persona_with_the_bland_note_is_medium_with_the_campaign_as_reason(audited: dict[str, Any]) -> None:
    org = audited["org"]
    account = audited["accounts"][org.roles["note"].url]
    assert account.level in (Level.MEDIUM, Level.HIGH)
    member = [e for e in account.evidence if e.rule == "campaign-member" and e.weight > 0]
    assert member and account.campaign is not None and account.campaign in member[0].reason
