"""`falsefriends scan`: scan a platform's member tables (Parquet) for persona farms; see docs/scan.md."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer


class Engine(StrEnum):
    """Where the scan runs."""

    LOCAL = "local"
    SPARK = "spark"


def register(app: typer.Typer) -> None:
    """Add the scan command to the main application."""
    app.command("scan")(scan)


def scan(
    tables: Path = typer.Argument(..., metavar="TABLES_DIR",
                                  help="directory holding members, invitations, messages, connections .parquet"),
    out: Path = typer.Option(..., "--out", help="directory to write the results into"),
    engine: Engine = typer.Option(Engine.LOCAL, "--engine", help="one machine (default) or Apache Spark"),
    master: str | None = typer.Option(None, "--master", help="Spark master URL (default local[2]); --engine spark"),
    seeds: Path | None = typer.Option(None, "--seeds", help="trusted member ids, one per line (SybilRank seeds)"),
    semantic: bool = typer.Option(False, "--semantic", help="also run the semantic detector on each distinct text "
                                  "(slow: about 100-300 texts/s per core)"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress display"),
) -> None:
    """Score every account of a platform and write a review queue, campaigns and an HTML summary."""
    import time

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from falsefriends.scan import run_scan
    from falsefriends.scan.contract import ScanInputError

    console = Console(stderr=True, quiet=quiet)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, disable=quiet) as bar:
        tasks: dict[str, object] = {}

        started = time.perf_counter()

        def progress(step: str, done: int, total: int) -> None:
            task = tasks.get(step)
            if task is None:
                task = tasks[step] = bar.add_task(step, total=total or None)
                if not quiet and not console.is_terminal:
                    # A log (a file, a batch job): one line as each step starts, since no bar is drawn there.
                    typer.echo(f"[{time.perf_counter() - started:8.1f} s] {step}", err=True)
            bar.update(task, completed=done, total=total or None)  # type: ignore[arg-type]

        try:
            summary = run_scan(tables, out, engine=engine.value, master=master, semantic=semantic, seeds=seeds,
                               progress=progress)
        except (ScanInputError, ValueError, FileNotFoundError) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from exc
    counts = summary["counts"]
    console.print(
        f"{counts['accounts_with_evidence']:,} accounts with evidence, {summary['queue']:,} in the review queue "
        f"({summary['levels']['high']:,} high), {counts['campaigns']:,} campaigns, {counts['quarantined']:,} rows "
        f"quarantined; {summary['timings_s']['total']:.1f} s on the {summary['engine']} engine\n"
        f"written to {out} (review_queue.json, review_queue.parquet, accounts.parquet, campaigns.parquet, "
        "quarantine.parquet, summary.html, scan.json)", highlight=False)
