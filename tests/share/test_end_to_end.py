"""The issue's story: an analyst exports the high personas and campaigns of an audit as STIX 2.1 and as a MISP
event, the validators accept both, another workspace imports them and then flags the same personas on its own
exports, while a namesake of a persona (same name, another profile) stays low: a name alone never counts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from ingest.export_factory import ExportSpec

from .conftest import WARNINGS_DOCUMENTED, World, cli
from .test_formats import validate

STAFF_URL = "https://www.linkedin.com/in/dana-okafor-b"
NOTE = "Hello Dana, I came across your profile and would be glad to connect."


def _workspace_b(root: Path, persona_name: str, persona_url: str) -> Path:
    """A second organisation: one staff export with invitations from the persona's profile and a namesake's."""
    exports = root / "exports"
    exports.mkdir(parents=True)
    namesake = "https://www.linkedin.com/in/someone-else-entirely-42"
    invitations = [{"From": persona_name, "To": "Dana Okafor", "Sent At": f"3/0{day}/26, 9:00 AM",
                    "Message": f"{NOTE} ({day})", "Direction": "INCOMING", "inviterProfileUrl": url,
                    "inviteeProfileUrl": STAFF_URL}
                   for day, url in ((2, persona_url), (5, namesake))]
    spec = ExportSpec(profile={"First Name": "Dana", "Last Name": "Okafor", "Headline": "Policy officer"},
                      positions=[{"Company Name": "Ministry of Examples", "Title": "Policy officer",
                                  "Started On": "Jan 2020", "Finished On": ""}],
                      invitations=invitations)
    spec.build_zip(exports / "dana.zip")
    roster = root / "roster.csv"
    roster.write_text("staff_id,name,department,sector,profile_url,export_file\n"
                      f"B001,Dana Okafor,policy,state,{STAFF_URL},dana.zip\n", encoding="utf-8")
    return roster


def _audit(root: Path, roster: Path, out: str) -> dict[str, dict[str, Any]]:
    cli("audit", str(root / "exports"), "--roster", str(roster), "--db", str(root / "b.db"), "--out",
        str(root / out), "--quiet")
    findings = json.loads((root / out / "findings.json").read_text(encoding="utf-8"))
    return {str(a["account"]): a for a in findings["accounts"]}


@pytest.mark.parametrize("fmt", ["stix", "misp"])
def test_shared_personas_are_flagged_by_another_workspace(world: World, tmp_path: Path, fmt: str) -> None:
    shared = tmp_path / "a" / f"personas.{fmt}.json"
    cli("share", "export", "--findings", str(world.findings_path), "--format", fmt, "--level", "high",
        "--tlp", "amber", "--out", str(shared))
    text = shared.read_text(encoding="utf-8")
    if fmt == "stix":
        assert validate(text) <= WARNINGS_DOCUMENTED
    else:
        from pymisp import MISPEvent

        MISPEvent().load(text)
    persona = next(a for a in world.findings["accounts"] if a["level"] == "high" and a["url"])
    root = tmp_path / "b"
    roster = _workspace_b(root, persona["name"], persona["url"])

    before = _audit(root, roster, "before")
    assert before[persona["url"]]["level"] == "low"

    out = cli("share", "import", str(shared), "--db", str(root / "b.db"))
    assert "added" in out
    after = _audit(root, roster, "after")
    flagged = after[persona["url"]]
    assert flagged["level"] == "high"
    assert any(e["rule"] == "watchlist-handle-match" for e in flagged["evidence"])
    namesake = next(a for key, a in after.items() if "someone-else-entirely-42" in key)
    assert namesake["level"] == "low"
    rules = {str(e["rule"]): e["weight"] for e in namesake["evidence"]}
    assert rules.get("watchlist-persona-name-only") == 0  # considered, shown, not counted
    assert not any(r in rules for r in ("watchlist-handle-match", "watchlist-persona-corroborated"))
