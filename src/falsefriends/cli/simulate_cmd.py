"""`falsefriends simulate`: write a synthetic organisation (LinkedIn exports) or network (Parquet) with its truth."""

from __future__ import annotations

from pathlib import Path

import typer

# The generators are imported inside the command (benchmarks/startup.py).


def register(app: typer.Typer) -> None:
    """Add the simulate command to the main application."""
    app.command("simulate")(simulate)


def simulate(
    out: Path = typer.Option(..., "--out", help="directory to write the world into"),
    staff: int | None = typer.Option(None, "--staff", min=5, help="an organisation of this many staff"),
    members: int | None = typer.Option(None, "--members", min=100, help="a platform network of this many members"),
    seed: int = typer.Option(1, "--seed", help="random seed: the same seed writes the same files"),
    fmt: str = typer.Option("", "--format", help="'linkedin' (organisation, default) or 'parquet' (network)"),
    campaigns: int | None = typer.Option(None, "--campaigns", min=1, help="planted campaigns (organisation)"),
    chunk: int = typer.Option(50_000, "--chunk", min=1000, help="members per streamed chunk (network)"),
    photos: float = typer.Option(0.0, "--photos", min=0.0, max=1.0,
                                 help="add generated profile photos (every persona, personas of a campaign sharing "
                                      "one; this share of other members, or of an organisation's outside "
                                      "contacts: photos/ with photos.csv)"),
    multilingual: bool = typer.Option(False, "--multilingual",
                                      help="organisation: each persona of a campaign writes in its own language "
                                           "(en, fr, de), the campaign's texts translations of one another"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress bar"),
) -> None:
    """Write a synthetic world with planted campaigns and its ground truth (truth.json)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from falsefriends.simulate.network import write_network
    from falsefriends.simulate.organisation import build_organisation
    from falsefriends.simulate.organisation_writer import write_organisation

    console = Console(stderr=True, quiet=quiet)
    if (staff is None) == (members is None):
        raise typer.BadParameter("give exactly one of --staff (organisation) or --members (network)")
    fmt = fmt or ("parquet" if members is not None else "linkedin")
    if members is not None and fmt != "parquet":
        raise typer.BadParameter("a network world is written as --format parquet")
    if staff is not None and fmt != "linkedin":
        raise typer.BadParameter("an organisation world is written as LinkedIn exports (--format linkedin)")
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, disable=quiet) as progress:
        if staff is not None:
            world = build_organisation(staff, seed, campaigns, multilingual=multilingual)
            task = progress.add_task("writing exports", total=staff)
            truth = write_organisation(world, out, lambda done: progress.update(task, completed=done), photos=photos)
            summary = (f"organisation of {staff} staff, seed {seed}: {len(truth['campaigns'])} campaigns, "
                       f"{len(truth['hostile_accounts'])} hostile accounts, "
                       f"{sum(1 for m in truth['messages'] if m['lure'])} lures")
            if "photos" in truth:
                summary += f"; photos in {out / truth['photos']['file']}"
        else:
            assert members is not None
            if multilingual:
                raise typer.BadParameter("--multilingual applies to organisation worlds (--staff)")
            task = progress.add_task("generating members", total=members)
            truth = write_network(members, seed, out, chunk=chunk, photos=photos,
                                  progress=lambda done: progress.update(task, completed=done))
            rows = ", ".join(f"{k} {v:,}" for k, v in truth["rows"].items())
            summary = (f"network of {members:,} members, seed {seed}: {len(truth['campaigns'])} campaigns, "
                       f"{len(truth['hostile_accounts'])} hostile accounts; rows: {rows}")
    console.print(f"{summary}\nwritten to {out}")
