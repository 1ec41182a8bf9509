"""The watchlist: list, add, import (YAML, CSV, FollowTheMoney, STIX), export, delete.

Entries live in the workspace (`falsefriends.watchlist.repository`); the bundled public-reporting list is
merged in when listing and checking. Every change is logged and makes the next check use the new list.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from falsefriends.api.auditlog import record
from falsefriends.api.auth import DbSession, client_of, require_user
from falsefriends.api.errors import ERROR_RESPONSES, ServiceError, not_found
from falsefriends.api.roles import Role
from falsefriends.api.routes.check import read_body
from falsefriends.api.schemas import Page
from falsefriends.api.users import Principal
from falsefriends.watchlist.entries import Entry, Provenance, Status, Watchlist
from falsefriends.watchlist.formats import READ_FORMATS, WRITE_FORMATS, parse_watchlist, write_watchlist
from falsefriends.watchlist.formats.defaults import ImportDefaults
from falsefriends.watchlist.formats.errors import WatchlistFormatError
from falsefriends.watchlist.repository import delete_entry, save_entries, stored_watchlist

router = APIRouter(prefix="/v1", tags=["watchlist"], responses=ERROR_RESPONSES)

MAX_IMPORT_BYTES = 50_000_000
_MEDIA = {"yaml": "application/yaml", "csv": "text/csv", "ftm": "application/x-ndjson"}


def _current(session: Session, bundled: bool) -> Watchlist:
    from falsefriends.watchlist.bundled import bundled_watchlist

    stored = stored_watchlist(session)
    return bundled_watchlist().merged(stored) if bundled else stored


@router.get("/watchlist", response_model=Page, summary="Watchlist entries (workspace, plus the bundled list)")
async def list_watchlist(
    bundled: bool = Query(default=True, description="include the bundled public-reporting list"),
    q: str | None = Query(default=None, max_length=200),
    limit: int = Query(default=200, ge=1, le=5000),
    offset: int = Query(default=0, ge=0),
    principal: Principal = Depends(require_user(Role.ANALYST)),
    session: Session = DbSession,
) -> Page:
    entries = _current(session, bundled).entries
    if q:
        needle = q.casefold()
        entries = tuple(e for e in entries if any(needle in n.casefold() for n in (e.id, *e.names)))
    items = [e.model_dump(mode="json") for e in entries]
    return Page(total=len(items), items=items[offset:offset + limit])


@router.post("/watchlist", status_code=201, summary="Add or replace one entry (analyst provenance by default)")
async def add_entry(body: dict[str, Any], request: Request, principal: Principal = Depends(require_user(Role.ANALYST)),
                    session: Session = DbSession) -> dict[str, Any]:
    data = dict(body)
    if not data.get("provenance"):
        data["provenance"] = [Provenance(source=f"analyst {principal.name}", status=Status.ANALYST)
                              .model_dump(mode="json")]
    try:
        entry = Entry.model_validate(data)
    except ValidationError as exc:
        details = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:5])
        raise ServiceError(422, "invalid_request", f"not a watchlist entry: {details}") from None
    _, replaced = save_entries(session, [entry], origin=f"api by {principal.name}")
    record(session, principal.name, "watchlist.add", entry.id, client_of(request), replaced=bool(replaced))
    request.app.state.checkers.invalidate()
    return entry.model_dump(mode="json")


@router.post("/watchlist/import", summary="Import a watchlist file (body: the file's text)")
async def import_watchlist(
    request: Request,
    format: str = Query(..., pattern="^(" + "|".join(READ_FORMATS) + ")$"),
    source: str = Query(default="import", max_length=200, description="provenance for entries that carry none"),
    principal: Principal = Depends(require_user(Role.ANALYST)),
    session: Session = DbSession,
) -> dict[str, int]:
    raw = await read_body(request, MAX_IMPORT_BYTES)
    text = raw.decode("utf-8", errors="replace")
    try:
        imported = parse_watchlist(text, format, "<upload>", ImportDefaults(source=source, status=Status.ANALYST))
    except WatchlistFormatError as exc:
        raise ServiceError(422, "invalid_request", str(exc)) from None
    added, replaced = save_entries(session, imported.entries, origin=f"import by {principal.name}")
    record(session, principal.name, "watchlist.import", format, client_of(request), added=added, replaced=replaced)
    request.app.state.checkers.invalidate()
    return {"added": added, "replaced": replaced}


@router.get("/watchlist/export", summary="Export the watchlist (yaml, csv or ftm)",
            responses={200: {"content": {m: {} for m in _MEDIA.values()}}})
async def export_watchlist(
    request: Request,
    format: str = Query(default="yaml", pattern="^(" + "|".join(WRITE_FORMATS) + ")$"),
    bundled: bool = Query(default=False, description="include the bundled list"),
    principal: Principal = Depends(require_user(Role.ANALYST)),
    session: Session = DbSession,
) -> Response:
    text = write_watchlist(_current(session, bundled), format)
    record(session, principal.name, "watchlist.export", format, client_of(request))
    return Response(text, media_type=_MEDIA[format],
                    headers={"Content-Disposition": f'attachment; filename="watchlist.{format}"'})


@router.delete("/watchlist/{entry_id}", status_code=204, summary="Remove a workspace entry")
async def remove_entry(entry_id: str, request: Request, principal: Principal = Depends(require_user(Role.ANALYST)),
                       session: Session = DbSession) -> Response:
    if not delete_entry(session, entry_id):
        raise not_found(f"no workspace watchlist entry {entry_id!r} (bundled entries cannot be deleted)")
    record(session, principal.name, "watchlist.delete", entry_id, client_of(request))
    request.app.state.checkers.invalidate()
    return Response(status_code=204)
