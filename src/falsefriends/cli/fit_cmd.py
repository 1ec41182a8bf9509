"""`falsefriends fit-fusion`: learn fusion weights from labelled messages (priors as the starting point)."""

from __future__ import annotations

from pathlib import Path

import typer

from falsefriends.check import Checker
from falsefriends.detect.fit import fit_fusion
from falsefriends.detect.fusion import dump_fusion
from falsefriends.message_eval import read_labelled


def register(app: typer.Typer) -> None:
    @app.command("fit-fusion")
    def fit(
        train: Path = typer.Argument(..., help="labelled JSON Lines (`text`, `label`, optional `profile`)"),
        out: Path = typer.Option(..., "--out", "-o", help="where to write the fitted fusion YAML"),
        strength: float = typer.Option(2.0, help="L2 pull towards the expert priors (higher: trust priors more)"),
    ) -> None:
        """Fit the fusion's weights on TRAIN and write a fusion file for `check --fusion` / `eval-messages --fusion`.

        Evaluate the result on data it was not fitted on: a different file, world or seed.
        """
        try:
            with train.open(encoding="utf-8") as handle:
                rows, skipped = read_labelled(handle, str(train))
        except (OSError, UnicodeDecodeError) as exc:
            typer.echo(f"error: cannot read {train}: {exc}", err=True)
            raise typer.Exit(2) from None
        for line in skipped:
            typer.echo(f"skipped {line}", err=True)
        checker = Checker()
        samples = []
        for _, label, message, profile, _ in rows:
            evidence = checker.evidence_for_message(message)
            if profile is not None:
                evidence += checker.evidence_for_profile(profile)
            samples.append((evidence, label))
        try:
            model = fit_fusion(samples, checker.fusion, checker.rules, strength=strength,
                               version=f"fitted-v1 on {train.name} ({len(samples)} samples)")
        except ValueError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None
        out.write_text(dump_fusion(model), encoding="utf-8")
        typer.echo(f"fitted on {len(samples)} samples ({sum(s[1] for s in samples)} hostile); bias {model.bias:+.2f}; "
                   f"wrote {out}")
