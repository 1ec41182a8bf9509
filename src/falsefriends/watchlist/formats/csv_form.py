"""CSV import and export: one row per entry, lists inside a cell separated by `|`.

Columns (only `kind` and `name` or `identifiers` are needed on import; the rest default):
`id, kind, name, aliases, acronyms, transliterations, role, employer, employer_is_front, front,
identifiers, source, status, date, urls, title, confidence, first_seen, last_seen, expires, note`.
`identifiers` holds `kind:value` items (`wechat:jana_luo88|profile-url:linkedin.com/in/x`). An entry with
several sources lists them in parallel in `source`, `status`, `date`, `urls` and `title`, separated by `||`
(URLs of one source separated by spaces). Exported cells that a spreadsheet would run as a formula
(starting with `=`, `+`, `-`, `@`, tab or carriage return) are prefixed with `'`; import removes that prefix.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from pydantic import ValidationError

from falsefriends.watchlist.entries import Entry, EntryKind, Identifier, IdentifierKind, Provenance, Status, Watchlist
from falsefriends.watchlist.formats.defaults import ImportDefaults, make_id
from falsefriends.watchlist.formats.errors import ImportProblem, WatchlistFormatError, describe_validation

COLUMNS = ("id", "kind", "name", "aliases", "acronyms", "transliterations", "role", "employer", "employer_is_front",
           "front", "identifiers", "source", "status", "date", "urls", "title", "confidence", "first_seen",
           "last_seen", "expires", "note")
PROVENANCE_SEP = "||"
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
MAX_FIELD = 100_000


def safe_cell(value: str) -> str:
    """A cell a spreadsheet shows as text, never runs (CSV/formula injection)."""
    return "'" + value if value.startswith(_FORMULA) else value


def _unescape(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:2] in _FORMULA and value[1:2] else value


def _split(value: str, sep: str = "|") -> list[str]:
    return [v.strip() for v in value.split(sep) if v.strip()]


def _bool(value: str) -> bool | None:
    value = value.strip().lower()
    if value in ("", "none", "unknown"):
        return None
    if value in ("true", "yes", "1", "y"):
        return True
    if value in ("false", "no", "0", "n"):
        return False
    raise ValueError(f"expected true or false, got {value[:20]!r}")


def _provenance(row: dict[str, str], defaults: ImportDefaults) -> tuple[Provenance, ...]:
    sources = [s.strip() for s in row.get("source", "").split(PROVENANCE_SEP)]
    if not any(sources):
        return (defaults.provenance(),)
    statuses = [s.strip() for s in row.get("status", "").split(PROVENANCE_SEP)]
    dates = [s.strip() for s in row.get("date", "").split(PROVENANCE_SEP)]
    urls = [s.strip() for s in row.get("urls", "").split(PROVENANCE_SEP)]
    titles = [s.strip() for s in row.get("title", "").split(PROVENANCE_SEP)]

    def at(items: list[str], i: int) -> str:
        return items[i] if i < len(items) else (items[0] if len(items) == 1 else "")

    found = []
    for i, source in enumerate(sources):
        if not source:
            continue
        status = at(statuses, i)
        found.append(Provenance(source=source, status=Status(status) if status else defaults.status,
                                date=at(dates, i) or defaults.date,
                                urls=tuple(at(urls, i).split()) or ((defaults.url,) if defaults.url else ()),
                                title=at(titles, i)))
    return tuple(found)


def _entry(row: dict[str, str], defaults: ImportDefaults, taken: set[str]) -> Entry:
    kind = EntryKind(row.get("kind", "").strip().lower() or "organisation")
    identifiers = []
    for item in _split(row.get("identifiers", "")):
        id_kind, sep, value = item.partition(":")
        if not sep:
            raise ValueError(f"identifier {item[:40]!r} must be written kind:value")
        identifiers.append(Identifier(kind=IdentifierKind(id_kind.strip().lower()), value=value))
    name = row.get("name", "")
    entry_id = row.get("id", "").strip() or make_id("persona" if kind is EntryKind.PERSONA else kind.value[:3]
                                                    if kind is EntryKind.ORGANISATION else kind.value,
                                                    name or (identifiers[0].value if identifiers else ""), taken)
    data: dict[str, Any] = {
        "id": entry_id, "kind": kind, "name": name, "aliases": _split(row.get("aliases", "")),
        "acronyms": _split(row.get("acronyms", "")), "transliterations": _split(row.get("transliterations", "")),
        "role": row.get("role", ""), "employer": row.get("employer", ""),
        "employer_is_front": _bool(row.get("employer_is_front", "")), "identifiers": identifiers,
        "provenance": _provenance(row, defaults), "note": row.get("note", ""),
    }
    front = _bool(row.get("front", ""))
    if front is not None:
        data["front"] = front
    for key in ("confidence", "first_seen", "last_seen", "expires"):
        if row.get(key, "").strip():
            data[key] = row[key].strip()
    return Entry.model_validate(data)


def load_csv(text: str, path: str = "<csv>", defaults: ImportDefaults | None = None) -> Watchlist:
    """Read a CSV watchlist; raises `WatchlistFormatError` with the line of every bad row."""
    defaults = defaults or ImportDefaults()
    csv.field_size_limit(MAX_FIELD)
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    if not header:
        return Watchlist()
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise WatchlistFormatError([ImportProblem(path, 1, f"unknown column(s) {', '.join(unknown)[:200]}; "
                                                           f"known: {', '.join(COLUMNS)}")])
    if "name" not in header and "identifiers" not in header:
        raise WatchlistFormatError([ImportProblem(path, 1, "a 'name' or 'identifiers' column is needed")])
    reader.fieldnames = header
    problems: list[ImportProblem] = []
    entries: list[Entry] = []
    taken: set[str] = set()
    line = reader.line_num
    try:
        for row in reader:
            start, line = line + 1, reader.line_num
            if None in row:
                problems.append(ImportProblem(path, start, "more cells than columns"))
                continue
            cells = {k: _unescape(v or "") for k, v in row.items()}
            if not any(v.strip() for v in cells.values()):
                continue
            try:
                entry = _entry(cells, defaults, taken)
            except ValidationError as error:
                problems.append(ImportProblem(path, start, describe_validation(error)))
                continue
            except ValueError as error:
                problems.append(ImportProblem(path, start, str(error)[:300]))
                continue
            if entry.id in {e.id for e in entries}:
                problems.append(ImportProblem(path, start, f"duplicate id {entry.id!r}"))
                continue
            taken.add(entry.id)
            entries.append(entry)
    except csv.Error as error:
        problems.append(ImportProblem(path, reader.line_num, f"not valid CSV: {error}"))
    if problems:
        raise WatchlistFormatError(problems)
    return Watchlist(entries=tuple(entries))


def dump_csv(watchlist: Watchlist) -> str:
    """The CSV text of a watchlist (see the module docstring for the columns)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for e in watchlist.entries:
        cells = {
            "id": e.id, "kind": e.kind.value, "name": e.name, "aliases": "|".join(e.aliases),
            "acronyms": "|".join(e.acronyms), "transliterations": "|".join(e.transliterations), "role": e.role,
            "employer": e.employer,
            "employer_is_front": "" if e.employer_is_front is None else str(e.employer_is_front).lower(),
            "front": str(e.front).lower(),
            "identifiers": "|".join(f"{i.kind.value}:{i.value}" for i in e.identifiers),
            "source": PROVENANCE_SEP.join(p.source for p in e.provenance),
            "status": PROVENANCE_SEP.join(p.status.value for p in e.provenance),
            "date": PROVENANCE_SEP.join(p.date or "" for p in e.provenance),
            "urls": PROVENANCE_SEP.join(" ".join(p.urls) for p in e.provenance),
            "title": PROVENANCE_SEP.join(p.title.replace(PROVENANCE_SEP, "|") for p in e.provenance),
            "confidence": f"{e.confidence:g}", "first_seen": e.first_seen.isoformat() if e.first_seen else "",
            "last_seen": e.last_seen.isoformat() if e.last_seen else "",
            "expires": e.expires.isoformat() if e.expires else "", "note": e.note,
        }
        writer.writerow([safe_cell(cells[c]) for c in COLUMNS])
    return out.getvalue()
