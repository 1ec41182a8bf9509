"""One staff member's export with a very large network: the scale test of the audit (Hardening item 8).

Builds a small simulated organisation (real-format exports, planted campaigns), takes its most approached
staff member, gives them `connections` extra contacts (names, vanity URLs, employers and titles drawn from
the simulator's banks) and writes only that member's export and a one-row roster. A few deliberately
broken rows (a bad date, a URL that is not a web address, a row without name or URL) are appended to
Connections.csv so that the accounting of quarantined rows is exercised too.

    from falsefriends.simulate.large_export import write_large_export
    large = write_large_export(Path("big"), connections=100_000)
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from falsefriends.simulate.banks import default_banks
from falsefriends.simulate.export_writer import export_files, write_zip
from falsefriends.simulate.organisation import build_organisation
from falsefriends.simulate.organisation_writer import ROSTER_COLUMNS, _extras, _positions
from falsefriends.simulate.people import Person, draw_name, profile_url
from falsefriends.simulate.records import SimInvitation, SimMessage

BROKEN_ROWS = (
    ("Broken", "Date", "https://www.linkedin.com/in/broken-date-1", "", "Acme", "Engineer", "31 Foo 2024"),
    ("Broken", "Url", "javascript:alert(1)", "", "Acme", "Engineer", "02 Jan 2024"),
    ("", "", "", "", "Acme", "Engineer", "03 Jan 2024"),
)
"""Rows a reader must quarantine (with file, line and reason), appended to Connections.csv."""

_TITLES = ("Engineer", "Manager", "Analyst", "Professor", "Consultant", "Director", "Researcher", "Product Owner",
           "Lawyer", "Account Manager", "Software Engineer", "Project Lead", "Data Scientist", "Sales Executive")


@dataclass(frozen=True)
class LargeExport:
    """What was written: the archive, the roster, and the row counts a reader must account for."""

    archive: Path
    roster: Path
    connection_rows: int
    """Data rows of Connections.csv (the generated contacts, the world's own, and the broken rows)."""
    invitation_rows: int
    message_rows: int
    broken_rows: int


def write_large_export(out: Path, connections: int = 100_000, seed: int = 8) -> LargeExport:
    """Write `out/exports/<staff>.zip` with `connections` generated contacts plus the world's, and `out/roster.csv`."""
    world = build_organisation(staff=20, seed=seed)
    staff_urls = {s.person.url for s in world.staff}

    def approaches(url: str) -> int:
        return sum(1 for m in world.messages if m.campaign and any(r.url == url for r in m.recipients))

    member = max(world.staff, key=lambda s: (approaches(s.person.url), s.staff_id))
    # the 2025 format (URL columns) at the archive root; BOM and extra files as the simulator drew them
    member.style = replace(member.style, version="2025", subfolder="", messages_name="messages.csv")
    me = member.person.url
    banks = default_banks()
    rng = random.Random(f"large:{seed}")
    employers = list(banks.world["contact_employers"])
    contacts = list(world.connections.get(me, []))
    first_day = date(2008, 1, 1)
    for _ in range(connections):
        name = draw_name(banks, rng)
        person = Person(name=name, url=profile_url(name, rng), company=rng.choice(employers),
                        position=rng.choice(_TITLES), kind="contact")
        if rng.random() < 0.05:
            person.email = f"contact{rng.getrandbits(32):08x}@example.net"
        contacts.append((person, first_day + timedelta(days=rng.randrange(6500))))
    messages: list[SimMessage] = [m for m in world.messages if me in {m.sender.url, *(r.url for r in m.recipients)}]
    invitations: list[SimInvitation] = [i for i in world.invitations if not i.accepted and me in
                                        (i.sender.url, i.recipient.url)]
    files = export_files(member, contacts, invitations, messages, _positions(member, random.Random(seed)),
                         _extras(member, random.Random(seed)))
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(BROKEN_ROWS)
    files["Connections.csv"] += buffer.getvalue().encode("utf-8")
    folder = out / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    archive = folder / f"{member.export_file}.zip"
    write_zip(archive, files, member.style.subfolder, member.style.exported_on)
    roster = out / "roster.csv"
    with roster.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(ROSTER_COLUMNS)
        writer.writerow([member.staff_id, member.person.full, member.department, member.sector, me, archive.name])
    assert me in staff_urls
    return LargeExport(archive=archive, roster=roster, connection_rows=len(contacts) + len(BROKEN_ROWS),
                       invitation_rows=len(invitations), message_rows=len(messages), broken_rows=len(BROKEN_ROWS))
