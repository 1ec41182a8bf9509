"""The local engine over a simulated network: the queue's shape, its quality against truth, its files."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from falsefriends.scan import run_scan
from falsefriends.scan.quality import quality_of_scan


@pytest.fixture(scope="module")
def scanned(network: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("scan-local")
    steps: list[str] = []
    run_scan(network, out, progress=lambda step, done, total: steps.append(step))
    assert {"reading tables", "checking texts", "checking profiles", "scoring accounts"} <= set(steps)
    return out


def test_queue_is_ranked_and_complete(scanned: Path) -> None:
    queue = json.loads((scanned / "review_queue.json").read_text(encoding="utf-8"))
    assert queue, "the review queue is empty"
    scores = [row["score"] for row in queue]
    assert scores == sorted(scores, reverse=True)
    for row in queue:
        assert {"member_id", "profile_url", "score", "level", "evidence", "campaign"} <= set(row)
        assert row["level"] in ("medium", "high")
        assert row["profile_url"].startswith("https://")
        assert row["evidence"] and all(e["reason"] for e in row["evidence"])
    table = pq.read_table(scanned / "review_queue.parquet")
    assert table.column("member_id").to_pylist() == [row["member_id"] for row in queue]


def test_hostile_accounts_lead_the_queue(scanned: Path, network: Path) -> None:
    truth = json.loads((network / "truth.json").read_text(encoding="utf-8"))
    hostile = len(truth["hostile_accounts"])
    quality = quality_of_scan(scanned, network / "truth.json", ks=(hostile,))
    assert quality["recall"] >= 0.9, quality
    assert quality[f"precision_at_{hostile}"] >= 0.8, quality


def test_campaigns_group_the_planted_personas(scanned: Path, network: Path) -> None:
    truth = json.loads((network / "truth.json").read_text(encoding="utf-8"))
    campaign_of = {h["member_id"]: h["campaign"] for h in truth["hostile_accounts"]}
    campaigns = pq.read_table(scanned / "campaigns.parquet").to_pylist()
    hostile = [c for c in campaigns if any(m in campaign_of for m in c["members"])]
    assert hostile
    for campaign in hostile:
        planted = {campaign_of.get(m) for m in campaign["members"]}
        assert len(planted) == 1, f"{campaign['campaign']} mixes planted campaigns and others: {planted}"
        assert campaign["corroborated"]


def test_summary_and_counts(scanned: Path) -> None:
    summary = json.loads((scanned / "scan.json").read_text(encoding="utf-8"))
    assert summary["counts"]["quarantined"] == 0
    assert summary["counts"]["distinct_texts"] <= summary["counts"]["items_with_text"]
    html = (scanned / "summary.html").read_text(encoding="utf-8")
    assert "<svg" in html and "Top of the review queue" in html


def test_cli_logs_one_line_per_step_when_not_on_a_terminal(network: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from falsefriends.cli import app

    result = CliRunner().invoke(app, ["scan", str(network), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    steps = [line.split("] ", 1)[1] for line in result.output.splitlines() if line.startswith("[")]
    assert steps[:3] == ["reading tables", "checking texts", "checking profiles"]
    assert "coordinated clusters" in steps and steps[-1] == "writing results"
