"""A simulated organisation with photos (`simulate --staff N --photos SHARE`), its photos put in the workspace
(`photos add`), then audited: the personas of each campaign are linked by their shared photo, genuine contacts
with photos of their own are not. The same audit without the photos is the control."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from falsefriends.audit.workspace_audit import Workspace, audit_workspace
from falsefriends.check import Checker
from falsefriends.cli import app
from falsefriends.rules.loader import load_rules
from falsefriends.simulate.organisation import build_organisation
from falsefriends.simulate.organisation_writer import write_organisation
from tests.audit.test_small_org_senders import PACKS


def _audit(tmp: Path, with_photos: bool) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    truth = write_organisation(build_organisation(12, 4), tmp / "world", photos=0.5)
    db = tmp / "ws.db"
    workspace = Workspace(f"sqlite:///{db}")
    if with_photos:
        result = CliRunner().invoke(app, ["photos", "add", str(tmp / "world" / truth["photos"]["file"]),
                                          "--db", str(db)])
        assert result.exit_code == 0, result.output
        assert " 0 rows left out" in result.output
    checker = Checker(rules=load_rules(sorted(PACKS.glob("*.yaml"))), semantic=False)
    findings = audit_workspace([tmp / "world" / "exports"], tmp / "world" / "roster.csv", tmp / "audit", workspace,
                               checker=checker).findings
    workspace.engine.dispose()
    return truth, findings.campaigns


@pytest.mark.parametrize("with_photos", [False, True])
def test_personas_of_a_campaign_are_linked_by_their_photo(tmp_path: Path, with_photos: bool) -> None:
    truth, campaigns = _audit(tmp_path, with_photos)
    planted = truth["photos"]["shared_by_campaign"]
    personas = {u for urls in planted.values() for u in urls}
    with (tmp_path / "world" / truth["photos"]["file"]).open(encoding="utf-8") as handle:
        genuine_with_photo = {r["profile_url"] for r in csv.DictReader(handle)} - personas
    assert genuine_with_photo
    by_photo = [c for c in campaigns
                if any(e["indicator"] == "C1" and "accounts use photo" in e["reason"] for e in c["evidence"])]
    assert bool(by_photo) == with_photos
    for campaign in campaigns:
        assert not genuine_with_photo & set(campaign["accounts"])  # own photos link nobody
    if with_photos:  # each planted campaign of 2+ personas is found, its personas linked by their photo
        linked = [sorted(c["accounts"]) for c in by_photo]
        shared = [sorted(urls) for urls in planted.values() if len(urls) > 1]  # a lone persona shares nothing
        assert shared and sorted(linked) == sorted(shared)
