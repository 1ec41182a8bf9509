"""Analyst pages: dashboard, accounts, campaigns, cases board and case actions, watchlist, audits."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from falsefriends.api.auditlog import record
from falsefriends.api.auth import DbSession, client_of, verify_csrf
from falsefriends.api.cases import (
    CaseError,
    CaseKind,
    CaseState,
    add_note,
    assign,
    change_state,
    events,
    get_case,
    link_evidence,
    list_cases,
    open_case,
    watchlist_feed,
)
from falsefriends.api.errors import ServiceError
from falsefriends.api.roles import Role
from falsefriends.api.routes.findings import RowId, accounts_view
from falsefriends.api.runs import latest_run, list_runs, new_run, submit_run
from falsefriends.api.tables import AuditRunRow
from falsefriends.api.users import UserError, get_user, list_users
from falsefriends.web.charts import bars, campaign_graph
from falsefriends.web.pages import form_of, need
from falsefriends.web.rendering import PageContext, login_redirect, page_context, render
from falsefriends.web.tables import Column, csv_response, filtered, level_order, table

router = APIRouter(include_in_schema=False)


def _analyst(request: Request, session: Session) -> PageContext | Response:
    ctx = page_context(request, session)
    if ctx.principal is None:
        return login_redirect(request)
    need(ctx, Role.ANALYST)
    return ctx


def _findings(session: Session) -> tuple[AuditRunRow | None, dict[str, Any]]:
    run = latest_run(session)
    return run, (run.findings or {}) if run is not None else {}


@router.get("/dashboard", response_class=HTMLResponse)
async def dashboard(request: Request, session: Session = DbSession) -> Response:
    ctx = _analyst(request, session)
    if isinstance(ctx, Response):
        return ctx
    run, findings = _findings(session)
    summary = findings.get("summary", {})
    departments = [(d.get("group", ""), int(d.get("approached", 0)), int(d.get("approached_flagged", 0)))
                   for d in findings.get("departments", [])]
    timeline = [(m.get("month", ""), int(m.get("approaches", 0)), int(m.get("flagged", 0)))
                for m in findings.get("timeline", [])]
    open_cases = {s.value: len(list_cases(session, s)) for s in CaseState}
    # bars leave room in the 700-unit chart for their label (180 or 90 units) and the value after them (~130)
    return render(request, "dashboard.html", ctx, run=run, summary=summary, departments=bars(departments, 380.0),
                  timeline=bars(timeline[-24:], 470.0), campaigns=len(findings.get("campaigns", [])),
                  cases=open_cases)


ACCOUNT_COLUMNS = (
    Column("level", "Level", order=level_order), Column("score", "Score", numeric=True), Column("name", "Name"),
    Column("headline", "Headline / employer"), Column("employer", "Employer"), Column("indicators", "Indicators"),
    Column("staff_approached", "Staff reached", numeric=True), Column("accepted_by", "Accepted", numeric=True),
    Column("campaign", "Campaign"), Column("account", "Account"),
)


@router.get("/accounts", response_class=HTMLResponse)
async def accounts(request: Request, level: str = "", q: str = "", dismissed: str = "", page: int = 0,
                   sort: str = "", dir: str = "", format: str = "", session: Session = DbSession) -> Response:
    ctx = _analyst(request, session)
    if isinstance(ctx, Response):
        return ctx
    run, findings = _findings(session)
    chosen = level if level in ("low", "medium", "high") else None
    items = accounts_view(session, findings, chosen, q[:200] or None, bool(dismissed))
    if format == "csv":
        assert ctx.principal is not None
        record(session, ctx.principal.name, "export.accounts", f"run {run.id}" if run else "", client_of(request),
               rows=len(items))
        return csv_response(items, ACCOUNT_COLUMNS, "accounts.csv")
    t = table("/accounts", items, ACCOUNT_COLUMNS, sort=sort, direction=dir, page=page, default_sort="score",
              default_desc=True, params={"level": chosen or "", "q": q, "dismissed": "1" if dismissed else ""})
    return render(request, "accounts.html", ctx, run=run, t=t, level=chosen or "", q=q, dismissed=bool(dismissed))


@router.get("/account", response_class=HTMLResponse)
async def account(request: Request, key: str = "", session: Session = DbSession) -> Response:
    ctx = _analyst(request, session)
    if isinstance(ctx, Response):
        return ctx
    run, findings = _findings(session)
    found = next((a for a in findings.get("accounts", []) if a.get("account") == key), None)
    if found is None:
        raise ServiceError(404, "not_found", "no such account in the latest audit")
    assert ctx.principal is not None
    record(session, ctx.principal.name, "view.account", key, client_of(request))
    staff = {s.get("staff_id"): s for s in findings.get("staff", [])}
    return render(request, "account.html", ctx, account=found, staff=staff, run=run)


CAMPAIGN_COLUMNS = (
    Column("id", "Campaign"), Column("level", "Level", order=level_order), Column("score", "Score", numeric=True),
    Column("counted", "Counted"), Column("accounts", "Accounts", numeric=True),
    Column("staff_targeted", "Staff targeted", numeric=True), Column("traces", "Traces"),
    Column("first_contact", "First contact"), Column("last_contact", "Last contact"),
)


@router.get("/campaigns", response_class=HTMLResponse)
async def campaigns(request: Request, q: str = "", level: str = "", sort: str = "", dir: str = "", page: int = 0,
                    format: str = "", session: Session = DbSession) -> Response:
    ctx = _analyst(request, session)
    if isinstance(ctx, Response):
        return ctx
    run, findings = _findings(session)
    every = [{**c, "counted": "yes" if c.get("corroborated") else "no (context)",
              "first_contact": (c.get("first_contact") or "")[:10], "last_contact": (c.get("last_contact") or "")[:10]}
             for c in findings.get("campaigns", [])]
    rows = filtered(every, CAMPAIGN_COLUMNS, q, {"level": level})
    if format == "csv":
        return csv_response(rows, CAMPAIGN_COLUMNS, "campaigns.csv")
    t = table("/campaigns", rows, CAMPAIGN_COLUMNS, sort=sort, direction=dir, page=page, default_sort="score",
              default_desc=True, params={"q": q, "level": level})
    return render(request, "campaigns.html", ctx, run=run, t=t, q=q, level=level,
                  campaigns=findings.get("campaigns", []))


@router.get("/campaigns/{campaign_id}", response_class=HTMLResponse)
async def campaign(campaign_id: str, request: Request, session: Session = DbSession) -> Response:
    ctx = _analyst(request, session)
    if isinstance(ctx, Response):
        return ctx
    _, findings = _findings(session)
    found = next((c for c in findings.get("campaigns", []) if c.get("id") == campaign_id), None)
    if found is None:
        raise ServiceError(404, "not_found", "no such campaign in the latest audit")
    by_key = {a.get("account"): a for a in findings.get("accounts", [])}
    nodes, edges, height = campaign_graph(found, by_key)
    return render(request, "campaign.html", ctx, campaign=found, accounts=by_key, nodes=nodes, edges=edges,
                  height=height)


# -- cases ------------------------------------------------------------------------------------------------


@router.get("/cases", response_class=HTMLResponse)
async def cases_board(request: Request, session: Session = DbSession) -> Response:
    ctx = _analyst(request, session)
    if isinstance(ctx, Response):
        return ctx
    columns = {state.value: list_cases(session, state) for state in CaseState}
    return render(request, "cases.html", ctx, columns=columns)


@router.post("/cases", response_class=HTMLResponse)
async def case_open(request: Request, session: Session = DbSession) -> Response:
    ctx = _analyst(request, session)
    if isinstance(ctx, Response):
        return ctx
    await verify_csrf(request, ctx.principal)
    assert ctx.principal is not None
    form = await form_of(request)
    run = latest_run(session)
    if run is None:
        raise ServiceError(404, "not_found", "no audit has finished yet")
    try:
        kind = CaseKind(form.get("kind", "account"))
        case, _ = open_case(session, run, kind, form.get("subject", "")[:512], ctx.principal.name,
                            note=form.get("note", ""), client=client_of(request))
    except ValueError as exc:
        status = exc.status if isinstance(exc, CaseError) else 422
        raise ServiceError(status, "conflict" if status == 409 else "invalid_request", str(exc)) from None
    return RedirectResponse(f"/cases/{case.id}", status_code=303)


@router.get("/cases/{case_id}", response_class=HTMLResponse)
async def case_page(case_id: RowId, request: Request, session: Session = DbSession) -> Response:
    ctx = _analyst(request, session)
    if isinstance(ctx, Response):
        return ctx
    try:
        case = get_case(session, case_id)
    except CaseError as exc:
        raise ServiceError(404, "not_found", str(exc)) from None
    analysts = [u.name for u in list_users(session) if Role(u.role).allows(Role.ANALYST) and not u.disabled]
    from falsefriends.api.cases import TRANSITIONS

    moves = sorted(s.value for s in TRANSITIONS[CaseState(case.state)])
    return render(request, "case.html", ctx, case=case, history=events(session, case), analysts=analysts,
                  moves=moves)


@router.post("/cases/{case_id}", response_class=HTMLResponse)
async def case_action(case_id: RowId, request: Request, session: Session = DbSession) -> Response:
    """One form posts here with `action`: state, assign, note or evidence."""
    ctx = _analyst(request, session)
    if isinstance(ctx, Response):
        return ctx
    await verify_csrf(request, ctx.principal)
    assert ctx.principal is not None
    form = await form_of(request)
    author, client = ctx.principal.name, client_of(request)
    try:
        case = get_case(session, case_id)
        action = form.get("action", "")
        if action == "state":
            state = CaseState(form.get("state", ""))
            change_state(session, case, state, author, form.get("note", ""), client, on_confirm=watchlist_feed)
            if state is CaseState.CONFIRMED:
                request.app.state.checkers.invalidate()
        elif action == "assign":
            name = form.get("assignee", "").strip() or None
            if name is not None:
                user = get_user(session, name)
                if not Role(user.role).allows(Role.ANALYST):
                    raise ServiceError(422, "invalid_request", f"{name} cannot work on cases")
            assign(session, case, name, author, client)
        elif action == "note":
            add_note(session, case, author, form.get("text", ""), client)
        elif action == "evidence":
            link_evidence(session, case, author, form.get("description", ""), form.get("reference", ""), client)
        else:
            raise ServiceError(422, "invalid_request", "unknown action")
    except CaseError as exc:
        raise ServiceError(exc.status, "conflict" if exc.status == 409 else "invalid_request", str(exc)) from None
    except (UserError, ValueError) as exc:
        raise ServiceError(422, "invalid_request", str(exc)) from None
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


# -- watchlist --------------------------------------------------------------------------------------------


@router.get("/watchlist", response_class=HTMLResponse)
async def watchlist(request: Request, q: str = "", edit: str = "", saved: str = "", imported: str = "",
                    replaced: str = "", session: Session = DbSession) -> Response:
    ctx = _analyst(request, session)
    if isinstance(ctx, Response):
        return ctx
    from falsefriends.watchlist.repository import stored_watchlist
    from falsefriends.web.watchlist_pages import form_of_entry

    form: dict[str, str] = {}
    if edit:
        found = next((e for e in stored_watchlist(session).entries if e.id == edit), None)
        if found is None:
            raise ServiceError(404, "not_found", "no such workspace entry (bundled entries cannot be edited)")
        form = form_of_entry(found)
    notice = f"Saved {saved}." if saved else f"Imported {imported} entries ({replaced or 0} replaced)." \
        if imported else None
    return watchlist_page(request, ctx, session, q=q, form=form, notice=notice)


def watchlist_page(request: Request, ctx: PageContext, session: Session, *, q: str = "", status: int = 200,
                   error: str | None = None, form: dict[str, str] | None = None, notice: str | None = None
                   ) -> Response:
    """The watchlist: the workspace's entries (editable) and the bundled list, fronts and real institutions
    told apart, with the add/edit and import forms."""
    from falsefriends.watchlist.bundled import bundled_watchlist
    from falsefriends.watchlist.repository import stored_watchlist
    from falsefriends.web.watchlist_pages import choices

    stored = stored_watchlist(session).entries
    bundled = bundled_watchlist().entries
    needle = q.casefold()[:200]
    if needle:
        stored = tuple(e for e in stored if any(needle in n.casefold() for n in (e.id, *e.names)))
        bundled = tuple(e for e in bundled if any(needle in n.casefold() for n in (e.id, *e.names)))
    return render(request, "watchlist.html", ctx, status=status, stored=stored, bundled=bundled[:300],
                  bundled_total=len(bundled), q=q, error=error, form=form or {}, notice=notice, **choices())


# -- audits -----------------------------------------------------------------------------------------------


@router.get("/audits", response_class=HTMLResponse)
async def audits(request: Request, session: Session = DbSession) -> Response:
    ctx = _analyst(request, session)
    if isinstance(ctx, Response):
        return ctx
    template = "_runs.html" if request.headers.get("hx-request") else "audits.html"
    return render(request, template, ctx, runs=list_runs(session))


@router.post("/audits", response_class=HTMLResponse)
async def audit_upload(request: Request, background: BackgroundTasks, session: Session = DbSession) -> Response:
    ctx = _analyst(request, session)
    if isinstance(ctx, Response):
        return ctx
    await verify_csrf(request, ctx.principal)
    assert ctx.principal is not None
    settings = request.app.state.settings
    from falsefriends.api.routes.findings import read_upload_form, save_audit_uploads

    exports, roster, campaigns = await read_upload_form(request)
    folder, saved, roster_path = await save_audit_uploads(settings, exports, roster)
    run = new_run(session, ctx.principal.name, "upload")
    record(session, ctx.principal.name, "audit.upload", str(run.id), client_of(request), exports=len(saved))
    background.add_task(submit_run, request.app.state.executor, request.app.state.engine, run.id, saved,
                        roster_path, folder, request.app.state.checkers.get(), campaigns)
    return RedirectResponse("/audits", status_code=303)


@router.post("/audits/import", response_class=HTMLResponse)
async def audit_import(request: Request, session: Session = DbSession) -> Response:
    """The findings.json of `falsefriends audit`, imported as a finished run (the same check as the API's)."""
    ctx = _analyst(request, session)
    if isinstance(ctx, Response):
        return ctx
    await verify_csrf(request, ctx.principal)
    assert ctx.principal is not None
    from starlette.datastructures import UploadFile as StarletteUpload

    from falsefriends.api.routes.findings import MAX_FINDINGS_BYTES
    from falsefriends.api.runs import FindingsError, import_findings

    form = await request.form(max_files=1, max_fields=10)
    upload = form.get("findings")
    if not isinstance(upload, StarletteUpload):
        raise ServiceError(422, "invalid_request", "choose the findings.json file to import")
    raw = await upload.read(MAX_FINDINGS_BYTES + 1)
    if len(raw) > MAX_FINDINGS_BYTES:
        raise ServiceError(413, "too_large", "the findings.json is larger than the import limit")
    try:
        run = import_findings(session, ctx.principal.name, raw)
    except FindingsError as exc:
        return render(request, "audits.html", ctx, status=422, runs=list_runs(session),
                      import_error=f"not a findings.json document: {exc}")
    record(session, ctx.principal.name, "audit.import", str(run.id), client_of(request))
    return RedirectResponse("/audits", status_code=303)
