"""List pages: staff (analysts), users and the audit log (admins). Sortable, filterable, paged, CSV export.

Each page reads what the /v1 API reads (the latest audit's findings, `users.list_users`, `auditlog.recent`)
and every read of staff data or of the log is itself logged.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from falsefriends.api.auditlog import recent, record
from falsefriends.api.auth import DbSession, client_of, verify_csrf
from falsefriends.api.roles import Role
from falsefriends.api.runs import latest_run
from falsefriends.api.users import UserError, add_user, list_users
from falsefriends.web.pages import form_of, need
from falsefriends.web.rendering import PageContext, login_redirect, page_context, render
from falsefriends.web.tables import Column, csv_response, filtered, level_order, table

router = APIRouter(include_in_schema=False)
LOG_ROWS = 5000


def _with_role(request: Request, session: Session, role: Role) -> PageContext | Response:
    ctx = page_context(request, session)
    if ctx.principal is None:
        return login_redirect(request)
    need(ctx, role)
    return ctx


STAFF_COLUMNS = (
    Column("staff_id", "Staff id"), Column("name", "Name"), Column("department", "Department"),
    Column("sector", "Sector"), Column("level", "Exposure level", order=level_order),
    Column("exposure", "Exposure", numeric=True),
    Column("stage", "Furthest step"), Column("flagged_count", "Flagged contacts", numeric=True),
    Column("approached_count", "Approached by", numeric=True),
)


def _staff_rows(findings: dict[str, Any]) -> list[dict[str, Any]]:
    return [{**m, "flagged_count": len(m.get("flagged", ())), "approached_count": len(m.get("approached_by", ())),
             "department": m.get("department") or "(no department)", "sector": m.get("sector") or "unknown"}
            for m in findings.get("staff", [])]


@router.get("/staff", response_class=HTMLResponse)
async def staff_page(request: Request, q: str = "", level: str = "", department: str = "", sort: str = "",
                     dir: str = "", page: int = 0, format: str = "", session: Session = DbSession) -> Response:
    ctx = _with_role(request, session, Role.ANALYST)
    if isinstance(ctx, Response):
        return ctx
    assert ctx.principal is not None
    run = latest_run(session)
    findings = (run.findings or {}) if run is not None else {}
    everyone = _staff_rows(findings)
    rows = filtered(everyone, STAFF_COLUMNS, q, {"level": level, "department": department})
    record(session, ctx.principal.name, "view.staff", f"run {run.id}" if run else "", client_of(request),
           rows=len(rows), export=format == "csv")
    if format == "csv":
        return csv_response(rows, STAFF_COLUMNS, "staff.csv")
    t = table("/staff", rows, STAFF_COLUMNS, sort=sort, direction=dir, page=page, default_sort="exposure",
              default_desc=True, params={"q": q, "level": level, "department": department})
    departments = sorted({str(r["department"]) for r in everyone})
    return render(request, "staff.html", ctx, run=run, t=t, q=q, level=level, department=department,
                  departments=departments)


USER_COLUMNS = (Column("name", "Name"), Column("role", "Role"), Column("state", "State"),
                Column("created_at", "Created (UTC)"))


@router.get("/users", response_class=HTMLResponse)
async def users_page(request: Request, q: str = "", role: str = "", sort: str = "", dir: str = "", page: int = 0,
                     format: str = "", session: Session = DbSession) -> Response:
    ctx = _with_role(request, session, Role.ADMIN)
    if isinstance(ctx, Response):
        return ctx
    return _users(request, ctx, session, q=q, role=role, sort=sort, direction=dir, page=page, format=format)


def _users(request: Request, ctx: PageContext, session: Session, *, q: str = "", role: str = "", sort: str = "",
           direction: str = "", page: int = 0, format: str = "", status: int = 200, error: str | None = None,
           form: dict[str, str] | None = None) -> Response:
    everyone = [{"name": u.name, "role": u.role, "state": "disabled" if u.disabled else "active",
                 "created_at": u.created_at.strftime("%Y-%m-%d %H:%M") if u.created_at else ""}
                for u in list_users(session)]
    rows = filtered(everyone, USER_COLUMNS, q, {"role": role})
    if format == "csv":
        return csv_response(rows, USER_COLUMNS, "users.csv")
    t = table("/users", rows, USER_COLUMNS, sort=sort, direction=direction, page=page, default_sort="name",
              params={"q": q, "role": role})
    return render(request, "users.html", ctx, status=status, t=t, q=q, role=role, roles=[r.value for r in Role],
                  error=error, form=form or {})


@router.post("/users", response_class=HTMLResponse)
async def users_add(request: Request, session: Session = DbSession) -> Response:
    ctx = _with_role(request, session, Role.ADMIN)
    if isinstance(ctx, Response):
        return ctx
    await verify_csrf(request, ctx.principal)
    assert ctx.principal is not None
    form = await form_of(request)
    name, password = form.get("name", "").strip()[:64], form.get("password", "")
    try:
        role = Role(form.get("role", ""))
    except ValueError:
        return _users(request, ctx, session, status=422, error="Choose a role: " + ", ".join(r.value for r in Role),
                      form=form)
    if password and not 10 <= len(password) <= 1024:
        return _users(request, ctx, session, status=422, error="A password has 10 to 1024 characters.", form=form)
    try:
        row = add_user(session, name, role, password or None)
    except UserError as exc:
        return _users(request, ctx, session, status=409 if "exists" in str(exc) else 422, error=str(exc), form=form)
    record(session, ctx.principal.name, "user.add", row.name, client_of(request), role=row.role)
    return RedirectResponse("/users", status_code=303)


LOG_COLUMNS = (Column("at", "When (UTC)"), Column("actor", "Who"), Column("action", "Action"),
               Column("target", "Target"), Column("client", "From"), Column("detail", "Detail"))


@router.get("/audit-log", response_class=HTMLResponse)
async def audit_log_page(request: Request, q: str = "", action: str = "", actor: str = "", sort: str = "",
                         dir: str = "", page: int = 0, format: str = "", session: Session = DbSession) -> Response:
    ctx = _with_role(request, session, Role.ADMIN)
    if isinstance(ctx, Response):
        return ctx
    assert ctx.principal is not None
    events = recent(session, LOG_ROWS)
    everyone = [{"id": e.id, "at": e.at.strftime("%Y-%m-%d %H:%M:%S"), "actor": e.actor or "(anonymous)",
                 "action": e.action, "target": e.target, "client": e.client,
                 "detail": json.dumps(e.detail, ensure_ascii=False, sort_keys=True) if e.detail else ""}
                for e in events]
    rows = filtered(everyone, LOG_COLUMNS, q, {"action": action, "actor": actor})
    record(session, ctx.principal.name, "view.audit-log", action or "", client_of(request), export=format == "csv")
    if format == "csv":
        return csv_response(rows, LOG_COLUMNS, "audit-log.csv")
    t = table("/audit-log", rows, LOG_COLUMNS, sort=sort, direction=dir, page=page, default_sort="at",
              default_desc=True, params={"q": q, "action": action, "actor": actor})
    actions = sorted({str(r["action"]) for r in everyone})
    actors = sorted({str(r["actor"]) for r in everyone})
    return render(request, "audit_log.html", ctx, t=t, q=q, action=action, actor=actor, actions=actions,
                  actors=actors, capped=len(events) >= LOG_ROWS)

