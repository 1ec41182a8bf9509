"""Store parsed exports in the workspace: idempotent upserts, one transaction per export file.

`ingest_export` writes one `ExportData` into the caller's transaction; `ingest_exports` gives each export
its own transaction, so an interrupted run leaves every export either fully stored or not at all.
Re-ingesting the same export changes nothing: rows are found by their natural keys (account key,
(owner, contact), message uid, (message, owner), file SHA-256) before anything is inserted.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar, cast

from sqlalchemy import CursorResult, Engine, Insert, Table, bindparam, delete, insert, select, tuple_, update
from sqlalchemy.orm import Session

from falsefriends.ingest.identity import Identity, describe_key, linked_method, name_match
from falsefriends.model import Account, Connection, IngestReport, Message, StaffMember
from falsefriends.store.db import Base, write_scope
from falsefriends.store.tables import (
    AccountAliasRow,
    AccountRow,
    ConnectionRow,
    IngestedFileRow,
    MessageCopyRow,
    MessageRecipientRow,
    MessageRow,
    QuarantineRow,
    StaffRow,
)
from falsefriends.text import fold_plain

_CHUNK = 500  # keys per IN (...) query: well under every backend's parameter limit
T = TypeVar("T")


class ExportLike(Protocol):
    """What is stored of a parsed export (`falsefriends.ingest.linkedin_export.ExportData`)."""

    @property
    def source(self) -> str: ...
    @property
    def owner(self) -> Account: ...
    @property
    def connections(self) -> tuple[Connection, ...]: ...
    @property
    def invitations(self) -> tuple[Message, ...]: ...
    @property
    def messages(self) -> tuple[Message, ...]: ...
    @property
    def contacts(self) -> tuple[Account, ...]: ...
    @property
    def report(self) -> IngestReport: ...


@dataclass(frozen=True)
class StoredExport:
    """What one `ingest_export` call changed: the file row and how many rows were new."""

    file_id: int
    sha256: str
    new_accounts: int
    new_connections: int
    new_messages: int
    new_copies: int


def _table(model: type[Base]) -> Table:
    """The Core table of a model: bulk inserts through Core skip the ORM's per-row bookkeeping."""
    return cast(Table, model.__table__)


def _chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def export_sha256(path: Path) -> str:
    """SHA-256 of an export: of the ZIP's bytes, or of a folder's (relative path, content) pairs."""
    digest = hashlib.sha256()
    if path.is_dir():
        for entry in sorted(p for p in path.rglob("*") if p.is_file() and not p.is_symlink()):
            digest.update(entry.relative_to(path).as_posix().encode("utf-8", "surrogateescape") + b"\0")
            digest.update(hashlib.sha256(entry.read_bytes()).digest())
    else:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def _content_sha256(export: ExportLike) -> str:
    """A stand-in file hash when the export's file is gone: a hash of what was read from it."""
    digest = hashlib.sha256(export.owner.model_dump_json().encode())
    for record in (*export.connections, *export.invitations, *export.messages):
        digest.update(record.model_dump_json().encode())
    return digest.hexdigest()


def ingest_export(
    session: Session,
    export: ExportLike,
    staff: StaffMember | None = None,
    *,
    sha256: str | None = None,
    identities: dict[str, Identity] | None = None,
) -> StoredExport:
    """Store one parsed export (idempotently) in the session's current transaction; the caller commits."""
    source = Path(export.source)
    if sha256 is None:
        sha256 = export_sha256(source) if source.exists() else _content_sha256(export)
    identities = identities if identities is not None else dict(getattr(export, "identities", {}) or {})

    owner = export.owner
    owner_key = owner.key or f"export:{sha256[:24]}"
    remap: dict[str, str] = {}
    if staff is not None and staff.profile_url and owner.url is None and owner_key != staff.profile_url:
        # The roster knows the member's URL when an older export does not: it is the better key.
        remap[owner_key] = staff.profile_url
        owner_key = staff.profile_url
        identities[owner_key] = Identity(owner_key, "url", 1.0)

    remap.update(_aliases(session, _name_keys(export)))

    def key_of(key: str | None) -> str | None:
        return remap.get(key, key) if key is not None else None

    # Name-only sightings of accounts the workspace (or this export) knows by URL join them before insert.
    links = _links_before_insert(session, _collect_accounts(export, owner_key, key_of), owner_key)
    remap.update({key: link.key for key, link in links.items()})

    staff_row_id = _upsert_staff(session, staff) if staff is not None else None
    accounts = _collect_accounts(export, owner_key, key_of)
    new_accounts = _upsert_accounts(session, accounts, identities, staff_key=owner_key if staff else None)
    ids = _account_ids(session, list(accounts))
    if links:
        session.execute(
            insert(_table(AccountAliasRow)),
            [{"key": key, "account_id": ids[link.key], "method": link.method[:64], "confidence": link.confidence}
             for key, link in links.items()],
        )
    owner_id = ids[owner_key]
    if staff_row_id is not None:
        session.execute(update(_table(StaffRow)).where(StaffRow.id == staff_row_id).values(account_id=owner_id))

    file_id = _upsert_file(session, export, sha256, owner_id, staff_row_id)
    new_connections = _upsert_connections(session, export.connections, owner_id, ids, key_of, file_id)
    messages = [*export.invitations, *export.messages]
    new_messages, new_copies = _upsert_messages(session, messages, owner_id, staff_row_id, ids, key_of, file_id)
    # Name-only sightings join an account known by URL as soon as both are in the workspace.
    link_identities(session, {fold_plain(account.name)[:300] for account in accounts.values() if account.name})
    session.flush()
    return StoredExport(file_id, sha256, new_accounts, new_connections, new_messages, new_copies)


def ingest_exports(
    engine: Engine, items: Iterable[tuple[ExportLike, StaffMember | None]], *, link: bool = True
) -> list[StoredExport]:
    """Store each export in its own transaction: an interruption keeps the exports stored before it.

    With `link`, name-only accounts are then joined to the accounts known by URL (`link_identities`).
    """
    stored: list[StoredExport] = []
    for export, staff in items:
        with write_scope(engine) as session:
            stored.append(ingest_export(session, export, staff))
    if link:
        with write_scope(engine) as session:
            link_identities(session)
    return stored


def _name_keys(export: ExportLike) -> list[str]:
    keys = {account.key for account in export.contacts if account.key}
    keys.update(c.contact.key for c in export.connections if c.contact.key)
    for message in (*export.invitations, *export.messages):
        keys.update(key for key in (message.sender, *message.recipients) if key)
    # keys by URL (nearly all of a large export's) are not name-based: skip describe_key for them
    return sorted(key for key in keys if not key.startswith("https://") and describe_key(key).method.startswith("name"))


def _aliases(session: Session, keys: Sequence[str]) -> dict[str, str]:
    """Name-based keys already joined to a URL account: key -> that account's key."""
    found: dict[str, str] = {}
    for chunk in _chunks(keys):
        query = (
            select(AccountAliasRow.key, AccountRow.key)
            .join(AccountRow, AccountRow.id == AccountAliasRow.account_id)
            .where(AccountAliasRow.key.in_(chunk))
        )
        found.update({alias: target for alias, target in session.execute(query)})
    return found


def _links_before_insert(session: Session, accounts: dict[str, Account], owner_key: str) -> dict[str, Identity]:
    """Name-based keys of this export that denote one account known by URL, in the workspace or in this export."""
    named = {
        key: account
        for key, account in accounts.items()
        if key != owner_key and not key.startswith("https://") and describe_key(key).method.startswith("name")
    }
    if not named:
        return {}
    names = sorted({fold_plain(account.name)[:300] for account in named.values() if account.name})
    by_name: dict[str, dict[str, str]] = {}
    for key, account in accounts.items():
        if account.name and key.startswith("https://"):  # describe_key(key).method == "url"
            by_name.setdefault(fold_plain(account.name)[:300], {})[key] = account.employer
    for chunk in _chunks(names):
        query = select(AccountRow.key, AccountRow.folded_name, AccountRow.employer).where(
            AccountRow.folded_name.in_(chunk), AccountRow.key_method == "url"
        )
        for row in session.execute(query):
            known = by_name.setdefault(row.folded_name, {})
            known[row.key] = known.get(row.key) or row.employer
    links: dict[str, Identity] = {}
    for key, account in named.items():
        candidates = by_name.get(fold_plain(account.name)[:300])
        target = name_match(account.name, account.employer, candidates.items()) if candidates else None
        if target:
            method = describe_key(key)
            links[key] = Identity(target, linked_method(method.method), method.confidence)
    return links


def link_identities(session: Session, names: Iterable[str] | None = None) -> int:
    """Join every name-only account to the one account of the same folded name known by URL, if there is one.

    The name-based account's connections, messages and copies move to the URL account, its key becomes
    an alias (with the method and confidence of the name match), and it is removed. An employer known
    on both sides must agree; a name shared by several URL accounts joins none. `names` (folded) limits
    the pass to those names, as `ingest_export` does for the names it has just seen. Returns how many joined.
    """
    query = select(
        AccountRow.id, AccountRow.key, AccountRow.name, AccountRow.folded_name, AccountRow.employer,
        AccountRow.key_method, AccountRow.confidence,
    ).where(AccountRow.key_method.like("name%"), AccountRow.is_staff.is_(False))
    if names is None:
        named = session.execute(query).all()
    else:
        named = []
        for chunk in _chunks(sorted({name for name in names if name})):
            named.extend(session.execute(query.where(AccountRow.folded_name.in_(chunk))).all())
    if not named:
        return 0
    names = sorted({row.folded_name for row in named if row.folded_name})
    by_name: dict[str, list[tuple[str, str, int]]] = {}
    for chunk in _chunks(names):
        for url_row in session.execute(
            select(AccountRow.id, AccountRow.key, AccountRow.folded_name, AccountRow.employer).where(
                AccountRow.folded_name.in_(chunk), AccountRow.key_method == "url"
            )
        ):
            by_name.setdefault(url_row.folded_name, []).append((url_row.key, url_row.employer, url_row.id))
    moves: dict[int, int] = {}
    aliases: list[dict[str, Any]] = []
    for row in named:
        candidates = by_name.get(row.folded_name, [])
        target = name_match(row.name, row.employer, [(key, employer) for key, employer, _ in candidates])
        if target is None:
            continue
        moves[row.id] = next(account_id for key, _, account_id in candidates if key == target)
        aliases.append(
            {"key": row.key, "account_id": moves[row.id], "method": linked_method(row.key_method)[:64],
             "confidence": row.confidence}
        )
    if moves:
        _merge_accounts(session, moves)
        session.execute(insert(_table(AccountAliasRow)), aliases)
        session.flush()
    return len(moves)


def _merge_accounts(session: Session, moves: dict[int, int]) -> None:
    """Move every reference from each account `old` to `moves[old]`, then delete the old accounts (in bulk)."""
    old_ids = sorted(moves)
    _repoint_pairs(session, ConnectionRow, "contact_id", "owner_id", moves)
    _repoint_pairs(session, ConnectionRow, "owner_id", "contact_id", moves)
    _repoint_pairs(session, MessageRecipientRow, "account_id", "message_id", moves)
    _repoint_pairs(session, MessageCopyRow, "owner_id", "message_id", moves)
    for model, column in (
        (MessageRow, "sender_id"), (StaffRow, "account_id"), (IngestedFileRow, "owner_id"),
        (AccountAliasRow, "account_id"),
    ):
        _repoint(session, model, column, moves)
    table = _table(AccountRow)
    filled = [table.c[name] for name in _FILLED]
    values: dict[int, Any] = {}
    for chunk in _chunks(sorted({*old_ids, *moves.values()})):
        query = select(table.c.id, *filled).where(table.c.id.in_(chunk))
        values.update({row.id: row for row in session.execute(query)})
    fills: dict[int, dict[str, Any]] = {}
    for old, new in moves.items():
        # Later (URL) knowledge wins; the name account only fills blanks.
        for name in _FILLED:
            mine, theirs = getattr(values[old], name), fills.get(new, {}).get(name) or getattr(values[new], name)
            if mine and not theirs:
                fills.setdefault(new, {})[name] = mine
    for account_id, change in fills.items():
        session.execute(update(table).where(table.c.id == account_id).values(**change))
    for chunk in _chunks(old_ids):
        session.execute(delete(table).where(table.c.id.in_(chunk)))


def _repoint(session: Session, model: type[Base], column: str, moves: dict[int, int]) -> None:
    table = _table(model)
    rows: list[tuple[int, int]] = []
    for chunk in _chunks(sorted(moves)):
        rows.extend((row.id, row.ref) for row in session.execute(
            select(table.c.id, table.c[column].label("ref")).where(table.c[column].in_(chunk))))
    if rows:
        session.execute(
            update(table).where(table.c.id == bindparam("row_id")).values({column: bindparam("new_ref")}),
            [{"row_id": row_id, "new_ref": moves[ref]} for row_id, ref in rows],
        )


def _repoint_pairs(session: Session, model: type[Base], column: str, other: str, moves: dict[int, int]) -> None:
    """Point `column` from old to new accounts where (column, other) stays unique; drop rows that would clash."""
    table = _table(model)
    affected: list[tuple[int, int, int]] = []
    for chunk in _chunks(sorted(moves)):
        affected.extend((row.id, row.ref, row.other) for row in session.execute(
            select(table.c.id, table.c[column].label("ref"), table.c[other].label("other")).where(
                table.c[column].in_(chunk))))
    if not affected:
        return
    targets = sorted({moves[ref] for _, ref, _ in affected})
    taken: set[tuple[int, int]] = set()
    for chunk in _chunks(targets):
        taken.update((row.ref, row.other) for row in session.execute(
            select(table.c[column].label("ref"), table.c[other].label("other")).where(table.c[column].in_(chunk))))
    drop: list[int] = []
    change: list[dict[str, int]] = []
    for row_id, ref, other_id in affected:
        pair = (moves[ref], other_id)
        if pair in taken:
            drop.append(row_id)
        else:
            taken.add(pair)
            change.append({"row_id": row_id, "new_ref": moves[ref]})
    for chunk in _chunks(drop):
        session.execute(delete(table).where(table.c.id.in_(chunk)))
    if change:
        session.execute(
            update(table).where(table.c.id == bindparam("row_id")).values({column: bindparam("new_ref")}), change
        )


def record_rejected(session: Session, path: Path, error: str) -> int:
    """Record an export that was rejected whole (ExportError), so the workspace lists it with its reason."""
    # Keyed by path, not content: a rejected export may be a bomb or a huge folder, not worth reading again.
    sha256 = hashlib.sha256(f"rejected:{path}".encode("utf-8", "surrogateescape")).hexdigest()
    row = session.scalars(select(IngestedFileRow).where(IngestedFileRow.sha256 == sha256)).one_or_none()
    if row is None:
        row = IngestedFileRow(path=str(path), sha256=sha256, ingested_at=datetime.now(UTC), error=error)
        session.add(row)
    else:
        row.path, row.ingested_at, row.error = str(path), datetime.now(UTC), error
    session.flush()
    return row.id


# -- pieces ----------------------------------------------------------------------------------------------------


def _insert_one(session: Session, statement: Insert) -> int:
    """Insert one row and return its id (no RETURNING: SQLite before 3.35 lacks it)."""
    result = cast(CursorResult[Any], session.execute(statement))
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _upsert_staff(session: Session, staff: StaffMember) -> int:
    table = _table(StaffRow)
    values = {
        "name": staff.name,
        "department": staff.department,
        "sector": staff.sector.value if staff.sector else None,
        "profile_url": staff.profile_url,
        "export_file": staff.export_file,
    }
    found = session.execute(select(table.c.id).where(table.c.staff_id == staff.staff_id)).scalar_one_or_none()
    if found is None:
        return _insert_one(session, insert(table).values(staff_id=staff.staff_id, **values))
    session.execute(update(table).where(table.c.id == found).values(**values))
    return int(found)


def _collect_accounts(export: ExportLike, owner_key: str, key_of: Any) -> dict[str, Account]:
    accounts: dict[str, Account] = {owner_key: export.owner.model_copy(update={"key": owner_key})}
    for contact in export.contacts:
        key = key_of(contact.key)
        if key and key not in accounts:
            accounts[key] = contact
    for connection in export.connections:
        key = key_of(connection.contact.key)
        if key and key not in accounts:
            accounts[key] = connection.contact
    for message in (*export.invitations, *export.messages):
        for key in (key_of(message.sender), *(key_of(r) for r in message.recipients)):
            if key and key not in accounts:
                name = message.sender_name if key == key_of(message.sender) else ""
                accounts[key] = Account(key=key, name=name, url=key if key.startswith("https://") else None)
    return accounts


def _account_ids(session: Session, keys: Sequence[str]) -> dict[str, int]:
    ids: dict[str, int] = {}
    for chunk in _chunks(keys):
        ids.update({key: id_ for key, id_ in session.execute(select(AccountRow.key, AccountRow.id).where(
            AccountRow.key.in_(chunk)))})
    return ids


_FILLED = ("name", "headline", "employer", "position", "location")


def _upsert_accounts(
    session: Session, accounts: dict[str, Account], identities: dict[str, Identity], staff_key: str | None
) -> int:
    table = _table(AccountRow)
    columns = [table.c.id, table.c.key, table.c.url, table.c.is_staff, *(table.c[name] for name in _FILLED)]
    existing: dict[str, Any] = {}
    for chunk in _chunks(list(accounts)):
        existing.update((row.key, row) for row in session.execute(select(*columns).where(table.c.key.in_(chunk))))
    new: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for key, account in accounts.items():
        row = existing.get(key)
        if row is not None:
            # Later exports fill what earlier ones lacked; they never overwrite what is known.
            change = {
                name: getattr(account, name) for name in _FILLED if not getattr(row, name) and getattr(account, name)
            }
            if "name" in change:
                change["folded_name"] = fold_plain(change["name"])[:300]
            if row.url is None and account.url:
                change["url"] = account.url
            if key == staff_key and not row.is_staff:
                change["is_staff"] = True
            if change:
                updates.append({"row_id": row.id, "change": change})
            continue
        identity = identities.get(key) or describe_key(key)
        new.append(
            {
                "key": key,
                "url": account.url if account.url else (key if identity.method == "url" else None),
                "name": account.name,
                "headline": account.headline,
                "employer": account.employer,
                "position": account.position,
                "location": account.location,
                "key_method": identity.method[:32],
                "confidence": identity.confidence,
                "is_staff": key == staff_key,
                "folded_name": fold_plain(account.name)[:300],
            }
        )
    for item in updates:
        session.execute(update(table).where(table.c.id == item["row_id"]).values(**item["change"]))
    if new:
        session.execute(insert(table), new)
    return len(new)


def _upsert_file(session: Session, export: ExportLike, sha256: str, owner_id: int, staff_id: int | None) -> int:
    table = _table(IngestedFileRow)
    report = export.report
    values = {
        "path": export.source,
        "ingested_at": datetime.now(UTC),
        "owner_id": owner_id,
        "staff_id": staff_id,
        "files": report.files,
        "rows_read": report.rows_read,
        "rows_accepted": report.rows_accepted,
        "rows_quarantined": report.rows_quarantined,
        "error": None,
    }
    found = session.execute(select(table.c.id).where(table.c.sha256 == sha256)).scalar_one_or_none()
    if found is None:
        file_id = _insert_one(session, insert(table).values(sha256=sha256, **values))
    else:
        file_id = int(found)
        session.execute(update(table).where(table.c.id == file_id).values(**values))
        session.execute(delete(_table(QuarantineRow)).where(QuarantineRow.file_id == file_id))
    if report.quarantine:
        session.execute(
            insert(_table(QuarantineRow)),
            [
                {"file_id": file_id, "member": q.file, "line": q.line, "reason": q.reason, "raw": q.raw}
                for q in report.quarantine
            ],
        )
    return file_id


def _upsert_connections(
    session: Session,
    connections: Sequence[Connection],
    owner_id: int,
    ids: dict[str, int],
    key_of: Any,
    file_id: int,
) -> int:
    existing = {
        contact_id: id_
        for contact_id, id_ in session.execute(
            select(ConnectionRow.contact_id, ConnectionRow.id).where(ConnectionRow.owner_id == owner_id)
        )
    }
    new: dict[int, dict[str, Any]] = {}
    for connection in connections:
        contact_id = ids.get(key_of(connection.contact.key) or "")
        if contact_id is None or contact_id == owner_id or contact_id in existing or contact_id in new:
            continue
        new[contact_id] = {
            "owner_id": owner_id, "contact_id": contact_id, "connected_on": connection.connected_on, "file_id": file_id,
        }
    if new:
        session.execute(insert(_table(ConnectionRow)), list(new.values()))
    return len(new)


def _upsert_messages(
    session: Session,
    messages: Sequence[Message],
    owner_id: int,
    staff_id: int | None,
    ids: dict[str, int],
    key_of: Any,
    file_id: int,
) -> tuple[int, int]:
    by_uid: dict[str, Message] = {}
    for message in messages:
        by_uid.setdefault(message.id, message)
    uids = list(by_uid)
    known: dict[str, int] = {}
    for chunk in _chunks(uids):
        known.update({uid: id_ for uid, id_ in session.execute(
            select(MessageRow.uid, MessageRow.id).where(MessageRow.uid.in_(chunk)))})
    new_rows = []
    for uid, message in by_uid.items():
        if uid in known:
            continue
        sender = key_of(message.sender)
        recipients = [key for key in (key_of(r) for r in message.recipients) if key]
        new_rows.append(
            {
                "uid": uid,
                "channel": message.channel.value,
                "conversation": message.conversation,
                "subject": message.subject,
                "body": message.body,
                "sender_id": ids.get(sender) if sender else None,
                "sender_name": message.sender_name,
                "recipient_keys": recipients,
                "sent_at": message.sent_at,
            }
        )
    if new_rows:
        session.execute(insert(_table(MessageRow)), new_rows)
        for new_uids in _chunks([str(row["uid"]) for row in new_rows]):
            known.update({uid: id_ for uid, id_ in session.execute(
                select(MessageRow.uid, MessageRow.id).where(MessageRow.uid.in_(new_uids)))})

    # Recipients: a message seen again from another export may name recipients the first copy lacked.
    wanted: set[tuple[int, int]] = set()
    for uid, message in by_uid.items():
        for key in message.recipients:
            account_id = ids.get(key_of(key) or "")
            if account_id is not None:
                wanted.add((known[uid], account_id))
    present: set[tuple[int, int]] = set()
    pairs = sorted(wanted)
    for pair_chunk in _chunks(pairs):
        present.update(
            (message_id, account_id)
            for message_id, account_id in session.execute(
                select(MessageRecipientRow.message_id, MessageRecipientRow.account_id).where(
                    tuple_(MessageRecipientRow.message_id, MessageRecipientRow.account_id).in_(pair_chunk)
                )
            )
        )
    missing = [{"message_id": m, "account_id": a} for m, a in pairs if (m, a) not in present]
    if missing:
        session.execute(insert(_table(MessageRecipientRow)), missing)

    copies = set(
        session.execute(select(MessageCopyRow.message_id).where(MessageCopyRow.owner_id == owner_id)).scalars()
    )
    new_copies = [
        {
            "message_id": known[uid],
            "owner_id": owner_id,
            "staff_id": staff_id,
            "direction": message.direction.value if message.direction else None,
            "folder": message.folder,
            "file_id": file_id,
        }
        for uid, message in by_uid.items()
        if known[uid] not in copies
    ]
    if new_copies:
        session.execute(insert(_table(MessageCopyRow)), new_copies)
    return len(new_rows), len(new_copies)
