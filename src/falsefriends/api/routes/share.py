"""Sharing: the latest audit's personas and campaigns as STIX 2.1 or MISP (analysts), and imports of shared
bundles and events into the workspace watchlist (admins). Thin over `falsefriends.share` (docs/sharing.md)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from falsefriends.api.auditlog import record
from falsefriends.api.auth import DbSession, client_of, require_user
from falsefriends.api.errors import ERROR_RESPONSES, ServiceError, not_found
from falsefriends.api.roles import Role
from falsefriends.api.routes.check import read_body
from falsefriends.api.routes.findings import latest_findings
from falsefriends.api.users import Principal

router = APIRouter(prefix="/v1/share", tags=["sharing"], responses=ERROR_RESPONSES)

MAX_IMPORT_BYTES = 50_000_000
_LEVEL = Query(default="high", pattern="^(high|medium)$", description="high, or medium (medium and high)")
_TLP = Query(default="amber", pattern="^(clear|green|amber|amber\\+strict|red)$", description="the TLP marking")
_CAMPAIGN = Query(default=None, max_length=200, description="only this campaign's personas")
_ACCOUNT = Query(default=None, max_length=2000, description="only this account (its key)")
_PRODUCER = Query(default="falsefriends workspace", min_length=1, max_length=200,
                  description="the organisation name the receiver sees")


def _export(fmt: str, request: Request, session: Session, principal: Principal, level: str, tlp: str,
            campaign: str | None, account: str | None, producer: str) -> Response:
    from falsefriends.share.select import ShareError, ShareNotFound
    from falsefriends.share.service import MEDIA_TYPES, export_document

    run, findings = latest_findings(session)
    try:
        text = export_document(findings, fmt, level=level, campaign=campaign, account=account, tlp=tlp,
                               producer=producer)
    except ShareNotFound as exc:
        raise not_found(str(exc)) from None
    except ShareError as exc:
        raise ServiceError(422, "invalid_request", str(exc)) from None
    record(session, principal.name, f"share.export.{fmt}", str(run.id), client_of(request), level=level, tlp=tlp,
           campaign=campaign, account=account)
    name = f"falsefriends-{fmt}-run{run.id}.json"
    disposition = f'attachment; filename="{name}"'
    return Response(text, media_type=MEDIA_TYPES[fmt], headers={"Content-Disposition": disposition})


@router.get("/stix", summary="The latest audit's personas and campaigns as a STIX 2.1 bundle (staff as counts)",
            responses={200: {"content": {"application/stix+json;version=2.1": {}}}})
async def share_stix(request: Request, level: str = _LEVEL, tlp: str = _TLP, campaign: str | None = _CAMPAIGN,
                     account: str | None = _ACCOUNT, producer: str = _PRODUCER,
                     principal: Principal = Depends(require_user(Role.ANALYST)),
                     session: Session = DbSession) -> Response:
    return _export("stix", request, session, principal, level, tlp, campaign, account, producer)


@router.get("/misp", summary="The latest audit's personas and campaigns as a MISP event (staff as counts)",
            responses={200: {"content": {"application/json": {}}}})
async def share_misp(request: Request, level: str = _LEVEL, tlp: str = _TLP, campaign: str | None = _CAMPAIGN,
                     account: str | None = _ACCOUNT, producer: str = _PRODUCER,
                     principal: Principal = Depends(require_user(Role.ANALYST)),
                     session: Session = DbSession) -> Response:
    return _export("misp", request, session, principal, level, tlp, campaign, account, producer)


@router.post("/import", summary="Import a STIX 2.1 bundle or a MISP event (body: the JSON) into the watchlist",
             openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                 "schema": {"type": "object"}}}}})
async def share_import(request: Request, principal: Principal = Depends(require_user(Role.ADMIN)),
                       session: Session = DbSession) -> dict[str, Any]:
    from falsefriends.share.importer import parse_shared
    from falsefriends.share.service import save_imported
    from falsefriends.watchlist.formats.errors import WatchlistFormatError

    raw = await read_body(request, MAX_IMPORT_BYTES)
    try:
        result = parse_shared(raw.decode("utf-8", errors="replace"), "<upload>")
    except (WatchlistFormatError, RecursionError) as exc:
        raise ServiceError(422, "invalid_request", str(exc)[:2000]) from None
    added, replaced = save_imported(session, result, origin=f"share import by {principal.name}")
    kinds = {k: sum(e.kind.value == k for e in result.entries) for k in ("persona", "organisation", "account")}
    record(session, principal.name, "share.import", "upload", client_of(request), added=added, replaced=replaced,
           **kinds)
    request.app.state.checkers.invalidate()
    return {"added": added, "replaced": replaced, **kinds, "templates": len(result.templates)}
