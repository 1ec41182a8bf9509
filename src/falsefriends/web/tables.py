"""The analyst pages' tables: sorted, filtered and paged on the server (no script), and exported as CSV.

One implementation for every list page (accounts, staff, users, the audit log): the page passes its rows as
dicts, its columns and the request's query; sorting links are plain `<a href>` with the other parameters
kept. The CSV export is the same rows, every page, through the report's `safe_cell` (no cell a spreadsheet
would run as a formula) with a UTF-8 byte order mark (Excel reads accents right).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from fastapi.responses import Response

from falsefriends.report.csv_out import BOM, safe_cell

PER_PAGE = 50
MAX_QUERY = 200
LEVEL_ORDER = {"low": 0.0, "medium": 1.0, "high": 2.0}


def level_order(value: Any) -> float:
    """Levels sort by severity, not alphabetically."""
    return LEVEL_ORDER.get(str(value), -1.0)


@dataclass(frozen=True)
class Column:
    """A column: the row key, its header, whether it sorts as a number, and how a cell reads as text."""

    key: str
    label: str
    numeric: bool = False
    text: Callable[[Any], str] | None = None
    order: Callable[[Any], float] | None = None
    """How the column sorts when not by its text or number (levels: low < medium < high)."""

    def cell(self, row: Mapping[str, Any]) -> str:
        value = row.get(self.key)
        if self.text is not None:
            return self.text(value)
        if isinstance(value, list | tuple):
            return " ".join(str(v) for v in value)
        return "" if value is None else str(value)


@dataclass
class Table:
    """One page of a list, and what it takes to link to another page, sort or export."""

    path: str
    columns: Sequence[Column]
    rows: list[Mapping[str, Any]]
    total: int
    page: int
    pages: int
    sort: str
    desc: bool
    params: dict[str, str] = field(default_factory=dict)

    def link(self, **changes: object) -> str:
        """This list's URL with some parameters changed (sort, page, format...), the others kept."""
        query = {**self.params, "sort": self.sort, "dir": "desc" if self.desc else "asc", "page": str(self.page)}
        query.update({k: str(v) for k, v in changes.items()})
        return f"{self.path}?{urlencode({k: v for k, v in query.items() if v not in ('', None)})}"

    def sort_link(self, key: str) -> str:
        """Sort by `key`; on the column already sorted, the other direction."""
        desc = not self.desc if key == self.sort else False
        return self.link(sort=key, dir="desc" if desc else "asc", page=0)

    def aria_sort(self, key: str) -> str:
        if key != self.sort:
            return "none"
        return "descending" if self.desc else "ascending"


def _sort_key(column: Column) -> Callable[[Mapping[str, Any]], tuple[int, Any]]:
    def key(row: Mapping[str, Any]) -> tuple[int, Any]:
        value = row.get(column.key)
        if column.order is not None:
            return (0, column.order(value))
        if value is None or value == "":
            return (1, 0 if column.numeric else "")
        if column.numeric:
            try:
                return (0, float(len(value) if isinstance(value, list | tuple) else value))
            except (TypeError, ValueError):
                return (1, 0)
        return (0, column.cell(row).casefold())

    return key


def filtered(rows: Sequence[Mapping[str, Any]], columns: Sequence[Column], q: str = "",
             equal: Mapping[str, str] | None = None) -> list[Mapping[str, Any]]:
    """The rows whose text contains `q` (any column, case-folded) and whose `equal` keys have those values."""
    needle = q.casefold()[:MAX_QUERY].strip()
    wanted = {k: v for k, v in (equal or {}).items() if v}
    kept = []
    for row in rows:
        if any(str(row.get(k) or "") != v for k, v in wanted.items()):
            continue
        if needle and not any(needle in column.cell(row).casefold() for column in columns):
            continue
        kept.append(row)
    return kept


def table(path: str, rows: Sequence[Mapping[str, Any]], columns: Sequence[Column], *, sort: str = "",
          direction: str = "", page: int = 0, default_sort: str = "", default_desc: bool = False,
          params: Mapping[str, str] | None = None, per_page: int = PER_PAGE) -> Table:
    """Sort and page `rows` (already filtered) for a list page."""
    by_key = {c.key: c for c in columns}
    chosen = sort if sort in by_key else default_sort
    desc = direction == "desc" if direction in ("asc", "desc") else (default_desc if chosen == default_sort else False)
    ordered = list(rows)
    if chosen in by_key:
        ordered.sort(key=_sort_key(by_key[chosen]), reverse=desc)
        if desc:  # missing values last in both directions
            ordered.sort(key=lambda r: r.get(chosen) in (None, ""))
    pages = max(1, (len(ordered) + per_page - 1) // per_page)
    page = min(max(page, 0), pages - 1)
    kept = {k: v[:MAX_QUERY] for k, v in (params or {}).items() if v}
    return Table(path, columns, ordered[page * per_page:(page + 1) * per_page], len(ordered), page, pages,
                 chosen, desc, kept)


def csv_response(rows: Sequence[Mapping[str, Any]], columns: Sequence[Column], filename: str) -> Response:
    """Every row as a CSV download: header labels, formula-safe cells, a BOM."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.key for c in columns])
    for row in rows:
        writer.writerow([safe_cell(c.cell(row)) for c in columns])
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"',
                             "X-Content-Type-Options": "nosniff"})
