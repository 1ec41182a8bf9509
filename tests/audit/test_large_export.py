"""Scale edge (Hardening item 8): one export with a 100,000-row Connections.csv audits whole, nothing lost.

How long it takes is measured in benchmarks/audit_large_export.py (benchmarks/README.md), not here: a time
bound in a test fails on a loaded machine and proves nothing about speed.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from falsefriends.audit.campaigns import correlate_campaigns
from falsefriends.audit.run import run_audit
from falsefriends.audit.workspace_audit import Workspace, workspace_checker
from falsefriends.simulate.large_export import write_large_export
from falsefriends.store.db import session_scope
from falsefriends.store.tables import AccountRow, ConnectionRow, QuarantineRow

CONNECTIONS = 100_000


def test_a_100000_row_export_audits_with_every_row_accounted_for(tmp_path: Path) -> None:
    large = write_large_export(tmp_path / "org", connections=CONNECTIONS)
    keep = Workspace(f"sqlite:///{tmp_path / 'ws.db'}")
    result = run_audit([large.archive], large.roster, tmp_path / "out", keep=keep,
                       checker=workspace_checker(keep.engine), campaigns=correlate_campaigns)

    ingest = result.findings.ingest
    # every row of the archive's five files is accepted or quarantined, none lost
    assert ingest.rows_read == ingest.rows_accepted + ingest.rows_quarantined
    assert ingest.rows_read >= large.connection_rows + large.invitation_rows + large.message_rows
    broken = [q for q in ingest.quarantine if q.file.endswith(":Connections.csv")]
    assert len(broken) == large.broken_rows
    assert all(q.line > large.connection_rows and q.reason for q in broken)

    accepted_connections = large.connection_rows - large.broken_rows
    with session_scope(keep.engine) as session:
        assert session.scalar(select(func.count()).select_from(ConnectionRow)) == accepted_connections
        assert session.scalar(select(func.count()).select_from(QuarantineRow)) == ingest.rows_quarantined
        accounts = session.scalar(select(func.count()).select_from(AccountRow))
    assert accounts is not None and accounts > accepted_connections  # every contact, the member, the senders
    # every contact is scored, the profile-only ones included; the planted approaches are still found
    assert result.findings.summary.accounts >= accepted_connections
    assert result.findings.summary.accounts_high + result.findings.summary.accounts_medium >= 1
    assert result.findings.summary.staff_approached_flagged == 1
    assert (tmp_path / "out" / "findings.json").stat().st_size > 0
    keep.engine.dispose()
