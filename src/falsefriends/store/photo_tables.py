"""Photo sightings of the workspace: the photo fingerprints users checked, and on which account each was seen.

Written by `falsefriends check --photo ... --db` (and the web check's upload) through `falsefriends.photo.seen`;
read back so that a later check says "this photo was already seen on account X", and so that an audit's campaign
correlation can link personas sharing a photo. Only the fingerprint (128 hex digits of perceptual hashes) is kept,
never the picture. One row per (fingerprint, account): checking the same photo of the same account again adds
nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from falsefriends.store.db import Base, UTCDateTime
from falsefriends.store.tables import KEY_LENGTH


class PhotoSightingRow(Base):
    """One photo fingerprint seen on one account (`account` is "" when the check named no profile)."""

    __tablename__ = "photo_sightings"
    __table_args__ = (UniqueConstraint("fingerprint", "account"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(128), index=True)
    account: Mapped[str] = mapped_column(String(KEY_LENGTH), default="", index=True)
    source: Mapped[str] = mapped_column(String(32))
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
