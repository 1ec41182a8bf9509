"""What an import assumes when a published list does not say it: the source, its status, URL and date."""

from __future__ import annotations

import re
from dataclasses import dataclass

from falsefriends.watchlist.entries import Provenance, Status


@dataclass(frozen=True)
class ImportDefaults:
    """Provenance given to records that carry none (`falsefriends watchlist import --source --status --url`)."""

    source: str = "import"
    status: Status = Status.ANALYST
    url: str | None = None
    date: str | None = None

    def provenance(self) -> Provenance:
        return Provenance(source=self.source, status=self.status, date=self.date,
                          urls=(self.url,) if self.url else ())


def make_id(prefix: str, name: str, taken: set[str]) -> str:
    """A readable, unique id from a kind prefix and a name ("org-risehr", "org-risehr-2")."""
    base = f"{prefix}-" + (re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:80] or "entry")
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate
