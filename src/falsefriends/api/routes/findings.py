"""Audits and their findings: upload exports + roster (the audit runs in the background), import a
findings.json, follow a run's progress, and read the latest findings: summary, accounts, campaigns, staff.

Staff data is personal: reading it needs the analyst role and every read is written to the audit log.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, Query, Request
from fastapi import Path as ApiPath
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile as StarletteUpload

from falsefriends.api.auditlog import record
from falsefriends.api.auth import DbSession, client_of, require_user
from falsefriends.api.cases import CaseKind, dismissed_subjects, has_new_evidence
from falsefriends.api.errors import ERROR_RESPONSES, ServiceError, not_found
from falsefriends.api.roles import Role
from falsefriends.api.routes.check import read_body
from falsefriends.api.runs import FindingsError, import_findings, latest_run, list_runs, new_run, submit_run
from falsefriends.api.schemas import AuditRunOut, Page
from falsefriends.api.tables import AuditRunRow
from falsefriends.api.users import Principal

router = APIRouter(prefix="/v1", tags=["audits"], responses=ERROR_RESPONSES)

MAX_FINDINGS_BYTES = 200_000_000
MAX_ID = 2**31 - 1
RowId = Annotated[int, ApiPath(ge=1, le=MAX_ID, description="a row id")]
"""A row id in a path: bounded, since a bigger number cannot be a row on any backend."""
_NAME_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")


def run_out(row: AuditRunRow) -> AuditRunOut:
    return AuditRunOut(id=row.id, created_at=row.created_at, created_by=row.created_by, source=row.source,
                       state=row.state, progress=row.progress, stage=row.stage, error=row.error,
                       finished_at=row.finished_at)


def latest_findings(session: Session) -> tuple[AuditRunRow, dict[str, Any]]:
    run = latest_run(session)
    if run is None or run.findings is None:
        raise not_found("no audit has finished yet: upload exports (POST /v1/audits) or import a findings.json")
    return run, run.findings


def _safe_name(name: str) -> str:
    """A file name that cannot escape its folder (the client chooses the original name)."""
    base = "".join(c if c in _NAME_SAFE else "_" for c in Path(name or "").name)[:100].lstrip(".")
    return base or "upload"


async def save_upload(upload: StarletteUpload, folder: Path, index: int, budget: list[int]) -> Path:
    """Save one uploaded file as `<folder>/<index>/<its name>`: the name stays the client's (the roster's
    export_file matches it, as in `falsefriends audit`) and two uploads of one name do not collide."""
    target = folder / f"{index:03d}" / _safe_name(upload.filename or "")
    target.parent.mkdir()
    with target.open("wb") as out:
        while chunk := await upload.read(1024 * 1024):
            budget[0] -= len(chunk)
            if budget[0] < 0:
                raise ServiceError(413, "too_large", "the upload is larger than the configured limit")
            out.write(chunk)
    return target


async def save_audit_uploads(settings: Any, exports: Sequence[StarletteUpload], roster: StarletteUpload
                             ) -> tuple[Path, list[Path], Path]:
    """Save the export ZIPs and the roster in a new folder under the upload directory, within the size limit.

    Returns the folder, the saved exports and the saved roster; the folder is removed if any upload fails.
    """
    root = settings.upload_dir or Path(tempfile.gettempdir()) / "falsefriends-uploads"
    root.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="run-", dir=root))
    budget = [settings.max_upload_bytes]
    try:
        saved = [await save_upload(upload, folder, i, budget) for i, upload in enumerate(exports)]
        roster_path = await save_upload(roster, folder, len(saved), budget)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder, saved, roster_path


_UPLOAD_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["exports", "roster"], "properties": {
        "exports": {"type": "array", "items": {"type": "string", "format": "binary"},
                    "description": "LinkedIn data export ZIPs, one per staff member"},
        "roster": {"type": "string", "format": "binary", "description": "the staff roster CSV"},
        "campaigns": {"type": "boolean", "default": True,
                      "description": "correlate accounts into campaigns (on unless false, 0, off or no)"}}}}}}}


async def read_upload_form(request: Request) -> tuple[list[StarletteUpload], StarletteUpload, bool]:
    """The exports, the roster and the campaigns switch of an upload form, read only after the caller's role
    was checked (a route's File() parameters would be read before its dependencies run)."""
    form = await request.form(max_files=10_000, max_fields=100)
    exports = [f for f in form.getlist("exports") if isinstance(f, StarletteUpload) and f.filename]
    roster = form.get("roster")
    if not exports or not isinstance(roster, StarletteUpload) or not roster.filename:
        raise ServiceError(422, "invalid_request", "send the export ZIPs as `exports` and the roster CSV as `roster`")
    return exports, roster, campaigns_switch(form.getlist("campaigns"))


def campaigns_switch(values: Sequence[object]) -> bool:
    """Campaign correlation is on unless the form's last `campaigns` value says off (false, 0, off, no): the web
    form sends a hidden `off` before its checkbox, so an unticked box turns it off and a ticked one on."""
    if not values:
        return True
    return str(values[-1]).strip().lower() not in ("0", "false", "off", "no")


@router.post("/audits", response_model=AuditRunOut, status_code=202, summary="Upload exports and a roster; audit",
             openapi_extra=_UPLOAD_BODY)
async def upload_audit(
    request: Request,
    background: BackgroundTasks,
    principal: Principal = Depends(require_user(Role.ANALYST)),
    session: Session = DbSession,
) -> AuditRunOut:
    """Start an audit in the background; poll `GET /v1/audits/{id}` for its progress."""
    exports, roster, campaigns = await read_upload_form(request)
    folder, saved, roster_path = await save_audit_uploads(request.app.state.settings, exports, roster)
    run = new_run(session, principal.name, "upload")
    record(session, principal.name, "audit.upload", str(run.id), client_of(request), exports=len(saved))
    # Queued after the response, when the request's transaction (the run's row) is committed.
    background.add_task(submit_run, request.app.state.executor, request.app.state.engine, run.id, saved,
                        roster_path, folder, request.app.state.checkers.get(), campaigns)
    return run_out(run)


@router.post("/audits/import", response_model=AuditRunOut, status_code=201, summary="Import a findings.json",
             openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                 "schema": {"$ref": "#/components/schemas/Findings"}}}}})
async def import_audit(request: Request, principal: Principal = Depends(require_user(Role.ANALYST)),
                       session: Session = DbSession) -> AuditRunOut:
    """Store the findings.json written by `falsefriends audit` as a finished run."""
    raw = await read_body(request, MAX_FINDINGS_BYTES)
    try:
        run = import_findings(session, principal.name, raw)
    except FindingsError as exc:
        raise ServiceError(422, "invalid_request", f"not a findings.json document: {exc}") from None
    record(session, principal.name, "audit.import", str(run.id), client_of(request))
    return run_out(run)


@router.get("/audits", response_model=list[AuditRunOut], summary="List audit runs, newest first")
async def audits(principal: Principal = Depends(require_user(Role.ANALYST)),
                 session: Session = DbSession) -> list[AuditRunOut]:
    return [run_out(r) for r in list_runs(session)]


@router.get("/audits/{run_id}", response_model=AuditRunOut, summary="One audit run and its progress")
async def audit(run_id: RowId, principal: Principal = Depends(require_user(Role.ANALYST)),
                session: Session = DbSession) -> AuditRunOut:
    row = session.get(AuditRunRow, run_id)
    if row is None:
        raise not_found(f"no audit run {run_id}")
    return run_out(row)


@router.get("/summary", summary="Headline figures of the latest audit (aggregates only)")
async def summary(principal: Principal = Depends(require_user(Role.VIEWER)),
                  session: Session = DbSession) -> dict[str, Any]:
    run, findings = latest_findings(session)
    return {"run": run.id, "generated_at": findings.get("generated_at"), "summary": findings.get("summary", {}),
            "departments": findings.get("departments", []), "sectors": findings.get("sectors", []),
            "timeline": findings.get("timeline", []), "campaigns": len(findings.get("campaigns", []))}


def accounts_view(session: Session, findings: dict[str, Any], level: str | None, q: str | None,
                  include_dismissed: bool) -> list[dict[str, Any]]:
    """The latest audit's accounts, with their case state; dismissed ones hidden unless they bring news."""
    dismissed = dismissed_subjects(session, CaseKind.ACCOUNT)
    needle = q.casefold() if q else None
    out = []
    for account in findings.get("accounts", []):
        case = dismissed.get(account.get("account", ""))
        hidden = case is not None and not has_new_evidence(case, account)
        if hidden and not include_dismissed:
            continue
        if level and account.get("level") != level:
            continue
        if needle and needle not in " ".join(str(account.get(k) or "") for k in
                                             ("account", "name", "headline", "employer")).casefold():
            continue
        out.append({**account, "dismissed": hidden})
    return out


@router.get("/accounts", response_model=Page, summary="Outside accounts of the latest audit, riskiest first")
async def accounts(
    level: str | None = Query(default=None, pattern="^(low|medium|high)$"),
    q: str | None = Query(default=None, max_length=200, description="text to find in key, name, headline, employer"),
    include_dismissed: bool = Query(default=False, description="also list accounts whose case was dismissed"),
    limit: int = Query(default=100, ge=1, le=1000),
    offset: int = Query(default=0, ge=0),
    principal: Principal = Depends(require_user(Role.ANALYST)),
    session: Session = DbSession,
) -> Page:
    _, findings = latest_findings(session)
    items = accounts_view(session, findings, level, q, include_dismissed)
    return Page(total=len(items), items=items[offset:offset + limit])


@router.get("/accounts/{key:path}", summary="One outside account: evidence, approaches, who it reached")
async def account(key: str, request: Request, principal: Principal = Depends(require_user(Role.ANALYST)),
                  session: Session = DbSession) -> dict[str, Any]:
    _, findings = latest_findings(session)
    found = next((a for a in findings.get("accounts", []) if a.get("account") == key), None)
    if found is None:
        raise not_found(f"no account {key!r} in the latest audit")
    record(session, principal.name, "view.account", key, client_of(request))
    return found


@router.get("/campaigns", response_model=Page, summary="Campaigns of the latest audit")
async def campaigns(principal: Principal = Depends(require_user(Role.ANALYST)),
                    session: Session = DbSession) -> Page:
    _, findings = latest_findings(session)
    items = list(findings.get("campaigns", []))
    return Page(total=len(items), items=items)


@router.get("/campaigns/{campaign_id}", summary="One campaign: accounts, templates, targeted staff, evidence")
async def campaign(campaign_id: str, principal: Principal = Depends(require_user(Role.ANALYST)),
                   session: Session = DbSession) -> dict[str, Any]:
    _, findings = latest_findings(session)
    found = next((c for c in findings.get("campaigns", []) if c.get("id") == campaign_id), None)
    if found is None:
        raise not_found(f"no campaign {campaign_id!r} in the latest audit")
    return dict(found)


@router.get("/staff", response_model=Page, summary="Staff exposure (personal data: logged)")
async def staff(
    request: Request,
    level: str | None = Query(default=None, pattern="^(low|medium|high)$"),
    department: str | None = Query(default=None, max_length=200),
    principal: Principal = Depends(require_user(Role.ANALYST)),
    session: Session = DbSession,
) -> Page:
    _, findings = latest_findings(session)
    items = [s for s in findings.get("staff", [])
             if (level is None or s.get("level") == level)
             and (department is None or s.get("department") == department)]
    record(session, principal.name, "view.staff", "list", client_of(request), level=level, department=department,
           rows=len(items))
    return Page(total=len(items), items=items)


@router.get("/staff/{staff_id}", summary="One staff member's exposure and advice (personal data: logged)")
async def staff_member(staff_id: str, request: Request, principal: Principal = Depends(require_user(Role.ANALYST)),
                       session: Session = DbSession) -> dict[str, Any]:
    _, findings = latest_findings(session)
    found = next((s for s in findings.get("staff", []) if s.get("staff_id") == staff_id), None)
    if found is None:
        raise not_found(f"no staff member {staff_id!r} in the latest audit")
    record(session, principal.name, "view.staff", staff_id, client_of(request))
    return dict(found)


@router.get("/findings", summary="The whole findings.json of the latest audit (personal data: logged)")
async def findings_document(request: Request, principal: Principal = Depends(require_user(Role.ANALYST)),
                            session: Session = DbSession) -> dict[str, Any]:
    run, findings = latest_findings(session)
    record(session, principal.name, "view.findings", str(run.id), client_of(request))
    return findings
