"""A persona's namesake in an export without URL columns is never given the persona's messages.

An 8-staff organisation in the real export format. One staff member downloaded an older export ("2022": no URL
columns in Connections.csv and Invitations.csv). A genuine engineer of an ordinary firm, Miriam Wagner, has been
that member's connection since 2021; in 2025 a persona of the same name, of a front recruiting firm, sends that
member a connection request (pending, so in Invitations.csv, by name only) with the offer that she and a second
persona also send to other staff (in exports with URLs). The firm's people (the namesake and a colleague) chat
with staff now and then.

The export itself shows two people: nobody sends a connection request to someone they have been connected with
for four years, and Invitations.csv holds only requests still pending. Joined by name, the request became the
connection's, the namesake carried the persona's offer, and the audit pulled the genuine firm's contacts into
the campaign (the failure of docs/campaigns.md's 60-staff held-out world, seed 43).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from falsefriends.audit.campaigns import correlate_campaigns
from falsefriends.audit.run import run_audit
from falsefriends.check import Checker
from falsefriends.ingest.identity import name_identity
from falsefriends.ingest.linkedin_export import read_export
from falsefriends.model import Direction, Level
from falsefriends.rules.loader import load_rules
from tests.audit.conftest import PACKS
from tests.audit.small_orgs import BASE, SmallOrg, _at, _person, ministry_staff

OFFER = ("Hello {first}, thank you for connecting. A client of ours, a research institute in Vienna, pays EUR 2,500"
         " for a short report of 6 pages on {topic}. Nothing confidential, only your own reading of the trends."
         " Shall we continue on WhatsApp?")
CHAT = "Good to see you at the user group on Thursday. I will send over the slides from the session on {topic}."



def build() -> SmallOrg:
    staff = ministry_staff("9e")
    org = SmallOrg(staff)
    roles = org.roles
    roles["persona"] = _person("Miriam", "Wagner", "miriam-wagner-br-51", "BlueRidge Ventures Talent",
                               "Talent Partner", "persona")
    roles["persona_2"] = _person("Oskar", "Lind", "oskar-lind-br-77", "BlueRidge Ventures Talent", "Talent Partner",
                                 "persona")
    roles["namesake"] = _person("Miriam", "Wagner", "miriam-wagner-sl-08", "Siemens-like Industries",
                                "Software Engineer", "contact")
    roles["colleague"] = _person("Paul", "Weber", "paul-weber-sl-31", "Siemens-like Industries", "Engineer",
                                 "contact")
    old = staff[1]
    # The namesake: a connection of the member with the old export since 2021, and of two others; they chat.
    for member, day in ((old, date(2021, 3, 2)), (staff[6], date(2022, 6, 1)), (staff[7], date(2023, 1, 9))):
        org.connect(member, roles["namesake"], day)
    org.say(roles["namesake"], staff[6], _at(2, 3), CHAT)
    org.say(roles["namesake"], staff[7], _at(9, 14), CHAT)
    for member, day in ((staff[0], date(2020, 5, 5)), (staff[4], date(2022, 2, 2))):
        org.connect(member, roles["colleague"], day)
        org.say(roles["colleague"], member, _at(day.month + 3, day.day), CHAT)
    # The campaign: one offer from two personas of one front, within weeks; the persona named like the
    # namesake writes to the member with the old export by a request still pending (name only there).
    org.invite(roles["persona"], old, _at(5, 6), OFFER)
    for member, day in ((staff[3], 7), (staff[5], 9)):
        org.connect(member, roles["persona"], date(2025, 5, day))
        org.say(roles["persona"], member, _at(5, day + 1), OFFER)
    for member, day in ((staff[2], 12), (staff[4], 14)):
        org.connect(member, roles["persona_2"], date(2025, 5, day))
        org.say(roles["persona_2"], member, _at(5, day + 1), OFFER)
    return org


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    org = build()
    out = tmp_path_factory.mktemp("namesakes")
    exports, roster = org.write(out)
    checker = Checker(rules=load_rules(sorted(PACKS.glob("*.yaml"))), semantic=False)
    findings = run_audit([exports], roster, out / "audit", checker=checker, campaigns=correlate_campaigns).findings
    return {"org": org, "exports": exports, "findings": findings,
            "accounts": {a.account: a for a in findings.accounts}}


def test_the_pending_request_is_not_joined_to_the_older_connection_of_that_name(audited: dict[str, Any]) -> None:
    org = audited["org"]
    export = read_export(audited["exports"] / "S002_export.zip")
    assert export.owner.url is None  # the old format: no URL columns
    namesake = org.roles["namesake"]
    connection = name_identity(namesake.full, namesake.company, namesake.position)
    assert connection is not None
    assert any(c.contact.key == connection.key for c in export.connections)
    [request] = [m for m in export.invitations if m.direction is Direction.INCOMING]
    assert request.sender_name == "Miriam Wagner"
    assert request.sender != connection.key
    assert request.sender is not None and request.sender.startswith("name:")


def test_the_same_name_and_a_request_sent_before_the_connection_are_still_one_account(tmp_path: Path) -> None:
    """A request and then, days later, the connection it became: one person (the export shows no conflict)."""
    org = build()
    old, namesake = org.staff[1], org.roles["namesake"]
    org.connections[old.person.url] = [(namesake, date(2025, 5, 20))]
    exports, _ = org.write(tmp_path)
    export = read_export(exports / "S002_export.zip")
    connection = name_identity(namesake.full, namesake.company, namesake.position)
    assert connection is not None
    [request] = [m for m in export.invitations if m.direction is Direction.INCOMING]
    assert request.sender == connection.key


def test_no_genuine_contact_of_the_namesakes_firm_is_in_the_campaign(audited: dict[str, Any]) -> None:
    org, findings = audited["org"], audited["findings"]
    personas = {org.roles["persona"].url, org.roles["persona_2"].url}
    holding = [c for c in findings.campaigns if personas & set(c["accounts"])]
    assert len(holding) == 1 and personas <= set(holding[0]["accounts"])
    in_campaigns = {a for c in findings.campaigns for a in c["accounts"]}
    for key in ("namesake", "colleague"):
        url = org.roles[key].url
        assert url not in in_campaigns, key
        account = audited["accounts"][url]
        assert account.campaign is None
        assert not [e for e in account.evidence if e.indicator in ("C1", "C3", "M9") and e.weight > 0], key
    # The request seen by name only is the persona's, in its campaign; no account shown at the namesake's
    # employer (the URL account, or the old export's connection) carries the offer.
    others = set(holding[0]["accounts"]) - personas
    assert len(others) == 1
    [request] = [audited["accounts"][k] for k in others]
    assert request.name == "Miriam Wagner" and not request.employer and request.staff_approached == ["S002"]
    firm = [a for a in audited["accounts"].values() if a.employer == "Siemens-like Industries"]
    assert len(firm) == 3  # the namesake by URL, the old export's connection of that name, the colleague
    for account in firm:
        assert account.level is Level.LOW and "S002" not in account.staff_approached, account.account


def test_the_audits_own_name_resolver_keeps_a_later_request_apart_from_an_older_connection() -> None:
    """`audit.findings` resolves rows that carry a bare name (sources other than the export reader) by the
    export's accounts of that name: not a request sent after the connection of that name was made."""
    from falsefriends.audit.data import StaffExport, name_key
    from falsefriends.audit.findings import _resolver
    from falsefriends.model import Account, Channel, Connection, Message

    namesake = Account(key=BASE + "miriam-wagner-sl-08", url=BASE + "miriam-wagner-sl-08", name="Miriam Wagner",
                       employer="Siemens-like Industries")
    colleague = Account(key=BASE + "paul-weber-sl-31", url=BASE + "paul-weber-sl-31", name="Paul Weber")

    def export(sent: datetime) -> StaffExport:
        requests = tuple(Message(id=f"r-{who}", body=OFFER, sender_name=who, sent_at=sent, channel=Channel.INVITATION,
                                 direction=Direction.INCOMING) for who in ("Miriam Wagner", "Paul Weber"))
        return StaffExport(staff_id="S002", source="S002.zip", owner_key=None, messages=requests,
                           connections=(Connection(owner="S002", contact=namesake, connected_on=date(2021, 3, 2)),
                                        Connection(owner="S002", contact=colleague, connected_on=None)))

    later = _resolver(export(_at(5, 6)))
    assert name_key("Miriam Wagner") not in later  # two people of that name: left unresolved
    assert later[name_key("Paul Weber")] == colleague.key  # no date, no conflict: resolved as before
    earlier = _resolver(export(datetime(2021, 2, 20, tzinfo=UTC)))
    assert earlier[name_key("Miriam Wagner")] == namesake.key  # the request the connection came from
