"""Organisation audit: from staff exports and a roster to scored accounts, staff exposure and figures."""

from __future__ import annotations

from falsefriends.audit.data import AuditData, StaffExport, from_exports
from falsefriends.audit.findings import build_findings
from falsefriends.audit.records import FINDINGS_FORMAT, AccountFinding, Findings, StaffFinding

__all__ = ["FINDINGS_FORMAT", "AccountFinding", "AuditData", "Findings", "StaffExport", "StaffFinding",
           "build_findings", "from_exports"]
