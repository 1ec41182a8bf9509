"""Run an organisation audit end to end: read the roster and exports, keep them, find, write the reports.

The command line is a thin shell around `run_audit`; progress and logs go through an `AuditEvents`
listener so the same run can show a progress bar, print JSON log lines, or stay silent.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from falsefriends.audit.campaigns import CampaignFinder, no_campaigns
from falsefriends.audit.data import AuditData, ExportLike, from_exports
from falsefriends.audit.findings import build_findings
from falsefriends.audit.pseudonym import pseudonymise
from falsefriends.audit.records import Findings
from falsefriends.audit.sources import expand_sources
from falsefriends.check import Checker
from falsefriends.model import IngestReport, QuarantinedRow, StaffMember
from falsefriends.report.write import write_reports


class AuditFailed(Exception):
    """A fatal error: the audit cannot produce a meaningful report (see docs/audit.md, exit codes)."""


class AuditEvents(Protocol):
    """Hears what the audit does, for progress bars and logs."""

    def event(self, name: str, **fields: Any) -> None: ...


class SilentEvents:
    def event(self, name: str, **fields: Any) -> None:
        return None


@dataclass(frozen=True)
class AuditResult:
    findings: Findings
    written: list[Path]
    rejected: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


ExportReader = Callable[[Path], ExportLike]


class Keeper(Protocol):
    """Keeps what the audit reads (the workspace database): each export, and each rejected archive."""

    def keep(self, export: ExportLike, staff: Sequence[StaffMember]) -> None: ...

    def rejected(self, path: Path, error: str) -> None: ...


@runtime_checkable
class WorkspaceKeeper(Keeper, Protocol):
    """A keeper that can also give everything back: the audit's findings then cover the whole workspace."""

    def load(self, staff: Sequence[StaffMember], extra: Sequence[IngestReport]) -> AuditData:
        """Everything kept so far (this run's exports and earlier ones), matched to the roster `staff`."""
        ...


def _combine(reports: Sequence[IngestReport], rejected: Sequence[str]) -> IngestReport:
    quarantine: list[QuarantinedRow] = []
    errors: list[str] = []
    for report in reports:
        quarantine.extend(report.quarantine)
        errors.extend(report.errors)
    errors.extend(rejected)
    return IngestReport(
        files=sum(r.files for r in reports), rows_read=sum(r.rows_read for r in reports),
        rows_accepted=sum(r.rows_accepted for r in reports), rows_quarantined=sum(r.rows_quarantined for r in reports),
        quarantine=tuple(quarantine), errors=tuple(errors),
    )


def _report(item: ExportLike | IngestReport) -> IngestReport:
    return item if isinstance(item, IngestReport) else item.report


def read_exports(paths: Sequence[Path], reader: ExportReader, events: AuditEvents,
                 keep: Keeper | None = None, staff: Sequence[StaffMember] = ()
                 ) -> tuple[list[ExportLike | IngestReport], list[str]]:
    """Read every export; one that fails is reported and skipped, the others are still read.

    An export kept in a workspace (a `WorkspaceKeeper`, read back whole later) is dropped once stored and
    only its report stays: one export of 100,000 connections held 400 MB until the reports were written.
    """
    from falsefriends.ingest.linkedin_export import ExportError

    exports: list[ExportLike | IngestReport] = []
    rejected: list[str] = []
    events.event("exports_start", count=len(paths))
    for index, path in enumerate(paths):
        started = time.perf_counter()
        try:
            export = reader(path)
        except (ExportError, OSError, ValueError) as exc:
            why = "rejected" if isinstance(exc, ExportError) else "could not be read"
            rejected.append(f"{path.name}: {why}: {exc}")
            events.event("export_rejected", export=str(path), index=index, error=str(exc))
            if keep is not None:
                keep.rejected(path, str(exc))
            continue
        if keep is not None:
            keep.keep(export, staff)
        report = export.report
        exports.append(report if isinstance(keep, WorkspaceKeeper) else export)
        del export
        for note in report.errors:
            events.event("export_note", export=str(path), index=index, note=note)
        events.event("export_read", export=str(path), index=index, rows_read=report.rows_read,
                     rows_accepted=report.rows_accepted, rows_quarantined=report.rows_quarantined,
                     seconds=round(time.perf_counter() - started, 4))
    return exports, rejected


def run_audit(
    export_paths: Sequence[Path],
    roster_path: Path,
    out_dir: Path,
    *,
    events: AuditEvents | None = None,
    checker: Checker | None = None,
    pseudonym_key: bytes | None = None,
    reader: ExportReader | None = None,
    keep: Keeper | None = None,
    campaigns: CampaignFinder = no_campaigns,
    language: str = "en",
    pdf: bool = False,
) -> AuditResult:
    """Audit the exports against the roster and write findings.json, findings.csv, staff.csv and report.html
    (and report.pdf with `pdf`) to `out_dir`, reasons and advice in `language` (en, fr, de).

    `keep` stores each export in the workspace as it is read (the CLI passes the workspace ingest);
    `pseudonym_key`, when given, pseudonymises every output. Raises AuditFailed on a fatal error.
    """
    from falsefriends.ingest.linkedin_export import read_export
    from falsefriends.ingest.roster import read_roster

    events = events or SilentEvents()
    timings: dict[str, float] = {}
    started = time.perf_counter()
    try:
        staff, roster_report = read_roster(roster_path)
    except (OSError, ValueError) as exc:
        raise AuditFailed(f"cannot read the roster {roster_path}: {exc}") from exc
    if not staff:
        raise AuditFailed(f"the roster {roster_path} has no usable staff row")
    events.event("roster_read", roster=str(roster_path), staff=len(staff),
                 rows_quarantined=roster_report.rows_quarantined)
    paths, problems = expand_sources(export_paths)
    for problem in problems:
        events.event("source_skipped", error=problem)
    exports, rejected = read_exports(paths, reader or read_export, events, keep, staff)
    timings["ingest"] = time.perf_counter() - started
    if not exports:
        raise AuditFailed("no export could be read: " + "; ".join([*problems, *rejected][:10]))
    if isinstance(keep, WorkspaceKeeper):
        # The workspace holds this run's exports and every earlier one (and the archives it rejected); the
        # reader's notes on this run's exports (decoding, unknown columns, files not read) are not stored
        # there, so they come along here.
        skipped = IngestReport(errors=(*problems, *(note for e in exports for note in _report(e).errors)))
        loading = time.perf_counter()
        data = keep.load(staff, [roster_report, skipped])
        timings["load"] = time.perf_counter() - loading
        events.event("workspace_loaded", exports=len(data.exports), seconds=round(timings["load"], 3))
    else:
        parsed = [e for e in exports if not isinstance(e, IngestReport)]
        data = from_exports(parsed, staff, _combine([roster_report, *(e.report for e in parsed)],
                                                    [*problems, *rejected]))
    started = time.perf_counter()
    findings = build_findings(data, checker, campaigns=campaigns)
    if pseudonym_key is not None:
        findings = pseudonymise(findings, data.staff, pseudonym_key)
    timings["detect"] = time.perf_counter() - started
    events.event("findings", accounts=findings.summary.accounts, high=findings.summary.accounts_high,
                 medium=findings.summary.accounts_medium, staff_exposed_high=findings.summary.staff_exposure_high,
                 seconds=round(timings["detect"], 3))
    started = time.perf_counter()
    try:
        written = write_reports(findings, out_dir, language=language, pdf=pdf)
    except OSError as exc:
        raise AuditFailed(f"cannot write the reports to {out_dir}: {exc}") from exc
    timings["report"] = time.perf_counter() - started
    events.event("written", files=[str(p) for p in written], seconds=round(timings["report"], 3))
    return AuditResult(findings=findings, written=written, rejected=[*problems, *rejected], timings=timings)
