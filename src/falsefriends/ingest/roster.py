"""Read the organisation's staff roster (roster.csv) into StaffMember records, accounting for every row.

Columns (by header name, any case/order): `staff_id,name,department,sector,profile_url,export_file`.
`staff_id` is required and unique; `sector` is `state` or `business` (or empty); `profile_url` is
normalised like every profile URL so that it matches the keys of ingested accounts.
"""

from __future__ import annotations

from pathlib import Path

from falsefriends.ingest.csv_table import CsvRow, CsvTable, bounded, column_key, read_table
from falsefriends.ingest.identity import normalise_profile_url
from falsefriends.model import IngestReport, QuarantinedRow, Sector, StaffMember

ROSTER_COLUMNS = ("staff_id", "name", "department", "sector", "profile_url", "export_file")
MAX_ROSTER_BYTES = 64 * 1024 * 1024

_KNOWN = {column_key(column): column for column in ROSTER_COLUMNS}


def _reject(table: CsvTable, row: CsvRow, reason: str, quarantine: list[QuarantinedRow]) -> None:
    raw = ",".join(f"{name}={value}" for name, value in row.values.items() if value)
    quarantine.append(QuarantinedRow(file=table.member, line=row.line, reason=reason, raw=bounded(raw)))


def read_roster(path: Path) -> tuple[list[StaffMember], IngestReport]:
    """Staff members of the roster at `path`, and the report of what was accepted or quarantined."""
    with path.open("rb") as handle:
        data = handle.read(MAX_ROSTER_BYTES + 1)
    if len(data) > MAX_ROSTER_BYTES:
        raise ValueError(f"{path}: roster larger than {MAX_ROSTER_BYTES} bytes")
    table = read_table(data, path.name, _KNOWN)
    quarantine = list(table.quarantine)
    notes = list(table.notes)
    if table.unknown_columns:
        notes.append(f"{path.name}: unknown columns ignored: {', '.join(repr(c) for c in table.unknown_columns)}")
    if table.rows and "staff_id" not in table.columns:
        notes.append(f"{path.name}: no staff_id column")
    staff: list[StaffMember] = []
    seen: set[str] = set()
    for row in table.rows:
        staff_id = row.get("staff_id")
        if not staff_id:
            _reject(table, row, "staff_id is empty", quarantine)
            continue
        if staff_id in seen:
            _reject(table, row, f"duplicate staff_id {staff_id[:60]!r}", quarantine)
            continue
        sector_text = row.get("sector").casefold()
        if sector_text and sector_text not in {s.value for s in Sector}:
            _reject(table, row, f"unknown sector {row.get('sector')[:40]!r} (expected state or business)", quarantine)
            continue
        url_text = row.get("profile_url")
        url = normalise_profile_url(url_text) if url_text else None
        if url_text and url is None:
            _reject(table, row, f"profile_url is not a web address: {url_text[:80]!r}", quarantine)
            continue
        seen.add(staff_id)
        staff.append(
            StaffMember(
                staff_id=staff_id,
                name=row.get("name"),
                department=row.get("department"),
                sector=Sector(sector_text) if sector_text else None,
                profile_url=url,
                export_file=row.get("export_file") or None,
            )
        )
    report = IngestReport(
        files=1,
        rows_read=table.rows_read,
        rows_accepted=len(staff),
        rows_quarantined=len(quarantine),
        quarantine=tuple(quarantine),
        errors=tuple(notes),
    )
    return staff, report
