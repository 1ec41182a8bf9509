"""The CSV reader: real-export quirks, damaged input quarantined by line, and no text that can crash it."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from falsefriends.ingest.csv_table import column_key, decode, read_table

KNOWN = {column_key(c): c for c in ("First Name", "Last Name", "Company", "Connected On")}


def test_preamble_bom_and_quoted_fields() -> None:
    data = (
        b"\xef\xbb\xbfNotes:\r\n\"a note, with commas\r\nand a line break\"\r\n\r\n"
        b"first name,LAST_NAME,Company,Connected On\r\n"
        b'Ann,"O""Neil, Jr","Acme\nLabs",08 Feb 2026\r\n'
    )
    table = read_table(data, "Connections.csv", KNOWN)
    assert [row.values for row in table.rows] == [
        {"First Name": "Ann", "Last Name": 'O"Neil, Jr', "Company": "Acme\nLabs", "Connected On": "08 Feb 2026"}
    ]
    assert table.rows[0].line == 6
    assert table.quarantine == [] and table.unknown_columns == ()


def test_empty_and_header_only() -> None:
    assert read_table(b"", "x.csv", KNOWN).rows_read == 0
    assert read_table(b"\xef\xbb\xbf", "x.csv", KNOWN).rows_read == 0
    table = read_table(b"First Name,Last Name\r\n", "x.csv", KNOWN)
    assert table.rows_read == 0 and table.columns == ("First Name", "Last Name")


def test_missing_and_extra_columns() -> None:
    table = read_table(b"First Name,Last Name,Mood\nA,B,happy\nC\nD,E,ok,EXTRA\n", "x.csv", KNOWN)
    assert table.unknown_columns == ("Mood",)
    assert [row.get("First Name") for row in table.rows] == ["A", "C"]
    assert table.rows[1].get("Last Name") == ""
    (bad,) = table.quarantine
    assert (bad.line, bad.reason) == (4, "row has 4 fields, the header has 3")


def test_no_header_quarantines_every_row() -> None:
    table = read_table(b"foo,bar\n1,2\n", "x.csv", KNOWN)
    assert [q.line for q in table.quarantine] == [1, 2]
    assert table.rows == []


def test_binary_member_is_one_quarantined_entry() -> None:
    table = read_table(b"\x00\x01\x02PK junk" * 10, "messages.csv", KNOWN)
    assert len(table.quarantine) == 1 and "binary" in table.quarantine[0].reason


def test_truncated_quoted_field_is_quarantined() -> None:
    table = read_table(b'First Name,Last Name\nA,B\nC,"never closed\nmore', "x.csv", KNOWN)
    assert [row.get("First Name") for row in table.rows] == ["A"]
    assert table.quarantine[0].line == 3 and "unterminated" in table.quarantine[0].reason


def test_a_stray_quote_inside_an_unquoted_field_is_kept() -> None:
    table = read_table(b'First Name,Last Name\nAnn,O"Neil\n', "x.csv", KNOWN)
    assert [row.get("Last Name") for row in table.rows] == ['O"Neil']


def test_decoding_fallbacks_are_declared() -> None:
    assert decode("Zoë".encode()) == ("Zoë", None)
    assert decode("Zoë".encode("utf-16")) == ("Zoë", "decoded as UTF-16 (byte order mark)")
    text, note = decode("Zoë Müller".encode("cp1252"))
    assert text == "Zoë Müller" and note is not None and "Windows-1252" in note


def test_quarantined_raw_is_bounded() -> None:
    table = read_table(b"First Name,Last Name\n" + b"x," * 5000 + b"\n", "x.csv", KNOWN)
    assert len(table.quarantine[0].raw) <= 1001


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_never_crash_and_every_row_is_accounted(data: bytes) -> None:
    table = read_table(data, "x.csv", KNOWN, max_field_bytes=500)
    assert table.rows_read == len(table.rows) + len(table.quarantine)
    assert all(q.line >= 1 for q in table.quarantine)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000))
def test_any_text_never_crashes(text: str) -> None:
    read_table(("First Name,Last Name\n" + text).encode("utf-8", "surrogatepass"), "x.csv", KNOWN)


text_cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x00"), max_size=40)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(text_cells, text_cells, text_cells), min_size=1, max_size=8), st.booleans())
def test_written_rows_round_trip(rows: list[tuple[str, str, str]], bom: bool) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["First Name", "Last Name", "Company"])
    writer.writerows(rows)
    data = (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8")
    table = read_table(data, "x.csv", KNOWN)
    got = [(row.values["First Name"], row.values["Last Name"], row.values["Company"]) for row in table.rows]
    # A row of blank cells is a blank line, not a row.
    assert got == [r for r in rows if any(c.strip() for c in r)]
    assert table.quarantine == []


def test_a_stray_nul_in_a_field_is_removed_not_fatal() -> None:
    table = read_table(b"First Name,Last Name\nA\x00nn,B\nC,D\n", "x.csv", KNOWN)
    assert [row.get("First Name") for row in table.rows] == ["Ann", "C"]
