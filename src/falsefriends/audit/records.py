"""The findings of an organisation audit: the records behind `findings.json` (see docs/audit.md).

These are the serialisable contract: field names and meanings are documented and tested, so other
tools (campaign correlation, sharing, a SIEM) can read `findings.json` without importing this code.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from falsefriends.model import Evidence, Level, QuarantinedRow

FINDINGS_FORMAT = "falsefriends.findings/1"
"""Version of the findings.json contract; bumped on any incompatible change."""


class Out(BaseModel):
    """Base of the findings records: no unknown fields, so the contract cannot drift silently."""

    model_config = ConfigDict(extra="forbid")


class IngestTotals(Out):
    """What was read: every row is either accepted or quarantined (with file, line and reason)."""

    files: int = 0
    rows_read: int = 0
    rows_accepted: int = 0
    rows_quarantined: int = 0
    quarantine: list[QuarantinedRow] = Field(default_factory=list)
    errors: list[str] = Field(default_factory=list)


class Approach(Out):
    """One outside account and one staff member: the whole thread between them, scored as a whole."""

    staff_id: str
    score: float
    level: Level
    indicators: list[str] = Field(default_factory=list)
    channels: list[str] = Field(default_factory=list)
    messages: int = 0
    invited: bool = False
    accepted: bool = False
    replied: bool = False
    asked_off_platform: bool = False
    first_contact: datetime | None = None
    last_contact: datetime | None = None


class AccountFinding(Out):
    """An outside account: its risk, the evidence with the exact words, and what it did to whom."""

    account: str
    identity: str = "url"
    identity_confidence: float = 1.0
    name: str = ""
    headline: str = ""
    employer: str = ""
    url: str | None = None
    score: float
    level: Level
    indicators: list[str] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    staff_approached: list[str] = Field(default_factory=list)
    accepted_by: list[str] = Field(default_factory=list)
    replied: list[str] = Field(default_factory=list)
    asked_off_platform: list[str] = Field(default_factory=list)
    first_contact: datetime | None = None
    last_contact: datetime | None = None
    campaign: str | None = None
    approaches: list[Approach] = Field(default_factory=list)


class StaffLink(Out):
    """A flagged (medium or high) outside account linked to one staff member, and how far it got."""

    account: str
    name: str = ""
    score: float
    level: Level
    approached: bool = False
    accepted: bool = False
    replied: bool = False
    asked_off_platform: bool = False


class StaffFinding(Out):
    """A staff member's exposure: who reached them, what they did, and the advice to give them."""

    staff_id: str
    name: str = ""
    department: str = ""
    sector: str | None = None
    profile_url: str | None = None
    in_roster: bool = True
    exported: bool = False
    exposure: float = 0.0
    level: Level = Level.LOW
    stage: str = "none"
    approached_by: list[str] = Field(default_factory=list)
    flagged: list[StaffLink] = Field(default_factory=list)
    advice: list[str] = Field(default_factory=list)


class GroupFigures(Out):
    """Counts for one department or sector; `*_flagged` count links to medium or high accounts."""

    group: str
    staff: int = 0
    exported: int = 0
    approached: int = 0
    approached_flagged: int = 0
    accepted_flagged: int = 0
    replied_flagged: int = 0
    asked_off_platform_flagged: int = 0
    exposure_high: int = 0
    exposure_medium: int = 0


class MonthCount(Out):
    """Approaches (account x staff pairs) whose first contact fell in a month, and how many were flagged."""

    month: str
    approaches: int = 0
    flagged: int = 0


class Summary(Out):
    """The headline figures."""

    staff: int = 0
    exports: int = 0
    unlisted_exports: int = 0
    accounts: int = 0
    accounts_high: int = 0
    accounts_medium: int = 0
    approaches: int = 0
    approaches_flagged: int = 0
    staff_approached: int = 0
    staff_approached_flagged: int = 0
    staff_accepted_flagged: int = 0
    staff_replied_flagged: int = 0
    staff_asked_off_platform: int = 0
    staff_exposure_high: int = 0
    staff_exposure_medium: int = 0
    invitations_scored: int = 0
    messages_scored: int = 0
    first_contact: datetime | None = None
    last_contact: datetime | None = None


class Findings(Out):
    """Everything an audit found; serialised as findings.json."""

    format: str = FINDINGS_FORMAT
    generated_with: dict[str, str] = Field(default_factory=dict)
    generated_at: datetime | None = None
    pseudonymised: bool = False
    summary: Summary = Field(default_factory=Summary)
    ingest: IngestTotals = Field(default_factory=IngestTotals)
    accounts: list[AccountFinding] = Field(default_factory=list)
    campaigns: list[dict[str, Any]] = Field(default_factory=list)
    staff: list[StaffFinding] = Field(default_factory=list)
    departments: list[GroupFigures] = Field(default_factory=list)
    sectors: list[GroupFigures] = Field(default_factory=list)
    timeline: list[MonthCount] = Field(default_factory=list)
