"""`falsefriends fit-fusion`: learn fusion weights from labels (priors as the starting point)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from falsefriends.check import Checker
    from falsefriends.model import Evidence

    Samples = list[tuple[list[Evidence], int]]

# The checker and the fitting are imported inside the command (benchmarks/startup.py).


def _from_jsonl(path: Path, checker: Checker) -> Samples:
    from falsefriends.message_eval import read_labelled

    try:
        with path.open(encoding="utf-8") as handle:
            rows, skipped = read_labelled(handle, str(path))
    except (OSError, UnicodeDecodeError) as exc:
        typer.echo(f"error: cannot read {path}: {exc}", err=True)
        raise typer.Exit(2) from None
    for line in skipped:
        typer.echo(f"skipped {line}", err=True)
    samples: Samples = []
    for _, label, message, profile, _ in rows:
        evidence = checker.evidence_for_message(message)
        if profile is not None:
            evidence += checker.evidence_for_profile(profile)
        samples.append((evidence, label))
    return samples


def _from_worlds(directories: Sequence[Path], checker: Checker) -> Samples:
    """One sample per outside account of each world: its profile and every message it sent, labelled by truth."""
    from falsefriends.evaluate import load_world

    samples: Samples = []
    for directory in directories:
        world = load_world(directory)
        for account in world.accounts:
            evidence = checker.evidence_for_profile(account.profile)
            for message in account.messages:
                evidence += checker.evidence_for_message(message)
            samples.append((evidence, account.label))
        typer.echo(f"{directory}: {len(world.accounts)} accounts ({sum(a.label for a in world.accounts)} hostile), "
                   f"seed {world.seed}", err=True)
    return samples


def register(app: typer.Typer) -> None:
    @app.command("fit-fusion")
    def fit(
        train: Path | None = typer.Argument(None, help="labelled JSON Lines (`text`, `label`, optional `profile`)"),
        world: list[Path] = typer.Option(
            [], "--world", help="a simulated world to learn from (repeat for several); one sample per outside account"
        ),
        out: Path = typer.Option(..., "--out", "-o", help="where to write the fitted fusion YAML"),
        strength: float = typer.Option(2.0, help="L2 pull towards the expert priors (higher: trust priors more)"),
    ) -> None:
        """Fit the fusion's weights on labelled data and write a fusion file for `--fusion`.

        Learn from a labelled JSON Lines file or from simulated worlds (`--world`), then evaluate the result on
        data it was not fitted on: another file, or worlds of other seeds (`falsefriends eval DIR --fusion F`).
        """
        if (train is None) == (not world):
            typer.echo("error: give either a labelled JSON Lines file or --world directories", err=True)
            raise typer.Exit(2)
        from falsefriends.check import Checker
        from falsefriends.detect.fit import fit_fusion
        from falsefriends.detect.fusion import dump_fusion

        checker = Checker()
        samples = _from_jsonl(train, checker) if train is not None else _from_worlds(world, checker)
        source = train.name if train is not None else ", ".join(p.name for p in world)
        try:
            model = fit_fusion(samples, checker.fusion, checker.rules, strength=strength,
                               version=f"fitted-v1 on {source} ({len(samples)} samples)")
        except ValueError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None
        out.write_text(dump_fusion(model), encoding="utf-8")
        typer.echo(f"fitted on {len(samples)} samples ({sum(s[1] for s in samples)} hostile); bias {model.bias:+.2f}; "
                   f"wrote {out}")
