"""`falsefriends watchlist list | show | add | import | export | match | eval | algorithm`: the analyst's view.

The bundled list (public reporting) is always there; entries added or imported go to the workspace
database (`--db`) and override bundled entries with the same id. Every text shown comes from lists that
may be hostile, so it is printed without markup interpretation.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from falsefriends.store.defaults import DEFAULT_URL
from falsefriends.watchlist.entries import EntryKind, Status
from falsefriends.watchlist.features import LOGIC_V1
from falsefriends.watchlist.formats import READ_FORMATS, WRITE_FORMATS

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from falsefriends.watchlist.entries import Entry, Watchlist

# SQLAlchemy, the matcher and rich are imported inside the commands (benchmarks/startup.py); the options'
# choices and defaults above are light.

app = typer.Typer(help="Known personas, front organisations, handles and photos, with their sources.",
                  no_args_is_help=True)

DB_OPTION = typer.Option(DEFAULT_URL, "--db", help="workspace database: an SQLite path or a postgresql:// URL")


def _read_engine(db: str) -> Engine | None:
    """The workspace engine if it exists and has watchlist tables; None means: the bundled list only."""
    from sqlalchemy import inspect
    from sqlalchemy.engine import make_url

    from falsefriends.store.db import make_engine, normalise_url

    url = make_url(normalise_url(db))
    if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).exists():
        return None
    engine = make_engine(db)
    if not inspect(engine).has_table("watchlist_entries"):
        engine.dispose()
        return None
    return engine


def _watchlist(db: str, bundled: bool = True) -> Watchlist:
    from falsefriends.watchlist.repository import load_watchlist

    engine = _read_engine(db)
    try:
        return load_watchlist(engine, with_bundled=bundled)
    finally:
        if engine is not None:
            engine.dispose()


def _save(db: str, entries: list[Entry], origin: str) -> tuple[int, int]:
    from falsefriends.store.db import make_engine, session_scope, upgrade
    from falsefriends.watchlist.repository import save_entries

    upgrade(db)
    engine = make_engine(db)
    try:
        with session_scope(engine) as session:
            return save_entries(session, entries, origin)
    finally:
        engine.dispose()


@app.command("list")
def list_entries(
    kind: EntryKind | None = typer.Option(None, "--kind", help="only this kind"),
    source: str | None = typer.Option(None, "--source", help="only entries listed by this source id"),
    db: str = DB_OPTION,
) -> None:
    """List entries: id, kind, name, status, sources (bundled and workspace)."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    table = Table("id", "kind", "name", "status", "sources", "front")
    table.columns[0].overflow = "fold"
    for entry in _watchlist(db).entries:
        if kind and entry.kind is not kind:
            continue
        sources = [p.source for p in entry.provenance]
        if source and source not in sources:
            continue
        front = "" if entry.kind is not EntryKind.ORGANISATION else ("yes" if entry.front else "no (real)")
        table.add_row(*(escape(x) for x in (entry.id, entry.kind.value, entry.name or entry.identifiers[0].value,
                                            entry.status.value, ", ".join(sources), front)))
    Console().print(table)


@app.command("show")
def show(entry_id: str = typer.Argument(..., help="an entry id (see `watchlist list`)"),
         as_json: bool = typer.Option(False, "--json", help="the full record as JSON"), db: str = DB_OPTION) -> None:
    """Show one entry with every name it goes by and every source that listed it."""
    from rich.console import Console
    from rich.markup import escape

    entry = _watchlist(db).get(entry_id)
    if entry is None:
        typer.echo(f"error: no entry {entry_id!r}", err=True)
        raise typer.Exit(1)
    if as_json:
        typer.echo(json.dumps(entry.model_dump(mode="json"), ensure_ascii=False, indent=2))
        return
    console = Console()
    console.print(f"[bold]{escape(entry.name or entry.id)}[/bold]  ({escape(entry.id)}, {entry.kind.value})")
    for label, value in (("aliases", ", ".join(entry.aliases)), ("acronyms", ", ".join(entry.acronyms)),
                         ("transliterations", ", ".join(entry.transliterations)), ("role", entry.role),
                         ("employer", entry.employer + ("" if entry.employer_is_front is None else
                                                        " (listed front)" if entry.employer_is_front else
                                                        " (real institution, not a front)")),
                         ("identifiers", ", ".join(f"{i.kind.value}:{i.value}" for i in entry.identifiers)),
                         ("confidence", f"{entry.confidence:g}"), ("first seen", str(entry.first_seen or "")),
                         ("last seen", str(entry.last_seen or "")), ("expires", str(entry.expires or "")),
                         ("note", entry.note)):
        if value:
            console.print(f"  {label}: {escape(value)}")
    if entry.kind is EntryKind.ORGANISATION and not entry.front:
        console.print("  a real institution that personas claimed: NOT a front; its staff are not suspect")
    console.print("  sources:")
    for p in entry.provenance:
        console.print(f"    - {escape(p.source)} {escape(f'[{p.status.value}]')} {escape(p.date or '')} "
                      f"{escape(p.title)}")
        for url in p.urls:
            console.print(f"      {escape(url)}")


@app.command("add")
def add(
    name: str = typer.Option("", "--name", help="the persona's or organisation's name as published"),
    kind: EntryKind = typer.Option(EntryKind.PERSONA, "--kind", help="what the entry is"),
    alias: list[str] = typer.Option([], "--alias", help="another name it goes by (repeat for several)"),
    acronym: list[str] = typer.Option([], "--acronym", help="an acronym of the organisation (repeatable)"),
    transliteration: list[str] = typer.Option([], "--transliteration", help="pinyin or Hanzi"),
    employer: str = typer.Option("", "--employer", help="the employer a persona claims"),
    role: str = typer.Option("", "--role", help="the role a persona claims, e.g. headhunter"),
    identifier: list[str] = typer.Option([], "--identifier", help="kind:value, e.g. wechat:jana_luo88"),
    photo_file: list[Path] = typer.Option([], "--photo-file", help="a photo the persona used (its perceptual "
                                                                    "fingerprint is stored, not the picture)"),
    source: str = typer.Option("analyst", "--source", help="source id"),
    status: Status = typer.Option(Status.ANALYST, "--status", help="how far the source is established"),
    url: list[str] = typer.Option([], "--url", help="source URL"),
    published: str | None = typer.Option(None, "--date", help="date the source was published"),
    note: str = typer.Option("", "--note", help="a note for other analysts"),
    expires: str | None = typer.Option(None, "--expires", help="ISO date after which the entry is not matched"),
    entry_id: str | None = typer.Option(None, "--id", help="the entry's id (default: made from the name); "
                                                           "an existing id is replaced"),
    db: str = DB_OPTION,
) -> None:
    """Add (or replace, with the same --id) one entry in the workspace."""
    from falsefriends.watchlist.entries import Entry, Identifier, IdentifierKind, Provenance
    from falsefriends.watchlist.formats.defaults import make_id

    try:
        identifiers = []
        for item in identifier:
            id_kind, _, value = item.partition(":")
            identifiers.append(Identifier(kind=IdentifierKind(id_kind), value=value))
        if photo_file:
            from falsefriends.photo.evidence import photo_hash_of_file

            identifiers.extend(Identifier(kind=IdentifierKind.PHOTO_HASH, value=photo_hash_of_file(path))
                               for path in photo_file)
        prefix = "persona" if kind is EntryKind.PERSONA else "org" if kind is EntryKind.ORGANISATION else kind.value
        existing = {e.id for e in _watchlist(db).entries}
        entry = Entry(
            id=entry_id or make_id(prefix, name or (identifiers[0].value if identifiers else ""), existing),
            kind=kind, name=name, aliases=tuple(alias), acronyms=tuple(acronym),
            transliterations=tuple(transliteration), employer=employer, role=role, identifiers=tuple(identifiers),
            provenance=(Provenance(source=source, status=status, date=published, urls=tuple(url)),), note=note,
            expires=date.fromisoformat(expires) if expires else None)
    except ValueError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    _save(db, [entry], "add")
    typer.echo(f"saved {entry.id}")


@app.command("import")
def import_file(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="a list: YAML, CSV, FtM JSON lines, STIX"),
    fmt: str | None = typer.Option(None, "--format", help=f"one of {', '.join(READ_FORMATS)} (default: by name)"),
    source: str | None = typer.Option(None, "--source", help="source id for records without one"),
    status: Status = typer.Option(Status.ANALYST, "--status", help="status for records without one"),
    url: str | None = typer.Option(None, "--url", help="source URL for records without one"),
    published: str | None = typer.Option(None, "--date", help="publication date for records without one"),
    dry_run: bool = typer.Option(False, "--dry-run", help="validate and count, store nothing"),
    db: str = DB_OPTION,
) -> None:
    """Import a published or shared list into the workspace; every bad record is reported as file:line."""
    from falsefriends.watchlist.formats import ImportDefaults, WatchlistFormatError, read_watchlist

    defaults = ImportDefaults(source=source or file.stem, status=status, url=url, date=published)
    try:
        imported = read_watchlist(file, fmt, defaults)
    except WatchlistFormatError as error:
        typer.echo(str(error), err=True)
        typer.echo(f"{len(error.problems)} problem(s); nothing imported", err=True)
        raise typer.Exit(1) from None
    except ValueError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    if dry_run:
        typer.echo(f"{len(imported.entries)} valid entries in {file} (dry run, nothing stored)")
        return
    added, replaced = _save(db, list(imported.entries), f"import:{file.name}")
    typer.echo(f"imported {len(imported.entries)} entries from {file}: {added} added, {replaced} replaced")


@app.command("export")
def export(
    fmt: str = typer.Option("yaml", "--format", help=f"one of {', '.join(WRITE_FORMATS)}"),
    out: Path | None = typer.Option(None, "--out", help="file to write (default: standard output)"),
    workspace_only: bool = typer.Option(False, "--workspace-only", help="leave the bundled list out"),
    db: str = DB_OPTION,
) -> None:
    """Export the list (bundled and workspace entries) as YAML, CSV or FtM JSON lines."""
    from falsefriends.watchlist.formats import write_watchlist

    try:
        text = write_watchlist(_watchlist(db, bundled=not workspace_only), fmt)
    except ValueError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {out}", err=True)


@app.command("match")
def match(
    name: str = typer.Argument("", help="a persona or organisation name"),
    employer: str = typer.Option("", "--employer", help="the employer the profile claims"),
    url: str | None = typer.Option(None, "--url", help="the profile URL"),
    handle: list[str] = typer.Option([], "--handle", help="a handle or phone the profile gave"),
    photo: str | None = typer.Option(None, "--photo", help="the profile photo's perceptual hash (hex)"),
    photo_file: Path | None = typer.Option(None, "--photo-file", help="the profile photo itself (it is hashed)"),
    threshold: float | None = typer.Option(None, "--threshold", help=f"default {LOGIC_V1.threshold}"),
    as_json: bool = typer.Option(False, "--json", help="print the matches as JSON"),
    db: str = DB_OPTION,
) -> None:
    """Match a name (and optionally a profile's employer, URL, handles, photo) and say why it matched."""
    from rich.console import Console
    from rich.markup import escape

    from falsefriends.model import Account
    from falsefriends.watchlist.matcher import WatchlistMatcher
    from falsefriends.watchlist.provider import WatchlistProvider

    if photo_file is not None:
        from falsefriends.photo.decode import PhotoError
        from falsefriends.photo.evidence import photo_hash_of_file

        try:
            photo = photo_hash_of_file(photo_file)
        except PhotoError as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(2) from None
    watchlist = _watchlist(db)
    matcher = WatchlistMatcher(watchlist)
    hits = matcher.match_name(name, threshold=threshold) if name else []
    account = Account(name=name, employer=employer, url=url, handles=tuple(handle), photo=photo)
    evidence = WatchlistProvider(matcher=matcher).profile_evidence(account)
    if as_json:
        typer.echo(json.dumps({
            "algorithm": matcher.algorithm.name,
            "hits": [{"entry": h.entry.id, "kind": h.entry.kind.value, "form": h.form, "score": h.score,
                      "features": [asdict(f) for f in h.features],
                      "sources": [p.source for p in h.entry.provenance]} for h in hits],
            "evidence": [e.model_dump(mode="json") for e in evidence],
        }, ensure_ascii=False, indent=2))
        return
    console = Console()
    if not hits and name:
        console.print(f"no listed name matches {escape(name)!r} (threshold {threshold or LOGIC_V1.threshold})")
    for hit in hits:
        console.print(f"[bold]{hit.score:.2f}[/bold] {escape(hit.entry.id)} ({hit.entry.kind.value}, "
                      f"{hit.entry.status.value}: {escape(', '.join(p.source for p in hit.entry.provenance))}) "
                      f"via {escape(hit.form)!r}")
        for feature in hit.features:
            console.print(f"    {feature.name:26} value {feature.value:<6g} x weight {feature.weight:<5g} = "
                          f"{feature.contribution:+.3f}")
    if evidence:
        console.print("as profile evidence:")
        for item in evidence:
            console.print(f"  {item.rule} [{item.indicator}] weight {item.weight:+.2f}: {escape(item.reason)}")


@app.command("eval")
def evaluate_command(seed: int = typer.Option(7, "--seed", help="seed of the generated variants and decoys"),
                     per_kind: int = typer.Option(3, "--per-kind", help="variants generated per kind of change"),
                     as_json: bool = typer.Option(False, "--json", help="print the report as JSON")) -> None:
    """Precision and recall of name matching on generated variants and decoys of the bundled list."""
    from falsefriends.watchlist.bundled import bundled_watchlist
    from falsefriends.watchlist.evaluate import evaluate, format_report

    report = evaluate(bundled_watchlist(), seed=seed, per_kind=per_kind)
    typer.echo(json.dumps(asdict(report), indent=2) if as_json else format_report(report))


@app.command("algorithm")
def algorithm() -> None:
    """The matching algorithm's features, weights and documentation, and the evidence weights."""
    from rich.console import Console
    from rich.markup import escape

    from falsefriends.watchlist.provider import WEIGHTS

    console = Console()
    console.print(f"[bold]{LOGIC_V1.name}[/bold]: match at score >= {LOGIC_V1.threshold}")
    for item in LOGIC_V1.describe():
        console.print(f"\n[bold]{item['feature']}[/bold] ({item['mode']}, weight {item['weight']})")
        console.print(f"  {escape(str(item['doc']))}")
    console.print("\n[bold]evidence rules[/bold] (log-odds; fusion bias -3.0, medium 0.30, high 0.70)")
    for rule in WEIGHTS.values():
        console.print(f"  {rule.rule:46} {rule.indicator:3} {rule.weight:+.1f}  {escape(rule.why)}")
