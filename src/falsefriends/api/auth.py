"""Who is asking, and may they: API tokens (`Authorization: Bearer`), browser sessions (cookie) with CSRF.

A browser request that changes something must carry the CSRF token: the session's token for a logged-in
user, or the `ff_csrf` cookie's value (double submit) before login. It comes as the `X-CSRF-Token` header
(htmx sends it on every request) or as a `csrf_token` form field. Token-authenticated API calls carry no
ambient credential, so they need no CSRF token.

The check routes (the hot path) remember a token they have looked up for `token_cache_s` seconds (default 2,
like the watchlist probe; `TokenCache`), so a client checking many messages costs one database read every
two seconds rather than one per check. Only tokens that were valid are remembered (an unknown token is looked
up every time), by their hash; a token revoked or a user disabled or demoted in the database is therefore
refused at most that long after the change.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections.abc import Awaitable, Callable, Iterator

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from falsefriends.api.errors import ServiceError
from falsefriends.api.passwords import token_hash
from falsefriends.api.roles import Role
from falsefriends.api.users import Principal, authenticate_token, session_principal, token_principal
from falsefriends.store import session_scope

SESSION_COOKIE = "ff_session"
CSRF_COOKIE = "ff_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def db(request: Request) -> Iterator[Session]:
    """A database session in one transaction for the request."""
    with session_scope(request.app.state.engine) as session:
        yield session


DbSession = Depends(db, scope="function")
"""The request's session, committed when the route returns and before the response is sent, so that a
client following a redirect, or a background job started by the route, sees what the route wrote."""


def client_of(request: Request) -> str:
    return request.client.host if request.client else ""


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def resolve_principal(request: Request, session: Session) -> Principal | None:
    """The user behind a token or a session cookie; None when anonymous. Raises 401 on a bad token."""
    if getattr(request.state, "principal_resolved", False):
        cached: Principal | None = request.state.principal
        return cached
    principal: Principal | None = None
    token = _bearer(request)
    if token is not None:
        principal = authenticate_token(session, token)
        if principal is None:
            raise ServiceError(401, "unauthorized", "invalid or revoked API token",
                               headers={"WWW-Authenticate": "Bearer"})
    else:
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie:
            principal = session_principal(session, cookie)
    request.state.principal = principal
    request.state.principal_resolved = True
    return principal


class TokenCache:
    """Principals of API tokens looked up in the last `ttl_s` seconds, keyed by the token's hash.

    Bounded: when `max_entries` are held, the whole cache is dropped (the next lookups refill it).
    `ttl_s` 0 turns it off.
    """

    def __init__(self, ttl_s: float, max_entries: int = 4096, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self.clock = clock
        self._entries: dict[str, tuple[float, Principal]] = {}
        self._lock = threading.Lock()

    def get(self, token: str) -> Principal | None:
        if self.ttl_s <= 0:
            return None
        key = token_hash(token)
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if self.clock() >= entry[0]:
                del self._entries[key]
                return None
            return entry[1]

    def put(self, token: str, principal: Principal) -> None:
        if self.ttl_s <= 0:
            return
        with self._lock:
            if len(self._entries) >= self.max_entries:
                self._entries.clear()
            self._entries[token_hash(token)] = (self.clock() + self.ttl_s, principal)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def cached_principal(request: Request) -> Principal | None:
    """The principal of the request's API token when `TokenCache` holds it (no database read: safe on the
    event loop); None when there is no token, a session cookie, or the token is not remembered."""
    token = _bearer(request)
    cache: TokenCache | None = getattr(request.app.state, "token_cache", None)
    if token is None or cache is None or SESSION_COOKIE in request.cookies:
        return None
    principal = cache.get(token)
    if principal is not None:
        request.state.principal = principal
        request.state.principal_resolved = True
    return principal


def resolve_principal_in_thread(request: Request) -> Principal | None:
    """`resolve_principal` for code running off the event loop: an API token is looked up on a bare connection
    (`token_principal`, no ORM session), a session cookie through `resolve_principal`."""
    if getattr(request.state, "principal_resolved", False):
        cached: Principal | None = request.state.principal
        return cached
    token = _bearer(request)
    if token is None:
        with session_scope(request.app.state.engine) as session:
            return resolve_principal(request, session)
    with request.app.state.engine.begin() as connection:
        principal = token_principal(connection, token)
    if principal is None:
        raise ServiceError(401, "unauthorized", "invalid or revoked API token",
                           headers={"WWW-Authenticate": "Bearer"})
    cache: TokenCache | None = getattr(request.app.state, "token_cache", None)
    if cache is not None:
        cache.put(token, principal)
    request.state.principal = principal
    request.state.principal_resolved = True
    return principal


async def submitted_csrf(request: Request) -> str:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        if isinstance(value, str):
            return value
    return ""


def anonymous_csrf(request: Request) -> str:
    """The double-submit token of a visitor who is not logged in (set as a cookie by the pages)."""
    token = request.cookies.get(CSRF_COOKIE)
    if token and 20 <= len(token) <= 100:
        return token
    fresh = getattr(request.state, "new_csrf", None)
    if fresh is None:
        fresh = secrets.token_urlsafe(32)
        request.state.new_csrf = fresh
    return str(fresh)


async def verify_csrf(request: Request, principal: Principal | None, always: bool = False) -> None:
    """Refuse a state-changing browser request without the right CSRF token.

    `always` demands the token even from a client without cookies: the login form, where a forged
    cross-site post would log the victim into the attacker's account.
    """
    if request.method in SAFE_METHODS:
        return
    if principal is not None and principal.via == "token":
        return
    if principal is not None:
        expected = principal.csrf_token or ""
    elif always or SESSION_COOKIE in request.cookies or CSRF_COOKIE in request.cookies:
        expected = request.cookies.get(CSRF_COOKIE, "")
    else:
        # No cookie at all: not a browser with ambient credentials (e.g. an anonymous API client).
        return
    given = await submitted_csrf(request)
    if not expected or not given or not hmac.compare_digest(given.encode(), expected.encode()):
        raise ServiceError(403, "csrf_failed", "missing or wrong CSRF token; reload the page and try again")


def require(role: Role | None) -> Callable[..., Awaitable[Principal | None]]:
    """A dependency: the principal, after checking CSRF and that it holds at least `role`."""

    async def dependency(request: Request, session: Session = DbSession) -> Principal | None:
        principal = resolve_principal(request, session)
        # Who and which role first, from the headers alone: the CSRF check may read a form body, and a body
        # (an upload) must never be read for someone who may not send it.
        if role is not None:
            if principal is None:
                raise ServiceError(401, "unauthorized", "log in or send an API token (Authorization: Bearer ...)",
                                   headers={"WWW-Authenticate": "Bearer"})
            if not principal.allows(role):
                raise ServiceError(403, "forbidden",
                                   f"this needs the {role.value} role; you are {principal.role.value}")
        await verify_csrf(request, principal)
        return principal

    return dependency


def require_user(role: Role) -> Callable[..., Awaitable[Principal]]:
    """Like `require`, for routes that always need a user (the result is never None)."""
    inner = require(role)

    async def dependency(request: Request, session: Session = DbSession) -> Principal:
        principal = await inner(request, session)
        assert principal is not None  # require() raised otherwise
        return principal

    return dependency
