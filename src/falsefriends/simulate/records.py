"""What happens in a simulated organisation: staff, invitations, messages, and their ground truth."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from falsefriends.simulate.people import Person


@dataclass
class Staff:
    """A staff member of the simulated organisation and how their export will be written."""

    staff_id: str
    person: Person
    department: str
    sector: str
    export_file: str
    style: ExportStyle


@dataclass(frozen=True)
class ExportStyle:
    """The export version a staff member downloaded, and the quirks real archives show."""

    version: str  # "2022" (no URL columns), "2024" (URL columns), "2025" (URLs + draft/attachment columns)
    bom: bool
    subfolder: str  # "" for files at the ZIP root
    messages_name: str  # "messages.csv" or "Messages.csv": file name case varies across versions
    extras: tuple[str, ...]
    exported_on: date
    html_share: float


@dataclass
class SimMessage:
    """One message of a conversation, with its ground truth."""

    id: str
    conversation: str
    title: str
    sender: Person
    recipients: tuple[Person, ...]
    at: datetime
    content: str
    subject: str = ""
    folder: str = "INBOX"
    campaign: str | None = None
    stage: str | None = None
    lure: bool = False
    sender_label: str = ""  # a display name for system or sponsored senders without a profile


@dataclass
class SimInvitation:
    """A connection request. Accepted ones become a connection and their note opens the conversation."""

    id: str
    sender: Person
    recipient: Person
    at: datetime
    note: str
    accepted: bool
    campaign: str | None = None
    stage: str | None = None
    lure: bool = False


@dataclass
class Campaign:
    """A planted hostile campaign: personas behind one front, one playbook, standardised templates."""

    id: str
    playbook: str
    front: str
    front_kind: str
    front_public: bool
    language: str
    personas: list[Person] = field(default_factory=list)
    templates: dict[str, str] = field(default_factory=dict)
    targets: list[str] = field(default_factory=list)
    # Multilingual campaigns: the templates in each language (translations of one another), by language.
    translations: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class StaffOutcome:
    """What happened to one approached staff member."""

    approached_by: set[str] = field(default_factory=set)
    accepted: set[str] = field(default_factory=set)
    replied: set[str] = field(default_factory=set)
    off_platform: set[str] = field(default_factory=set)
    asked_for_notes: set[str] = field(default_factory=set)
