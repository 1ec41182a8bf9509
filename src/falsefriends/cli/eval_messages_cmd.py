"""`falsefriends eval-messages`: figures of the message check on a labelled JSON Lines file."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from falsefriends.check import Checker
from falsefriends.cli.check_cmd import load_fusion_option
from falsefriends.message_eval import evaluate_file
from falsefriends.render import safe_text


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def register(app: typer.Typer) -> None:
    @app.command("eval-messages")
    def eval_messages(
        file: Path = typer.Argument(..., help="JSON Lines with `text` and `label` (1 hostile, 0 genuine)"),
        as_json: bool = typer.Option(False, "--json", help="print the figures as JSON"),
        fusion: Path | None = typer.Option(None, "--fusion", help="a fusion model file (default: the expert priors)"),
    ) -> None:
        """ROC-AUC, Brier score, precision/recall per level and the worst misses on labelled messages."""
        if not file.is_file():
            typer.echo(f"error: no such file: {file}", err=True)
            raise typer.Exit(2)
        result = evaluate_file(file, Checker(fusion=load_fusion_option(fusion)))
        if not result.items:
            typer.echo(f"error: no usable labelled line in {file}", err=True)
            for line in result.skipped:
                typer.echo(line, err=True)
            raise typer.Exit(2)
        figures = result.as_json()
        if as_json:
            typer.echo(json.dumps(figures, ensure_ascii=False, indent=2))
            return
        out = Console()
        out.print(f"{figures['n']} messages ({figures['positives']} hostile) from {file}", highlight=False)
        out.print(f"ROC-AUC {_fmt(figures['roc_auc'])}   Brier {_fmt(figures['brier'])}")
        table = Table("flagged at", "threshold", "precision", "recall", "F1", "tp", "fp", "fn", "tn")
        for level, c in figures["levels"].items():
            table.add_row(f">= {level}", f"{c['threshold']:.2f}", _fmt(c["precision"]), _fmt(c["recall"]),
                          _fmt(c["f1"]), str(c["tp"]), str(c["fp"]), str(c["fn"]), str(c["tn"]))
        out.print(table)
        langs = Table("language", "n", "hostile", "ROC-AUC")
        for lang, c in figures["per_language"].items():
            langs.add_row(lang, str(c["n"]), str(c["positives"]), _fmt(c["roc_auc"]))
        out.print(langs)
        false_alarms, missed = result.worst_misses()
        misses = Table("worst", "id", "score", "indicators", "text", show_lines=True)
        for kind, items in (("false alarm", false_alarms), ("missed", missed)):
            for item in items:
                misses.add_row(kind, item.id, f"{item.score:.2f}", " ".join(item.indicators),
                               Text(safe_text(item.text[:140])))
        out.print(misses)
        for line in result.skipped:
            typer.echo(f"skipped {line}", err=True)
