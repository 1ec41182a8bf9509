"""Writes a staff member's LinkedIn member data export (ZIP of CSVs) in the real format.

Follows docs/linkedin-export-format.md: the three-line preamble of Connections.csv, the date formats
of each file, the columns of each export version, BOM or not, files at the root or in a sub-folder,
quoted multi-line fields, and extra files a reader must ignore. ZIP entries carry a fixed timestamp
so the same world gives byte-identical archives.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path

from falsefriends.simulate.people import Person
from falsefriends.simulate.records import SimInvitation, SimMessage, Staff

CONNECTIONS_PREAMBLE = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses are missing. You will '
    "only see email addresses for connections who have allowed their connections to see or download their email "
    "address using this setting https://www.linkedin.com/psettings/privacy/email. You can learn more here "
    'https://www.linkedin.com/help/linkedin/answer/261"\n'
    "\n"
)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def connected_on(day: date) -> str:
    """`08 Feb 2026` (month names in English whatever the locale)."""
    return f"{day.day:02d} {_MONTHS[day.month - 1]} {day.year}"


def sent_at(moment: datetime) -> str:
    """`1/29/26, 2:37 PM`."""
    hour = moment.hour % 12 or 12
    half = "AM" if moment.hour < 12 else "PM"
    return f"{moment.month}/{moment.day}/{moment.year % 100:02d}, {hour}:{moment.minute:02d} {half}"


def message_date(moment: datetime) -> str:
    """`2025-06-01 14:03:22 UTC`."""
    return moment.strftime("%Y-%m-%d %H:%M:%S") + " UTC"


def month_year(day: date) -> str:
    """`Jan 2024` as in Positions.csv."""
    return f"{_MONTHS[day.month - 1]} {day.year}"


def _csv(header: Sequence[str], rows: Iterable[Sequence[str]], bom: bool, preamble: str = "") -> bytes:
    buffer = io.StringIO()
    buffer.write(preamble)
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    data = buffer.getvalue().encode("utf-8")
    return b"\xef\xbb\xbf" + data if bom else data


def _display(person: Person, label: str = "") -> str:
    return label or person.full


def _messages_rows(owner: Person, messages: Sequence[SimMessage], newer: bool) -> list[list[str]]:
    rows = []
    # Newest first, as the network writes them.
    for msg in sorted(messages, key=lambda m: (m.at, m.id), reverse=True):
        folder = msg.folder
        if msg.sender.url == owner.url and msg.sender.url:
            folder = "SENT"
        row = [
            msg.conversation,
            msg.title,
            _display(msg.sender, msg.sender_label),
            msg.sender.url,
            ", ".join(r.full for r in msg.recipients),
            ",".join(r.url for r in msg.recipients),
            message_date(msg.at),
            msg.subject,
            msg.content,
            folder,
        ]
        if newer:
            row += ["", "No", "No"]
        rows.append(row)
    return rows


def export_files(staff: Staff, connections: Sequence[tuple[Person, date]], invitations: Sequence[SimInvitation],
                 messages: Sequence[SimMessage], positions: Sequence[tuple[str, str, date, date | None]],
                 extras: dict[str, bytes]) -> dict[str, bytes]:
    """The files of one export, by name inside the archive (before any sub-folder)."""
    style, me = staff.style, staff.person
    with_urls = style.version != "2022"
    if with_urls:
        header = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
    else:
        header = ["First Name", "Last Name", "Email Address", "Company", "Position", "Connected On"]
    conn_rows = []
    for contact, day in sorted(connections, key=lambda c: (c[1], c[0].url), reverse=True):
        row = [contact.first, contact.last, contact.email, contact.company, contact.position, connected_on(day)]
        if with_urls:
            row.insert(2, contact.url)
        conn_rows.append(row)
    files = {"Connections.csv": _csv(header, conn_rows, style.bom, CONNECTIONS_PREAMBLE)}

    inv_header = ["From", "To", "Sent At", "Message", "Direction"]
    if with_urls:
        inv_header += ["inviterProfileUrl", "inviteeProfileUrl"]
    inv_rows = []
    for inv in sorted(invitations, key=lambda i: (i.at, i.id), reverse=True):
        direction = "OUTGOING" if inv.sender.url == me.url else "INCOMING"
        row = [inv.sender.full, inv.recipient.full, sent_at(inv.at), inv.note, direction]
        if with_urls:
            row += [inv.sender.url, inv.recipient.url]
        inv_rows.append(row)
    if inv_rows or style.version != "2022" or staff.staff_id[-1] not in "02468":
        # Some older archives are partial: with nothing pending, the file may simply be absent.
        files["Invitations.csv"] = _csv(inv_header, inv_rows, style.bom)

    msg_header = ["CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL", "TO",
                  "RECIPIENT PROFILE URLS", "DATE", "SUBJECT", "CONTENT", "FOLDER"]
    newer = style.version == "2025"
    if newer:
        msg_header += ["ATTACHMENTS", "IS MESSAGE DRAFT", "IS CONVERSATION DRAFT"]
    files[style.messages_name] = _csv(msg_header, _messages_rows(me, messages, newer), style.bom)

    files["Profile.csv"] = _csv(
        ["First Name", "Last Name", "Maiden Name", "Address", "Birth Date", "Headline", "Summary", "Industry",
         "Zip Code", "Geo Location", "Twitter Handles", "Websites", "Instant Messengers"],
        [[me.first, me.last, "", "", "", f"{me.position} at {me.company}", "", staff.department.title(), "",
          "", "", "", ""]],
        style.bom,
    )
    files["Positions.csv"] = _csv(
        ["Company Name", "Title", "Description", "Location", "Started On", "Finished On"],
        [[company, title, "", "", month_year(start), month_year(end) if end else ""]
         for company, title, start, end in positions],
        style.bom,
    )
    files.update(extras)
    return files


def write_zip(path: Path, files: dict[str, bytes], subfolder: str, stamp: date) -> None:
    """A deterministic ZIP: sorted entries, fixed timestamps and permissions."""
    when = (stamp.year, stamp.month, stamp.day, 9, 0, 0)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(subfolder + name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            archive.writestr(info, files[name])
