"""Audit data read back from the workspace database: every export ever ingested, not only this run's.

The workspace stores each message once, with one copy per export that holds it (whose export, which
direction for them, which folder), and each connection once per (owner, contact). Reading them back per
owner gives the same `StaffExport` shapes the parsed exports give, so the findings code does not care
where its data came from. Staff are taken from the roster given now; an exporting account no current
roster row claims becomes `unlisted-N`, as with parsed exports.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from falsefriends.audit.data import AuditData, StaffExport, StaffIndex, normalise_key
from falsefriends.model import (
    Account,
    Channel,
    Connection,
    Direction,
    IngestReport,
    Message,
    QuarantinedRow,
    StaffMember,
)
from falsefriends.store.tables import (
    AccountRow,
    ConnectionRow,
    IngestedFileRow,
    MessageCopyRow,
    MessageRow,
    QuarantineRow,
)

_ACCOUNT_COLUMNS = (AccountRow.id, AccountRow.key, AccountRow.name, AccountRow.headline, AccountRow.employer,
                    AccountRow.position, AccountRow.location, AccountRow.url)


def _account(row: Any) -> Account:
    return Account(key=row.key, name=row.name, headline=row.headline, employer=row.employer, position=row.position,
                   location=row.location, url=row.url)


def _channel(value: str) -> Channel:
    try:
        return Channel(value)
    except ValueError:
        return Channel.OTHER


def _direction(value: str | None) -> Direction | None:
    try:
        return Direction(value) if value else None
    except ValueError:
        return None


def _ingest_totals(session: Session, extra: Sequence[IngestReport]) -> IngestReport:
    files = session.scalars(select(IngestedFileRow).order_by(IngestedFileRow.id)).all()
    quarantine = [
        QuarantinedRow(file=q.member, line=q.line, reason=q.reason, raw=q.raw)
        for q in session.scalars(select(QuarantineRow).order_by(QuarantineRow.file_id, QuarantineRow.id))
    ]
    errors = [f"{f.path}: {f.error}" for f in files if f.error]
    for report in extra:
        quarantine.extend(report.quarantine)
        errors.extend(report.errors)
    return IngestReport(
        files=sum(f.files for f in files) + sum(r.files for r in extra),
        rows_read=sum(f.rows_read for f in files) + sum(r.rows_read for r in extra),
        rows_accepted=sum(f.rows_accepted for f in files) + sum(r.rows_accepted for r in extra),
        rows_quarantined=sum(f.rows_quarantined for f in files) + sum(r.rows_quarantined for r in extra),
        quarantine=tuple(quarantine), errors=tuple(errors),
    )


def load_audit_data(session: Session, staff: Sequence[StaffMember], extra: Sequence[IngestReport] = ()
                    ) -> AuditData:
    """Everything the workspace holds, per exporting owner, matched to the roster `staff`.

    `extra` are reports of what this run read outside the workspace (the roster, rejected archives).
    """
    # plain rows, not ORM objects: a workspace holding one export of 100,000 connections has as many accounts
    accounts = {row.id: row for row in session.execute(select(*_ACCOUNT_COLUMNS))}
    owners: dict[int, str] = {}  # owner account id -> a source path, for every export ingested
    for file_row in session.scalars(select(IngestedFileRow).where(IngestedFileRow.owner_id.is_not(None))
                                    .order_by(IngestedFileRow.id)):
        if file_row.owner_id is not None:
            owners[file_row.owner_id] = file_row.path
    messages_of: dict[int, list[Message]] = defaultdict(list)
    senders_of: dict[int, set[int]] = defaultdict(set)
    copies = session.execute(select(MessageCopyRow, MessageRow).join(MessageRow,
                                                                      MessageCopyRow.message_id == MessageRow.id))
    for copy, row in copies:
        sender = accounts.get(row.sender_id) if row.sender_id is not None else None
        if sender is not None and row.sender_id != copy.owner_id:
            senders_of[copy.owner_id].add(sender.id)
        messages_of[copy.owner_id].append(Message(
            id=row.uid, body=row.body, subject=row.subject, sender=sender.key if sender else None,
            recipients=tuple(row.recipient_keys or ()), sent_at=row.sent_at, channel=_channel(row.channel),
            conversation=row.conversation, sender_name=row.sender_name, direction=_direction(copy.direction),
            folder=copy.folder,
        ))
    connections_of: dict[int, list[Connection]] = defaultdict(list)
    built: dict[int, Account] = {}
    for link in session.execute(select(ConnectionRow.owner_id, ConnectionRow.contact_id, ConnectionRow.connected_on)):
        contact_row, owner_row = accounts.get(link.contact_id), accounts.get(link.owner_id)
        if contact_row is None or owner_row is None:
            continue
        contact = built.get(link.contact_id)
        if contact is None:
            contact = built[link.contact_id] = _account(contact_row)
        connections_of[link.owner_id].append(
            Connection(owner=owner_row.key, contact=contact, connected_on=link.connected_on))

    index = StaffIndex(staff)
    members = list(staff)
    seen_ids = {m.staff_id for m in members}
    views: list[StaffExport] = []
    unlisted = 0
    for owner_id, source in owners.items():
        owner_account = _account(accounts[owner_id])
        member = index.match_source(source, owner_account)
        if member is None:
            unlisted += 1
            while f"unlisted-{unlisted}" in seen_ids:
                unlisted += 1
            member = StaffMember(staff_id=f"unlisted-{unlisted}", name=owner_account.name,
                                 profile_url=owner_account.url, export_file=source)
            members.append(member)
            seen_ids.add(member.staff_id)
        contacts: dict[str, Account] = {}
        for sender_id in senders_of.get(owner_id, ()):
            sender_account = _account(accounts[sender_id])
            key = normalise_key(sender_account.key)
            if key:
                contacts[key] = sender_account
        for connection in connections_of.get(owner_id, ()):
            key = normalise_key(connection.contact.key)
            if key:
                contacts[key] = connection.contact
        views.append(StaffExport(
            staff_id=member.staff_id, source=source, owner_key=normalise_key(owner_account.key),
            connections=tuple(connections_of.get(owner_id, ())), messages=tuple(messages_of.get(owner_id, ())),
            contacts=contacts,
        ))
    return AuditData(staff=tuple(members), exports=tuple(views), ingest=_ingest_totals(session, extra))

