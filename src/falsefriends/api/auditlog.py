"""The append-only audit log: logins, views of staff data and every change, with who and when.

Rows are only ever inserted; migration 0003 adds database triggers that refuse UPDATE and DELETE.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from falsefriends.api.tables import AuditLogRow
from falsefriends.api.users import now


def record(session: Session, actor: str | None, action: str, target: str = "", client: str = "",
           **detail: Any) -> None:
    """Append one event (in the caller's transaction, so a change and its log entry commit together)."""
    session.add(AuditLogRow(at=now(), actor=actor, action=action, target=target[:2000], detail=detail,
                            client=client[:64]))


def recent(session: Session, limit: int = 200, action: str | None = None) -> list[AuditLogRow]:
    query = select(AuditLogRow).order_by(AuditLogRow.id.desc()).limit(limit)
    if action:
        query = query.where(AuditLogRow.action == action)
    return list(session.scalars(query))
