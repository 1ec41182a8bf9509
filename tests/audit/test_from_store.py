"""Audit data read back from the workspace gives the same findings as the parsed exports."""

from __future__ import annotations

from pathlib import Path

from falsefriends.audit.data import StaffIndex
from falsefriends.audit.findings import build_findings
from falsefriends.audit.from_store import load_audit_data
from falsefriends.check import Checker
from falsefriends.model import IngestReport
from falsefriends.store.db import make_engine, session_scope, upgrade
from falsefriends.store.workspace import ingest_export

from .conftest import FakeExport, World


def _store(world: World, exports: list[FakeExport], url: str) -> None:
    engine = make_engine(url)
    upgrade(engine)
    index = StaffIndex(world.data.staff)
    for export in exports:
        with session_scope(engine) as session:
            ingest_export(session, export, index.match(export))
    engine.dispose()


def _load(world: World, url: str) -> object:
    engine = make_engine(url)
    with session_scope(engine) as session:
        data = load_audit_data(session, world.data.staff, [IngestReport(errors=("roster note",))])
    engine.dispose()
    return data


def test_workspace_round_trip_keeps_the_findings(world: World, raw_exports: list[FakeExport],
                                                 audit_checker: Checker, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ws.db'}"
    _store(world, raw_exports, url)
    _store(world, raw_exports, url)  # idempotent: a second ingest adds nothing
    data = _load(world, url)
    stored = build_findings(data, audit_checker)  # type: ignore[arg-type]
    direct = build_findings(world.data, audit_checker)

    def view(findings):  # type: ignore[no-untyped-def]
        return {a.account: (a.score, a.level, a.staff_approached, a.accepted_by, a.replied, a.asked_off_platform,
                            sorted((e.rule, e.excerpt) for e in a.evidence)) for a in findings.accounts}

    assert view(stored) == view(direct)
    assert [(s.staff_id, s.exposure, s.stage) for s in stored.staff] == [
        (s.staff_id, s.exposure, s.stage) for s in direct.staff]
    assert stored.summary.messages_scored == direct.summary.messages_scored
    assert "roster note" in stored.ingest.errors
