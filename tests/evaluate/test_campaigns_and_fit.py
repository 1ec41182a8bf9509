"""Campaign evaluation (audit with and without correlation) and fitting the fusion on worlds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from falsefriends.cli import app
from falsefriends.detect.fusion import load_fusion
from falsefriends.evaluate.campaigns import evaluate_campaigns
from falsefriends.simulate import build_organisation, write_organisation

runner = CliRunner()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("campaign-world")
    write_organisation(build_organisation(40, seed=4), out)
    return out


def test_campaign_figures_are_consistent_with_truth(world: Path) -> None:
    figures = evaluate_campaigns(world)
    truth = json.loads((world / "truth.json").read_text(encoding="utf-8"))
    assert figures["planted"]["campaigns"] == len({a["campaign"] for a in truth["hostile_accounts"]})
    assert 0 <= figures["campaigns_represented"] <= figures["planted"]["campaigns"]
    assert 0 <= figures["personas_in_found_campaigns"] <= figures["planted"]["personas"]
    found = figures["found"]
    assert found["with_personas"] + found["without_personas"] == found["campaigns"] == len(figures["campaigns"])
    plain, linked = figures["accounts_without_campaigns"], figures["accounts_with_campaigns"]
    assert plain["n"] == linked["n"] and plain["positives"] == linked["positives"] > 0
    for block in (plain, linked):
        for level in ("medium", "high"):
            assert 0.0 <= block[level]["precision"] <= 1.0 and 0.0 <= block[level]["recall"] <= 1.0
    for campaign in figures["campaigns"]:
        if campaign["matches"] is not None:
            assert 0.0 < campaign["purity"] <= 1.0


def test_eval_campaigns_cli_prints_both_account_rows(world: Path) -> None:
    result = runner.invoke(app, ["eval", str(world), "--campaigns", "-q"])
    assert result.exit_code == 0, result.output
    assert "planted campaigns represented" in result.output
    assert "ROC-AUC" in result.output and "seed 4" in result.output


def test_fit_fusion_on_a_world_writes_a_usable_model(world: Path, tmp_path: Path) -> None:
    out = tmp_path / "fitted.yaml"
    result = runner.invoke(app, ["fit-fusion", "--world", str(world), "--out", str(out)])
    assert result.exit_code == 0, result.output
    model = load_fusion(out)
    assert model.indicator_weights and "fitted-v1" in model.version
    evaluated = runner.invoke(app, ["eval", str(world), "--fusion", str(out), "--json", "-q"])
    assert evaluated.exit_code == 0, evaluated.output
    assert json.loads(evaluated.stdout)["fusion"]["version"] == model.version


def test_fit_fusion_needs_exactly_one_source(tmp_path: Path) -> None:
    result = runner.invoke(app, ["fit-fusion", "--out", str(tmp_path / "x.yaml")])
    assert result.exit_code == 2
