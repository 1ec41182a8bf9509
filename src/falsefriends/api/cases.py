"""The case workflow: a finding (an outside account or a campaign) becomes a case that analysts triage.

States: `new` -> `investigating` -> `confirmed` or `dismissed` (and back to `investigating` to reopen).
Confirming an account puts it on the workspace watchlist with analyst provenance. A dismissed case is
remembered: the same subject is not raised again unless a later audit brings evidence the dismissal did
not see (a new indicator, or a higher level).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from falsefriends.api.auditlog import record
from falsefriends.api.tables import AuditRunRow, CaseEventRow, CaseRow
from falsefriends.api.users import now

MAX_NOTE = 20_000


class CaseState(StrEnum):
    NEW = "new"
    INVESTIGATING = "investigating"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


class CaseKind(StrEnum):
    ACCOUNT = "account"
    CAMPAIGN = "campaign"


TRANSITIONS: dict[CaseState, frozenset[CaseState]] = {
    CaseState.NEW: frozenset({CaseState.INVESTIGATING, CaseState.CONFIRMED, CaseState.DISMISSED}),
    CaseState.INVESTIGATING: frozenset({CaseState.CONFIRMED, CaseState.DISMISSED}),
    CaseState.CONFIRMED: frozenset({CaseState.INVESTIGATING}),
    CaseState.DISMISSED: frozenset({CaseState.INVESTIGATING}),
}
_LEVEL_RANK = {"low": 0, "medium": 1, "high": 2}


class CaseError(ValueError):
    """A case operation that is not allowed; `status` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def find_subject(findings: dict[str, Any], kind: CaseKind, subject: str) -> dict[str, Any] | None:
    """The account or campaign of a findings document with this key or id."""
    if kind is CaseKind.ACCOUNT:
        return next((a for a in findings.get("accounts", []) if a.get("account") == subject), None)
    return next((c for c in findings.get("campaigns", []) if c.get("id") == subject), None)


def _summary(kind: CaseKind, finding: dict[str, Any]) -> tuple[str, str, float, list[str], list[dict[str, Any]]]:
    indicators = sorted({str(i) for i in finding.get("indicators", [])}
                        | {str(e.get("indicator")) for e in finding.get("evidence", []) if e.get("indicator")})
    if kind is CaseKind.ACCOUNT:
        title = finding.get("name") or finding.get("account", "")
        if finding.get("employer"):
            title = f"{title} ({finding['employer']})"
    else:
        title = f"campaign {finding.get('id', '')}: {len(finding.get('accounts', []))} accounts"
    return (str(title)[:500], str(finding.get("level", "low")), float(finding.get("score", 0.0)), indicators,
            list(finding.get("evidence", []))[:200])


def has_new_evidence(case: CaseRow, finding: dict[str, Any]) -> bool:
    """True when a finding shows something a dismissed case did not: another indicator or a higher level."""
    kind = CaseKind(case.kind)
    _, level, _, indicators, _ = _summary(kind, finding)
    return bool(set(indicators) - set(case.indicators)) or _LEVEL_RANK.get(level, 0) > _LEVEL_RANK.get(case.level, 0)


def _event(session: Session, case: CaseRow, author: str | None, kind: str, text: str = "", **detail: Any) -> None:
    session.add(CaseEventRow(case_id=case.id, at=now(), author=author, kind=kind, text=text[:MAX_NOTE],
                             detail=detail))


def open_case(session: Session, run: AuditRunRow, kind: CaseKind, subject: str, author: str,
              assignee: str | None = None, note: str = "", client: str = "") -> tuple[CaseRow, bool]:
    """Open a case on a finding of `run`; returns (case, created). Reopens a dismissed case on new evidence."""
    finding = find_subject(run.findings or {}, kind, subject)
    if finding is None:
        raise CaseError(404, f"the latest audit has no {kind.value} {subject!r}")
    title, level, score, indicators, evidence = _summary(kind, finding)
    existing = session.scalar(select(CaseRow).where(CaseRow.kind == kind.value, CaseRow.subject == subject))
    if existing is not None:
        if existing.state != CaseState.DISMISSED:
            return existing, False
        if not has_new_evidence(existing, finding):
            raise CaseError(409, f"case {existing.id} on this {kind.value} was dismissed and the latest audit "
                                 "shows no new evidence")
        existing.state = CaseState.NEW.value
        existing.level, existing.score, existing.indicators, existing.evidence = level, score, indicators, evidence
        existing.run_id, existing.updated_at = run.id, now()
        _event(session, existing, author, "reopened", "new evidence since the dismissal", indicators=indicators,
               level=level)
        record(session, author, "case.reopen", str(existing.id), client, subject=subject)
        return existing, True
    case = CaseRow(kind=kind.value, subject=subject[:512], title=title, state=CaseState.NEW.value, assignee=assignee,
                   level=level, score=score, indicators=indicators, evidence=evidence, run_id=run.id,
                   created_by=author, created_at=now(), updated_at=now())
    session.add(case)
    session.flush()
    _event(session, case, author, "opened", note, run=run.id, level=level)
    record(session, author, "case.open", str(case.id), client, kind=kind.value, subject=subject)
    return case, True


def get_case(session: Session, case_id: int) -> CaseRow:
    case = session.get(CaseRow, case_id)
    if case is None:
        raise CaseError(404, f"no case {case_id}")
    return case


WatchlistFeed = Callable[[Session, CaseRow, str], str | None]
"""Called when a case is confirmed: puts its subject on the watchlist; returns the entry id (or None)."""


def change_state(session: Session, case: CaseRow, state: CaseState, author: str, note: str = "",
                 client: str = "", on_confirm: WatchlistFeed | None = None) -> None:
    current = CaseState(case.state)
    if state == current:
        return
    if state not in TRANSITIONS[current]:
        allowed = ", ".join(sorted(s.value for s in TRANSITIONS[current]))
        raise CaseError(409, f"a {current.value} case can move to {allowed}, not {state.value}")
    case.state = state.value
    case.updated_at = now()
    entry = None
    if state is CaseState.CONFIRMED and on_confirm is not None:
        entry = on_confirm(session, case, author)
    _event(session, case, author, "state", note, old=current.value, new=state.value, watchlist=entry)
    record(session, author, "case.state", str(case.id), client, old=current.value, new=state.value,
           watchlist=entry)


def assign(session: Session, case: CaseRow, assignee: str | None, author: str, client: str = "") -> None:
    if assignee == case.assignee:
        return
    old = case.assignee
    case.assignee = assignee
    case.updated_at = now()
    _event(session, case, author, "assigned", "", old=old, new=assignee)
    record(session, author, "case.assign", str(case.id), client, old=old, new=assignee)


def add_note(session: Session, case: CaseRow, author: str, text: str, client: str = "") -> None:
    text = text.strip()
    if not text:
        raise CaseError(422, "a note needs some text")
    if len(text) > MAX_NOTE:
        raise CaseError(422, f"a note has at most {MAX_NOTE:,} characters")
    case.updated_at = now()
    _event(session, case, author, "note", text)
    record(session, author, "case.note", str(case.id), client)


def link_evidence(session: Session, case: CaseRow, author: str, description: str, reference: str = "",
                  client: str = "") -> None:
    """Attach evidence an analyst found (a screenshot's location, a message, a URL) to the case."""
    description = description.strip()
    if not description:
        raise CaseError(422, "evidence needs a description")
    item = {"rule": "analyst-evidence", "indicator": "A", "weight": 0.0, "reason": description[:2000],
            "source": [f"analyst {author}"], "detector": "analyst", "excerpt": reference[:2000]}
    case.evidence = [*case.evidence, item]
    case.updated_at = now()
    _event(session, case, author, "evidence", description, reference=reference[:2000])
    record(session, author, "case.evidence", str(case.id), client)


def list_cases(session: Session, state: CaseState | None = None, assignee: str | None = None) -> list[CaseRow]:
    query = select(CaseRow).order_by(CaseRow.updated_at.desc(), CaseRow.id.desc())
    if state is not None:
        query = query.where(CaseRow.state == state.value)
    if assignee is not None:
        query = query.where(CaseRow.assignee == assignee)
    return list(session.scalars(query))


def events(session: Session, case: CaseRow) -> list[CaseEventRow]:
    return list(session.scalars(select(CaseEventRow).where(CaseEventRow.case_id == case.id)
                                .order_by(CaseEventRow.id)))


def dismissed_subjects(session: Session, kind: CaseKind) -> dict[str, CaseRow]:
    rows = session.scalars(select(CaseRow).where(CaseRow.kind == kind.value,
                                                 CaseRow.state == CaseState.DISMISSED.value))
    return {r.subject: r for r in rows}


def watchlist_feed(session: Session, case: CaseRow, author: str) -> str | None:
    """Put a confirmed account on the workspace watchlist (analyst provenance); campaigns list each account."""
    from falsefriends.watchlist.entries import Entry, EntryKind, Identifier, IdentifierKind, Provenance, Status
    from falsefriends.watchlist.repository import save_entries

    run = session.get(AuditRunRow, case.run_id) if case.run_id is not None else None
    findings = run.findings if run is not None and run.findings else {}
    if case.kind == CaseKind.CAMPAIGN.value:
        campaign = find_subject(findings, CaseKind.CAMPAIGN, case.subject) or {}
        keys = [str(k) for k in campaign.get("accounts", [])]
    else:
        keys = [case.subject]
    provenance = Provenance(source=f"case-{case.id}", status=Status.ANALYST, date=date.today().isoformat(),
                            title=f"confirmed by {author}", note=case.title[:500])
    entries: list[Entry] = []
    for key in keys:
        account = find_subject(findings, CaseKind.ACCOUNT, key) or {"account": key}
        url = account.get("url") or (key if "://" in key or key.startswith("linkedin.com/") else None)
        name = str(account.get("name") or "")
        identifiers = (Identifier(kind=IdentifierKind.PROFILE_URL, value=url),) if url else ()
        if not identifiers and not name:
            continue
        entry_id = f"analyst-case-{case.id}-{len(entries) + 1}"
        kind = EntryKind.ACCOUNT if identifiers else EntryKind.PERSONA
        entries.append(Entry(id=entry_id, kind=kind, name=name, employer=str(account.get("employer") or ""),
                             identifiers=identifiers, provenance=(provenance,)))
    if not entries:
        return None
    save_entries(session, entries, origin=f"case {case.id} confirmed by {author}")
    return ", ".join(e.id for e in entries)
