"""`falsefriends audit`: which staff are being approached, by whom, and how exposed the organisation is."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from falsefriends.cli.check_cmd import Lang  # the same choices as check --lang

if TYPE_CHECKING:
    from rich.console import Console

    from falsefriends.audit.records import Findings
    from falsefriends.audit.workspace_audit import Workspace

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


def _record_run(workspace: Workspace, findings: Findings) -> int:
    """Keep the findings in the workspace as a finished run, so a service started on it shows this audit."""
    from falsefriends.api.runs import record_finished_run

    return record_finished_run(workspace.engine, findings.model_dump(mode="json"), source="cli",
                               user=os.environ.get("USER") or None)


def register(app: typer.Typer) -> None:
    """Add the audit command to the main application."""

    @app.command("audit")
    def audit(
        exports: list[Path] = typer.Argument(..., help="Export ZIP files, folders of ZIPs, or unzipped export "
                                                       "folders.", show_default=False),
        roster: Path = typer.Option(..., "--roster", help="Staff roster CSV: staff_id,name,department,sector,"
                                                          "profile_url,export_file."),
        out: Path = typer.Option(..., "--out", help="Folder for findings.json, findings.csv, staff.csv and "
                                                    "report.html."),
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
        lang: Lang = typer.Option(Lang.en, "--lang", help="Language of the reasons and advice in report.html, "
                                                          "report.pdf and the CSVs.", case_sensitive=False),
        pdf: bool = typer.Option(False, "--pdf", help="Also print report.pdf from the report (needs Debian's "
                                                      "chromium package)."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress or summary; errors only."),
        log_json: bool = typer.Option(False, "--log-json", help="Machine-readable JSON log lines on stderr."),
    ) -> None:
        """Audit staff LinkedIn exports: flagged accounts, who was approached, accepted, replied, moved off-platform."""
        from rich.console import Console

        from falsefriends.audit.run import AuditFailed
        from falsefriends.audit.workspace_audit import Workspace, audit_workspace

        console = Console(stderr=True)
        events: JsonLog | RichProgress | Quiet
        events = JsonLog() if log_json else Quiet(console) if quiet else RichProgress(console)
        if pdf:
            from falsefriends.report.pdf import CHROMIUM_ENV, chromium_path

            if chromium_path() is None:  # before the audit, not after it
                console.print(f"error: --pdf needs Chromium: apt-get install chromium, or set ${CHROMIUM_ENV}",
                              markup=False, highlight=False)
                raise typer.Exit(EXIT_FATAL)
        try:
            key = _pseudonym_key(pseudonym_key, db, out) if pseudonymise else None
            workspace = Workspace(db)
            result = audit_workspace(exports, roster, out, workspace, events=events, pseudonym_key=key,
                                     campaigns=campaigns, language=lang.value, pdf=pdf)
            shown_as = _record_run(workspace, result.findings)
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
            console.print(f"kept in the workspace {workspace.url} as audit run {shown_as}: `falsefriends serve "
                          f"--db {workspace.url}` shows it", highlight=False, markup=False, soft_wrap=True)


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
