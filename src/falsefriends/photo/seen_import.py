"""Photos collected by a security officer, put in a workspace in one go: a CSV of profile_url,file.

LinkedIn data exports hold no photos. An officer who saved the profile pictures of the accounts staff looked at
(or a simulated organisation's photos/photos.csv, `simulate --staff N --photos SHARE`) records them all here, as if
each had been checked with `check --photo FILE --db WS`: each picture's fingerprint is kept under its account
(`seen.record_sighting`, source "import"), so the audit links accounts that share a photo
(`audit.campaigns.with_workspace_photos`). `file` is a picture file (relative to the CSV's folder) or a photo hash.
A row that cannot be used (no URL, a web address, an unreadable or hostile picture) is reported with its file and
line, and the other rows are still recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from falsefriends.model import Account

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy import Engine

COLUMNS = ("profile_url", "file")
MAX_CSV_BYTES = 64 * 1024 * 1024
MAX_ROWS = 1_000_000


class PhotoListError(ValueError):
    """The CSV as a whole cannot be read (missing, too large, not UTF-8, no header): nothing was recorded."""


@dataclass
class PhotoImport:
    recorded: int = 0
    already: int = 0
    problems: list[str] = field(default_factory=list)
    """One line per row left out: 'FILE:LINE: why'."""


def record_photo_list(engine: Engine, path: Path,
                      progress: Callable[[int], None] | None = None) -> PhotoImport:
    """Record the photo of every row of `path` (columns profile_url,file) in the workspace behind `engine`."""
    from falsefriends.photo.evidence import read_photo_rows
    from falsefriends.photo.seen import account_name, record_sighting

    rows = _rows(path)
    result = PhotoImport()
    for done, (line, url, value) in enumerate(rows, 1):
        if progress is not None:
            progress(done)
        where = _printable(f"{path}:{line}")
        if not url:
            result.problems.append(f"{where}: the profile_url is empty")
            continue
        if not value:
            result.problems.append(f"{where}: the file is empty")
            continue
        key = account_name(Account(url=url))
        if not key:
            result.problems.append(f"{where}: {url[:80]!r} names no account")
            continue
        reports, errors = read_photo_rows([(key, value)], base=path.parent, align=False)
        report = reports.get(key)
        if report is None or report.fingerprint is None:
            why = errors.get(key) or "the picture is too plain to fingerprint"
            result.problems.append(f"{where}: {_printable(why)}")
            continue
        if record_sighting(engine, report.fingerprint.hex(), key, "import"):
            result.recorded += 1
        else:
            result.already += 1
    return result


def _rows(path: Path) -> list[tuple[int, str, str]]:
    """(line, profile_url, file) of each data row; PhotoListError when the file as a whole is unusable."""
    from falsefriends.photo.evidence import read_photo_list

    reader = read_photo_list(path, COLUMNS, MAX_CSV_BYTES, PhotoListError)
    out: list[tuple[int, str, str]] = []
    for row in reader:
        if len(out) >= MAX_ROWS:
            raise PhotoListError(f"{path} has more than {MAX_ROWS:,} rows")
        out.append((reader.line_num, (row.get("profile_url") or "").strip(), (row.get("file") or "").strip()))
    return out


def _printable(text: str) -> str:
    """Text from the CSV (paths, addresses) with control characters escaped, safe to print on a terminal."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)[:300]
