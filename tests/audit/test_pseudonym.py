"""--pseudonymise: no staff name, URL, id or export file name survives in any output."""

from __future__ import annotations

import re
from pathlib import Path

from falsefriends.audit.findings import build_findings
from falsefriends.audit.pseudonym import load_or_create_key, pseudonym, pseudonymise
from falsefriends.check import Checker
from falsefriends.model import IngestReport, QuarantinedRow
from falsefriends.report.write import write_reports

from .conftest import World

KEY = b"test-key"


def _outputs(world: World, checker: Checker, out: Path) -> dict[str, str]:
    quarantine = QuarantinedRow(file="exports/alice-martin.zip/messages.csv", line=7, reason="bad date",
                                raw="c1,,Alice Martin,https://www.linkedin.com/in/alice-martin,...")
    report = IngestReport(files=3, rows_read=10, rows_accepted=9, rows_quarantined=1, quarantine=(quarantine,),
                          errors=("exports/bob-okafor.zip: truncated archive",))
    data = world.data.__class__(staff=world.data.staff, exports=world.data.exports, ingest=report)
    findings = pseudonymise(build_findings(data, checker), data.staff, KEY)
    write_reports(findings, out)
    return {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()}


def test_no_staff_identity_survives_in_any_output(world: World, audit_checker: Checker, tmp_path: Path) -> None:
    outputs = _outputs(world, audit_checker, tmp_path)
    assert set(outputs) == {"findings.json", "findings.csv", "staff.csv", "report.html"}
    for member in world.data.staff:
        for name, text in outputs.items():
            for trace in (member.name, *member.name.split(), member.profile_url or "", "alice-martin",
                          "bob-okafor", "carol-nguyen"):
                assert not re.search(re.escape(trace), text, re.IGNORECASE), (name, trace)
            assert f'"{member.staff_id}"' not in text


def test_same_person_same_pseudonym_everywhere(world: World, audit_checker: Checker, tmp_path: Path) -> None:
    outputs = _outputs(world, audit_checker, tmp_path)
    alice = pseudonym(KEY, "S1")
    assert alice.startswith("staff-") and alice != pseudonym(b"other-key", "S1")
    for text in outputs.values():
        assert alice in text
    # "Dear Alice," in the persona's note became the pseudonym, outside names stay readable
    assert "Jane Smith" in outputs["report.html"]
    first = build_findings(world.data, audit_checker)
    again = pseudonymise(first, world.data.staff, KEY)
    assert [s.staff_id for s in again.staff] == [pseudonym(KEY, s) for s in ("S1", "S2", "S3")]
    assert again.accounts[0].staff_approached == [pseudonym(KEY, "S1"), pseudonym(KEY, "S2")]
    assert again.pseudonymised


def test_outside_accounts_keep_their_evidence(world: World, audit_checker: Checker) -> None:
    findings = pseudonymise(build_findings(world.data, audit_checker), world.data.staff, KEY)
    hostile = findings.accounts[0]
    assert hostile.name == "Jane Smith" and hostile.account == "https://www.linkedin.com/in/jane-smith-9"
    assert {e.excerpt for e in hostile.evidence} >= {"WhatsApp", "analysis notes", "generous fee"}


def test_key_file_is_created_once_and_private(tmp_path: Path) -> None:
    path = tmp_path / "ws" / "pseudonym.key"
    first = load_or_create_key(path)
    assert load_or_create_key(path) == first and len(first) == 64
    assert path.stat().st_mode & 0o077 == 0
