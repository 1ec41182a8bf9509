"""`falsefriends eval DIR`: run the detectors over a simulated world and compare with its truth."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

# The evaluation and the checker are imported inside the command (benchmarks/startup.py).


def register(app: typer.Typer) -> None:
    """Add the eval command to the main application."""
    app.command("eval")(eval_world)


def _f(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def eval_world(
    directory: Path = typer.Argument(..., exists=True, file_okay=False, help="a world written by `simulate`"),
    as_json: bool = typer.Option(False, "--json", help="print the figures as JSON"),
    max_messages: int = typer.Option(5000, "--max-messages", min=1,
                                     help="network worlds: score a uniform sample of at most this many messages"),
    max_accounts: int = typer.Option(5000, "--max-accounts", min=1,
                                     help="network worlds: score a uniform sample of at most this many senders"),
    sample_seed: int = typer.Option(0, "--sample-seed", help="seed of the samples above"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress spinner"),
    fusion: Path | None = typer.Option(None, "--fusion", help="a fusion model file (default: the expert priors)"),
    campaigns: bool = typer.Option(False, "--campaigns",
                                   help="organisation worlds: evaluate campaign correlation (the audit with and "
                                        "without it) instead of the per-account detectors"),
    sizes: str = typer.Option("", "--sizes",
                              help="with --campaigns: simulate organisations of these sizes (e.g. 8,20,60,200) "
                                   "under DIR, with multilingual campaigns, and evaluate each"),
    seeds: str = typer.Option("1", "--seeds", help="with --sizes: the seeds (e.g. 1,2,3)"),
    monolingual: bool = typer.Option(False, "--monolingual", help="with --sizes: one language per campaign"),
) -> None:
    """Precision, recall and F1 (medium and high levels), ROC-AUC and Brier score per detector and per campaign."""
    from rich.console import Console

    from falsefriends.check import Checker
    from falsefriends.cli.check_cmd import load_fusion_option
    from falsefriends.evaluate import evaluate, load_world
    from falsefriends.evaluate.campaigns import evaluate_campaigns, evaluate_sizes

    status = Console(stderr=True, quiet=quiet)
    if sizes:
        if not campaigns:
            raise typer.BadParameter("--sizes evaluates campaign correlation: add --campaigns")
        try:
            size_list = [int(v) for v in sizes.split(",") if v.strip()]
            seed_list = [int(v) for v in seeds.split(",") if v.strip()]
        except ValueError:
            raise typer.BadParameter("--sizes and --seeds take comma-separated integers") from None
        if not size_list or not seed_list or min(size_list) < 5:
            raise typer.BadParameter("--sizes needs sizes of 5 staff or more, and --seeds at least one seed")
        with status.status("simulating and auditing") as spinner:
            rows = evaluate_sizes(directory, size_list, seed_list, multilingual=not monolingual,
                                  progress=lambda text: spinner.update(text))
        if as_json:
            typer.echo(json.dumps(rows, indent=2, sort_keys=True, default=str))
        else:
            _print_sizes(rows)
        return
    if campaigns:
        with status.status(f"auditing {directory} with and without campaign correlation"):
            try:
                figures = evaluate_campaigns(directory)
            except (ValueError, OSError) as exc:
                typer.echo(f"error: {exc}", err=True)
                raise typer.Exit(2) from None
        if as_json:
            typer.echo(json.dumps(figures, indent=2, sort_keys=True, default=str))
        else:
            _print_campaigns(figures)
        return
    with status.status(f"reading {directory}"):
        world = load_world(directory, max_messages=max_messages, max_accounts=max_accounts, sample_seed=sample_seed)
    with status.status(f"scoring {len(world.messages)} messages, {len(world.conversations)} conversations and "
                       f"{len(world.accounts)} accounts"):
        result = evaluate(world, Checker(fusion=load_fusion_option(fusion)))
    if as_json:
        typer.echo(json.dumps(result, indent=2, sort_keys=True))
        return
    _print(result)


def _print_campaigns(figures: dict[str, Any]) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    console = Console()
    world = figures["world"]
    console.print(f"{world.get('kind')} of {world.get('size')} {world.get('unit')}, seed {world.get('seed')}: "
                  f"{figures['planted']['campaigns']} planted campaigns, {figures['planted']['personas']} personas",
                  soft_wrap=True)
    found = figures["found"]
    console.print(f"found {found['campaigns']} campaigns: {found['with_personas']} with personas, "
                  f"{found['without_personas']} without ({found['without_personas_at_high']} of them at high); "
                  f"planted campaigns represented {figures['campaigns_represented']}, personas inside found "
                  f"campaigns {figures['personas_in_found_campaigns']}, mean purity {_f(figures['mean_purity'])}",
                  soft_wrap=True)
    table = Table("accounts", "n", "hostile", "ROC-AUC", "Brier", "P / R at medium", "P / R at high", box=box.SIMPLE)
    for name in ("accounts_without_campaigns", "accounts_with_campaigns"):
        f = figures[name]
        table.add_row(name.replace("accounts_", "").replace("_", " "), str(f["n"]), str(f["positives"]),
                      _f(f["roc_auc"]), _f(f["brier"]),
                      f"{_f(f['medium']['precision'])} / {_f(f['medium']['recall'])}",
                      f"{_f(f['high']['precision'])} / {_f(f['high']['recall'])}")
    members = figures["campaign_accounts"]
    console.print(f"planted campaigns complete in one found campaign {figures['campaigns_complete']} (with no other "
                  f"campaign's personas {figures['campaigns_complete_own']}); accounts in campaigns: precision "
                  f"{_f(members['precision'])}, persona recall {_f(members['recall'])}, genuine accounts in "
                  f"campaigns {len(members['genuine_in_campaigns'])}", soft_wrap=True)
    console.print(table)


def _print_sizes(rows: list[dict[str, Any]]) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    table = Table("staff / seed", "planted campaigns / personas", "represented", "complete (own)",
                  "single-persona found", "accounts in campaigns: P / R", "genuine in campaigns",
                  "accounts at high: P / R without / with", "at medium: P / R without / with", box=box.SIMPLE)
    for row in rows:
        members = row["campaign_accounts"]
        plain, linked = row["accounts_without_campaigns"], row["accounts_with_campaigns"]
        single = row["single_persona_campaigns"]
        table.add_row(
            f"{row['staff']} / {row['seed']}", f"{row['planted']['campaigns']} / {row['planted']['personas']}",
            str(row["campaigns_represented"]), f"{row['campaigns_complete']} ({row['campaigns_complete_own']})",
            f"{single['found']} / {single['planted']}",
            f"{_f(members['precision'])} / {_f(members['recall'])}", str(len(members["genuine_in_campaigns"])),
            f"{_f(plain['high']['precision'])} / {_f(plain['high']['recall'])} ; "
            f"{_f(linked['high']['precision'])} / {_f(linked['high']['recall'])}",
            f"{_f(plain['medium']['precision'])} / {_f(plain['medium']['recall'])} ; "
            f"{_f(linked['medium']['precision'])} / {_f(linked['medium']['recall'])}")
    Console(width=200).print(table)


def _print(result: dict[str, Any]) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    console = Console()
    w = result["world"]
    console.print(f"[bold]World[/bold]: {w['kind']} of {w['size']:,} {w['unit']}, seed {w['seed']} "
                  f"(synthetic: figures measure the rules against the generator's phrasing, not real data)")
    fusion = result["fusion"]
    table = Table("level", "n", "pos", "prec.", "recall", "F1", "AUC", "Brier", box=box.SIMPLE_HEAD, padding=(0, 1),
                  title=f"fusion {fusion['version']}: medium >= {fusion['medium']}, high >= {fusion['high']}")
    table.columns[0].header = "detector / level"
    for column in table.columns:
        column.no_wrap = True
        column.min_width = max(5, len(str(column.header)))
    rows = [*result["detectors"].items(), ("overall", result["overall"])]
    for name, d in rows:
        table.add_row(name, str(d["n"]), str(d["positives"]), "", "", "", _f(d["roc_auc"]),
                      _f(d["brier"]))
        for level in ("medium", "high"):
            table.add_row(f"  at {level}", "", "", _f(d[level]["precision"]), _f(d[level]["recall"]),
                          _f(d[level]["f1"]), "", "", end_section=level == "high")
    console.print(table)
    units = ", ".join(f"{name}: {d['unit']}s" for name, d in rows)
    console.print(f"[dim]scored units - {units}[/dim]")
    campaigns = Table("campaign", "personas", "evaluated", "found (>= medium)", "share",
                      title="personas found per campaign (overall)")
    for cid, c in result["campaigns"].items():
        campaigns.add_row(cid, str(c["personas"]), str(c["evaluated"]), str(c["found_at_medium"]),
                          _f(c["share_found"]))
    console.print(campaigns)
    for note in result["notes"]:
        console.print(f"[dim]- {note}[/dim]")
