"""`falsefriends share export|import`: STIX 2.1 and MISP out of an audit, and into the watchlist (docs/sharing.md)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from falsefriends.store.defaults import DEFAULT_URL

app = typer.Typer(help="Share personas, organisations, campaigns and templates as STIX 2.1 or MISP.",
                  no_args_is_help=True)


@app.command("export")
def export(
    out: Path = typer.Option(..., "--out", help="file to write"),
    fmt: str = typer.Option("stix", "--format", help="stix (a STIX 2.1 bundle) or misp (a MISP event)"),
    findings: Path | None = typer.Option(None, "--findings", help="an audit's findings.json"),
    db: str | None = typer.Option(None, "--db", help="workspace: the latest audit stored by the service"),
    level: str = typer.Option("high", "--level", help="high, or medium (medium and high)"),
    campaign: str | None = typer.Option(None, "--campaign", help="only this campaign's personas"),
    tlp: str = typer.Option("amber", "--tlp", help="clear, green, amber, amber+strict or red"),
    producer: str = typer.Option("falsefriends workspace", "--producer", help="the name the receiver sees"),
) -> None:
    """Export an audit's personas and campaigns; staff never leave (only counts)."""
    from falsefriends.share.select import ShareError
    from falsefriends.share.service import export_document, latest_stored_findings

    if (findings is None) == (db is None):
        typer.echo("give exactly one of --findings FILE or --db URL", err=True)
        raise typer.Exit(2)
    if findings is not None:
        try:
            document = json.loads(findings.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            typer.echo(f"{findings}: cannot read findings: {error}", err=True)
            raise typer.Exit(2) from None
    else:
        from falsefriends.store.db import make_engine, session_scope, upgrade

        upgrade(str(db))
        engine = make_engine(str(db))
        try:
            with session_scope(engine) as session:
                stored = latest_stored_findings(session)
        finally:
            engine.dispose()
        if stored is None:
            typer.echo("no finished audit is stored in this workspace; use --findings FILE", err=True)
            raise typer.Exit(1)
        document = stored
    try:
        text = export_document(document, fmt, level=level, campaign=campaign, tlp=tlp, producer=producer)
    except ShareError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from None
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n", encoding="utf-8")
    typer.echo(f"wrote {out}")


@app.command("import")
def import_(
    paths: list[Path] = typer.Argument(..., help="STIX bundles, MISP event files, or folders of them (a MISP feed)"),
    db: str = typer.Option(DEFAULT_URL, "--db", help="workspace database: an SQLite path or a postgresql:// URL"),
    templates_out: Path | None = typer.Option(None, "--templates-out",
                                              help="also write the campaigns' templates (for check --templates)"),
    dry_run: bool = typer.Option(False, "--dry-run", help="read and report, store nothing"),
) -> None:
    """Import shared personas, organisations and accounts into the workspace watchlist, with provenance."""
    from falsefriends.share.importer import read_shared
    from falsefriends.watchlist.formats.errors import WatchlistFormatError

    missing = [p for p in paths if not p.exists()]
    if missing:
        typer.echo(f"no such file or folder: {missing[0]}", err=True)
        raise typer.Exit(2)
    try:
        result = read_shared(paths)
    except WatchlistFormatError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from None
    counts = {k: sum(e.kind.value == k for e in result.entries) for k in ("persona", "organisation", "account")}
    summary = ", ".join(f"{n} {k}s" for k, n in counts.items())
    if templates_out is not None:
        templates_out.write_text(json.dumps(result.templates_document(), ensure_ascii=False, indent=2) + "\n",
                                 encoding="utf-8")
        typer.echo(f"wrote {len(result.templates)} templates to {templates_out}")
    if dry_run:
        typer.echo(f"{len(result.files)} files: {summary} (dry run, nothing stored)")
        return
    from falsefriends.share.service import save_imported
    from falsefriends.store.db import make_engine, session_scope, upgrade

    upgrade(db)
    engine = make_engine(db)
    try:
        with session_scope(engine) as session:
            added, replaced = save_imported(session, result, origin="share import " + ", ".join(result.files))
    finally:
        engine.dispose()
    typer.echo(f"{len(result.files)} files: {summary}; {added} added, {replaced} replaced")
