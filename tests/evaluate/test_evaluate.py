"""Evaluation harness: figures on small worlds are well-formed, reproducible and say which world they are."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from falsefriends.cli import app
from falsefriends.evaluate import Detector, Scored, evaluate, load_world, registered
from falsefriends.evaluate.detectors import register
from falsefriends.simulate import build_organisation, write_organisation
from falsefriends.simulate.network import write_network


@pytest.fixture(scope="module")
def org_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("eval-org")
    write_organisation(build_organisation(25, seed=8), out)
    return out


def _unit_interval(result: dict[str, object]) -> None:
    for block in [*result["detectors"].values(), result["overall"]]:  # type: ignore[attr-defined]
        for level in ("medium", "high"):
            for key in ("precision", "recall", "f1"):
                assert 0.0 <= block[level][key] <= 1.0
        for key in ("roc_auc", "brier"):
            assert block[key] is None or 0.0 <= block[key] <= 1.0


def test_organisation_eval_labels_from_the_parsed_exports(org_dir: Path) -> None:
    world = load_world(org_dir)
    truth = json.loads((org_dir / "truth.json").read_text())
    assert world.kind == "organisation" and world.size == 25 and world.seed == 8
    lures_in_truth = sum(1 for m in truth["messages"] if m["lure"])
    assert sum(m.label for m in world.messages) == lures_in_truth  # every lure was found in the parsed exports
    assert {a.key for a in world.accounts if a.label} == {
        a for personas in world.campaigns.values() for a in personas}
    lured_threads = {(m["staff_id"], m["conversation"]) for m in truth["messages"]
                     if m["lure"] and m["channel"] == "message"}
    assert sum(c.label for c in world.conversations) == len(lured_threads)
    assert all(m.sent_at is not None for c in world.conversations for m in c.messages)
    result = evaluate(world)
    _unit_interval(result)
    assert result["world"] == {"kind": "organisation", "size": 25, "unit": "staff", "seed": 8}
    assert set(result["detectors"]) >= {"message-rules", "conversation-rules", "profile-rules", "account-combined"}
    assert result["detectors"]["message-rules"]["positives"] == lures_in_truth
    for campaign in result["campaigns"].values():
        assert campaign["evaluated"] == campaign["personas"]
    assert evaluate(load_world(org_dir)) == result  # reproducible


def test_network_eval_reads_parquet(tmp_path: Path) -> None:
    write_network(600, seed=2, out=tmp_path, chunk=300)
    world = load_world(tmp_path, max_messages=400, max_accounts=300, sample_seed=1)
    assert world.kind == "network" and world.seed == 2
    assert len(world.messages) <= 400
    result = evaluate(world)
    _unit_interval(result)
    assert any("uniform sample" in note for note in result["notes"])
    # The share found per campaign covers every persona, not only those in the account sample.
    assert all(c["evaluated"] == c["personas"] for c in result["campaigns"].values())


def test_a_registered_detector_is_reported(org_dir: Path) -> None:
    def constant(world, checker):  # type: ignore[no-untyped-def]
        for account in world.accounts:
            yield Scored(account.key, account.label, 0.5, account.campaign)

    detector = Detector("test-constant", "account", "always one half", constant)
    result = evaluate(load_world(org_dir), detectors=[*registered(), detector])
    assert result["detectors"]["test-constant"]["roc_auc"] == 0.5
    with pytest.raises(ValueError):
        register(registered()[0])


def test_cli_json_states_the_world(org_dir: Path) -> None:
    done = CliRunner().invoke(app, ["eval", str(org_dir), "--json"])
    assert done.exit_code == 0, done.output
    result = json.loads(done.output)
    assert result["world"]["seed"] == 8 and result["world"]["kind"] == "organisation"
    table = CliRunner().invoke(app, ["eval", str(org_dir)])
    assert table.exit_code == 0 and "seed 8" in table.output and "account-combined" in table.output
