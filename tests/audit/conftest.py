"""Factories for the audit tests: staff, accounts, messages and exports built by hand."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from falsefriends.audit.data import AuditData, from_exports
from falsefriends.check import Checker
from falsefriends.model import Account, Channel, Connection, Direction, IngestReport, Message, Sector, StaffMember
from falsefriends.rules.loader import load_rules

PACKS = Path(__file__).parent / "packs"


@pytest.fixture(scope="session")
def audit_checker() -> Checker:
    """A checker on the fixed test packs with the expert priors, so expected scores do not move when shipped
    rules or the learnt semantic head change (tests/audit/test_semantic_audit.py runs the shipped check)."""
    return Checker(rules=load_rules(sorted(PACKS.glob("*.yaml"))), semantic=False)


def url(slug: str) -> str:
    return f"https://www.linkedin.com/in/{slug}"


def staff(staff_id: str, name: str, department: str = "Research", sector: Sector = Sector.STATE) -> StaffMember:
    slug = name.lower().replace(" ", "-")
    return StaffMember(staff_id=staff_id, name=name, department=department, sector=sector,
                       profile_url=url(slug), export_file=f"{slug}.zip")


def when(month: int, day: int = 1) -> datetime:
    return datetime(2025, month, day, 10, 0, tzinfo=UTC)


_ids = iter(range(1, 10**9))


def received(sender: Account, owner: StaffMember, body: str, sent_at: datetime, conversation: str | None = None,
             channel: Channel = Channel.MESSAGE) -> Message:
    return Message(id=f"m{next(_ids)}", body=body, sender=sender.url, sender_name=sender.name,
                   recipients=(owner.profile_url or "",), sent_at=sent_at, channel=channel,
                   conversation=conversation, direction=Direction.INCOMING,
                   folder="INBOX" if channel is Channel.MESSAGE else None)


def sent(owner: StaffMember, to: Account, body: str, sent_at: datetime, conversation: str | None = None) -> Message:
    return Message(id=f"m{next(_ids)}", body=body, sender=owner.profile_url, sender_name=owner.name,
                   recipients=(to.url or "",), sent_at=sent_at, conversation=conversation,
                   direction=Direction.OUTGOING, folder="SENT")


@dataclass(frozen=True)
class FakeExport:
    """What `read_export` returns, reduced to the fields the audit reads."""

    source: str
    owner: Account
    connections: tuple[Connection, ...] = ()
    invitations: tuple[Message, ...] = ()
    messages: tuple[Message, ...] = ()
    contacts: tuple[Account, ...] = field(default_factory=tuple)
    report: IngestReport = field(default_factory=IngestReport)


def export_of(member: StaffMember, connections: tuple[Account, ...] = (), invitations: tuple[Message, ...] = (),
              messages: tuple[Message, ...] = (), contacts: tuple[Account, ...] = ()) -> FakeExport:
    owner = Account(key=member.profile_url, name=member.name, url=member.profile_url)
    links = tuple(Connection(owner=member.profile_url or "", contact=c, connected_on=date(2025, 3, 2))
                  for c in connections)
    return FakeExport(source=f"exports/{member.export_file}", owner=owner, connections=links,
                      invitations=invitations, messages=messages, contacts=contacts)


def persona(slug: str, name: str, headline: str = "", employer: str = "") -> Account:
    return Account(key=url(slug), url=url(slug), name=name, headline=headline, employer=employer)


@dataclass(frozen=True)
class World:
    """A small organisation: a hostile persona in a three-step conversation, a genuine recruiter, a colleague."""

    alice: StaffMember
    bob: StaffMember
    carol: StaffMember
    hostile: Account
    recruiter: Account
    data: AuditData
    exports: list[FakeExport]


@pytest.fixture()
def world() -> World:
    alice = staff("S1", "Alice Martin", "Research", Sector.STATE)
    bob = staff("S2", "Bob Okafor", "Engineering", Sector.BUSINESS)
    carol = staff("S3", "Carol Nguyen", "Engineering", Sector.BUSINESS)
    hostile = persona("jane-smith-9", "Jane Smith", headline="Senior Headhunter", employer="Global Insight Partners")
    recruiter = persona("tom-hr", "Tom Becker", headline="Talent partner", employer="Acme Robotics")
    alice_export = export_of(
        alice,
        connections=(hostile,),
        invitations=(received(hostile, alice, "Dear Alice, we offer a generous fee for a short report.",
                              when(3, 1), channel=Channel.INVITATION),),
        messages=(
            received(hostile, alice, "Thank you for connecting. Shall we continue on WhatsApp?", when(3, 5), "c1"),
            sent(alice, hostile, "Sure, here is my number.", when(3, 6), "c1"),
            received(hostile, alice, "Our client needs two analysis notes on trade policy.", when(4, 2), "c1"),
        ),
        contacts=(hostile,),
    )
    bob_export = export_of(
        bob,
        invitations=(received(hostile, bob, "Dear Bob, a well paid collaboration awaits.", when(4, 10),
                              channel=Channel.INVITATION),
                     received(recruiter, bob, "Hello Bob, we have an opening in our robotics team.", when(2, 3),
                              channel=Channel.INVITATION)),
        connections=(recruiter, Account(key=alice.profile_url, url=alice.profile_url, name=alice.name)),
        messages=(sent(bob, recruiter, "Thanks, happy to talk.", when(2, 4), "c2"),
                  received(recruiter, bob, "Great, see you Tuesday at our office.", when(2, 5), "c2")),
    )
    carol_export = export_of(carol)
    exports = [alice_export, bob_export, carol_export]
    return World(alice, bob, carol, hostile, recruiter, from_exports(exports, [alice, bob, carol]), exports)


@pytest.fixture()
def raw_exports(world: World) -> list[FakeExport]:
    """The parsed exports the world was built from, as `read_export` would return them."""
    return world.exports
