"""The watchlist page's forms: add or edit an entry with its provenance, import a file, remove an entry.

The same library steps as the /v1/watchlist routes (`Entry` validation, `repository.save_entries`,
`formats.parse_watchlist`, `repository.delete_entry`); every change is logged and makes the next check use
the new list. Entries are the analyst's own words about adversary-named things: everything is escaped.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile as StarletteUpload

from falsefriends.api.auditlog import record
from falsefriends.api.auth import DbSession, client_of, verify_csrf
from falsefriends.api.errors import ServiceError
from falsefriends.watchlist.entries import Entry, EntryKind, IdentifierKind, Status

router = APIRouter(include_in_schema=False)
MAX_IMPORT_BYTES = 50_000_000
_SLUG = re.compile(r"[^a-z0-9]+")


def _list(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,\n]", text) if part.strip()]


def _identifiers(text: str) -> list[dict[str, str]]:
    """`kind: value` lines (url: https://..., handle: @x, domain: x.example...)."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        kind, sep, value = line.partition(":")
        if not sep or kind.strip() not in {k.value for k in IdentifierKind}:
            kinds = ", ".join(k.value for k in IdentifierKind)
            raise ValueError(f"identifiers line {number}: write 'kind: value' with kind one of {kinds}")
        found.append({"kind": kind.strip(), "value": value.strip()})
    return found


def entry_from_form(form: dict[str, str], analyst: str) -> Entry:
    """An entry from the add/edit form; ValueError in plain words when it is not one."""
    kind = form.get("kind", "")
    name = form.get("name", "").strip()
    entry_id = form.get("id", "").strip() or (f"ws-{kind}-" + _SLUG.sub("-", name.casefold()).strip("-"))[:128]
    front = form.get("front", "")
    data: dict[str, Any] = {
        "id": entry_id, "kind": kind, "name": name, "aliases": _list(form.get("aliases", "")),
        "employer": form.get("employer", ""), "role": form.get("role", ""), "note": form.get("note", ""),
        "identifiers": _identifiers(form.get("identifiers", "")),
        # "front" for an organisation: a front (True) or a real institution personas claimed (False);
        # for a persona, whether its claimed employer is a front (unknown when not said).
        "front": front != "institution",
        "employer_is_front": {"front": True, "institution": False}.get(front) if kind == "persona" else None,
        "provenance": [{"source": form.get("source", "").strip() or f"analyst {analyst}",
                        "status": form.get("status", Status.ANALYST.value),
                        "date": form.get("date", "").strip() or None, "urls": _list(form.get("urls", "")),
                        "note": form.get("provenance_note", "")}],
    }
    try:
        return Entry.model_validate(data)
    except ValidationError as exc:
        details = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:5])
        raise ValueError(f"not a watchlist entry: {details}") from None


def form_of_entry(entry: Entry) -> dict[str, str]:
    """The add/edit form filled with an entry (its first source as the provenance)."""
    source = entry.provenance[0]
    front = "institution" if (entry.kind is EntryKind.ORGANISATION and not entry.front) or \
        entry.employer_is_front is False else "front" if entry.employer_is_front or entry.kind is \
        EntryKind.ORGANISATION else ""
    return {"id": entry.id, "kind": entry.kind.value, "name": entry.name, "aliases": ", ".join(entry.aliases),
            "employer": entry.employer, "role": entry.role, "note": entry.note, "front": front,
            "identifiers": "\n".join(f"{i.kind.value}: {i.value}" for i in entry.identifiers),
            "source": source.source, "status": source.status.value, "date": source.date or "",
            "urls": ", ".join(source.urls), "provenance_note": source.note}


def _analyst(request: Request, session: Session) -> Any:
    from falsefriends.web.analyst_pages import _analyst as analyst_context

    return analyst_context(request, session)


@router.post("/watchlist", response_class=HTMLResponse)
async def watchlist_save(request: Request, session: Session = DbSession) -> Response:
    ctx = _analyst(request, session)
    if isinstance(ctx, Response):
        return ctx
    await verify_csrf(request, ctx.principal)
    from falsefriends.watchlist.repository import save_entries
    from falsefriends.web.analyst_pages import watchlist_page
    from falsefriends.web.pages import form_of

    form = await form_of(request)
    try:
        entry = entry_from_form(form, ctx.principal.name)
    except ValueError as exc:
        return watchlist_page(request, ctx, session, status=422, error=str(exc), form=form)
    _, replaced = save_entries(session, [entry], origin=f"web by {ctx.principal.name}")
    record(session, ctx.principal.name, "watchlist.add", entry.id, client_of(request), replaced=bool(replaced))
    request.app.state.checkers.invalidate()
    return RedirectResponse(f"/watchlist?saved={entry.id}", status_code=303)


@router.post("/watchlist/import", response_class=HTMLResponse)
async def watchlist_import(request: Request, session: Session = DbSession) -> Response:
    ctx = _analyst(request, session)
    if isinstance(ctx, Response):
        return ctx
    await verify_csrf(request, ctx.principal)
    from falsefriends.watchlist.formats import READ_FORMATS, parse_watchlist
    from falsefriends.watchlist.formats.defaults import ImportDefaults
    from falsefriends.watchlist.formats.errors import WatchlistFormatError
    from falsefriends.watchlist.repository import save_entries
    from falsefriends.web.analyst_pages import watchlist_page

    form = await request.form(max_files=1, max_fields=10)
    upload, chosen = form.get("file"), str(form.get("format", ""))
    source = str(form.get("source", "")).strip()[:200] or f"import by {ctx.principal.name}"
    if not isinstance(upload, StarletteUpload):
        return watchlist_page(request, ctx, session, status=422, error="choose the file to import")
    if chosen not in READ_FORMATS:
        return watchlist_page(request, ctx, session, status=422,
                              error=f"choose the file's format: {', '.join(READ_FORMATS)}")
    raw = await upload.read(MAX_IMPORT_BYTES + 1)
    if len(raw) > MAX_IMPORT_BYTES:
        raise ServiceError(413, "too_large", "the file is larger than the import limit")
    try:
        imported = parse_watchlist(raw.decode("utf-8", errors="replace"), chosen, "<upload>",
                                   ImportDefaults(source=source, status=Status.ANALYST))
    except WatchlistFormatError as exc:
        return watchlist_page(request, ctx, session, status=422, error=f"not imported: {exc}")
    added, replaced = save_entries(session, imported.entries, origin=f"import by {ctx.principal.name}")
    record(session, ctx.principal.name, "watchlist.import", chosen, client_of(request), added=added,
           replaced=replaced)
    request.app.state.checkers.invalidate()
    return RedirectResponse(f"/watchlist?imported={added}&replaced={replaced}", status_code=303)


@router.post("/watchlist/delete", response_class=HTMLResponse)
async def watchlist_delete(request: Request, session: Session = DbSession) -> Response:
    ctx = _analyst(request, session)
    if isinstance(ctx, Response):
        return ctx
    await verify_csrf(request, ctx.principal)
    from falsefriends.watchlist.repository import delete_entry
    from falsefriends.web.pages import form_of

    entry_id = (await form_of(request)).get("id", "")[:128]
    if not delete_entry(session, entry_id):
        raise ServiceError(404, "not_found", "no such workspace entry (bundled entries cannot be removed)")
    record(session, ctx.principal.name, "watchlist.delete", entry_id, client_of(request))
    request.app.state.checkers.invalidate()
    return RedirectResponse("/watchlist", status_code=303)


def choices() -> dict[str, list[str]]:
    """The form's fixed choices."""
    return {"kinds": [k.value for k in EntryKind], "statuses": [s.value for s in Status],
            "identifier_kinds": [k.value for k in IdentifierKind]}

