"""Read one export CSV file into rows keyed by column name, quarantining what cannot be read, never crashing.

Handles what real exports do: a BOM, a preamble before the header (Connections.csv), quoted fields with
commas, quotes and line breaks, header names that change case or gain columns over the years, and
files that are empty or header-only. Hostile or damaged input (invalid UTF-8, NUL bytes, a field larger
than the limit, an unterminated quote) quarantines the rows concerned with their line numbers.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

from falsefriends.model import QuarantinedRow

RAW_LIMIT = 1000
"""Characters of a quarantined row kept as evidence (rows can be huge or hostile)."""

_HEADER_SCAN = 20
_SURROGATE = re.compile("[\udc80-\udcff]")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def column_key(name: str) -> str:
    """How header names are compared: case, BOM, spaces and underscores do not matter."""
    return " ".join(name.replace("\ufeff", "").replace("_", " ").split()).casefold()


@dataclass(frozen=True)
class CsvRow:
    """One accepted record: values by canonical column name, and the line it starts on."""

    line: int
    values: Mapping[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "").strip()


@dataclass
class CsvTable:
    """What one CSV member held: accepted rows, quarantined rows and what was not understood."""

    member: str
    rows: list[CsvRow] = field(default_factory=list)
    quarantine: list[QuarantinedRow] = field(default_factory=list)
    columns: tuple[str, ...] = ()
    unknown_columns: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        return len(self.rows) + len(self.quarantine)

    def reject(self, line: int, reason: str, raw: str) -> None:
        self.quarantine.append(QuarantinedRow(file=self.member, line=line, reason=reason, raw=bounded(raw)))


def bounded(raw: str) -> str:
    """A printable, bounded copy of a row for the quarantine (bad bytes shown as U+FFFD)."""
    # Invalid bytes shown as U+FFFD and NUL as U+2400: visible, and storable in any database.
    text = _SURROGATE.sub("\ufffd", raw).replace("\x00", "\u2400")
    return text if len(text) <= RAW_LIMIT else text[:RAW_LIMIT] + "…"


def decode(data: bytes) -> tuple[str, str | None]:
    """Text of a CSV member and, when it was not UTF-8, a note saying how it was decoded.

    UTF-8 (with or without BOM) and UTF-16 with a BOM are read as such. A file with no valid UTF-8
    multi-byte sequence at all is taken as Windows-1252 (old spreadsheet saves), declared in the note.
    Otherwise invalid bytes are kept as markers so that only the rows holding them are quarantined.
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "decoded as UTF-16 (byte order mark)"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="surrogateescape")
    if all(ord(ch) < 0x80 or 0xDC80 <= ord(ch) <= 0xDCFF for ch in text):
        return data.decode("cp1252", errors="replace"), "not UTF-8: decoded as Windows-1252"
    return text, None


@contextmanager
def _field_limit(limit: int) -> Iterator[None]:
    # The csv module keeps this limit process-wide; set it for this read only.
    previous = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _is_binary(data: bytes) -> bool:
    """Many NUL bytes mean a binary file; a stray NUL inside a text field does not (it is removed on accept)."""
    head = data[:8192]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    return head.count(b"\x00") > max(8, len(head) // 100)


def read_table(
    data: bytes,
    member: str,
    known: Mapping[str, str],
    *,
    max_field_bytes: int = 1024 * 1024,
) -> CsvTable:
    """Parse `data` (one CSV member) whose header uses the columns in `known` (column_key -> canonical name).

    Lines before the header (a preamble) are skipped; the header is the first record naming at least
    two known columns (or one, for files with a single known column).
    """
    table = CsvTable(member=member)
    if not data.strip():
        return table
    if _is_binary(data):
        table.reject(1, "binary content, not a CSV file", repr(data[:200]))
        return table
    text, note = decode(data)
    if note:
        table.notes.append(f"{member}: {note}")
    lines = _LINE.findall(text)
    needed = min(2, len(set(known.values())))
    header: list[str] | None = None
    scanned: list[tuple[int, int]] = []
    reader = csv.reader(iter(lines), strict=False)
    last_line = 0
    with _field_limit(max_field_bytes):
        while True:
            start = last_line + 1
            try:
                record = next(reader)
            except StopIteration:
                break
            except csv.Error as why:
                last_line = reader.line_num
                table.reject(start, f"unreadable CSV record: {why}", "".join(lines[start - 1 : last_line]))
                continue
            last_line = reader.line_num
            raw = "".join(lines[start - 1 : last_line])
            if not any(cell.strip() for cell in record):
                continue  # a blank line is not a row
            if header is None:
                if sum(column_key(cell) in known for cell in record) >= needed:
                    header = _header(table, record, known)
                    # A preamble is only allowed before the header: anything scanned that held data is kept.
                    continue
                scanned.append((start, last_line))
                if len(scanned) > _HEADER_SCAN:
                    break
                continue
            _accept(table, header, record, start, raw)
    if header is None:
        for first, last in scanned:
            table.reject(first, "no recognisable header row before this line", "".join(lines[first - 1 : last]))
        if len(scanned) > _HEADER_SCAN:
            rest = "".join(lines[scanned[-1][1] :])
            if rest.strip():
                table.reject(scanned[-1][1] + 1, "file has no recognisable header row; rest of the file", rest)
    return table


def _header(table: CsvTable, record: list[str], known: Mapping[str, str]) -> list[str]:
    names: list[str] = []
    unknown: list[str] = []
    seen: set[str] = set()
    for cell in record:
        canonical = known.get(column_key(cell))
        if canonical is None:
            label = cell.replace("\ufeff", "").strip()
            unknown.append(bounded(label)[:100])
            names.append("")
        elif canonical in seen:
            names.append("")  # a repeated column: the first one wins
        else:
            seen.add(canonical)
            names.append(canonical)
    table.columns = tuple(name for name in names if name)
    table.unknown_columns = tuple(unknown)
    return names


def _unterminated(raw: str) -> bool:
    """Whether a record ends inside a quoted field (only the end of the file can do that)."""
    try:
        for _ in csv.reader(_LINE.findall(raw), strict=True):
            pass
    except csv.Error as why:
        return "unexpected end of data" in str(why)
    return False


def _accept(table: CsvTable, header: list[str], record: list[str], line: int, raw: str) -> None:
    if len(record) > len(header) and any(cell.strip() for cell in record[len(header) :]):
        table.reject(line, f"row has {len(record)} fields, the header has {len(header)}", raw)
        return
    if raw.count('"') % 2 and _unterminated(raw):
        table.reject(line, "unterminated quoted field (truncated file?)", raw)
        return
    if any(_SURROGATE.search(cell) for cell in record):
        table.reject(line, "not valid UTF-8 text", raw)
        return
    # NUL carries no meaning in text and PostgreSQL refuses it: dropped rather than failing the row.
    values = {name: cell.replace("\x00", "") for name, cell in zip(header, record, strict=False) if name}
    table.rows.append(CsvRow(line=line, values=values))
