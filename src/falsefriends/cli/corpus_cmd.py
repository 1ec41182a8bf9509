"""`falsefriends fit-semantic`: learn the semantic head and the fusion from the real corpus."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from falsefriends.corpus import Corpus, load_corpus


def read_corpus(path: Path) -> Corpus:
    """The corpus at `path`, or exit 2 with why; problems with single items are printed, not fatal."""
    try:
        corpus = load_corpus(path)
    except (FileNotFoundError, OSError, UnicodeDecodeError) as exc:
        typer.echo(f"error: cannot read the corpus {path}: {exc}", err=True)
        raise typer.Exit(2) from None
    for line in corpus.errors:
        typer.echo(f"corpus: {line}", err=True)
    if not corpus.items:
        typer.echo(f"error: no usable item in {path}", err=True)
        raise typer.Exit(2)
    return corpus


def register(app: typer.Typer) -> None:
    @app.command("fit-semantic")
    def fit_semantic(
        corpus_path: Path = typer.Argument(Path("data/corpus"), help="the labelled corpus folder (docs/data.md)"),
        out: Path = typer.Option(..., "--out", help="folder for head.json and fusion.learnt.yaml "
                                 "(src/falsefriends/detect/semantic to ship them)"),
        seed: int = typer.Option(0, "--seed", help="seed of the grouped folds"),
    ) -> None:
        """Train the semantic head on every corpus item and fit the fusion on out-of-fold head scores."""
        from falsefriends.check import Checker
        from falsefriends.detect.fusion import dump_fusion
        from falsefriends.detect.semantic.head import save_head
        from falsefriends.detect.semantic.provider import SemanticProvider
        from falsefriends.evaluate.corpus_cv import fit_on_corpus, prepare

        corpus = read_corpus(corpus_path)
        typer.echo(f"training on {corpus.summary()}", err=True)
        checker = Checker(semantic=False)
        prep = prepare(corpus.items, checker, SemanticProvider(use_bundled_head=False))
        try:
            learnt = fit_on_corpus(prep, checker, seed=seed, summary=corpus.summary(), digest=corpus.digest)
        except ValueError as exc:
            typer.echo(f"error: cannot train on {corpus_path}: {exc}", err=True)
            raise typer.Exit(2) from None
        out.mkdir(parents=True, exist_ok=True)
        save_head(learnt.head, out / "head.json")
        header = ("# Fusion learnt on the real corpus (docs/data.md) with the semantic head in head.json:\n"
                  "# written by `falsefriends fit-semantic`; thresholds set on out-of-fold scores so that at most\n"
                  "# 8% of genuine messages reach medium and 1% high (docs/semantic.md).\n")
        (out / "fusion.learnt.yaml").write_text(header + dump_fusion(learnt.fusion), encoding="utf-8")
        typer.echo(json.dumps({"head": str(out / "head.json"), "fusion": str(out / "fusion.learnt.yaml"),
                               "C": learnt.head.trained_on.get("C"),
                               "thresholds": learnt.fusion.thresholds.model_dump(),
                               "S1_scale": learnt.fusion.indicator_scales}, indent=1))
