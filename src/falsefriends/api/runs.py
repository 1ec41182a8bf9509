"""Audit runs in the service: run the organisation audit on uploaded exports in the background, or import a
findings.json made by `falsefriends audit`, and serve the latest findings.

The audit itself is `falsefriends.audit.run.run_audit`; this module only feeds it files, records its
progress events in the run's row, and keeps the findings (the documented findings.json contract) as JSON.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Sequence
from concurrent.futures import Executor
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from falsefriends.api.tables import AuditRunRow
from falsefriends.api.users import now
from falsefriends.audit import FINDINGS_FORMAT, Findings
from falsefriends.check import Checker
from falsefriends.store import session_scope

log = logging.getLogger(__name__)

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"


class FindingsError(ValueError):
    """A findings document that does not follow the findings.json contract."""


REQUIRED_KEYS = ("format", "generated_at", "summary", "ingest", "accounts", "staff")
"""What every findings.json written by `falsefriends audit` holds: a document without them is not one."""


def parse_findings(raw: bytes) -> Any:
    """The JSON of an uploaded findings.json, with the batch contract's limits (strict UTF-8, a BOM dropped,
    standard JSON, no lone surrogates, nesting at most 32 deep, no integer over 4,300 digits)."""
    from falsefriends.batch import BOM, LineError, load_json

    try:
        return load_json(raw.removeprefix(BOM))
    except LineError as exc:
        raise FindingsError(f"the body is not a JSON document: {exc}") from None


def validate_findings(data: Any) -> dict[str, Any]:
    """Check a findings.json document against the contract; returns it as plain JSON.

    The document must be an object naming the contract's version (`"format": "falsefriends.findings/1"`) with
    every top-level part an audit writes, match the schema (no unknown field anywhere), and agree with itself
    (the summary counts the accounts and staff it lists): `{}` or another tool's JSON is refused, never stored
    as the newest audit.
    """
    if not isinstance(data, dict):
        raise FindingsError(f"expected a JSON object, got {type(data).__name__}")
    given = data.get("format")
    if given != FINDINGS_FORMAT:
        shown = "missing" if given is None else repr(given)[:80]
        raise FindingsError(f"format: {shown}; expected {FINDINGS_FORMAT!r} (the findings.json written by "
                            "`falsefriends audit` of this version)")
    missing = [key for key in REQUIRED_KEYS if key not in data or data[key] is None]
    if missing:
        raise FindingsError(f"missing: {', '.join(missing)}")
    try:
        findings = Findings.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[:5]
        raise FindingsError("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in first)) from None
    summary = findings.summary
    if summary.accounts != len(findings.accounts):
        raise FindingsError(f"summary.accounts is {summary.accounts} but the document lists "
                            f"{len(findings.accounts)} accounts")
    in_roster = sum(member.in_roster for member in findings.staff)
    if summary.staff != in_roster:
        raise FindingsError(f"summary.staff is {summary.staff} but the document lists {in_roster} roster staff")
    dumped: dict[str, Any] = findings.model_dump(mode="json")
    return dumped


def new_run(session: Session, user: str | None, source: str, state: str = QUEUED) -> AuditRunRow:
    row = AuditRunRow(created_at=now(), created_by=user, source=source, state=state, progress=0.0,
                      stage="queued" if state == QUEUED else "", error=None)
    session.add(row)
    session.flush()
    return row


def import_findings(session: Session, user: str | None, data: Any) -> AuditRunRow:
    """Store a findings.json document (parsed, or its raw bytes) as a finished run; FindingsError if invalid."""
    findings = validate_findings(parse_findings(data) if isinstance(data, bytes) else data)
    row = new_run(session, user, "import", DONE)
    row.findings = findings
    row.progress = 1.0
    row.stage = "imported"
    row.finished_at = now()
    session.flush()
    return row


def record_finished_run(engine: Engine, findings: dict[str, Any], source: str, user: str | None = None) -> int:
    """Keep the findings of an audit run elsewhere (`falsefriends audit` on this workspace) as a finished run:
    the service started on the workspace then shows it like its own. Returns the run's id."""
    with session_scope(engine) as session:
        row = new_run(session, (user or "")[:64] or None, source[:16], DONE)
        row.findings = findings
        row.progress = 1.0
        row.stage = "done"
        row.finished_at = now()
        session.flush()
        return row.id


def latest_run(session: Session) -> AuditRunRow | None:
    """The newest finished run: the findings every page and endpoint shows."""
    return session.scalar(select(AuditRunRow).where(AuditRunRow.state == DONE)
                          .order_by(AuditRunRow.id.desc()).limit(1))


def list_runs(session: Session, limit: int = 50) -> list[AuditRunRow]:
    return list(session.scalars(select(AuditRunRow).order_by(AuditRunRow.id.desc()).limit(limit)))


class _Progress:
    """Turns the audit's events into progress on the run's row (one short transaction per event)."""

    def __init__(self, engine: Engine, run_id: int) -> None:
        self.engine = engine
        self.run_id = run_id
        self.exports = 1

    def _set(self, progress: float, stage: str) -> None:
        with session_scope(self.engine) as session:
            row = session.get(AuditRunRow, self.run_id)
            if row is not None:
                row.progress = round(min(max(progress, 0.0), 1.0), 4)
                row.stage = stage[:500]

    def event(self, name: str, **fields: Any) -> None:
        if name == "roster_read":
            self._set(0.05, f"roster read: {fields.get('staff', 0)} staff")
        elif name == "exports_start":
            self.exports = max(int(fields.get("count", 1)), 1)
            self._set(0.1, f"reading {self.exports} exports")
        elif name in ("export_read", "export_rejected"):
            done = int(fields.get("index", 0)) + 1
            verb = "read" if name == "export_read" else "rejected"
            self._set(0.1 + 0.7 * done / self.exports, f"export {done}/{self.exports} {verb}")
        elif name == "findings":
            self._set(0.9, f"scored {fields.get('accounts', 0)} accounts")
        elif name == "written":
            self._set(0.95, "reports written")


def without_server_paths(value: Any, workdir: Path) -> Any:
    """`value` (a text or a JSON document) with the server's upload folders taken out of every path in it: what
    users read names the uploaded files (`alice.zip`), never where the server keeps them. Any run's folder goes
    (`<uploads>/run-…/000/`), since the workspace keeps the paths of earlier runs' exports too."""
    import json
    import re

    roots = sorted({str(workdir.parent), str(workdir.parent.resolve())}, key=len, reverse=True)
    as_text = isinstance(value, str)
    spelled = roots if as_text else [json.dumps(root, ensure_ascii=False)[1:-1] for root in roots]
    pattern = re.compile("|".join(re.escape(root) + r"/run-[A-Za-z0-9_]+(?:/\d{3,}(?=/))?/?" for root in spelled))
    if as_text:
        return pattern.sub("", value)
    return json.loads(pattern.sub("", json.dumps(value, ensure_ascii=False)))


def execute_run(engine: Engine, run_id: int, exports: Sequence[Path], roster: Path, workdir: Path,
                checker: Checker, campaigns: bool = True) -> None:
    """Run the audit for a queued run; the row ends `done` with findings, or `failed` with the reason.

    The audit is the one `falsefriends audit` runs (`audit_workspace`): the exports are kept in this workspace
    and the findings cover everything it holds, so the same files give the same findings through both doors.
    """
    from falsefriends.audit.run import AuditFailed
    from falsefriends.audit.workspace_audit import Workspace, audit_workspace

    with session_scope(engine) as session:
        row = session.get(AuditRunRow, run_id)
        if row is None:
            return
        row.state = RUNNING
        row.stage = "starting"
    try:
        result = audit_workspace(list(exports), roster, workdir / "out", Workspace(engine=engine),
                                 events=_Progress(engine, run_id), checker=checker, campaigns=campaigns)
        findings: dict[str, Any] | None = without_server_paths(result.findings.model_dump(mode="json"), workdir)
        error = None
    except AuditFailed as exc:
        findings, error = None, without_server_paths(str(exc), workdir)
    except Exception:  # the audit crashed: keep the service up, record the failure, log the details
        log.exception("audit run %s failed", run_id)
        findings, error = None, "the audit failed unexpectedly; the operator's log has the details"
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    with session_scope(engine) as session:
        row = session.get(AuditRunRow, run_id)
        if row is None:
            return
        row.finished_at = now()
        if findings is not None:
            row.state, row.findings, row.progress, row.stage = DONE, findings, 1.0, "done"
        else:
            row.state, row.error, row.stage = FAILED, (error or "")[:4000], "failed"


def submit_run(executor: Executor, engine: Engine, run_id: int, exports: Sequence[Path], roster: Path,
               workdir: Path, checker: Checker, campaigns: bool = True) -> None:
    executor.submit(execute_run, engine, run_id, exports, roster, workdir, checker, campaigns)
