"""Photos seen before in a workspace: record the fingerprint of each photo a user checks, and compare later ones.

`record_sighting` keeps (fingerprint, account, source, when) in the workspace's `photo_sightings` table
(store/photo_tables.py; never the picture itself). `sightings_index` turns the sightings into an index and labels,
so `PhotoProvider` says "this photo is also used by 1 other account: 'linkedin.com/in/x' (photo checked on
2026-12-01)". `with_seen_photos` gives audit accounts the fingerprint seen on them, so the campaign correlation
(`correlate.clusters.account_traces`, a `photo:` trace) links personas sharing a photo.

The account is named by `audit.data.account_key` (its key, else its URL, else its folded name), the identity the
audit uses; a check without a profile records the photo under no account, and a later match names it as
"a profile checked on DATE".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from falsefriends.model import Account
from falsefriends.photo.hashes import is_photo_hash, parse_fingerprint

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from falsefriends.photo.index import PhotoIndex

SOURCES = ("check", "web", "import")
MAX_ACCOUNT = 512


@dataclass(frozen=True, slots=True)
class Sighting:
    fingerprint: str
    account: str
    source: str
    seen_at: datetime
    id: int = 0

    @property
    def owner(self) -> str:
        """The owner in an index: the account, or one owner per anonymous sighting."""
        return self.account or f"unnamed-{self.id}"

    def label(self) -> str:
        day = self.seen_at.date().isoformat()
        if self.account:
            return f"{self.account} (photo checked on {day})"
        return f"a profile checked on {day} without its address"


def account_name(account: Account | None) -> str:
    """The identity a sighting is recorded under ("" when the check had no profile, or an empty one)."""
    if account is None:
        return ""
    from falsefriends.audit.data import account_key

    key = account_key(account)
    return "" if key in ("", "name:") else key[:MAX_ACCOUNT]


def record_sighting(engine: Engine, fingerprint: str, account: str = "", source: str = "check",
                    when: datetime | None = None) -> bool:
    """Keep that `fingerprint` was seen on `account`; False when that pair was already kept (nothing changes)."""
    from sqlalchemy import select

    from falsefriends.store.db import session_scope
    from falsefriends.store.photo_tables import PhotoSightingRow

    if source not in SOURCES:
        raise ValueError(f"unknown sighting source {source!r}: one of {', '.join(SOURCES)}")
    text = fingerprint.strip().lower()
    if not is_photo_hash(text):
        raise ValueError("a sighting needs a photo fingerprint (hexadecimal photo hash)")
    account = account[:MAX_ACCOUNT]
    with session_scope(engine) as session:
        found = session.scalar(select(PhotoSightingRow.id).where(PhotoSightingRow.fingerprint == text,
                                                                 PhotoSightingRow.account == account))
        if found is not None:
            return False
        session.add(PhotoSightingRow(fingerprint=text, account=account, source=source,
                                     seen_at=when or datetime.now(UTC)))
    return True


def load_sightings(engine: Engine) -> list[Sighting]:
    """Every sighting of the workspace, oldest first."""
    from sqlalchemy import select

    from falsefriends.store.db import session_scope
    from falsefriends.store.photo_tables import PhotoSightingRow

    with session_scope(engine) as session:
        rows = session.execute(select(PhotoSightingRow).order_by(PhotoSightingRow.seen_at, PhotoSightingRow.id))
        return [Sighting(r.fingerprint, r.account, r.source, r.seen_at, r.id) for (r,) in rows]


def sightings_index(sightings: Sequence[Sighting]) -> tuple[PhotoIndex, dict[str, str]]:
    """An index of the sightings' fingerprints by owner, and the label naming each owner in the evidence."""
    from falsefriends.photo.evidence import index_of

    kept = [s for s in sightings if is_photo_hash(s.fingerprint)]
    labels: dict[str, str] = {}
    for s in kept:
        labels.setdefault(s.owner, s.label())  # the first time it was seen
    return index_of([(s.owner, parse_fingerprint(s.fingerprint)) for s in kept]), labels


def with_seen_photos(accounts: Iterable[Account], sightings: Sequence[Sighting]) -> list[Account]:
    """The accounts, each carrying as `photo` the fingerprint last seen on it (when it has none of its own), so the
    campaign correlation can link accounts sharing a photo. Accounts without a sighting are returned unchanged."""
    latest: dict[str, str] = {}
    for s in sightings:
        if s.account:
            latest[s.account] = s.fingerprint
    out = []
    for account in accounts:
        photo = None if account.photo else latest.get(account_name(account))
        out.append(account.model_copy(update={"photo": photo}) if photo else account)
    return out


def record_photo_of(engine: Engine, account: Account, source: str = "check") -> bool:
    """Record the photo fingerprint a checked profile carries (`evidence.with_photo`) under its identity; False when
    it carries none (a picture too plain to hash, a web address) or the pair was already kept."""
    photo = (account.photo or "").strip()
    if not photo or not is_photo_hash(photo):
        return False
    return record_sighting(engine, photo, account_name(account), source)
