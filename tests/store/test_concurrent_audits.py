"""Audits run at once on one workspace: each succeeds, and the workspace ends as if they had run one by one.

Before the writer lock (store/lock.py), two audits on a fresh SQLite workspace raced in the migrations
("table accounts already exists", "duplicate column") and in the ingest (UNIQUE constraint failed).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from falsefriends.audit.campaigns import no_campaigns
from falsefriends.audit.run import run_audit
from falsefriends.audit.workspace_audit import Workspace
from falsefriends.check import Checker
from falsefriends.simulate.organisation import build_organisation
from falsefriends.simulate.organisation_writer import write_organisation
from falsefriends.store.db import make_engine
from falsefriends.store.lock import lock_path, workspace_lock
from falsefriends.store.tables import (
    AccountRow,
    ConnectionRow,
    IngestedFileRow,
    MessageCopyRow,
    MessageRow,
    QuarantineRow,
    StaffRow,
)

TABLES = (AccountRow, ConnectionRow, MessageRow, MessageCopyRow, IngestedFileRow, QuarantineRow, StaffRow)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("org")
    write_organisation(build_organisation(12, 5), out)
    return out


def _parts(world: Path) -> list[list[Path]]:
    """The exports in three disjoint parts of four (the personas write to staff of every part)."""
    exports = sorted((world / "exports").iterdir())
    assert len(exports) == 12
    return [exports[0:4], exports[4:8], exports[8:12]]


def _totals(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return {table.__tablename__: int(connection.execute(select(func.count()).select_from(table)).scalar_one())
                    for table in TABLES}
    finally:
        engine.dispose()


def _audit(world: Path, exports: list[Path], url: str, out: Path, checker: Checker) -> dict[str, int]:
    keeper = Workspace(url)
    try:
        result = run_audit(exports, world / "roster.csv", out, keep=keeper, checker=checker, campaigns=no_campaigns)
    finally:
        keeper.engine.dispose()
    return result.findings.summary.model_dump()


def _sequential(world: Path, url: str, tmp_path: Path, checker: Checker) -> tuple[dict[str, int], dict[str, int]]:
    """The workspace totals after the three parts audited one after the other, and a final audit of it all."""
    for index, part in enumerate(_parts(world)):
        _audit(world, part, url, tmp_path / f"seq{index}", checker)
    return _totals(url), _audit(world, _parts(world)[0], url, tmp_path / "seq-final", checker)


def test_three_audits_in_threads_at_once(world: Path, db_url: str, tmp_path: Path, rules_checker: Checker) -> None:
    failures: list[BaseException] = []
    barrier = threading.Barrier(3)

    def one(index: int, part: list[Path]) -> None:
        try:
            barrier.wait()
            _audit(world, part, db_url, tmp_path / f"thread{index}", rules_checker)
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=one, args=(i, part)) for i, part in enumerate(_parts(world))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not failures, failures
    concurrent = _totals(db_url)
    final = _audit(world, _parts(world)[0], db_url, tmp_path / "final", rules_checker)
    reference_url = f"sqlite:///{tmp_path / 'sequential.db'}"
    expected_totals, expected_final = _sequential(world, reference_url, tmp_path, rules_checker)
    assert concurrent == expected_totals
    assert final == expected_final and final["exports"] == 12


def test_three_audit_processes_at_once_on_a_fresh_sqlite_workspace(world: Path, tmp_path: Path,
                                                                   rules_checker: Checker) -> None:
    database = tmp_path / "workspace.db"
    script = "import sys; from falsefriends.cli import app; sys.argv[0] = 'falsefriends'; app()"
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", script, "audit", *map(str, part), "--roster", str(world / "roster.csv"),
             "--db", str(database), "--out", str(tmp_path / f"out{index}"), "--no-campaigns", "--quiet"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        for index, part in enumerate(_parts(world))
    ]
    outcomes = [(p.wait(timeout=300), p.stderr.read().decode(errors="replace") if p.stderr else "")
                for p in processes]
    for code, stderr in outcomes:
        assert code == 0 and "Traceback" not in stderr, stderr
    for index in range(3):
        findings = json.loads((tmp_path / f"out{index}" / "findings.json").read_text(encoding="utf-8"))
        assert findings["summary"]["exports"] >= 4  # its own exports, and those stored before it loaded
    url = f"sqlite:///{database}"
    concurrent = _totals(url)
    final = _audit(world, _parts(world)[0], url, tmp_path / "final", rules_checker)
    expected_totals, expected_final = _sequential(world, f"sqlite:///{tmp_path / 'sequential.db'}", tmp_path,
                                                  rules_checker)
    assert concurrent == expected_totals
    assert final == expected_final and final["exports"] == 12
    assert lock_path(make_engine(url)) == Path(f"{database}.lock")


def test_the_lock_makes_another_process_wait(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    engine = make_engine(url)
    marker = tmp_path / "got-it"
    waiter = ("import sys, pathlib; from falsefriends.store.db import make_engine; "
              "from falsefriends.store.lock import workspace_lock\n"
              f"with workspace_lock(make_engine({url!r})): pathlib.Path({str(marker)!r}).write_text('x')")
    with workspace_lock(engine):
        with workspace_lock(engine):  # re-entrant in the holding thread
            pass
        process = subprocess.Popen([sys.executable, "-c", waiter])
        time.sleep(1.5)
        assert not marker.exists()  # the other process waits for the lock
    assert process.wait(timeout=60) == 0
    assert marker.exists()
    engine.dispose()
