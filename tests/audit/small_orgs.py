"""Small organisations (5, 8, 20 staff) written as real LinkedIn exports, for the campaign tests.

Each staff member's export is a ZIP in the real format (docs/linkedin-export-format.md), written by the
simulator's export writer: Connections.csv with its preamble, Invitations.csv, messages.csv with the 2025
columns. What happens in them (all in 2025):

- campaign A: two *listed* personas send one offer, in French to some staff and in English to others (March);
- campaign B: two unlisted personas of one new front ("Northgate Policy Forum") send one note in English and
  German; the English one follows up with a paid request and a move to WhatsApp, the German one stays bland (May);
- a fan-out: an unknown account sends one bland invitation note to staff across departments within days (July);
- genuine recruiters: two recruiters of a firm that a staff member's connection works at write one note to two
  colleagues of one team (April);
- a colleague (an outside contact) who asks to move a chat to WhatsApp;
- a namesake of a listed persona, at a real employer, who congratulates a staff member.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from falsefriends.simulate.export_writer import export_files, write_zip
from falsefriends.simulate.people import Person, PersonName
from falsefriends.simulate.records import ExportStyle, SimInvitation, SimMessage, Staff
from falsefriends.watchlist.entries import (
    Entry,
    EntryKind,
    Identifier,
    IdentifierKind,
    Provenance,
    Status,
    Watchlist,
)

BASE = "https://www.linkedin.com/in/"
STYLE = ExportStyle(version="2025", bom=False, subfolder="", messages_name="messages.csv", extras=(),
                    exported_on=date(2025, 12, 1), html_share=0.0)
_DEPARTMENTS = ("research", "engineering", "policy", "finance", "communications")
_FIRST = ("Ada", "Bruno", "Chloe", "Dmitri", "Esra", "Farid", "Greta", "Hiro", "Ines", "Jonas", "Kemi", "Luca",
          "Mei", "Nils", "Olu", "Paula", "Quentin", "Rosa", "Sami", "Tove")
_TOPICS = {"en": ("grid storage", "export controls", "satellite links", "battery chemistry", "budget planning"),
           "fr": ("stockage réseau", "contrôle des exportations", "liaisons satellites", "chimie des batteries",
                  "planification budgétaire"),
           "de": ("Netzspeicher", "Exportkontrollen", "Satellitenverbindungen", "Batteriechemie", "Haushaltsplanung")}

OFFER_EN = ("Thank you for connecting, {first}. Our client, a research institute in Vienna, would pay EUR 2,500 for a"
            " short report of 6 pages on {topic}. Nothing confidential, only your own reading of the trends. Can we"
            " continue on WhatsApp?")
OFFER_FR = ("Merci pour la mise en relation, {first}. Notre client, un institut de recherche à Vienne, paierait"
            " 2 500 EUR pour un court rapport de 6 pages sur {topic}. Rien de confidentiel, simplement votre propre"
            " lecture des tendances. Pouvons-nous continuer sur WhatsApp ?")
NOTE_EN = ("Hello {first}, I would be glad to have you in my network. The Northgate Policy Forum connects"
           " professionals from Europe and Asia who work on {topic}.")
NOTE_DE = ("Guten Tag {first}, ich würde mich freuen, Sie in meinem Netzwerk zu haben. Das Northgate Policy Forum"
           " verbindet Fachleute aus Europa und Asien, die zu {topic} arbeiten.")
FOLLOW_UP_EN = ("As promised, the details: our members commission short analysis notes on {topic}, well paid. Let us"
                " continue on WhatsApp, my number is +65 8123 4567.")
FAN_OUT_NOTE = "Hi {first}, I came across your profile and would love to add you to my network of talented people."
RECRUITER_NOTE = ("Hi {first}, Acme Robotics is growing its embedded software team in Lyon and your work on motor"
                  " control firmware looks like a great match. Open to a chat about the role?")
COLLEAGUE_CHAT = ("Great seeing you at the workshop last week! Shall we move this chat to WhatsApp? It is easier for"
                  " sharing the photos.")
NAMESAKE_NOTE = "Congratulations on the new role, well deserved! Let us catch up at the next meetup."


def _person(first: str, last: str, slug: str, company: str = "", position: str = "", kind: str = "contact",
            language: str = "en") -> Person:
    return Person(name=PersonName(first, last), url=BASE + slug, company=company, position=position, kind=kind,
                  language=language)


# An 8-staff ministry office in the real export format; the second member exported with the older format
# (no URL columns), so an outside account appears there by name only.
OLD_STYLE = ExportStyle(version="2022", bom=True, subfolder="", messages_name="messages.csv", extras=(),
                        exported_on=date(2025, 12, 1), html_share=0.0)


def ministry_staff(tag: str) -> list[Staff]:
    """Eight staff of a ministry office across five departments; `tag` keeps their profile URLs apart per test."""
    departments = ("research", "engineering", "policy", "finance", "communications", "research", "engineering",
                   "policy")
    return [Staff(staff_id=f"S{i + 1:03d}",
                  person=_person(first, f"Staffer{i}", f"{first.lower()}-staffer-{i}-{tag}", "Ministry of Energy",
                                 "Analyst", "staff"),
                  department=departments[i], sector="state", export_file=f"S{i + 1:03d}_export",
                  style=OLD_STYLE if i == 1 else STYLE)
            for i, first in enumerate(("Ada", "Bruno", "Chloe", "Dmitri", "Esra", "Farid", "Greta", "Hiro"))]


@dataclass
class SmallOrg:
    """A small organisation and what its staff's exports hold; `roles` names the outside accounts by role."""

    staff: list[Staff]
    roles: dict[str, Person] = field(default_factory=dict)
    connections: dict[str, list[tuple[Person, date]]] = field(default_factory=lambda: defaultdict(list))
    invitations: dict[str, list[SimInvitation]] = field(default_factory=lambda: defaultdict(list))
    messages: dict[str, list[SimMessage]] = field(default_factory=lambda: defaultdict(list))
    targets: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    _ids: int = 0

    def _next(self, prefix: str) -> str:
        self._ids += 1
        return f"{prefix}-{self._ids:04d}"

    def connect(self, member: Staff, person: Person, on: date) -> None:
        self.connections[member.person.url].append((person, on))

    def invite(self, sender: Person, member: Staff, at: datetime, text: str) -> None:
        """A pending invitation with a note, in the staff member's Invitations.csv."""
        self.invitations[member.person.url].append(SimInvitation(
            id=self._next("inv"), sender=sender, recipient=member.person, at=at,
            note=self.fill(text, member, sender.language), accepted=False))
        self._target(sender, member)

    def say(self, sender: Person, member: Staff, at: datetime, text: str, conversation: str | None = None) -> str:
        """A message from an outside account to a staff member (in that member's messages.csv)."""
        conversation = conversation or self._next("2-conv")
        self.messages[member.person.url].append(SimMessage(
            id=self._next("msg"), conversation=conversation, title="", sender=sender, recipients=(member.person,),
            at=at, content=self.fill(text, member, sender.language)))
        self._target(sender, member)
        return conversation

    def _target(self, sender: Person, member: Staff) -> None:
        if member.staff_id not in self.targets[sender.url]:
            self.targets[sender.url].append(member.staff_id)

    def fill(self, text: str, member: Staff, language: str) -> str:
        topics = _TOPICS[language]
        topic = topics[int(member.staff_id[1:]) % len(topics)]
        return text.format(first=member.person.first, topic=topic)

    def write(self, out: Path) -> tuple[Path, Path]:
        """Write roster.csv and one export ZIP per staff member; returns (exports folder, roster)."""
        exports = out / "exports"
        exports.mkdir(parents=True, exist_ok=True)
        roster = out / "roster.csv"
        with roster.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(("staff_id", "name", "department", "sector", "profile_url", "export_file"))
            for s in self.staff:
                writer.writerow((s.staff_id, s.person.full, s.department, s.sector, s.person.url,
                                 s.export_file + ".zip"))
        for s in self.staff:
            files = export_files(s, self.connections.get(s.person.url, []), self.invitations.get(s.person.url, []),
                                 self.messages.get(s.person.url, []), [], {})
            write_zip(exports / (s.export_file + ".zip"), files, s.style.subfolder, s.style.exported_on)
        return exports, roster


def spread_order(staff: list[Staff]) -> list[Staff]:
    """Staff ordered so that neighbours sit in different departments (round robin over departments)."""
    by_department: dict[str, list[Staff]] = defaultdict(list)
    for member in staff:
        by_department[member.department].append(member)
    order: list[Staff] = []
    while any(by_department.values()):
        for department in sorted(by_department):
            if by_department[department]:
                order.append(by_department[department].pop(0))
    return order


def _at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2025, month, day, hour, 0, tzinfo=UTC)


def build(size: int, fan_out_reach: int) -> SmallOrg:
    """The organisation of `size` staff (5 or more) with every scenario of the module docstring."""
    departments = ["research", "engineering", "engineering", "policy", "finance"] if size == 5 else [
        _DEPARTMENTS[i % len(_DEPARTMENTS)] for i in range(size)]
    staff = []
    for i in range(size):
        first = _FIRST[i % len(_FIRST)]
        person = _person(first, f"Staffer{i}", f"{first.lower()}-staffer{i}-0a1b{i:02d}", "Ministry of Energy",
                         "Analyst", kind="staff")
        staff.append(Staff(staff_id=f"S{i + 1:03d}", person=person, department=departments[i],
                           sector="state" if i % 2 == 0 else "business", export_file=f"S{i + 1:03d}_export",
                           style=STYLE))
    org = SmallOrg(staff)
    order = spread_order(staff)
    roles = org.roles
    roles["listed_fr"] = _person("Elena", "Varga", "elena-varga-4471", "Danube Research Exchange", "Senior Headhunter",
                                 "persona", "fr")
    roles["listed_en"] = _person("Marcus", "Hale", "marcus-hale-9020", "Danube Research Exchange", "Research Fellow",
                                 "persona", "en")
    roles["front_en"] = _person("Ivo", "Brandt", "ivo-brandt-3381", "Northgate Policy Forum", "Programme Manager",
                                "persona", "en")
    roles["front_de"] = _person("Lena", "Koch", "lena-koch-7716", "Northgate Policy Forum", "Director of Exchanges",
                                "persona", "de")
    roles["fan_out"] = _person("Morgan", "Reese", "morgan-reese-talent-55", kind="unknown")
    roles["recruiter_1"] = _person("Tom", "Becker", "tom-becker-acme", "Acme Robotics", "Talent Partner", "recruiter")
    roles["recruiter_2"] = _person("Sara", "Lind", "sara-lind-acme", "Acme Robotics", "Senior Recruiter", "recruiter")
    roles["acme_engineer"] = _person("Noah", "Berg", "noah-berg-acme", "Acme Robotics", "Firmware Engineer")
    roles["colleague"] = _person("Jules", "Martin", "jules-martin-lyon", "Université de Lyon", "Lecturer")
    roles["namesake"] = _person("Elena", "Varga", "elena-varga-siemens-12", "Siemens Energy", "Project Engineer")

    # Campaign A (March): the same offer in French and in English, each persona to staff of different departments.
    a_fr, a_en = (order[0:2], order[2:4]) if size < 20 else (order[0:3], order[3:6])
    for day, member in enumerate(a_fr, 3):
        org.connect(member, roles["listed_fr"], date(2025, 3, day))
        org.say(roles["listed_fr"], member, _at(3, day + 1), OFFER_FR)
    for day, member in enumerate(a_en, 5):
        org.invite(roles["listed_en"], member, _at(3, day), OFFER_EN)
    # Campaign B (May): one note in English and German; the English persona follows up where accepted.
    if size == 5:
        b_en, b_de = order[0:3], order[3:5]
    elif size == 8:
        b_en, b_de = order[3:6], order[6:8]
    else:
        b_en, b_de = order[6:9], order[9:11]
    for day, member in enumerate(b_en, 2):
        org.connect(member, roles["front_en"], date(2025, 5, day))
        conversation = org.say(roles["front_en"], member, _at(5, day), NOTE_EN)
        org.say(roles["front_en"], member, _at(5, day + 3), FOLLOW_UP_EN, conversation)
    for day, member in enumerate(b_de, 4):
        if day == 4:
            org.connect(member, roles["front_de"], date(2025, 5, day))
            org.say(roles["front_de"], member, _at(5, day), NOTE_DE)
        else:
            org.invite(roles["front_de"], member, _at(5, day), NOTE_DE)
    # The fan-out (July): one bland invitation note to staff across departments within a week; never accepted.
    for day, member in enumerate(order[-fan_out_reach:], 7):
        org.invite(roles["fan_out"], member, _at(7, day), FAN_OUT_NOTE)
    # Genuine recruiters (April): one note to two colleagues of the engineering team; their firm is known.
    engineers = [s for s in staff if s.department == "engineering"][:2]
    for member in engineers:
        org.invite(roles["recruiter_1"], member, _at(4, 2), RECRUITER_NOTE)
        org.invite(roles["recruiter_2"], member, _at(4, 3), RECRUITER_NOTE)
    org.connect(staff[0], roles["acme_engineer"], date(2024, 11, 20))
    # A colleague who moves a chat to WhatsApp, and a namesake of a listed persona (connections, with employers).
    org.connect(staff[-1], roles["colleague"], date(2024, 9, 1))
    org.say(roles["colleague"], staff[-1], _at(6, 12), COLLEAGUE_CHAT)
    org.connect(staff[1], roles["namesake"], date(2023, 2, 14))
    org.say(roles["namesake"], staff[1], _at(9, 1), NAMESAKE_NOTE)
    # Ordinary contacts, so that the organisation has a network besides the approaches.
    for i, member in enumerate(staff):
        for j in range(3):
            contact = _person(_FIRST[(i + j + 5) % len(_FIRST)], f"Contact{i}{j}", f"contact-{i}-{j}-77",
                              ("Grid Operator SA", "Helix Batteries", "Statistics Office")[j], "Engineer")
            org.connect(member, contact, date(2022, 1 + j, 10 + i % 15))
    return org


def listed_watchlist(org: SmallOrg) -> Watchlist:
    """The watchlist of the scenario: the two personas of campaign A, with their profile URLs."""
    source = Provenance(source="test-analyst", status=Status.ANALYST, date="2025-01-01")
    entries = tuple(
        Entry(id=f"persona-{key}", kind=EntryKind.PERSONA, name=org.roles[key].full, provenance=(source,),
              identifiers=(Identifier(kind=IdentifierKind.PROFILE_URL, value=org.roles[key].url),))
        for key in ("listed_fr", "listed_en"))
    return Watchlist(version="test", entries=entries)


CAMPAIGNS = {"A": ("listed_fr", "listed_en"), "B": ("front_en", "front_de")}
BENIGN = ("recruiter_1", "recruiter_2", "acme_engineer", "colleague", "namesake")


def days(n: int) -> timedelta:
    return timedelta(days=n)
