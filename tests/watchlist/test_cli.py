from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from falsefriends.cli import app

runner = CliRunner()


def test_bundled_list_without_a_workspace(tmp_path: Path) -> None:
    db = str(tmp_path / "none.db")
    listed = runner.invoke(app, ["watchlist", "list", "--kind", "organisation", "--db", db])
    assert listed.exit_code == 0 and "RiseHR" in listed.output
    shown = runner.invoke(app, ["watchlist", "show", "persona-katie-jones", "--json", "--db", db])
    assert json.loads(shown.output)["provenance"][0]["source"] == "ap-2019-katie-jones"
    assert not Path(db).exists()  # reading never creates a workspace


def test_import_match_and_export_round_trip(tmp_path: Path) -> None:
    db = str(tmp_path / "ws.db")
    source = tmp_path / "agency.csv"
    source.write_text("kind,name,identifiers\npersona,Jana Example,wechat:jana_ex88\n"
                      "organisation,Centre for Example Exchange Studies,\n", encoding="utf-8")
    result = runner.invoke(app, ["watchlist", "import", str(source), "--db", db, "--source", "agency-2099",
                                 "--status", "named-by-authority"])
    assert result.exit_code == 0, result.output
    assert "2 added" in result.output
    matched = runner.invoke(app, ["watchlist", "match", "Jana Example", "--handle", "jana_ex88", "--json", "--db", db])
    data = json.loads(matched.output)
    assert data["hits"][0]["entry"] == "persona-jana-example"
    assert {e["rule"] for e in data["evidence"]} == {"watchlist-handle-match", "watchlist-persona-corroborated"}
    org = runner.invoke(app, ["watchlist", "match", "Center for Example Exchange Study Ltd", "--json", "--db", db])
    assert json.loads(org.output)["hits"][0]["features"]
    exported = runner.invoke(app, ["watchlist", "export", "--format", "csv", "--workspace-only", "--db", db])
    assert exported.output.count("agency-2099") == 2


def test_bad_import_reports_lines_and_stores_nothing(tmp_path: Path) -> None:
    db = str(tmp_path / "ws.db")
    bad = tmp_path / "bad.csv"
    bad.write_text("kind,name\npersona,Fine Name\nspy,Bad Kind\n", encoding="utf-8")
    result = runner.invoke(app, ["watchlist", "import", str(bad), "--db", db])
    assert result.exit_code == 1
    assert "bad.csv:3:" in result.output
    assert not Path(db).exists()


def test_add_then_show_and_algorithm(tmp_path: Path) -> None:
    db = str(tmp_path / "ws.db")
    added = runner.invoke(app, ["watchlist", "add", "--kind", "organisation", "--name", "Harbor Talent Partners",
                                "--identifier", "email-domain:harbor-talent.co", "--db", db])
    assert added.exit_code == 0 and "org-harbor-talent-partners" in added.output
    shown = runner.invoke(app, ["watchlist", "show", "org-harbor-talent-partners", "--db", db])
    assert "harbor-talent.co" in shown.output and "analyst" in shown.output
    described = runner.invoke(app, ["watchlist", "algorithm"])
    assert "logic-v1" in described.output and "watchlist-persona-name-only" in described.output
