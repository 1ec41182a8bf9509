"""`falsefriends audit`: which staff are being approached, by whom, and how exposed the organisation is."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from falsefriends.audit.data import AuditData, ExportLike, StaffIndex
    from falsefriends.check import Checker
    from falsefriends.model import IngestReport, StaffMember

# The audit, the store and the checker are imported inside the command (benchmarks/startup.py).

KEY_ENV = "FALSEFRIENDS_PSEUDONYM_KEY"
"""The environment variable of the pseudonym key (the same as `falsefriends.audit.pseudonym.KEY_ENV`)."""

EXIT_FATAL = 2
EXIT_NOTHING_READ = 1


class JsonLog:
    """One JSON object per line on stderr: `{"ts", "event", ...fields}`; hostile texts stay inside strings."""

    def event(self, name: str, **fields: Any) -> None:
        line = {"ts": datetime.now(UTC).isoformat(timespec="milliseconds"), "event": name, **fields}
        sys.stderr.write(json.dumps(line, ensure_ascii=True, default=str) + "\n")
        sys.stderr.flush()


class RichProgress:
    """A progress bar per export on stderr, and the rejected archives in plain words."""

    def __init__(self, console: Console) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.console = console
        self.progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), console=console, transient=True)
        self.task: Any = None

    def event(self, name: str, **fields: Any) -> None:
        if name == "exports_start":
            self.progress.start()
            self.task = self.progress.add_task("Reading exports", total=fields["count"])
        elif name in ("export_read", "export_rejected"):
            if name == "export_rejected":
                from rich.markup import escape

                from falsefriends.render import safe_text

                # the reason quotes names from inside the archive: shown inert, never as markup
                self.console.print(f"[red]rejected[/red] {escape(safe_text(Path(fields['export']).name))}: "
                                   f"{escape(safe_text(fields['error']))}", markup=True, highlight=False,
                                   soft_wrap=True)
            self.progress.advance(self.task)
        elif name == "source_skipped":
            self.console.print(f"[yellow]skipped[/yellow] {fields['error']}", highlight=False)
        elif name == "findings":
            self.progress.stop()
            self.console.print(f"Scored {fields['accounts']} outside accounts: {fields['high']} high, "
                               f"{fields['medium']} medium ({fields['seconds']} s).", highlight=False)

    def stop(self) -> None:
        self.progress.stop()


class Quiet:
    """--quiet: only rejected archives and fatal errors, on stderr."""

    def __init__(self, console: Console) -> None:
        self.console = console

    def event(self, name: str, **fields: Any) -> None:
        if name == "export_rejected":
            self.console.print(f"rejected {Path(fields['export']).name}: {fields['error']}", highlight=False,
                               markup=False)


def _pseudonym_key(given: str | None, db: str | None, out: Path) -> bytes:
    if given:
        return given.encode("utf-8")
    from_env = os.environ.get(KEY_ENV)
    if from_env:
        return from_env.encode("utf-8")
    from falsefriends.audit.pseudonym import load_or_create_key

    return load_or_create_key(_key_file(db, out))


def _key_file(db: str | None, out: Path) -> Path:
    """The per-workspace secret sits next to an SQLite workspace; other databases need --pseudonym-key."""
    from falsefriends.audit.run import AuditFailed
    from falsefriends.store.db import DEFAULT_URL, normalise_url

    url = normalise_url(db or DEFAULT_URL)
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        return Path(url[len("sqlite:///"):]).with_suffix(".pseudonym-key")
    raise AuditFailed(f"--pseudonymise with this database needs --pseudonym-key or ${KEY_ENV}")


def _workspace_checker(keep: object) -> Checker:
    """The checker with the workspace's watchlist (the bundled list plus the entries analysts added)."""
    from falsefriends.check import Checker
    from falsefriends.watchlist.provider import WatchlistProvider
    from falsefriends.watchlist.repository import load_watchlist

    engine = getattr(keep, "engine", None)
    return Checker(providers=[WatchlistProvider(load_watchlist(engine))])


def register(app: typer.Typer) -> None:
    """Add the audit command to the main application."""

    @app.command("audit")
    def audit(
        exports: list[Path] = typer.Argument(..., help="Export ZIP files, folders of ZIPs, or unzipped export "
                                                       "folders.", show_default=False),
        roster: Path = typer.Option(..., "--roster", help="Staff roster CSV: staff_id,name,department,sector,"
                                                          "profile_url,export_file."),
        out: Path = typer.Option(..., "--out", help="Folder for findings.json, findings.csv and report.html."),
        db: str | None = typer.Option(None, "--db", help="Workspace database URL or SQLite path "
                                                          "(default: falsefriends.db here)."),
        pseudonymise: bool = typer.Option(False, "--pseudonymise", help="Replace staff names, URLs and ids by "
                                                                       "stable pseudonyms in every output."),
        pseudonym_key: str | None = typer.Option(None, "--pseudonym-key", envvar=KEY_ENV,
                                                 help="Secret for the pseudonyms (default: a per-workspace "
                                                      "secret file next to the SQLite workspace)."),
        campaigns: bool = typer.Option(True, "--campaigns/--no-campaigns",
                                       help="Correlate accounts into campaigns (standardised messages, fan-out, "
                                            "coordinated personas; see docs/campaigns.md). On by default."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress or summary; errors only."),
        log_json: bool = typer.Option(False, "--log-json", help="Machine-readable JSON log lines on stderr."),
    ) -> None:
        """Audit staff LinkedIn exports: flagged accounts, who was approached, accepted, replied, moved off-platform."""
        from rich.console import Console

        from falsefriends.audit.campaigns import correlate_campaigns, no_campaigns
        from falsefriends.audit.run import AuditFailed, run_audit

        console = Console(stderr=True)
        events: JsonLog | RichProgress | Quiet
        events = JsonLog() if log_json else Quiet(console) if quiet else RichProgress(console)
        try:
            key = _pseudonym_key(pseudonym_key, db, out) if pseudonymise else None
            keep = _workspace_keeper(db)
            result = run_audit(exports, roster, out, events=events, pseudonym_key=key, keep=keep,
                               checker=_workspace_checker(keep),
                               campaigns=correlate_campaigns if campaigns else no_campaigns)
        except AuditFailed as exc:
            if isinstance(events, RichProgress):
                events.stop()
            if log_json:
                JsonLog().event("fatal", error=str(exc))
            else:
                console.print(f"error: {exc}", markup=False, highlight=False)
            nothing_read = str(exc).startswith("no export could be read")
            raise typer.Exit(EXIT_NOTHING_READ if nothing_read else EXIT_FATAL) from None
        if not quiet and not log_json:
            summary = result.findings.summary
            console.print(
                f"{summary.exports} exports, {summary.accounts} outside accounts "
                f"({summary.accounts_high} high, {summary.accounts_medium} medium); "
                f"{summary.staff_approached_flagged} staff approached by flagged accounts, "
                f"{summary.staff_exposure_high} at high exposure.", highlight=False)
            _print_not_read(console, result.findings.ingest.errors)
            for path in result.written:
                console.print(f"wrote {path}", highlight=False, markup=False)


NOT_READ_SHOWN = 20
"""How many notes on what could not be read the summary prints (all of them are in findings.json)."""


def _print_not_read(console: Console, notes: Sequence[str]) -> None:
    """The reader's notes and the rejected archives, inert (file names in an archive are not trusted)."""
    if not notes:
        return
    from falsefriends.render import safe_text

    console.print(f"What could not be read ({len(notes)}; all in findings.json ingest.errors and report.html):",
                  highlight=False, markup=False)
    for note in notes[:NOT_READ_SHOWN]:
        console.print(f"  - {safe_text(note)}", highlight=False, markup=False, soft_wrap=True)
    if len(notes) > NOT_READ_SHOWN:
        console.print(f"  and {len(notes) - NOT_READ_SHOWN} more", highlight=False, markup=False)


class Workspace:
    """The workspace database as the audit's keeper: one transaction per export, rejected archives listed."""

    def __init__(self, url: str) -> None:
        from falsefriends.audit.run import AuditFailed
        from falsefriends.store.db import make_engine, upgrade

        self.url = url
        self._index: StaffIndex | None = None
        try:
            self.engine = make_engine(url)
            upgrade(self.engine)
        except Exception as exc:  # any driver or migration failure: the workspace cannot be used
            raise AuditFailed(f"cannot open the workspace database {url}: {exc}") from exc

    def keep(self, export: ExportLike, staff: Sequence[StaffMember]) -> None:
        from falsefriends.audit.data import StaffIndex
        from falsefriends.store.db import write_scope
        from falsefriends.store.workspace import ingest_export

        if self._index is None or self._index.staff != tuple(staff):
            self._index = StaffIndex(staff)
        # under the workspace's writer lock: audits run at once on one workspace take turns per export
        with write_scope(self.engine) as session:
            ingest_export(session, export, self._index.match(export))

    def load(self, staff: Sequence[StaffMember], extra: Sequence[IngestReport]) -> AuditData:
        from falsefriends.audit.from_store import load_audit_data
        from falsefriends.store.db import write_scope

        # under the lock too: no export is read back half-written, on any backend's isolation level
        with write_scope(self.engine) as session:
            return load_audit_data(session, staff, extra)

    def rejected(self, path: Path, error: str) -> None:
        from falsefriends.store.db import write_scope
        from falsefriends.store.workspace import record_rejected

        with write_scope(self.engine) as session:
            record_rejected(session, path, error)


def _workspace_keeper(db: str | None) -> Workspace | None:
    """The workspace to keep exports in, or None when this installation has no workspace ingest."""
    if importlib.util.find_spec("falsefriends.store.workspace") is None:
        return None
    from falsefriends.store.db import DEFAULT_URL

    return Workspace(db or DEFAULT_URL)
