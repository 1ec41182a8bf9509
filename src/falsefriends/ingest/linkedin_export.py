"""Read a LinkedIn member data export (ZIP or folder) into canonical records, accounting for every row.

What is read: Profile.csv and Positions.csv (the exporting member), Connections.csv, Invitations.csv and
messages.csv, wherever they sit in the archive and whatever the case of their names. Every other file
is listed as ignored. Columns are matched by header name; unknown columns are reported. Each data row
is either accepted into a record or quarantined with its file, line and reason; the totals are in
`ExportData.report`. See docs/ingest.md.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath

from falsefriends.ingest.archive import ArchiveLimits, ExportError, open_export
from falsefriends.ingest.csv_table import CsvRow, CsvTable, column_key, read_table
from falsefriends.ingest.dates import DateError, parse_date, parse_datetime, parse_month
from falsefriends.ingest.html_text import html_to_text
from falsefriends.ingest.identity import Identity, folded_name, identify, normalise_profile_url
from falsefriends.model import (
    Account,
    Channel,
    Connection,
    Direction,
    IngestReport,
    Message,
    Position,
    QuarantinedRow,
)

__all__ = ["ArchiveLimits", "ExportData", "ExportError", "read_export"]

COLUMNS: dict[str, tuple[str, ...]] = {
    "profile.csv": (
        "First Name", "Last Name", "Maiden Name", "Address", "Birth Date", "Headline", "Summary", "Industry",
        "Zip Code", "Geo Location", "Twitter Handles", "Websites", "Instant Messengers",
    ),
    "positions.csv": ("Company Name", "Title", "Description", "Location", "Started On", "Finished On"),
    "connections.csv": ("First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"),
    "invitations.csv": ("From", "To", "Sent At", "Message", "Direction", "inviterProfileUrl", "inviteeProfileUrl"),
    "messages.csv": (
        "CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL", "TO", "RECIPIENT PROFILE URLS",
        "DATE", "SUBJECT", "CONTENT", "FOLDER", "ATTACHMENTS", "IS MESSAGE DRAFT", "IS CONVERSATION DRAFT",
    ),
}
"""The files read and the columns understood in each (matched by `column_key`)."""

_KNOWN = {name: {column_key(column): column for column in columns} for name, columns in COLUMNS.items()}
_SYSTEM_SENDERS = frozenset({"linkedin", "linkedin premium", "linkedin learning", "linkedin news", "linkedin jobs"})


@dataclass(frozen=True)
class ExportData:
    """Everything read from one member data export, plus the account of what was read."""

    source: str
    owner: Account
    connections: tuple[Connection, ...]
    invitations: tuple[Message, ...]
    messages: tuple[Message, ...]
    contacts: tuple[Account, ...]
    report: IngestReport
    identities: Mapping[str, Identity] = field(default_factory=dict)
    """How each account key (owner and contacts) was resolved, with its confidence."""


@dataclass
class _Sighting:
    """What one row told us about an account."""

    name: str = ""
    url: str | None = None
    employer: str = ""
    position: str = ""


@dataclass
class _Resolver:
    """Collects sightings of accounts in one export and joins those that are the same account."""

    identities: dict[str, Identity] = field(default_factory=dict)
    details: dict[str, _Sighting] = field(default_factory=dict)
    connected: dict[str, date] = field(default_factory=dict)
    """The export's connections (by key) with a known `Connected On`: the earliest."""
    invited: dict[str, date] = field(default_factory=dict)
    """The other party of each invitation row with a known `Sent At` (by key): the latest day."""

    def see(self, name: str = "", url: str = "", employer: str = "", position: str = "") -> str | None:
        identity = identify(name, url, employer, position)
        if identity is None:
            return None
        self.identities.setdefault(identity.key, identity)
        known = self.details.setdefault(identity.key, _Sighting())
        known.name = known.name or name.strip()
        if identity.method == "url":
            known.url = identity.key
        known.employer = known.employer or employer.strip()
        known.position = known.position or position.strip()
        return identity.key

    def aliases(self, owner_key: str) -> dict[str, str]:
        """Name-keyed sightings that join a better-known account of the same folded name in this export."""
        by_name: dict[str, set[str]] = {}
        for key, seen in self.details.items():
            if seen.name:
                by_name.setdefault(folded_name(seen.name), set()).add(key)
        result: dict[str, str] = {}
        for keys in by_name.values():
            if len(keys) < 2:
                continue
            by_url = [key for key in keys if self.identities[key].method == "url"]
            if owner_key in keys:
                targets = [owner_key]
            elif len(by_url) == 1:
                targets = by_url
            else:
                # No single URL: a bare name joins the one richer name key, if there is exactly one.
                richer = [key for key in keys if self.identities[key].method != "name"]
                targets = richer if len(richer) == 1 and not by_url else []
            if not targets:
                continue
            # Nobody sends a connection request to someone they are already connected with: when one sighting of
            # the name is a connection made before another sighting's invitation was sent, they are two people
            # (namesakes), and that invitation's sighting joins nobody by name alone.
            later = {key for key in keys if key in self.invited and key not in self.connected
                     and any(self.connected[other] < self.invited[key] for other in keys if other in self.connected)}
            for key in keys:
                if key == targets[0] or self.identities[key].method == "url":
                    continue
                if later and (key in later or targets[0] in later):
                    continue
                result[key] = targets[0]
        return result


@dataclass
class _Counts:
    """Row accounting across the files of one export."""

    member_prefix: str
    files: int = 0
    rows_read: int = 0
    accepted: int = 0
    quarantine: list[QuarantinedRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add_table(self, table: CsvTable) -> None:
        self.files += 1
        self.rows_read += table.rows_read
        self.quarantine.extend(
            row.model_copy(update={"file": f"{self.member_prefix}:{row.file}"}) for row in table.quarantine
        )
        self.notes.extend(f"{self.member_prefix}:{note}" for note in table.notes)
        if table.unknown_columns:
            listed = ", ".join(repr(name) for name in table.unknown_columns)
            self.notes.append(f"{self.member_prefix}:{table.member}: unknown columns ignored: {listed}")

    def reject(self, table: CsvTable, row: CsvRow, reason: str) -> None:
        from falsefriends.ingest.csv_table import bounded

        raw = ",".join(f"{name}={value}" for name, value in row.values.items() if value)
        self.quarantine.append(
            QuarantinedRow(file=f"{self.member_prefix}:{table.member}", line=row.line, reason=reason, raw=bounded(raw))
        )

    def report(self) -> IngestReport:
        return IngestReport(
            files=self.files,
            rows_read=self.rows_read,
            rows_accepted=self.accepted,
            rows_quarantined=len(self.quarantine),
            quarantine=tuple(self.quarantine),
            errors=tuple(self.notes),
        )


def _locate(names: Iterable[str]) -> tuple[dict[str, str], list[str], list[str]]:
    """Map each known file (lower-case base name) to its member; list ignored and duplicate members."""
    found: dict[str, str] = {}
    ignored: list[str] = []
    duplicates: list[str] = []
    for name in sorted(names, key=lambda n: (n.count("/"), n)):
        base = PurePosixPath(name).name.casefold()
        if base in COLUMNS:
            if base in found:
                duplicates.append(name)
            else:
                found[base] = name
        elif not PurePosixPath(name).name.startswith("."):
            ignored.append(name)
    return found, ignored, duplicates


def read_export(path: Path, *, limits: ArchiveLimits | None = None) -> ExportData:
    """Read one export; raises ExportError when the archive as a whole cannot be trusted or read."""
    try:
        return _read_export(path, limits or ArchiveLimits())
    except ExportError:
        raise
    except (Exception, RecursionError) as why:
        # Hostile input must not stop the run: whatever else goes wrong rejects this archive only.
        raise ExportError(f"{path}: could not be read ({type(why).__name__}: {str(why)[:200]})") from why


def _read_export(path: Path, limits: ArchiveLimits) -> ExportData:
    counts = _Counts(member_prefix=path.name or str(path))
    tables: dict[str, CsvTable] = {}
    with open_export(path, limits) as archive:
        found, ignored, duplicates = _locate(archive.names)
        if ignored:
            counts.notes.append(f"{counts.member_prefix}: files not read (not needed): {', '.join(ignored)}")
        if duplicates:
            counts.notes.append(
                f"{counts.member_prefix}: duplicate files not read (the shallowest one was): {', '.join(duplicates)}"
            )
        if not found:
            # Nothing to audit in it: a reported rejection, never an empty export that audits silently.
            archives = [name for name in ignored if name.lower().endswith(".zip")]
            hint = (f" (it holds {', '.join(archives[:3])}: an export zipped twice? give the inner archive)"
                    if archives else "")
            raise ExportError(f"{counts.member_prefix}: no LinkedIn export file found{hint}")
        for base, member in found.items():
            table = read_table(archive.read(member), member, _KNOWN[base], max_field_bytes=limits.max_field_bytes)
            tables[base] = table
            counts.add_table(table)
    return _build(str(path), tables, counts)


def _empty(name: str) -> CsvTable:
    return CsvTable(member=name)


def _build(source: str, tables: Mapping[str, CsvTable], counts: _Counts) -> ExportData:
    resolver = _Resolver()
    owner, owner_key = _owner(tables, counts, resolver, source)

    connections = _connections(tables.get("connections.csv") or _empty("Connections.csv"), counts, resolver)
    invitations = _invitations(tables.get("invitations.csv") or _empty("Invitations.csv"), counts, resolver, owner)
    messages = _messages(tables.get("messages.csv") or _empty("messages.csv"), counts, resolver, owner)

    aliases = resolver.aliases(owner_key)

    def final(key: str | None) -> str | None:
        return aliases.get(key, key) if key is not None else None

    # a dict, not a list: a membership test per contact on a list was quadratic (100,000 connections: minutes)
    contact_keys: dict[str, None] = {}
    for key in resolver.details:
        resolved = final(key)
        if resolved and resolved != owner_key:
            contact_keys.setdefault(resolved)
    merged: dict[str, _Sighting] = {key: _Sighting() for key in contact_keys}
    for key, seen in resolver.details.items():
        target = merged.get(final(key) or "")
        if target is None:
            continue
        target.name = target.name or seen.name
        target.url = target.url or seen.url
        target.employer = target.employer or seen.employer
        target.position = target.position or seen.position
    contacts = tuple(
        Account(key=key, name=seen.name, url=seen.url, employer=seen.employer, position=seen.position)
        for key, seen in merged.items()
    )
    by_key = {account.key: account for account in contacts}
    connection_records = tuple(
        Connection(owner=owner_key, contact=by_key[final(contact) or ""], connected_on=when)
        for contact, when in connections
        if final(contact) in by_key
    )
    identities = {key: resolver.identities[key] for key in [owner_key, *contact_keys] if key in resolver.identities}
    return ExportData(
        source=source,
        owner=owner,
        connections=connection_records,
        invitations=tuple(_finish(message, final, owner_key) for message in invitations),
        messages=tuple(_finish(message, final, owner_key) for message in messages),
        contacts=contacts,
        report=counts.report(),
        identities=identities,
    )


def _finish(message: Message, final: object, owner_key: str) -> Message:
    """Apply the export's identity joins to a message's sender and recipients."""
    assert callable(final)
    sender = final(message.sender)
    recipients = tuple(dict.fromkeys(key for key in (final(r) for r in message.recipients) if key))
    return message.model_copy(update={"sender": sender, "recipients": recipients})


def message_uid(*parts: str) -> str:
    """A stable message id: a hash of what the message is, the same in every export that holds it.

    Built from display names rather than account keys, so that an export without URL columns and one
    with them give the same id to the same message.
    """
    identity = "\x1f".join(parts)
    return hashlib.sha256(identity.encode("utf-8", "surrogatepass")).hexdigest()[:40]


def _stamp(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""


# -- the exporting member ------------------------------------------------------------------------------------


def _owner(
    tables: Mapping[str, CsvTable], counts: _Counts, resolver: _Resolver, source: str
) -> tuple[Account, str]:
    profile = tables.get("profile.csv")
    name = headline = about = location = ""
    handles: tuple[str, ...] = ()
    if profile is not None:
        for index, row in enumerate(profile.rows):
            if index:
                counts.reject(profile, row, "more than one profile row: the first one is the member")
                continue
            name = " ".join(part for part in (row.get("First Name"), row.get("Last Name")) if part)
            headline, about, location = row.get("Headline"), row.get("Summary"), row.get("Geo Location")
            handles = tuple(h.strip() for h in row.get("Twitter Handles").strip("[]").split(",") if h.strip())
            counts.accepted += 1
    positions = _positions(tables.get("positions.csv"), counts)
    current = next((p for p in positions if not p.finished), positions[0] if positions else None)
    url = _owner_url(tables)
    identity = identify(name, url or "", current.company if current else "", current.title if current else "")
    if identity is None:
        digest = hashlib.sha256(Path(source).name.encode("utf-8", "surrogatepass")).hexdigest()[:24]
        identity = Identity(key=f"export:{digest}", method="export", confidence=0.0)
    resolver.identities[identity.key] = identity
    resolver.details[identity.key] = _Sighting(name=name, url=identity.key if url else None)
    owner = Account(
        key=identity.key,
        name=name,
        headline=headline,
        employer=current.company if current else "",
        position=current.title if current else "",
        positions=tuple(positions),
        location=location,
        about=about,
        url=identity.key if identity.method == "url" else None,
        handles=handles,
    )
    return owner, identity.key


def _positions(table: CsvTable | None, counts: _Counts) -> list[Position]:
    if table is None:
        return []
    positions: list[Position] = []
    for row in table.rows:
        try:
            started = parse_month(row.get("Started On")) if row.get("Started On") else None
            finished = parse_month(row.get("Finished On")) if row.get("Finished On") else None
        except DateError as why:
            counts.reject(table, row, str(why))
            continue
        if not (row.get("Company Name") or row.get("Title")):
            counts.reject(table, row, "position without company or title")
            continue
        positions.append(
            Position(
                company=row.get("Company Name"), title=row.get("Title"), description=row.get("Description"),
                location=row.get("Location"), started=started, finished=finished,
            )
        )
        counts.accepted += 1
    return positions


def _owner_url(tables: Mapping[str, CsvTable]) -> str | None:
    """The member's own profile URL, which Profile.csv lacks: the side they are on in their invitations/messages.

    Only fields the platform sets are trusted here (invitation Direction, the SENT folder): a sender's
    display name is chosen by the sender, and an impostor using the member's name must not become them.
    """
    votes: Counter[str] = Counter()
    invitations = tables.get("invitations.csv")
    for row in invitations.rows if invitations else ():
        direction = row.get("Direction").upper()
        url = row.get("inviterProfileUrl") if direction == "OUTGOING" else row.get("inviteeProfileUrl")
        if direction in ("INCOMING", "OUTGOING") and url:
            normalised = normalise_profile_url(url)
            if normalised:
                votes[normalised] += 1
    messages = tables.get("messages.csv")
    for row in messages.rows if messages else ():
        if row.get("FOLDER").upper() == "SENT" and row.get("SENDER PROFILE URL"):
            normalised = normalise_profile_url(row.get("SENDER PROFILE URL"))
            if normalised:
                votes[normalised] += 1
    return votes.most_common(1)[0][0] if votes else None


# -- connections, invitations, messages ----------------------------------------------------------------------


def _connections(table: CsvTable, counts: _Counts, resolver: _Resolver) -> list[tuple[str, date | None]]:
    result: list[tuple[str, date | None]] = []
    for row in table.rows:
        name = " ".join(part for part in (row.get("First Name"), row.get("Last Name")) if part)
        url = row.get("URL")
        if url and normalise_profile_url(url) is None:
            counts.reject(table, row, f"URL is not a web address: {url[:80]!r}")
            continue
        try:
            when = parse_date(row.get("Connected On")) if row.get("Connected On") else None
        except DateError as why:
            counts.reject(table, row, str(why))
            continue
        key = resolver.see(name, url, row.get("Company"), row.get("Position"))
        if key is None:
            counts.reject(table, row, "connection without name or profile URL")
            continue
        if when is not None:
            resolver.connected[key] = min(when, resolver.connected.get(key, when))
        result.append((key, when))
        counts.accepted += 1
    return result


def _when(value: str) -> datetime | None:
    return parse_datetime(value) if value else None


def _invitations(table: CsvTable, counts: _Counts, resolver: _Resolver, owner: Account) -> list[Message]:
    result: list[Message] = []
    owner_name = folded_name(owner.name)
    for row in table.rows:
        raw_direction = row.get("Direction").upper()
        if raw_direction not in ("", "INCOMING", "OUTGOING"):
            counts.reject(table, row, f"unknown Direction {row.get('Direction')[:40]!r}")
            continue
        try:
            sent_at = _when(row.get("Sent At"))
        except DateError as why:
            counts.reject(table, row, str(why))
            continue
        if raw_direction:
            direction = Direction(raw_direction.lower())
        elif owner_name and folded_name(row.get("From")) == owner_name:
            direction = Direction.OUTGOING
        else:
            direction = Direction.INCOMING
        sender = resolver.see(row.get("From"), row.get("inviterProfileUrl"))
        recipient = resolver.see(row.get("To"), row.get("inviteeProfileUrl"))
        if sender is None and recipient is None:
            counts.reject(table, row, "invitation without sender or recipient")
            continue
        other = sender if direction is Direction.INCOMING else recipient
        if other is not None and sent_at is not None:
            resolver.invited[other] = max(sent_at.date(), resolver.invited.get(other, sent_at.date()))
        body = html_to_text(row.values.get("Message", "")).strip()
        uid = message_uid(
            Channel.INVITATION.value, _stamp(sent_at), folded_name(row.get("From")) or (sender or ""),
            folded_name(row.get("To")) or (recipient or ""), body,
        )
        result.append(
            Message(
                id=uid,
                body=body,
                sender=sender,
                recipients=(recipient,) if recipient else (),
                sent_at=sent_at,
                channel=Channel.INVITATION,
                sender_name=row.get("From"),
                direction=direction,
            )
        )
        counts.accepted += 1
    return result


def _split_recipients(names: str, urls: str) -> list[tuple[str, str]]:
    """Pair recipient names with their URLs; names are only trusted when the counts match."""
    url_list = [u for u in urls.replace(";", ",").replace(" ", ",").split(",") if u.strip()]
    if not url_list:
        return [(names, "")] if names else []
    if len(url_list) == 1:
        return [(names, url_list[0])]
    name_list = [n.strip() for n in names.split(",")]
    if len(name_list) == len(url_list):
        return list(zip(name_list, url_list, strict=True))
    return [("", url) for url in url_list]


def _channel(row: CsvRow) -> Channel:
    """Messages from the platform itself are `other` and sponsored ones `inmail`: kept, but marked."""
    sender_url = normalise_profile_url(row.get("SENDER PROFILE URL")) or ""
    labels = " ".join((row.get("CONVERSATION TITLE"), row.get("FOLDER"), row.get("SUBJECT"))).casefold()
    if "sponsored" in labels or "/company/" in sender_url or "/showcase/" in sender_url:
        return Channel.INMAIL
    if "inmail" in row.get("FOLDER").casefold():
        return Channel.INMAIL
    if folded_name(row.get("FROM")) in _SYSTEM_SENDERS and "/in/" not in sender_url:
        return Channel.OTHER
    return Channel.MESSAGE


def _messages(table: CsvTable, counts: _Counts, resolver: _Resolver, owner: Account) -> list[Message]:
    result: list[Message] = []
    owner_name = folded_name(owner.name)
    owner_url = owner.url
    for row in table.rows:
        if not (row.get("FROM") or row.get("SENDER PROFILE URL") or row.get("CONTENT") or row.get("SUBJECT")):
            counts.reject(table, row, "message without sender or content")
            continue
        try:
            sent_at = _when(row.get("DATE"))
        except DateError as why:
            counts.reject(table, row, str(why))
            continue
        sender = resolver.see(row.get("FROM"), row.get("SENDER PROFILE URL"))
        recipients = [
            key
            for name, url in _split_recipients(row.get("TO"), row.get("RECIPIENT PROFILE URLS"))
            if (key := resolver.see(name, url)) is not None
        ]
        outgoing = (
            row.get("FOLDER").upper() == "SENT"
            or (owner_url is not None and sender == owner_url)
            or (not owner_url and owner_name != "" and folded_name(row.get("FROM")) == owner_name)
        )
        body = html_to_text(row.values.get("CONTENT", "")).strip()
        subject = html_to_text(row.get("SUBJECT"))
        channel = _channel(row)
        uid = message_uid(
            channel.value, row.get("CONVERSATION ID"), _stamp(sent_at), folded_name(row.get("FROM")) or (sender or ""),
            subject, body,
        )
        result.append(
            Message(
                id=uid,
                body=body,
                subject=subject,
                sender=sender,
                recipients=tuple(recipients),
                sent_at=sent_at,
                channel=channel,
                conversation=row.get("CONVERSATION ID") or None,
                sender_name=row.get("FROM"),
                direction=Direction.OUTGOING if outgoing else Direction.INCOMING,
                folder=row.get("FOLDER") or None,
            )
        )
        counts.accepted += 1
    return result
