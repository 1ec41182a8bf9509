"""Reading the platform tables on one machine (pyarrow): the contract checked, bad rows quarantined."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from falsefriends.scan.contract import (
    COLUMNS,
    KEYS,
    MAX_TEXT,
    QUARANTINE_SCHEMA,
    REFERENCES,
    ROW_RULES,
    TEXTS,
    RowRule,
    check_schema,
    table_path,
)


@dataclass
class Tables:
    members: pa.Table
    invitations: pa.Table
    messages: pa.Table
    connections: pa.Table
    quarantine: list[pa.Table] = field(default_factory=list)
    rows_read: dict[str, int] = field(default_factory=dict)

    def quarantined(self) -> pa.Table:
        if not self.quarantine:
            return QUARANTINE_SCHEMA.empty_table()
        return pa.concat_tables(self.quarantine)


def _read(directory: Path, table: str) -> pa.Table:
    path = table_path(directory, table)
    try:
        schema = pq.read_schema(path)
    except (OSError, pa.ArrowInvalid) as exc:
        raise ValueError(f"{path}: not a readable Parquet file ({exc})") from exc
    check_schema(table, schema, str(path))
    columns = [c for c, _, _ in COLUMNS[table]]
    data = pq.read_table(path, columns=columns)
    target = pa.schema([(c, t) for c, t, _ in COLUMNS[table]])
    return data.cast(target)


def _quarantine(tables: Tables, name: str, data: pa.Table, bad: np.ndarray, rows: np.ndarray, rule: RowRule
                ) -> pa.Table:
    """Set aside the rows where `bad` holds (or clear the value), recording them; `rows` are row numbers."""
    if not bad.any():
        return data
    keys = data.column(KEYS[name]).filter(pa.array(bad))
    count = int(bad.sum())
    tables.quarantine.append(pa.table({
        "table": [name] * count, "row": rows[bad], "key": keys, "column": [rule.column] * count,
        "reason": [rule.reason] * count}, schema=QUARANTINE_SCHEMA))
    if rule.keeps_row:
        index = data.schema.get_field_index(rule.column)
        column = data.column(index)
        cleared = pc.if_else(pa.array(bad), pa.scalar(None, type=column.type), column)
        return data.set_column(index, rule.column, cleared)
    return data.filter(pa.array(~bad))


def read_tables(directory: Path) -> Tables:
    """The four tables, cast to the contract's types, with every row rule applied (`contract.ROW_RULES`)."""
    if not directory.is_dir():
        raise ValueError(f"{directory}: not a directory of platform tables")
    raw = {name: _read(directory, name) for name in COLUMNS}
    tables = Tables(raw["members"], raw["invitations"], raw["messages"], raw["connections"],
                    rows_read={name: t.num_rows for name, t in raw.items()})
    member_ids: pa.Array | None = None
    for name in ("members", "invitations", "messages", "connections"):
        data = raw[name]
        rows = np.arange(data.num_rows, dtype=np.int64)
        for rule in ROW_RULES:
            if rule.table != name:
                continue
            column = data.column(rule.column)
            if rule.kind == "null":
                bad = column.is_null().to_numpy(zero_copy_only=False)
            elif rule.kind == "negative":
                bad = pc.fill_null(pc.less(column, 0), False).to_numpy(zero_copy_only=False)
            elif rule.kind == "duplicate":
                ids = column.to_numpy()
                _, first = np.unique(ids, return_index=True)
                bad = np.ones(len(ids), dtype=bool)
                bad[first] = False
            elif rule.kind == "too-long":
                bad = pc.fill_null(pc.greater(pc.utf8_length(column), MAX_TEXT), False).to_numpy(
                    zero_copy_only=False)
            elif rule.kind == "unknown-member":
                assert member_ids is not None
                bad = pc.invert(pc.is_in(column, value_set=member_ids)).to_numpy(zero_copy_only=False)
            else:  # pragma: no cover - the rules are listed in contract.py
                raise AssertionError(rule.kind)
            data = _quarantine(tables, name, data, bad, rows, rule)
            if not rule.keeps_row:
                rows = rows[~bad]
        setattr(tables, name, data)
        if name == "members":
            member_ids = data.column("member_id").combine_chunks()
    assert set(REFERENCES) | set(TEXTS) <= set(COLUMNS)
    return tables
