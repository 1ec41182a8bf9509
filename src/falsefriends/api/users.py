"""Local users, API tokens and browser sessions: the library behind `falsefriends users` and the login."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from sqlalchemy import Connection, func, select, update
from sqlalchemy.orm import Session

from falsefriends.api.passwords import hash_password, new_token, token_hash, verify_password
from falsefriends.api.roles import Role
from falsefriends.api.tables import ApiTokenRow, SessionRow, UserRow

USER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
LAST_USED_RESOLUTION = timedelta(minutes=1)
"""How precisely a token's `last_used_at` is kept (one write a minute per token, not one per request)."""


class UserError(ValueError):
    """A user operation that cannot be done; the message says why."""


@dataclass(frozen=True)
class Principal:
    """Who is making a request: a user with a role, authenticated by `via` (session, token)."""

    name: str
    role: Role
    via: str
    csrf_token: str | None = None

    def allows(self, needed: Role) -> bool:
        return self.role.allows(needed)


def now() -> datetime:
    return datetime.now(UTC)


def _check_name(name: str) -> str:
    if not USER_NAME.match(name):
        raise UserError("a user name has 1-64 characters: letters, digits and . _ @ - (not first)")
    return name


def add_user(session: Session, name: str, role: Role, password: str | None = None) -> UserRow:
    """Create a user; without a password the user can only use API tokens."""
    _check_name(name)
    # Names are unique whatever their case: `Alice` and `alice` would be one person to every reader of the
    # audit log and of case assignments (names are ASCII, so SQL lower() agrees on every backend).
    existing = session.scalar(select(UserRow.name).where(func.lower(UserRow.name) == name.lower()))
    if existing is not None:
        same = "" if existing == name else f" as {existing!r} (names are unique whatever their case)"
        raise UserError(f"user {name!r} already exists{same}")
    try:
        hashed = hash_password(password) if password is not None else None
    except ValueError as exc:
        raise UserError(str(exc)) from None
    row = UserRow(name=name, role=role.value, password_hash=hashed, created_at=now(), disabled=False)
    session.add(row)
    session.flush()
    return row


def get_user(session: Session, name: str) -> UserRow:
    row = session.scalar(select(UserRow).where(UserRow.name == name))
    if row is None:
        raise UserError(f"no user {name!r}")
    return row


def list_users(session: Session) -> list[UserRow]:
    return list(session.scalars(select(UserRow).order_by(UserRow.name)))


def set_password(session: Session, name: str, password: str) -> None:
    row = get_user(session, name)
    try:
        row.password_hash = hash_password(password)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    # A new password ends every open browser session of the user.
    for old in session.scalars(select(SessionRow).where(SessionRow.user_id == row.id)):
        session.delete(old)


def issue_token(session: Session, name: str, label: str = "") -> str:
    """A new API token for a user; returned once, only its hash is kept."""
    user = get_user(session, name)
    token = new_token()
    session.add(ApiTokenRow(user_id=user.id, token_hash=token_hash(token), label=label[:200], created_at=now(),
                            revoked=False))
    session.flush()
    return token


def password_candidate(session: Session, name: str) -> tuple[UserRow | None, str]:
    """The user a login names and the hash to check its password against.

    An unknown, disabled or token-only (password-less) user gets the dummy hash, so that every failed login
    costs exactly one scrypt verification and no kind of account can be told apart by timing.
    """
    row = session.scalar(select(UserRow).where(UserRow.name == name))
    if row is None or row.disabled or not row.password_hash:
        return None, _dummy_hash()
    return row, row.password_hash


def authenticate_password(session: Session, name: str, password: str) -> UserRow | None:
    row, stored = password_candidate(session, name)
    ok = verify_password(password, stored)
    return row if ok and row is not None else None


_TOKEN_LOOKUP = (select(ApiTokenRow.id, ApiTokenRow.revoked, ApiTokenRow.last_used_at, UserRow.name, UserRow.role,
                        UserRow.disabled)
                 .join(UserRow, UserRow.id == ApiTokenRow.user_id))


def token_principal(connection: Connection, token: str) -> Principal | None:
    """The user an API token acts for; None when the token is unknown or revoked or its user disabled.

    One indexed read without the ORM (an ORM session costs over ten times as much, and every authenticated
    request pays it); `last_used_at` is written only when it is older than `LAST_USED_RESOLUTION`.
    """
    if not token or len(token) > 200:
        return None
    row = connection.execute(_TOKEN_LOOKUP.where(ApiTokenRow.token_hash == token_hash(token))).first()
    if row is None or row.revoked or row.disabled:
        return None
    stamp = now()
    if row.last_used_at is None or stamp - row.last_used_at >= LAST_USED_RESOLUTION:
        # A write (and its commit) on every authenticated request would serialise the requests on the
        # database's writer lock; the time a token was last used is kept to the minute.
        connection.execute(update(ApiTokenRow).where(ApiTokenRow.id == row.id).values(last_used_at=stamp))
    return Principal(row.name, Role(row.role), "token")


def authenticate_token(session: Session, token: str) -> Principal | None:
    """`token_principal` inside an ORM session's transaction."""
    return token_principal(session.connection(), token)


def open_session(session: Session, user: UserRow, hours: float) -> tuple[str, str]:
    """Start a browser session; returns (cookie value, CSRF token)."""
    cookie = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    started = now()
    session.add(SessionRow(session_hash=token_hash(cookie), user_id=user.id, csrf_token=csrf, created_at=started,
                           expires_at=started + timedelta(hours=hours)))
    session.flush()
    return cookie, csrf


def session_principal(session: Session, cookie: str) -> Principal | None:
    if not cookie or len(cookie) > 200:
        return None
    row = session.scalar(select(SessionRow).where(SessionRow.session_hash == token_hash(cookie)))
    if row is None:
        return None
    if row.expires_at <= now():
        session.delete(row)
        return None
    user = session.get(UserRow, row.user_id)
    if user is None or user.disabled:
        return None
    return Principal(user.name, Role(user.role), "session", row.csrf_token)


def close_session(session: Session, cookie: str) -> None:
    row = session.scalar(select(SessionRow).where(SessionRow.session_hash == token_hash(cookie)))
    if row is not None:
        session.delete(row)


@cache
def _dummy_hash() -> str:
    """A hash of the current cost that no login can match (computed once per process; `create_app` warms it)."""
    return hash_password("not-a-real-password-0")
