"""Users and the audit log, for admins: list and create users, issue tokens, read who did what."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from falsefriends.api.auditlog import recent, record
from falsefriends.api.auth import DbSession, client_of, require_user
from falsefriends.api.errors import ERROR_RESPONSES, ServiceError
from falsefriends.api.roles import Role
from falsefriends.api.users import Principal, UserError, add_user, issue_token, list_users

router = APIRouter(prefix="/v1", tags=["admin"], responses=ERROR_RESPONSES)


class UserIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=64)
    role: Role = Role.VIEWER
    password: str | None = Field(default=None, min_length=10, max_length=1024)


class UserOut(BaseModel):
    name: str
    role: str
    disabled: bool
    created_at: Any


class TokenOut(BaseModel):
    token: str = Field(description="shown once; only its hash is kept")


@router.get("/users", response_model=list[UserOut], summary="List users")
async def users(principal: Principal = Depends(require_user(Role.ADMIN)),
                session: Session = DbSession) -> list[UserOut]:
    return [UserOut(name=u.name, role=u.role, disabled=u.disabled, created_at=u.created_at)
            for u in list_users(session)]


@router.post("/users", response_model=UserOut, status_code=201, summary="Create a user")
async def create_user(body: UserIn, request: Request, principal: Principal = Depends(require_user(Role.ADMIN)),
                      session: Session = DbSession) -> UserOut:
    try:
        row = add_user(session, body.name, body.role, body.password)
    except UserError as exc:
        status = 409 if "exists" in str(exc) else 422
        raise ServiceError(status, "conflict" if status == 409 else "invalid_request", str(exc)) from None
    record(session, principal.name, "user.add", row.name, client_of(request), role=row.role)
    return UserOut(name=row.name, role=row.role, disabled=row.disabled, created_at=row.created_at)


@router.post("/users/{name}/tokens", response_model=TokenOut, status_code=201, summary="Issue an API token")
async def create_token(name: str, request: Request, label: str = Query(default="", max_length=200),
                       principal: Principal = Depends(require_user(Role.ADMIN)),
                       session: Session = DbSession) -> TokenOut:
    try:
        token = issue_token(session, name, label)
    except UserError as exc:
        raise ServiceError(404, "not_found", str(exc)) from None
    record(session, principal.name, "token.issue", name, client_of(request), label=label)
    return TokenOut(token=token)


@router.get("/audit-log", summary="The audit log, newest first")
async def audit_log(limit: int = Query(default=200, ge=1, le=5000),
                    action: str | None = Query(default=None, max_length=64),
                    principal: Principal = Depends(require_user(Role.ADMIN)),
                    session: Session = DbSession) -> list[dict[str, Any]]:
    return [{"id": r.id, "at": r.at.isoformat(), "actor": r.actor, "action": r.action, "target": r.target,
             "detail": r.detail, "client": r.client} for r in recent(session, limit, action)]
