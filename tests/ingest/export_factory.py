"""Build small LinkedIn member data exports (ZIP or folder) in the real format, for tests.

Writes what real exports hold: the Connections.csv preamble, optional BOM, files in a sub-folder or at
the root, the older format without URL columns, and any extra files.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

PREAMBLE = (
    "Notes:\r\n"
    '"When exporting your connection data, you may notice that some of the email addresses are missing. You will '
    "only see email addresses for connections who have allowed their connections to see or download their email "
    'address using this setting https://www.linkedin.com/psettings/privacy/email. You can learn more here '
    'https://www.linkedin.com/help/linkedin/answer/261"\r\n'
    "\r\n"
)

PROFILE = ["First Name", "Last Name", "Maiden Name", "Address", "Birth Date", "Headline", "Summary", "Industry",
           "Zip Code", "Geo Location", "Twitter Handles", "Websites", "Instant Messengers"]
POSITIONS = ["Company Name", "Title", "Description", "Location", "Started On", "Finished On"]
CONNECTIONS = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
INVITATIONS = ["From", "To", "Sent At", "Message", "Direction", "inviterProfileUrl", "inviteeProfileUrl"]
MESSAGES = ["CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL", "TO", "RECIPIENT PROFILE URLS",
            "DATE", "SUBJECT", "CONTENT", "FOLDER"]
MESSAGES_NEW = [*MESSAGES, "ATTACHMENTS", "IS MESSAGE DRAFT", "IS CONVERSATION DRAFT"]
OLD_DROPPED = {"URL", "inviterProfileUrl", "inviteeProfileUrl", "SENDER PROFILE URL", "RECIPIENT PROFILE URLS"}

Row = Mapping[str, str]


def csv_text(columns: Sequence[str], rows: Sequence[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return out.getvalue()


@dataclass
class ExportSpec:
    """What one export holds; `build` writes it."""

    profile: Row | None = field(default_factory=lambda: {"First Name": "Anna", "Last Name": "Lindqvist",
                                                           "Headline": "Propulsion engineer at Arcturus Space"})
    positions: list[Row] = field(
        default_factory=lambda: [{"Company Name": "Arcturus Space", "Title": "Propulsion engineer",
                                  "Started On": "Jan 2024", "Finished On": ""}]
    )
    connections: list[Row] = field(default_factory=list)
    invitations: list[Row] = field(default_factory=list)
    messages: list[Row] = field(default_factory=list)
    with_urls: bool = True
    new_message_columns: bool = True
    bom: bool = False
    folder: str | None = "Basic_LinkedInDataExport_02-08-2026"
    lower_case_names: bool = False
    extra_files: dict[str, bytes] = field(default_factory=dict)
    omit: tuple[str, ...] = ()

    def files(self) -> dict[str, bytes]:
        def columns(names: Sequence[str]) -> list[str]:
            return [c for c in names if self.with_urls or c not in OLD_DROPPED]

        texts = {
            "Profile.csv": csv_text(PROFILE, [self.profile]) if self.profile is not None else csv_text(PROFILE, []),
            "Positions.csv": csv_text(POSITIONS, self.positions),
            "Connections.csv": PREAMBLE + csv_text(columns(CONNECTIONS), self.connections),
            "Invitations.csv": csv_text(columns(INVITATIONS), self.invitations),
            "messages.csv": csv_text(columns(MESSAGES_NEW if self.new_message_columns else MESSAGES), self.messages),
        }
        result: dict[str, bytes] = {}
        for name, text in texts.items():
            if name in self.omit:
                continue
            data = text.encode("utf-8")
            if self.bom:
                data = b"\xef\xbb\xbf" + data
            result[self._path(name)] = data
        for name, data in self.extra_files.items():
            result[self._path(name)] = data
        return result

    def _path(self, name: str) -> str:
        if self.lower_case_names:
            name = name.lower()
        return f"{self.folder}/{name}" if self.folder else name

    def build_zip(self, path: Path) -> Path:
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, data in self.files().items():
                archive.writestr(name, data)
        return path

    def build_folder(self, path: Path) -> Path:
        for name, data in self.files().items():
            target = path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        return path


ANNA = "https://www.linkedin.com/in/anna-lindqvist"
RECRUITER = "https://www.linkedin.com/in/sophie-m-talent"


def approach_spec(**overrides: object) -> ExportSpec:
    """A staff export holding one typical approach: invitation, accepted connection, a conversation."""
    spec = ExportSpec(
        connections=[
            {"First Name": "Sophie", "Last Name": "Martel", "URL": RECRUITER, "Company": "Talent Bridge Partners",
             "Position": "Senior headhunter", "Connected On": "08 Feb 2026"},
            {"First Name": "Jörg", "Last Name": "Müller, PhD", "URL": "https://www.linkedin.com/in/jmuller",
             "Company": "Arcturus Space", "Position": "Engineer", "Connected On": "02 Jan 2025"},
        ],
        invitations=[
            {"From": "Sophie Martel", "To": "Anna Lindqvist", "Sent At": "1/29/26, 2:37 PM",
             "Message": "Hello Anna,\nI have an exciting, well-paid consulting role for you.", "Direction": "INCOMING",
             "inviterProfileUrl": RECRUITER, "inviteeProfileUrl": ANNA},
        ],
        messages=[
            {"CONVERSATION ID": "2-abc==", "CONVERSATION TITLE": "", "FROM": "Sophie Martel",
             "SENDER PROFILE URL": RECRUITER, "TO": "Anna Lindqvist", "RECIPIENT PROFILE URLS": ANNA,
             "DATE": "2026-02-09 10:15:00 UTC", "SUBJECT": "Opportunity",
             "CONTENT": "<p>Thanks for connecting!</p><p>Can we continue on <a href=\"https://wa.me/4479\">WhatsApp</a>?</p>",
             "FOLDER": "INBOX"},
            {"CONVERSATION ID": "2-abc==", "CONVERSATION TITLE": "", "FROM": "Anna Lindqvist",
             "SENDER PROFILE URL": ANNA, "TO": "Sophie Martel", "RECIPIENT PROFILE URLS": RECRUITER,
             "DATE": "2026-02-09 18:01:44 UTC", "SUBJECT": "", "CONTENT": "Sure, \"why not\", tell me more",
             "FOLDER": "SENT"},
        ],
    )
    for name, value in overrides.items():
        setattr(spec, name, value)
    return spec
