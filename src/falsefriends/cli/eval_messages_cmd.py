"""`falsefriends eval-messages`: figures of the message check on labelled messages.

Plain: the shipped check scored on a labelled JSON Lines file. With `--cv`: grouped cross-validation
on the real corpus, rules / semantic / fused side by side, every learnt part fitted without the
held-out groups.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer

# The checker, the evaluation and rich are imported inside the command (benchmarks/startup.py).


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _cross_validate(path: Path, folds: int, seed: int, as_json: bool, by_publisher: bool = False) -> None:
    from rich.console import Console
    from rich.progress import Progress
    from rich.table import Table
    from rich.text import Text

    from falsefriends.check import Checker
    from falsefriends.cli.corpus_cmd import read_corpus
    from falsefriends.detect.semantic.provider import SemanticProvider
    from falsefriends.evaluate.corpus_cv import (
        CONFIG_TITLES,
        CONFIGS,
        breakdowns,
        cross_validate,
        prepare,
        reliability,
    )
    from falsefriends.render import safe_text

    corpus = read_corpus(path)
    if by_publisher:
        from falsefriends.corpus import group_by_publisher

        corpus.items = group_by_publisher(corpus.items)
    checker = Checker(semantic=False)
    provider = SemanticProvider(use_bundled_head=False)
    with Progress(transient=True, disable=as_json) as bar:
        task = bar.add_task("encoding the corpus", total=len(corpus.items))
        prep = prepare(corpus.items, checker, provider,
                       progress=lambda n, _: bar.update(task, completed=n))
        task = bar.add_task("grouped cross-validation", total=folds)
        try:
            result = cross_validate(prep, checker, folds=folds, seed=seed, provider=provider,
                                    progress=lambda n, _: bar.update(task, completed=n))
        except ValueError as exc:
            typer.echo(f"error: cannot cross-validate {path}: {exc}", err=True)
            raise typer.Exit(2) from None
    figures: dict[str, Any] = {
        "data": {"path": str(path), "files": corpus.files, "summary": corpus.summary(), "digest": corpus.digest,
                 "dropped_duplicates": corpus.dropped, "merged_near_duplicates": corpus.regrouped},
        "folds": folds, "seed": seed, "split": "publisher" if by_publisher else "group",
        "configs": {c: result.figures(c) for c in CONFIGS},
        "breakdowns": {c: breakdowns(result, c) for c in ("rules", "fused")},
        "reliability_fused": reliability(result, "fused"),
        "genuine_sentences_alone": result.sentence_robustness(),
        "language_spread": {lang: round(v, 3) for lang, v in sorted(result.language_spread.items())},
        "thresholds_per_fold": {c: [t.model_dump() for t in result.thresholds[c]] for c in ("semantic", "fused")},
    }
    if as_json:
        typer.echo(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    out = Console(width=None if sys.stdout.isatty() else 130)
    unit = "publishers and groups" if by_publisher else "groups"
    out.print(f"{corpus.summary()} from {path}; {folds}-fold cross-validation by {unit} (seed {seed}); "
              f"every figure is on {unit} the learnt parts never saw", highlight=False)
    table = Table("configuration", "ROC-AUC", "hostile >= medium", "hostile high", "genuine low",
                  "precision >= medium", "precision high", "Brier")
    for config in CONFIGS:
        f = figures["configs"][config]
        table.add_row(CONFIG_TITLES[config], _fmt(f["roc_auc"]), _fmt(f["hostile_medium_or_high"]),
                      _fmt(f["hostile_high"]), _fmt(f["genuine_low"]), _fmt(f["precision_medium"]),
                      _fmt(f["precision_high"]), _fmt(f["brier"]))
    out.print(table)
    for name in ("language", "kind", "channel", "source"):
        per = Table(name, "n", "hostile", "ROC-AUC rules", "ROC-AUC fused", "hostile >= medium (fused)",
                    "genuine low (fused)", title=f"per {name}")
        rules, fused = figures["breakdowns"]["rules"][name], figures["breakdowns"]["fused"][name]
        ranked = sorted(fused, key=lambda v: -fused[v]["n"])
        shown = ranked[:15] if name == "source" else ranked  # --json has every source
        for value in shown:
            per.add_row(Text(safe_text(value)), str(fused[value]["n"]), str(fused[value]["hostile"]),
                        _fmt(rules[value]["roc_auc"]), _fmt(fused[value]["roc_auc"]),
                        _fmt(fused[value]["hostile_medium_or_high"]), _fmt(fused[value]["genuine_low"]))
        out.print(per)
    rel = Table("fused score", "n", "mean score", "share hostile", title="reliability (held-out fused scores)")
    for b in figures["reliability_fused"]:
        rel.add_row(f"{b['lower']:.1f}-{b['upper']:.1f}", str(b["count"]), _fmt(b["mean_score"]),
                    _fmt(b["positive_rate"]))
    out.print(rel)
    robust = figures["genuine_sentences_alone"]
    out.print(f"each sentence of the held-out genuine messages scored alone (fused): "
              f"{_fmt(robust['flagged_medium_or_high'])} of {robust['sentences']} at medium or high", highlight=False)
    spread = figures["language_spread"]
    if spread:
        low, high = min(spread.values()), max(spread.values())
        out.print("the head's mean log-odds on the same neutral sentences in each language (language_anchors.yaml): "
                  + ", ".join(f"{k} {v:+.2f}" for k, v in spread.items()) + f"; spread {high - low:.2f}",
                  highlight=False)
    for config in ("semantic", "fused"):
        ts = ", ".join(f"{t['medium']:.2f}/{t['high']:.2f}" for t in figures["thresholds_per_fold"][config])
        out.print(f"{config} thresholds medium/high per fold (at most 8%/1% of genuine messages flagged on the "
                  f"training groups' out-of-fold scores): {ts}", highlight=False)


def register(app: typer.Typer) -> None:
    @app.command("eval-messages")
    def eval_messages(
        path: Path = typer.Argument(..., help="JSON Lines with `text` and `label` (1 hostile, 0 genuine), "
                                              "or with --cv the corpus folder (data/corpus)"),
        as_json: bool = typer.Option(False, "--json", help="print the figures as JSON"),
        fusion: Path | None = typer.Option(None, "--fusion", help="a fusion model file (default: the shipped one)"),
        cv: bool = typer.Option(False, "--cv", help="grouped cross-validation on the corpus: rules, semantic "
                                                    "and fused side by side, per language, kind and source"),
        folds: int = typer.Option(5, "--folds", min=2, help="folds of the grouped cross-validation"),
        seed: int = typer.Option(0, "--seed", help="seed of the grouped folds"),
        by_publisher: bool = typer.Option(False, "--by-publisher",
                                          help="with --cv, keep each publisher (a site, or a GitHub account) "
                                               "and each group on one side of every split: a stricter check"),
        semantic: bool = typer.Option(True, "--semantic/--no-semantic",
                                      help="score with the semantic detector (plain mode)"),
    ) -> None:
        """ROC-AUC, Brier score, precision/recall per level and the worst misses on labelled messages."""
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        from falsefriends.check import Checker
        from falsefriends.cli.check_cmd import load_fusion_option
        from falsefriends.message_eval import evaluate_file
        from falsefriends.render import safe_text

        if not path.exists():
            typer.echo(f"error: no such file or folder: {path}", err=True)
            raise typer.Exit(2)
        if cv:
            _cross_validate(path, folds, seed, as_json, by_publisher)
            return
        if not path.is_file():
            typer.echo(f"error: {path} is a folder: give a JSON Lines file, or --cv for the corpus", err=True)
            raise typer.Exit(2)
        result = evaluate_file(path, Checker(fusion=load_fusion_option(fusion), semantic=semantic))
        if not result.items:
            typer.echo(f"error: no usable labelled line in {path}", err=True)
            for line in result.skipped:
                typer.echo(line, err=True)
            raise typer.Exit(2)
        figures = result.as_json()
        if as_json:
            typer.echo(json.dumps(figures, ensure_ascii=False, indent=2))
            return
        out = Console()
        out.print(f"{figures['n']} messages ({figures['positives']} hostile) from {path}", highlight=False)
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
