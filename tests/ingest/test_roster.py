"""The staff roster: by header name, every row accepted or quarantined with its reason."""

from __future__ import annotations

from pathlib import Path

from falsefriends.ingest.roster import read_roster
from falsefriends.model import Sector


def test_roster_rows_are_read_normalised_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes(
        "\ufeffstaff_id,name,department,sector,profile_url,export_file,badge\r\n"
        "s1,Anna Lindqvist,Propulsion,state,https://fr.linkedin.com/in/Anna-Lindqvist/,anna.zip,42\r\n"
        "s2,\"Chen, Bo\",Finance,Business,,,\r\n"
        ",No Id,X,state,,,\r\n"
        "s1,Dup,X,state,,,\r\n"
        "s3,Bad Sector,X,military,,,\r\n"
        "s4,Bad URL,X,,not a url,,\r\n".encode()
    )
    staff, report = read_roster(path)
    assert [s.staff_id for s in staff] == ["s1", "s2"]
    anna, bo = staff
    assert anna.profile_url == "https://www.linkedin.com/in/anna-lindqvist"
    assert (anna.sector, anna.export_file, anna.department) == (Sector.STATE, "anna.zip", "Propulsion")
    assert (bo.name, bo.sector, bo.profile_url) == ("Chen, Bo", Sector.BUSINESS, None)
    assert [(q.line, q.reason.split(" ")[0]) for q in report.quarantine] == [
        (4, "staff_id"), (5, "duplicate"), (6, "unknown"), (7, "profile_url")
    ]
    assert (report.rows_read, report.rows_accepted, report.rows_quarantined) == (6, 2, 4)
    assert any("badge" in note for note in report.errors)
