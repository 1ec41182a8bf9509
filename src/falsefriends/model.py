"""Canonical records: the one place that defines accounts, messages, evidence and assessments.

Every record is immutable (frozen pydantic models) and serialisable to JSON, so the same objects
travel through detectors, the workspace database, reports and shared indicators.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Record(BaseModel):
    """Base of all canonical records: frozen, no unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Channel(StrEnum):
    """How a message reached its recipient."""

    INVITATION = "invitation"
    INMAIL = "inmail"
    MESSAGE = "message"
    OTHER = "other"


class Level(StrEnum):
    """The three levels staff know from the UK "Think Before You Link" guidance."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Direction(StrEnum):
    """Whether a staff member received (incoming) or sent (outgoing) an invitation or message."""

    INCOMING = "incoming"
    OUTGOING = "outgoing"


class Position(Record):
    """One entry of a profile's work history."""

    company: str = ""
    title: str = ""
    description: str = ""
    location: str = ""
    started: str | None = None
    finished: str | None = None


class Account(Record):
    """A profile on a professional network: an outside contact, a persona, or a staff member.

    `key` is the stable identity: the profile URL when known, otherwise a key derived by identity
    resolution. `photo` is a reference (file path, URL or perceptual hash), never the image itself.
    """

    key: str | None = None
    name: str = ""
    headline: str = ""
    employer: str = ""
    position: str = ""
    positions: tuple[Position, ...] = ()
    education: tuple[str, ...] = ()
    location: str = ""
    about: str = ""
    url: str | None = None
    handles: tuple[str, ...] = ()
    connections: int | None = Field(default=None, ge=0)
    followers: int | None = Field(default=None, ge=0)
    photo: str | None = None
    created: date | None = None


class Organisation(Record):
    """An employer or front organisation as claimed on profiles."""

    key: str
    name: str
    aliases: tuple[str, ...] = ()
    website: str | None = None
    employees_on_platform: int | None = Field(default=None, ge=0)


class Message(Record):
    """An invitation note, InMail or message. `body` is untrusted text written by the sender."""

    id: str
    body: str = ""
    subject: str = ""
    sender: str | None = None
    recipients: tuple[str, ...] = ()
    sent_at: datetime | None = None
    channel: Channel = Channel.MESSAGE
    conversation: str | None = None
    sender_name: str = ""
    direction: Direction | None = None
    folder: str | None = None


class Sector(StrEnum):
    """The split the French reporting uses: state institutions or business."""

    STATE = "state"
    BUSINESS = "business"


class StaffMember(Record):
    """One row of an organisation's staff roster (roster.csv:
    `staff_id,name,department,sector,profile_url,export_file`)."""

    staff_id: str
    name: str = ""
    department: str = ""
    sector: Sector | None = None
    profile_url: str | None = None
    export_file: str | None = None


class Connection(Record):
    """An accepted connection between a staff member (`owner`, their key) and a contact."""

    owner: str
    contact: Account
    connected_on: date | None = None


class QuarantinedRow(Record):
    """A row that could not be accepted: where it was, why, and a bounded copy of what it held."""

    file: str
    line: int
    reason: str
    raw: str = ""


class IngestReport(Record):
    """Totals of an ingest: every row read is either accepted or quarantined, never lost."""

    files: int = 0
    rows_read: int = 0
    rows_accepted: int = 0
    rows_quarantined: int = 0
    quarantine: tuple[QuarantinedRow, ...] = ()
    errors: tuple[str, ...] = ()


class Evidence(Record):
    """Why a detector raised (or lowered) a score: one fired rule, with the exact words.

    `span` indexes into the original text of `message` (character offsets, end exclusive);
    it is None for evidence found in a profile field, where `field` names the field.
    """

    rule: str
    indicator: str
    weight: float
    reason: str
    source: tuple[str, ...] = ()
    detector: str = "rules"
    excerpt: str = ""
    span: tuple[int, int] | None = None
    field: str | None = None
    message: str | None = None


class Assessment(Record):
    """A calibrated risk for one subject (message, profile, pair or conversation) and its evidence."""

    subject: str
    score: float = Field(ge=0.0, le=1.0)
    level: Level
    evidence: tuple[Evidence, ...] = ()
    indicators: tuple[str, ...] = ()
    language: str | None = None


class MessageTemplate(Record):
    """A standardised message: the text shared by a cluster of near-duplicate messages.

    `text` is folded and masked, with `{slot}` where the members differ (`{name}`, `{number}`,
    `{url}`, `{greeting}`... for masked values, `{slot1}`, `{slot2}`... for other differences);
    `slot_examples` holds a few values seen in each numbered slot.
    """

    id: str
    text: str
    slots: tuple[str, ...] = ()
    slot_examples: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    messages: tuple[str, ...] = ()
    senders: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()
    first: datetime | None = None
    last: datetime | None = None


class Campaign(Record):
    """Coordinated personas and what they did: accounts, shared templates, targets, timeline.

    `traces` name what links the accounts (a template, a photo hash, a claimed employer, co-targeting
    of the same staff, a creation burst); `sectors` counts the targets per sector (state/business).
    """

    id: str
    accounts: tuple[str, ...]
    templates: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    first: datetime | None = None
    last: datetime | None = None
    score: float = Field(default=0.0, ge=0.0, le=1.0)
    evidence: tuple[Evidence, ...] = ()
    traces: tuple[str, ...] = ()
    sectors: dict[str, int] = Field(default_factory=dict)
