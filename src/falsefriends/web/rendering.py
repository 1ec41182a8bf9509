"""Template environment and page helpers: autoescaped Jinja2, the CSRF token on every page, login redirects."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.orm import Session

from falsefriends.api.auth import CSRF_COOKIE, anonymous_csrf, resolve_principal
from falsefriends.api.roles import Role
from falsefriends.api.users import Principal

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
HTMX = "vendor/htmx-2.0.11.min.js"


def make_environment() -> Environment:
    # Autoescape everything: profile names, headlines and messages are written by the adversary.
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.globals["htmx"] = HTMX
    env.filters["pct"] = lambda v: f"{float(v) * 100:.0f}%"
    env.filters["score"] = lambda v: f"{float(v):.2f}"
    env.filters["urlq"] = lambda v: quote(str(v), safe="")
    return env


@dataclass
class PageContext:
    """Who is looking and the token their forms must carry."""

    principal: Principal | None
    csrf: str

    def can(self, role: str) -> bool:
        return self.principal is not None and self.principal.allows(Role(role))


def page_context(request: Request, session: Session) -> PageContext:
    principal = resolve_principal(request, session)
    csrf = principal.csrf_token if principal is not None and principal.csrf_token else anonymous_csrf(request)
    return PageContext(principal, csrf)


def render(request: Request, template: str, ctx: PageContext, status: int = 200, **values: Any) -> HTMLResponse:
    env: Environment = request.app.state.templates
    html = env.get_template(template).render(request=request, me=ctx.principal, csrf=ctx.csrf, ctx=ctx,
                                             settings=request.app.state.settings, **values)
    response = HTMLResponse(html, status_code=status)
    set_csrf_cookie(request, response)
    return response


def set_csrf_cookie(request: Request, response: Response) -> None:
    fresh = getattr(request.state, "new_csrf", None)
    if fresh:
        response.set_cookie(CSRF_COOKIE, fresh, httponly=True, samesite="strict",
                            secure=request.app.state.settings.secure_cookies, path="/")


def login_redirect(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)


def safe_next(target: str | None) -> str:
    """Only local paths: an attacker-supplied `next` must not send a user to another site after login."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
