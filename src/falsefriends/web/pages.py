"""The web UI's pages: check (staff), login, and the analyst pages (dashboard, accounts, campaigns, cases,
watchlist, rules, audits). Each page calls the same library functions as the /v1 API."""

from __future__ import annotations

import json
from typing import Any

import anyio
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import Session

from falsefriends.api.auditlog import record
from falsefriends.api.auth import SESSION_COOKIE, DbSession, client_of, verify_csrf
from falsefriends.api.errors import ServiceError
from falsefriends.api.passwords import verify_password
from falsefriends.api.roles import Role
from falsefriends.api.routes.check import check_one, rule_detail, rule_out
from falsefriends.api.throttle import LoginThrottle, retry_after_header
from falsefriends.api.users import close_session, open_session, password_candidate
from falsefriends.batch import LineError, parse_line
from falsefriends.web.highlight import pieces
from falsefriends.web.rendering import (
    STATIC,
    PageContext,
    login_redirect,
    make_environment,
    page_context,
    render,
    safe_next,
)

router = APIRouter(include_in_schema=False)

PROFILE_FIELDS = ("name", "headline", "employer", "position", "location", "about", "url")


def need(ctx: PageContext, role: Role) -> None:
    """Raise 403 when the logged-in user's role is too low (anonymous users are redirected by the caller)."""
    if ctx.principal is not None and not ctx.principal.allows(role):
        raise ServiceError(403, "forbidden", f"this page needs the {role.value} role")


async def form_of(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, session: Session = DbSession) -> Response:
    ctx = page_context(request, session)
    target = "/dashboard" if ctx.can("analyst") else "/check"
    return RedirectResponse(target, status_code=303)


# -- login ------------------------------------------------------------------------------------------------


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, next: str = "/", session: Session = DbSession) -> Response:
    return render(request, "login.html", page_context(request, session), next=safe_next(next), error=None)


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request, session: Session = DbSession) -> Response:
    ctx = page_context(request, session)
    await verify_csrf(request, None, always=True)
    form = await form_of(request)
    name, password = form.get("name", "")[:64], form.get("password", "")[:1024]
    target = safe_next(form.get("next"))
    client = client_of(request)
    throttle: LoginThrottle = request.app.state.login_throttle
    decision = throttle.admit(name, client)
    if not decision.allowed:
        wait = retry_after_header(decision.retry_after)
        why = "This account or address is locked after too many failed logins" if decision.locked \
            else "Too many failed logins"
        refused = render(request, "login.html", ctx, status=429, next=target,
                         error=f"{why}. Try again in {wait} seconds.")
        refused.headers["Retry-After"] = wait
        return refused
    user = None
    try:
        candidate, stored = password_candidate(session, name)
        # One scrypt verification for every attempt, off the event loop (about 0.1 s of CPU).
        if await anyio.to_thread.run_sync(verify_password, password, stored) and candidate is not None:
            user = candidate
    finally:
        if user is None:
            for key in throttle.failed(name, client):
                scope, _, subject = key.partition(":")
                record(session, None, "login.locked", subject, client, scope="account" if scope == "user" else
                       "address", minutes=request.app.state.settings.login_lock_minutes)
        else:
            throttle.succeeded(name, client)
    if user is None:
        record(session, None, "login.failed", name, client)
        return render(request, "login.html", ctx, status=401, next=target, error="Wrong user name or password.")
    cookie, _ = open_session(session, user, request.app.state.settings.session_hours)
    record(session, user.name, "login", user.name, client_of(request))
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, cookie, httponly=True, samesite="strict",
                        secure=request.app.state.settings.secure_cookies, path="/",
                        max_age=int(request.app.state.settings.session_hours * 3600))
    return response


@router.post("/logout")
async def logout(request: Request, session: Session = DbSession) -> Response:
    ctx = page_context(request, session)
    await verify_csrf(request, ctx.principal)
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        close_session(session, cookie)
    if ctx.principal is not None:
        record(session, ctx.principal.name, "logout", ctx.principal.name, client_of(request))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# -- check ------------------------------------------------------------------------------------------------


def _check_allowed(request: Request, ctx: PageContext) -> bool:
    return bool(request.app.state.settings.public_check) or ctx.can("viewer")


@router.get("/check", response_class=HTMLResponse)
async def check_page(request: Request, session: Session = DbSession) -> Response:
    ctx = page_context(request, session)
    if not _check_allowed(request, ctx):
        return login_redirect(request)
    return render(request, "check.html", ctx, form={}, result=None, error=None, fields=PROFILE_FIELDS)


@router.post("/check", response_class=HTMLResponse)
async def check_submit(request: Request, session: Session = DbSession) -> Response:
    ctx = page_context(request, session)
    if not _check_allowed(request, ctx):
        return login_redirect(request)
    await verify_csrf(request, ctx.principal)
    form = await form_of(request)
    text = form.get("text", "")
    profile = {f: form[f].strip() for f in PROFILE_FIELDS if form.get(f, "").strip()}
    line: dict[str, Any] = {"id": "web", "text": text}
    if profile:
        line["profile"] = profile
    from falsefriends.photo.decode import PhotoError
    from falsefriends.web.photo_upload import photo_checker, uploaded_photo

    photo = await uploaded_photo(request)
    result, error = None, None
    if not text.strip() and not profile and photo is None:
        error = "Paste a message, fill in at least one profile field, or choose the sender's photo."
    else:
        holder = request.app.state.checkers

        def run() -> dict[str, Any]:
            checker = holder.get()
            if photo is not None:
                # compared with the workspace's earlier photos; kept there only for a signed-in user (photo.seen)
                checker, key = photo_checker(checker, photo, request.app.state.engine, line.get("profile", {}),
                                             record=ctx.principal is not None)
                line["profile"] = {**line.get("profile", {}), "photo": key}
            # The same parser and limits as the batch contract and POST /v1/check.
            return check_one(checker, parse_line(json.dumps(line).encode("utf-8"), 1))

        try:
            who = f"user:{ctx.principal.name}" if ctx.principal is not None else f"addr:{client_of(request)}"
            result = await request.app.state.check_workers.run(who, run)
        except LineError as exc:
            error = str(exc)
        except PhotoError as exc:
            error = f"The photo cannot be used: {exc}"
    values = {"form": form, "result": result, "error": error, "fields": PROFILE_FIELDS,
              "pieces": pieces(text, result["evidence"]) if result else []}
    status = 422 if error else 200
    if request.headers.get("hx-request"):
        return render(request, "_verdict.html", ctx, status=200, **values)
    return render(request, "check.html", ctx, status=status, **values)


# -- rules ------------------------------------------------------------------------------------------------


@router.get("/rules", response_class=HTMLResponse)
async def rules_page(request: Request, session: Session = DbSession) -> Response:
    ctx = page_context(request, session)
    if ctx.principal is None:
        return login_redirect(request)
    rules = [rule_out(r) for r in request.app.state.checkers.rules.rules]
    return render(request, "rules.html", ctx, rules=rules)


@router.get("/rules/{rule_id}", response_class=HTMLResponse)
async def rule_page(rule_id: str, request: Request, session: Session = DbSession) -> Response:
    ctx = page_context(request, session)
    if ctx.principal is None:
        return login_redirect(request)
    by_id = request.app.state.checkers.rules.by_id
    if rule_id not in by_id:
        raise ServiceError(404, "not_found", f"no rule with id {rule_id!r}")
    return render(request, "rule.html", ctx, rule=rule_detail(by_id[rule_id]))


def install(app: FastAPI) -> None:
    """Mount the pages, the static files and the HTML error page on the app."""
    from falsefriends.web import analyst_pages, list_pages, watchlist_pages

    app.state.templates = make_environment()
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    app.include_router(router)
    app.include_router(analyst_pages.router)
    app.include_router(list_pages.router)
    app.include_router(watchlist_pages.router)

    def render_error(request: Request, status: int, code: str, message: str) -> Response:
        ctx = PageContext(getattr(request.state, "principal", None), "")
        return render(request, "error.html", ctx, status=status, status_code=status, code=code, message=message)

    app.state.render_error = render_error
