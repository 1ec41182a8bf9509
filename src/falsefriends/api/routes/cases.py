"""Cases: open one on a finding, move it through its states, assign it, add notes and evidence.

Confirming feeds the workspace watchlist (analyst provenance); a dismissal is remembered (see `api.cases`).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from falsefriends.api.auth import DbSession, client_of, require_user
from falsefriends.api.cases import (
    MAX_NOTE,
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
from falsefriends.api.errors import ERROR_RESPONSES, ServiceError
from falsefriends.api.roles import Role
from falsefriends.api.routes.findings import RowId, latest_findings
from falsefriends.api.tables import CaseRow
from falsefriends.api.users import Principal, UserError, get_user

router = APIRouter(prefix="/v1", tags=["cases"], responses=ERROR_RESPONSES)


class CaseOpen(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: CaseKind
    subject: str = Field(min_length=1, max_length=512, description="the account key or the campaign id")
    assignee: str | None = Field(default=None, max_length=64)
    note: str = Field(default="", max_length=MAX_NOTE)


class CaseUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    state: CaseState | None = None
    assignee: str | None = Field(default=None, max_length=64, description="a user name; empty string unassigns")
    note: str = Field(default="", max_length=MAX_NOTE, description="why (kept with the state change)")


class CaseNote(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=MAX_NOTE)


class CaseEvidence(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: str = Field(min_length=1, max_length=2000)
    reference: str = Field(default="", max_length=2000, description="where it is: a URL, a file, a message id")


class CaseEventOut(BaseModel):
    at: Any
    author: str | None
    kind: str
    text: str
    detail: dict[str, Any]


class CaseOut(BaseModel):
    id: int
    kind: str
    subject: str
    title: str
    state: str
    assignee: str | None
    level: str
    score: float
    indicators: list[str]
    evidence: list[dict[str, Any]]
    run_id: int | None
    created_by: str | None
    created_at: Any
    updated_at: Any
    history: list[CaseEventOut] | None = None


def case_out(case: CaseRow, session: Session | None = None) -> CaseOut:
    history = None
    if session is not None:
        history = [CaseEventOut(at=e.at, author=e.author, kind=e.kind, text=e.text, detail=e.detail)
                   for e in events(session, case)]
    return CaseOut(id=case.id, kind=case.kind, subject=case.subject, title=case.title, state=case.state,
                   assignee=case.assignee, level=case.level, score=case.score, indicators=list(case.indicators),
                   evidence=list(case.evidence), run_id=case.run_id, created_by=case.created_by,
                   created_at=case.created_at, updated_at=case.updated_at, history=history)


def _fail(exc: CaseError) -> ServiceError:
    codes = {404: "not_found", 409: "conflict", 422: "invalid_request"}
    return ServiceError(exc.status, codes.get(exc.status, "bad_request"), str(exc))


def _check_assignee(session: Session, name: str | None) -> str | None:
    if not name:
        return None
    try:
        user = get_user(session, name)
    except UserError:
        raise ServiceError(422, "invalid_request", f"no user {name!r} to assign to") from None
    if not Role(user.role).allows(Role.ANALYST):
        raise ServiceError(422, "invalid_request", f"{name} is a viewer and cannot work on cases")
    return user.name


@router.post("/cases", response_model=CaseOut, status_code=201, summary="Open a case on a finding",
             responses={200: {"model": CaseOut, "description": "a case on this subject is already open"}})
async def create_case(body: CaseOpen, request: Request, principal: Principal = Depends(require_user(Role.ANALYST)),
                      session: Session = DbSession) -> Any:
    run, _ = latest_findings(session)
    assignee = _check_assignee(session, body.assignee)
    try:
        case, created = open_case(session, run, body.kind, body.subject, principal.name, assignee, body.note,
                                  client_of(request))
    except CaseError as exc:
        raise _fail(exc) from None
    out = case_out(case, session)
    if not created:
        return JSONResponse(out.model_dump(mode="json"), status_code=200)
    return out


@router.get("/cases", response_model=list[CaseOut], summary="Cases, most recently changed first")
async def cases(state: CaseState | None = Query(default=None),
                assignee: str | None = Query(default=None, max_length=64),
                principal: Principal = Depends(require_user(Role.ANALYST)),
                session: Session = DbSession) -> list[CaseOut]:
    return [case_out(c) for c in list_cases(session, state, assignee)]


def _case(session: Session, case_id: int) -> CaseRow:
    try:
        return get_case(session, case_id)
    except CaseError as exc:
        raise _fail(exc) from None


@router.get("/cases/{case_id}", response_model=CaseOut, summary="One case with its history")
async def case(case_id: RowId, principal: Principal = Depends(require_user(Role.ANALYST)),
               session: Session = DbSession) -> CaseOut:
    return case_out(_case(session, case_id), session)


@router.patch("/cases/{case_id}", response_model=CaseOut, summary="Change a case's state or assignee")
async def update_case(case_id: RowId, body: CaseUpdate, request: Request,
                      principal: Principal = Depends(require_user(Role.ANALYST)),
                      session: Session = DbSession) -> CaseOut:
    row = _case(session, case_id)
    client = client_of(request)
    try:
        if "assignee" in body.model_fields_set:
            assign(session, row, _check_assignee(session, body.assignee), principal.name, client)
        if body.state is not None:
            change_state(session, row, body.state, principal.name, body.note, client,
                         on_confirm=watchlist_feed)
            if body.state is CaseState.CONFIRMED:
                request.app.state.checkers.invalidate()
        elif body.note:
            add_note(session, row, principal.name, body.note, client)
    except CaseError as exc:
        raise _fail(exc) from None
    return case_out(row, session)


@router.post("/cases/{case_id}/notes", response_model=CaseOut, status_code=201, summary="Add a note")
async def note(case_id: RowId, body: CaseNote, request: Request,
               principal: Principal = Depends(require_user(Role.ANALYST)),
               session: Session = DbSession) -> CaseOut:
    row = _case(session, case_id)
    try:
        add_note(session, row, principal.name, body.text, client_of(request))
    except CaseError as exc:
        raise _fail(exc) from None
    return case_out(row, session)


@router.post("/cases/{case_id}/evidence", response_model=CaseOut, status_code=201, summary="Link evidence")
async def evidence(case_id: RowId, body: CaseEvidence, request: Request,
                   principal: Principal = Depends(require_user(Role.ANALYST)),
                   session: Session = DbSession) -> CaseOut:
    row = _case(session, case_id)
    try:
        link_evidence(session, row, principal.name, body.description, body.reference, client_of(request))
    except CaseError as exc:
        raise _fail(exc) from None
    return case_out(row, session)

