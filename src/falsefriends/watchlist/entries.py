"""Watchlist records: listed personas, fronts, accounts, handles, photos and domains, with their provenance.

An entry says what was listed (a persona's name, a front organisation, a profile URL, a messaging
handle, a photo hash, an e-mail or web domain), every name it goes by (aliases, acronyms,
transliterations in pinyin or Hanzi), and who listed it, when and where (`Provenance`). Entries are
frozen pydantic records so they travel unchanged between the bundled YAML, imports, the workspace
database and exports.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

MAX_TEXT = 2000
"""Longest free text kept in a field; imported lists are untrusted and may be huge or hostile."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ID = re.compile(r"^[a-z0-9][a-z0-9._:-]{0,127}$")


def clean_text(value: str) -> str:
    """Strip control characters and surrounding space, and bound the length of untrusted text."""
    return _CONTROL.sub("", value).strip()[:MAX_TEXT]


class EntryKind(StrEnum):
    """What an entry lists."""

    PERSONA = "persona"
    ORGANISATION = "organisation"
    ACCOUNT = "account"
    HANDLE = "handle"
    PHOTO = "photo"
    DOMAIN = "domain"


class Status(StrEnum):
    """Who vouches for an entry, strongest first."""

    NAMED_BY_AUTHORITY = "named-by-authority"
    COURT_RECORD = "court-record"
    PRESS_REPORT = "press-report"
    RESEARCH = "research"
    ANALYST = "analyst"


DEFAULT_CONFIDENCE: dict[Status, float] = {
    Status.NAMED_BY_AUTHORITY: 0.95,
    Status.COURT_RECORD: 0.95,
    Status.PRESS_REPORT: 0.8,
    Status.RESEARCH: 0.75,
    Status.ANALYST: 0.6,
}
"""Confidence an entry gets from its strongest source when the list does not give one."""


class IdentifierKind(StrEnum):
    """Kinds of exact identifiers an entry can carry."""

    PROFILE_URL = "profile-url"
    HANDLE = "handle"
    WHATSAPP = "whatsapp"
    WECHAT = "wechat"
    TELEGRAM = "telegram"
    SIGNAL = "signal"
    SKYPE = "skype"
    PHONE = "phone"
    EMAIL = "email"
    EMAIL_DOMAIN = "email-domain"
    WEB_DOMAIN = "web-domain"
    PHOTO_HASH = "photo-hash"


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Identifier(Record):
    """An exact identifier (URL, handle, phone, domain, photo hash); `value` is stored as given."""

    kind: IdentifierKind
    value: str = Field(min_length=1, max_length=MAX_TEXT)

    @field_validator("value")
    @classmethod
    def _clean(cls, value: str) -> str:
        value = clean_text(value)
        if not value:
            raise ValueError("identifier value is empty")
        return value


class Provenance(Record):
    """Who listed an entry: a source id, its status, date, URLs and what it says."""

    source: str = Field(min_length=1, max_length=200)
    status: Status
    date: str | None = Field(default=None, description="ISO date or year as published (2017-12-10, 2015)")
    urls: tuple[str, ...] = ()
    title: str = ""
    note: str = ""

    @field_validator("source", "title", "note")
    @classmethod
    def _clean(cls, value: str) -> str:
        return clean_text(value)

    @field_validator("urls")
    @classmethod
    def _urls(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(u for u in (clean_text(v) for v in value) if u)


class Entry(Record):
    """One listed thing and everything known about how to recognise it.

    For a persona, `employer` is the organisation it claimed and `employer_is_front` says whether that
    organisation is itself a listed front (True), a real institution the persona merely claimed (False),
    or unknown (None). For an organisation, `front` is False for real institutions that personas claimed:
    they are kept for explanation and to corroborate a persona, never as a signal on their own staff.
    """

    id: str
    kind: EntryKind
    name: str = Field(default="", max_length=MAX_TEXT)
    aliases: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    transliterations: tuple[str, ...] = Field(default=(), description="pinyin (with or without tones) or Hanzi")
    role: str = ""
    employer: str = ""
    employer_is_front: bool | None = None
    front: bool = True
    identifiers: tuple[Identifier, ...] = ()
    provenance: tuple[Provenance, ...] = Field(min_length=1)
    confidence: float = Field(default=0.0, ge=0.0, le=1.0, description="0 means: derive from provenance")
    first_seen: date | None = None
    last_seen: date | None = None
    expires: date | None = None
    note: str = ""

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError("id must be 1-128 characters of a-z, 0-9, '.', '_', ':' or '-', starting alphanumeric")
        return value

    @field_validator("name", "role", "employer", "note")
    @classmethod
    def _clean(cls, value: str) -> str:
        return clean_text(value)

    @field_validator("aliases", "acronyms", "transliterations")
    @classmethod
    def _names(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        seen: list[str] = []
        for item in value:
            text = clean_text(item)
            if text and text not in seen:
                seen.append(text)
        return tuple(seen)

    @model_validator(mode="after")
    def _consistent(self) -> Entry:
        if self.kind in (EntryKind.PERSONA, EntryKind.ORGANISATION) and not self.name:
            raise ValueError(f"a {self.kind.value} entry needs a name")
        if self.kind not in (EntryKind.PERSONA, EntryKind.ORGANISATION) and not self.identifiers:
            raise ValueError(f"a {self.kind.value} entry needs at least one identifier")
        if self.first_seen and self.last_seen and self.first_seen > self.last_seen:
            raise ValueError("first_seen is after last_seen")
        if self.confidence == 0.0:
            best = max(DEFAULT_CONFIDENCE[p.status] for p in self.provenance)
            object.__setattr__(self, "confidence", best)
        return self

    @property
    def names(self) -> tuple[str, ...]:
        """Every name form the entry can be matched by: name, aliases, acronyms, transliterations."""
        forms = [self.name, *self.aliases, *self.acronyms, *self.transliterations]
        return tuple(dict.fromkeys(f for f in forms if f))

    @property
    def status(self) -> Status:
        """The strongest status among the entry's sources."""
        order = list(Status)
        return min((p.status for p in self.provenance), key=order.index)

    def active(self, on: date | None = None) -> bool:
        """False once the entry's expiry date has passed."""
        return self.expires is None or (on or date.today()) <= self.expires


class Watchlist(Record):
    """A set of entries with unique ids (the bundled list, a workspace's list, or an imported file)."""

    version: str = ""
    entries: tuple[Entry, ...] = ()

    @model_validator(mode="after")
    def _unique(self) -> Watchlist:
        seen: set[str] = set()
        for entry in self.entries:
            if entry.id in seen:
                raise ValueError(f"duplicate entry id {entry.id!r}")
            seen.add(entry.id)
        return self

    def get(self, entry_id: str) -> Entry | None:
        return next((e for e in self.entries if e.id == entry_id), None)

    def merged(self, other: Watchlist) -> Watchlist:
        """This list plus `other`; an entry of `other` replaces one with the same id."""
        replaced = {e.id: e for e in other.entries}
        kept = [replaced.pop(e.id, e) for e in self.entries]
        return Watchlist(version=self.version or other.version, entries=(*kept, *replaced.values()))
