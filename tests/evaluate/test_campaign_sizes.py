"""`eval --campaigns --sizes`: small multilingual organisations simulated and evaluated, one row per world."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from falsefriends.correlate.translations import default_encoder
from falsefriends.evaluate.campaigns import evaluate_sizes


@pytest.mark.skipif(default_encoder() is None, reason="the multilingual encoder is not installed")
def test_an_eight_staff_world_is_simulated_evaluated_and_counted_against_its_truth(tmp_path: Path) -> None:
    rows = evaluate_sizes(tmp_path, [8], [1])
    assert len(rows) == 1
    row = rows[0]
    truth = json.loads((Path(row["directory"]) / "truth.json").read_text(encoding="utf-8"))
    assert row["staff"] == 8 and row["seed"] == 1 and truth["world"]["size"] == 8
    assert any(len(c["languages"]) > 1 for c in truth["campaigns"])  # multilingual campaigns were planted
    planted = row["planted"]["campaigns"]
    assert planted == len(truth["campaigns"])
    assert 0 <= row["campaigns_complete_own"] <= row["campaigns_complete"] <= planted
    members = row["campaign_accounts"]
    assert members["accounts"] == members["personas"] + len(members["genuine_in_campaigns"])
    hostile_urls = {h["url"] for h in truth["hostile_accounts"]}
    assert not set(members["genuine_in_campaigns"]) & hostile_urls
    # Measured, not assumed: the figures come from the audit of the written exports.
    assert row["campaigns_complete"] >= 1


def test_sizes_needs_campaigns_and_integers(tmp_path: Path) -> None:
    from falsefriends.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["eval", str(tmp_path), "--sizes", "8"])
    assert result.exit_code == 2 and "--campaigns" in result.output
    result = runner.invoke(app, ["eval", str(tmp_path), "--campaigns", "--sizes", "eight"])
    assert result.exit_code == 2
