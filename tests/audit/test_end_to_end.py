"""The audit command on a small simulated organisation: outputs written, planted personas ranked first."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from falsefriends.cli import audit_cmd
from falsefriends.metrics import roc_auc
from falsefriends.simulate.organisation import build_organisation
from falsefriends.simulate.organisation_writer import write_organisation

CONTRACT_KEYS = {"ingest", "accounts", "campaigns", "staff"}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("org")
    write_organisation(build_organisation(30, 3), out)
    return out


def _app() -> typer.Typer:
    app = typer.Typer()
    audit_cmd.register(app)

    @app.command("noop")
    def noop() -> None:  # a second command keeps typer from collapsing the app into `audit` alone
        """Nothing."""

    return app


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(_app(), ["audit", *args])
    return result.exit_code, result.stdout, result.stderr


def test_audit_writes_outputs_and_ranks_planted_personas_first(world: Path, tmp_path: Path) -> None:
    code, _, stderr = _run(str(world / "exports"), "--roster", str(world / "roster.csv"), "--out",
                           str(tmp_path / "audit"), "--db", str(tmp_path / "ws.db"), "--quiet")
    assert code == 0, stderr
    out = tmp_path / "audit"
    findings = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    # templates.json comes with campaign correlation (on by default) when a campaign holds a template.
    templates = {"templates.json"} if any(c.get("template_records") for c in findings["campaigns"]) else set()
    assert {p.name for p in out.iterdir()} == {"findings.json", "findings.csv", "staff.csv", "report.html"} | templates
    assert set(findings) >= CONTRACT_KEYS
    assert set(findings["ingest"]) >= {"files", "rows_read", "rows_accepted", "rows_quarantined", "quarantine"}
    ingest = findings["ingest"]
    assert ingest["rows_read"] == ingest["rows_accepted"] + ingest["rows_quarantined"]
    assert len(findings["staff"]) == 30 and all("exposure" in s for s in findings["staff"])
    truth = json.loads((world / "truth.json").read_text(encoding="utf-8"))
    hostile = {h["url"] for h in truth["hostile_accounts"]}
    accounts = findings["accounts"]
    assert hostile <= {a["account"] for a in accounts}
    assert accounts[0]["account"] in hostile
    auc = roc_auc([a["account"] in hostile for a in accounts], [a["score"] for a in accounts])
    assert auc is not None and auc > 0.8
    for account in accounts:
        assert set(account) >= {"account", "name", "employer", "score", "level", "evidence", "staff_approached",
                                "accepted_by", "campaign"}
    # the staff the truth says were asked to move off-platform by a flagged persona are found
    flagged = {a["account"]: a for a in accounts if a["level"] != "low"}
    for outcome in truth["staff_outcomes"]:
        for persona in outcome["replied"]:
            if persona in flagged:
                assert outcome["staff_id"] in flagged[persona]["replied"]
    rows = list(csv.reader((out / "findings.csv").open(encoding="utf-8-sig")))
    assert len(rows) == len(accounts) + 1
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html and "<script" not in html


def test_pseudonymised_audit_leaks_no_staff_identity(world: Path, tmp_path: Path) -> None:
    code, _, stderr = _run(str(world / "exports"), "--roster", str(world / "roster.csv"), "--out",
                           str(tmp_path / "audit"), "--db", str(tmp_path / "ws.db"), "--pseudonymise",
                           "--pseudonym-key", "k", "--quiet")
    assert code == 0, stderr
    texts = [p.read_text(encoding="utf-8") for p in (tmp_path / "audit").iterdir()]
    roster = list(csv.DictReader((world / "roster.csv").open(encoding="utf-8")))
    for row in roster:
        slug = row["profile_url"].rstrip("/").rsplit("/", 1)[-1]
        for text in texts:
            assert row["name"] not in text
            assert slug not in text
            assert f'"{row["staff_id"]}"' not in text


def test_a_rejected_archive_is_reported_and_the_others_processed(world: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 this is not a whole archive")
    first = sorted((world / "exports").iterdir())[0]
    code, _, stderr = _run(str(broken), str(first), "--roster", str(world / "roster.csv"), "--out",
                           str(tmp_path / "audit"), "--db", str(tmp_path / "ws.db"), "--log-json")
    assert code == 0
    events = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    rejected = [e for e in events if e["event"] == "export_rejected"]
    assert [Path(e["export"]).name for e in rejected] == ["broken.zip"]
    assert any(e["event"] == "export_read" for e in events)
    findings = json.loads((tmp_path / "audit" / "findings.json").read_text(encoding="utf-8"))
    assert any("broken.zip" in err for err in findings["ingest"]["errors"])
    assert findings["summary"]["exports"] == 1


def test_fatal_errors_exit_non_zero(world: Path, tmp_path: Path) -> None:
    code, _, stderr = _run(str(world / "exports"), "--roster", str(tmp_path / "missing.csv"), "--out",
                           str(tmp_path / "audit"), "--db", str(tmp_path / "ws.db"))
    assert code == audit_cmd.EXIT_FATAL and "roster" in stderr
    broken = tmp_path / "only.zip"
    broken.write_bytes(b"not a zip")
    code, _, stderr = _run(str(broken), "--roster", str(world / "roster.csv"), "--out", str(tmp_path / "audit"),
                           "--db", str(tmp_path / "ws.db"))
    assert code == audit_cmd.EXIT_NOTHING_READ and "no export could be read" in stderr


def test_the_workspace_accumulates_exports_across_runs(world: Path, tmp_path: Path) -> None:
    exports = sorted((world / "exports").iterdir())
    common = ["--roster", str(world / "roster.csv"), "--db", str(tmp_path / "ws.db"), "--quiet"]
    code, _, _ = _run(*map(str, exports[:10]), "--out", str(tmp_path / "a"), *common)
    assert code == 0
    first = json.loads((tmp_path / "a" / "findings.json").read_text(encoding="utf-8"))
    code, _, _ = _run(*map(str, exports[10:]), "--out", str(tmp_path / "b"), *common)
    assert code == 0
    second = json.loads((tmp_path / "b" / "findings.json").read_text(encoding="utf-8"))
    code, _, _ = _run(*map(str, exports), "--out", str(tmp_path / "c"), *common)
    again = json.loads((tmp_path / "c" / "findings.json").read_text(encoding="utf-8"))
    assert first["summary"]["exports"] == 10 and second["summary"]["exports"] == 30
    assert again["summary"] == second["summary"]  # the same exports again add nothing
    assert again["accounts"] == second["accounts"]


def _rewritten_export(source: Path, target: Path) -> Path:
    """`source` with a Windows-1252 Profile.csv holding an unknown column (with markup in its name), a duplicate
    Profile.csv deeper down, and the files LinkedIn adds that the audit does not need (already in `source`)."""
    import zipfile

    with zipfile.ZipFile(source) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    profile = next(name for name in members if name.endswith("Profile.csv"))
    header, row, *rest = members[profile].decode("utf-8").split("\n")
    members[profile] = "\n".join([header + ",Shoe <b>Size</b>", row + ",Zoë", *rest]).encode("cp1252")
    members["extra/deeper/Profile.csv"] = b"First Name,Last Name\nX,Y\n"
    with zipfile.ZipFile(target, "w") as archive:
        for name, payload in members.items():
            archive.writestr(name, payload)
    return target


def test_the_reader_notes_reach_findings_report_and_summary(world: Path, tmp_path: Path) -> None:
    first = sorted((world / "exports").iterdir())[0]
    rewritten = _rewritten_export(first, tmp_path / first.name)
    code, _, stderr = _run(str(rewritten), "--roster", str(world / "roster.csv"), "--out", str(tmp_path / "audit"),
                           "--db", str(tmp_path / "ws.db"))
    assert code == 0, stderr
    findings = json.loads((tmp_path / "audit" / "findings.json").read_text(encoding="utf-8"))
    notes = findings["ingest"]["errors"]
    for expected in ("decoded as Windows-1252", "unknown columns ignored: 'Shoe <b>Size</b>'",
                     "duplicate files not read", "files not read (not needed)"):
        assert any(expected in note for note in notes), (expected, notes)
        assert expected in stderr  # the summary prints them
    assert "What could not be read" in stderr
    html = (tmp_path / "audit" / "report.html").read_text(encoding="utf-8")
    assert "What could not be read" in html
    assert "Shoe &lt;b&gt;Size&lt;/b&gt;" in html and "<b>Size" not in html


def test_an_export_zipped_twice_is_a_reported_error(world: Path, tmp_path: Path) -> None:
    import zipfile

    exports = sorted((world / "exports").iterdir())
    twice = tmp_path / "twice.zip"
    with zipfile.ZipFile(twice, "w") as archive:
        archive.write(exports[0], exports[0].name)
    code, _, stderr = _run(str(twice), "--roster", str(world / "roster.csv"), "--out", str(tmp_path / "a"),
                           "--db", str(tmp_path / "ws.db"))
    assert code == audit_cmd.EXIT_NOTHING_READ, stderr
    assert "no export could be read" in stderr and "zipped twice" in stderr
    code, _, stderr = _run(str(twice), str(exports[1]), "--roster", str(world / "roster.csv"), "--out",
                           str(tmp_path / "b"), "--db", str(tmp_path / "ws.db"))
    assert code == 0, stderr
    findings = json.loads((tmp_path / "b" / "findings.json").read_text(encoding="utf-8"))
    assert any("twice.zip" in note and "zipped twice" in note for note in findings["ingest"]["errors"])
    assert findings["summary"]["exports"] == 1
