"""`falsefriends photos add CSV --db WS`: put the photos an officer collected in the workspace, for the audit."""

from __future__ import annotations

from pathlib import Path

import typer

app = typer.Typer(help="Profile photos kept in the workspace (their fingerprints), so the audit links accounts "
                       "that share one.", no_args_is_help=True)


@app.command("add")
def add(
    csv_file: Path = typer.Argument(..., metavar="CSV", help="profile_url,file: a picture file (relative to the "
                                                            "CSV) or a photo hash for each account"),
    db: str | None = typer.Option(None, "--db", help="workspace database URL or SQLite path "
                                                    "(default: falsefriends.db here; created as `audit` does)"),
) -> None:
    """Record each account's photo in the workspace, as `check --photo FILE --db` does for one; `audit --db` then
    links the accounts sharing a photo. Rows that cannot be used are listed with their line; the rest are kept."""
    from falsefriends.audit.workspace_audit import AuditFailed, Workspace
    from falsefriends.photo.seen_import import PhotoListError, record_photo_list

    try:
        workspace = Workspace(db)
        result = record_photo_list(workspace.engine, csv_file)
    except (AuditFailed, PhotoListError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None  # a usage error, as in `check`
    workspace.engine.dispose()
    for problem in result.problems:
        typer.echo(f"left out: {problem}", err=True)
    typer.echo(f"{result.recorded} photos recorded in {workspace.url}, {result.already} already there, "
               f"{len(result.problems)} rows left out")
