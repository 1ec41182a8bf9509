"""The input contract of `falsefriends scan`: which Parquet tables, which columns, which types, which rows.

A platform hands over four tables (the schema `falsefriends simulate --members` writes; extra columns
and tables such as organisations.parquet are ignored). A missing table or column, or a column whose type
cannot be read as the contract's, stops the scan with an error naming the table and the column. A row
that breaks a row rule is quarantined (kept aside with its table, row number, key, column and reason,
and counted), never silently dropped; a negative connection count only clears that value (recorded the
same way), since losing the member would lose every row that names it. The rules are listed once here
(`ROW_RULES`); each engine translates them into its own expressions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

# Texts longer than this are quarantined rather than scored: no real message or note is this long.
MAX_TEXT = 100_000

# table -> (column, Arrow type, required not-null)
COLUMNS: dict[str, tuple[tuple[str, pa.DataType, bool], ...]] = {
    "members": (
        ("member_id", pa.int64(), True), ("profile_url", pa.string(), False), ("first_name", pa.string(), False),
        ("last_name", pa.string(), False), ("headline", pa.string(), False), ("employer", pa.string(), False),
        ("position", pa.string(), False), ("industry", pa.string(), False), ("about", pa.string(), False),
        ("created", pa.date32(), False), ("connections", pa.int64(), False),
    ),
    "invitations": (
        ("invitation_id", pa.int64(), True), ("inviter_id", pa.int64(), True), ("invitee_id", pa.int64(), True),
        ("sent_at", pa.timestamp("ms", tz="UTC"), False), ("message", pa.string(), False),
        ("status", pa.string(), False),
    ),
    "messages": (
        ("message_id", pa.int64(), True), ("conversation_id", pa.int64(), False), ("sender_id", pa.int64(), True),
        ("recipient_id", pa.int64(), True), ("sent_at", pa.timestamp("ms", tz="UTC"), False),
        ("subject", pa.string(), False), ("body", pa.string(), False),
    ),
    "connections": (
        ("member_a", pa.int64(), True), ("member_b", pa.int64(), True),
    ),
}
KEYS = {"members": "member_id", "invitations": "invitation_id", "messages": "message_id", "connections": "member_a"}
# Columns that must name a member of the members table.
REFERENCES = {"invitations": ("inviter_id", "invitee_id"), "messages": ("sender_id", "recipient_id"),
              "connections": ("member_a", "member_b")}
TEXTS = {"invitations": ("message",), "messages": ("subject", "body"), "members": ("headline", "about")}


@dataclass(frozen=True)
class RowRule:
    """One reason a row is quarantined."""

    table: str
    column: str
    kind: str  # "null", "negative", "duplicate", "unknown-member", "too-long"
    reason: str

    @property
    def keeps_row(self) -> bool:
        """The row stays, with the value cleared (only a negative count); otherwise the row is set aside."""
        return self.kind == "negative"


def row_rules() -> list[RowRule]:
    rules: list[RowRule] = []
    for table, columns in COLUMNS.items():
        for column, _, required in columns:
            if required:
                rules.append(RowRule(table, column, "null", f"{column} is empty"))
    rules.append(RowRule("members", "member_id", "duplicate", "member_id appears earlier in the table"))
    # A bad count is not worth losing the member (and every row that names it): the value is read as unknown.
    rules.append(RowRule("members", "connections", "negative", "connections is negative: read as unknown"))
    for table, references in REFERENCES.items():
        for column in references:
            rules.append(RowRule(table, column, "unknown-member", f"{column} names no member of members.parquet"))
    for table, texts in TEXTS.items():
        for column in texts:
            rules.append(RowRule(table, column, "too-long", f"{column} is longer than {MAX_TEXT:,} characters"))
    return rules


ROW_RULES = row_rules()
QUARANTINE_SCHEMA = pa.schema([("table", pa.string()), ("row", pa.int64()), ("key", pa.int64()),
                               ("column", pa.string()), ("reason", pa.string())])


class ScanInputError(ValueError):
    """The tables do not meet the input contract (a missing table or column, a column of the wrong type)."""


def table_path(directory: Path, table: str) -> Path:
    path = directory / f"{table}.parquet"
    if not path.exists():
        raise ScanInputError(f"{path}: missing; a scan needs {', '.join(f'{t}.parquet' for t in COLUMNS)}")
    return path


def check_schema(table: str, schema: pa.Schema, where: str) -> None:
    """Every contract column is present with a type that casts to the contract's; else a ScanInputError."""
    for column, wanted, _ in COLUMNS[table]:
        index = schema.get_field_index(column)
        if index < 0:
            raise ScanInputError(f"{where}: table {table} has no column {column!r} (the input contract, "
                                 "docs/scan.md, lists the columns)")
        found = schema.field(index).type
        if not _castable(found, wanted):
            raise ScanInputError(f"{where}: table {table}, column {column!r} has type {found}, expected {wanted}")


def _castable(found: pa.DataType, wanted: pa.DataType) -> bool:
    if found == wanted:
        return True
    if pa.types.is_integer(wanted):
        return pa.types.is_integer(found)
    if pa.types.is_string(wanted):
        return pa.types.is_string(found) or pa.types.is_large_string(found) or pa.types.is_null(found)
    if pa.types.is_timestamp(wanted):
        return pa.types.is_timestamp(found) or pa.types.is_null(found)
    if pa.types.is_date(wanted):
        return pa.types.is_date(found) or pa.types.is_timestamp(found) or pa.types.is_null(found)
    return False
