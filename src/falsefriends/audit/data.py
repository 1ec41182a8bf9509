"""What an audit reads: the staff roster and, per staff member, what their export holds.

The audit does not care whether the data came straight from parsed archives or back out of the
workspace database: both are turned into these shapes first. Identities are normalised here once
(profile URLs compared without scheme, `www.`, query or trailing slash), so the findings code can
compare keys with `==`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import PurePath

from falsefriends.ingest.identity import normalise_profile_url
from falsefriends.model import Account, Connection, Direction, IngestReport, Message, StaffMember
from falsefriends.store.workspace import ExportLike
from falsefriends.text import fold

_URL_PREFIX = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
_BARE_LINKEDIN = re.compile(r"^(?:[a-z0-9-]+\.)*linkedin\.com(?:/|$)")


def normalise_key(key: str | None) -> str | None:
    """One spelling per identity, the one ingestion uses for keys: `https://www.linkedin.com/in/<slug>`.

    Scheme, host variants (`fr.`, `m.`, no `www`), query, fragment, sub-pages, trailing slash and the
    case of the slug do not matter. Keys that are not web addresses (name-based keys) are kept as they are.
    """
    if key is None:
        return None
    text = key.strip()
    if not text:
        return None
    lowered = text.lower()
    if not (_URL_PREFIX.match(lowered) or lowered.startswith("www.") or _BARE_LINKEDIN.match(lowered)):
        return text
    # The same canonical spelling ingestion gives its keys (one implementation, in ingest.identity).
    return normalise_profile_url(text) or text


@lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """A key for an account known only by its displayed name (no profile URL anywhere)."""
    return "name:" + fold(name).text.strip()


def account_key(account: Account) -> str:
    """The identity of an account: its resolved key, else its URL, else its folded name."""
    return normalise_key(account.key) or normalise_key(account.url) or name_key(account.name)


def sender_key(message: Message) -> str:
    """The identity of whoever sent a message."""
    return normalise_key(message.sender) or name_key(message.sender_name)


@dataclass(frozen=True)
class StaffExport:
    """One staff member's export, as the audit sees it.

    `messages` holds invitations (channel `invitation`) and messages alike; `direction` says whether
    the staff member received or sent each one. `contacts` are the outside accounts the export names,
    by normalised key.
    """

    staff_id: str
    source: str
    owner_key: str | None
    connections: tuple[Connection, ...] = ()
    messages: tuple[Message, ...] = ()
    contacts: dict[str, Account] = field(default_factory=dict)


@dataclass(frozen=True)
class AuditData:
    """Everything the findings are computed from."""

    staff: tuple[StaffMember, ...]
    exports: tuple[StaffExport, ...]
    ingest: IngestReport = field(default_factory=IngestReport)


def _file_names(path: str) -> tuple[str, str]:
    """The lower-cased name and stem of a file path written with either kind of slash."""
    pure = PurePath(path.replace("\\", "/"))
    return pure.name.lower(), pure.stem.lower()


class StaffIndex:
    """The roster indexed by export file name, profile URL and folded name, to match exports in O(1)."""

    def __init__(self, staff: Iterable[StaffMember]) -> None:
        self.staff = tuple(staff)
        self.by_file: dict[str, StaffMember] = {}
        self.by_url: dict[str, StaffMember] = {}
        self.by_name: dict[str, list[StaffMember]] = {}
        for member in self.staff:
            if member.export_file:
                for name in _file_names(member.export_file):
                    self.by_file.setdefault(name, member)
            url = normalise_key(member.profile_url)
            if url:
                self.by_url.setdefault(url, member)
            folded = fold(member.name).text.strip()
            if folded:
                self.by_name.setdefault(folded, []).append(member)

    def match(self, export: ExportLike) -> StaffMember | None:
        """The roster entry an export belongs to: by export file name, then profile URL, then a unique name."""
        return self.match_source(export.source, export.owner)

    def match_source(self, source: str, owner: Account) -> StaffMember | None:
        """The roster entry for an export file `source` whose exporting member is `owner`."""
        for name in _file_names(source):
            if name in self.by_file:
                return self.by_file[name]
        for key in (normalise_key(owner.url), normalise_key(owner.key)):
            if key and key in self.by_url:
                return self.by_url[key]
        named = self.by_name.get(fold(owner.name).text.strip(), [])
        return named[0] if len(named) == 1 else None


def match_staff(export: ExportLike, staff: Sequence[StaffMember] | StaffIndex) -> StaffMember | None:
    """The roster entry an export belongs to: by the roster's export file name, then profile URL, then name.

    A name match counts only when exactly one roster entry carries that name. Pass a `StaffIndex` when
    matching many exports against one roster.
    """
    index = staff if isinstance(staff, StaffIndex) else StaffIndex(staff)
    return index.match(export)


def _with_direction(message: Message, owner_keys: set[str], owner_name: str) -> Message:
    """Fill in a missing direction: sent by the owner (their key or name, or the SENT folder) or received."""
    if message.direction is not None:
        return message
    sent = (
        sender_key(message) in owner_keys
        or (bool(owner_name) and fold(message.sender_name).text.strip() == owner_name)
        or (message.folder or "").upper() == "SENT"
    )
    return message.model_copy(update={"direction": Direction.OUTGOING if sent else Direction.INCOMING})


def from_exports(exports: Iterable[ExportLike], staff: Sequence[StaffMember],
                 ingest: IngestReport | None = None) -> AuditData:
    """Audit data from parsed exports; exports no roster entry claims become `unlisted-N` staff."""
    members = list(staff)
    index = StaffIndex(members)
    seen_ids = {m.staff_id for m in members}
    views: list[StaffExport] = []
    unlisted = 0
    for export in exports:
        member = index.match(export)
        if member is None:
            unlisted += 1
            staff_id = f"unlisted-{unlisted}"
            while staff_id in seen_ids:
                unlisted += 1
                staff_id = f"unlisted-{unlisted}"
            member = StaffMember(staff_id=staff_id, name=export.owner.name,
                                 profile_url=export.owner.url, export_file=export.source)
            members.append(member)
            seen_ids.add(staff_id)
        owner_keys = {k for k in (normalise_key(export.owner.url), normalise_key(export.owner.key),
                                  normalise_key(member.profile_url)) if k}
        owner_name = fold(export.owner.name or member.name).text.strip()
        messages = tuple(_with_direction(m, owner_keys, owner_name)
                         for m in (*export.invitations, *export.messages))
        contacts = {account_key(a): a for a in export.contacts}
        views.append(StaffExport(
            staff_id=member.staff_id, source=export.source,
            owner_key=next(iter(sorted(owner_keys)), None),
            connections=tuple(export.connections), messages=messages, contacts=contacts,
        ))
    return AuditData(staff=tuple(members), exports=tuple(views), ingest=ingest or IngestReport())
