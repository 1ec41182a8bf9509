"""`falsefriends audit --lang fr --pdf`: the report, the CSVs and the PDF in one language; --pdf without a browser
fails before the audit runs, in plain words."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from falsefriends.cli import audit_cmd
from falsefriends.report.pdf import CHROMIUM_ENV, chromium_path
from falsefriends.simulate.organisation import build_organisation
from falsefriends.simulate.organisation_writer import write_organisation


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("org")
    write_organisation(build_organisation(8, 3), out)
    return out


def _run(*args: str) -> tuple[int, str]:
    app = typer.Typer()
    audit_cmd.register(app)

    @app.command("noop")
    def noop() -> None:
        """Nothing."""

    result = CliRunner().invoke(app, ["audit", *args])
    return result.exit_code, result.stderr


def test_audit_in_french_with_a_pdf(world: Path, tmp_path: Path) -> None:
    if chromium_path() is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    out = tmp_path / "audit"
    code, stderr = _run(str(world / "exports"), "--roster", str(world / "roster.csv"), "--out", str(out),
                        "--db", str(tmp_path / "ws.db"), "--lang", "fr", "--pdf", "--quiet")
    assert code == 0, stderr
    written = {p.name for p in out.iterdir()}
    assert {"findings.json", "findings.csv", "staff.csv", "report.html", "report.pdf"} <= written
    assert (out / "report.pdf").read_bytes().startswith(b"%PDF-")
    html = (out / "report.html").read_text(encoding="utf-8")
    assert 'lang="fr"' in html and "Que faire" in html
    staff = list(csv.DictReader((out / "staff.csv").open(encoding="utf-8-sig")))
    advised = [row["advice"] for row in staff if row["advice"] != "none"]
    assert advised and all("security officer" not in text for text in advised)


def test_pdf_without_a_browser_fails_first_in_plain_words(world: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CHROMIUM_ENV, str(tmp_path / "no-such-browser"))
    out = tmp_path / "audit"
    code, stderr = _run(str(world / "exports"), "--roster", str(world / "roster.csv"), "--out", str(out),
                        "--db", str(tmp_path / "ws.db"), "--pdf")
    assert code == 2 and "--pdf needs Chromium" in stderr
    assert not out.exists()  # nothing was audited


def test_an_unknown_language_is_refused_by_the_cli(world: Path, tmp_path: Path) -> None:
    code, stderr = _run(str(world / "exports"), "--roster", str(world / "roster.csv"), "--out",
                        str(tmp_path / "audit"), "--lang", "es")
    assert code == 2 and "es" in stderr
