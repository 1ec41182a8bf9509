"""Workspace tables: staff, outside accounts, connections, invitations and messages, ingested files, quarantine.

Each table has a natural key that makes re-ingesting the same export a no-op: staff by roster id,
accounts by identity key, connections by (owner, contact), messages by a content hash and their
per-export copies by (message, owner), files by the SHA-256 of their bytes.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from falsefriends.store.db import Base, UTCDateTime

KEY_LENGTH = 512
"""Longest identity key stored; identity resolution hashes longer keys (hostile URLs can be huge)."""


class StaffRow(Base):
    """One member of the organisation's staff, from the roster."""

    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(Text, default="")
    department: Mapped[str] = mapped_column(Text, default="")
    sector: Mapped[str | None] = mapped_column(String(16))
    profile_url: Mapped[str | None] = mapped_column(Text)
    export_file: Mapped[str | None] = mapped_column(Text)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"), index=True)

    account: Mapped[AccountRow | None] = relationship(foreign_keys=[account_id])


class AccountRow(Base):
    """A profile seen in the exports: a staff member's own, or an outside account, resolved to one identity.

    `key_method` says how the identity was resolved (`url`, or a name-based method) and `confidence`
    how sure that resolution is (1.0 for a profile URL, below 1 for names).
    """

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY_LENGTH), unique=True)
    url: Mapped[str | None] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text, default="")
    headline: Mapped[str] = mapped_column(Text, default="")
    employer: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str] = mapped_column(Text, default="")
    key_method: Mapped[str] = mapped_column(String(32), default="url")
    confidence: Mapped[float] = mapped_column(Float, default=1.0)
    is_staff: Mapped[bool] = mapped_column(Boolean, default=False)
    folded_name: Mapped[str] = mapped_column(String(300), default="", index=True)
    """The name folded for matching (added by 0004_identity_links), to join name-only sightings to URLs."""


class AccountAliasRow(Base):
    """A name-based key that was joined to an account known by URL, with how and how surely.

    Written by `workspace.link_identities`: an older export without URL columns saw the account only
    by name (+ employer + position); the alias keeps that key pointing at the one account it is.
    """

    __tablename__ = "account_aliases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY_LENGTH), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    method: Mapped[str] = mapped_column(String(64))
    confidence: Mapped[float] = mapped_column(Float)


class IngestedFileRow(Base):
    """One export (archive or folder) ingested, with its totals; `error` is set when it was rejected whole."""

    __tablename__ = "ingested_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    ingested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"), index=True)
    files: Mapped[int] = mapped_column(Integer, default=0)
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_accepted: Mapped[int] = mapped_column(Integer, default=0)
    rows_quarantined: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)

    quarantine: Mapped[list[QuarantineRow]] = relationship(
        back_populates="ingested_file", cascade="all, delete-orphan", passive_deletes=True
    )


class QuarantineRow(Base):
    """A row that was not accepted: which export, which member file and line, why, and a bounded copy."""

    __tablename__ = "quarantine"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("ingested_files.id", ondelete="CASCADE"), index=True)
    member: Mapped[str] = mapped_column(Text)
    line: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    raw: Mapped[str] = mapped_column(Text, default="")

    ingested_file: Mapped[IngestedFileRow] = relationship(back_populates="quarantine")


class ConnectionRow(Base):
    """An accepted connection between an exporting account (`owner`) and a contact."""

    __tablename__ = "connections"
    __table_args__ = (UniqueConstraint("owner_id", "contact_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    connected_on: Mapped[date | None] = mapped_column(Date)
    file_id: Mapped[int | None] = mapped_column(ForeignKey("ingested_files.id", ondelete="SET NULL"))


class MessageRow(Base):
    """An invitation, message or InMail, stored once however many exports hold it.

    `uid` is a hash of what the message is (channel, conversation, date, sender, content), so the copy in
    the sender's export and the copy in the recipient's export are the same row. `channel` is `other` for
    platform system messages and `inmail` for sponsored InMail: kept, but marked.
    """

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(64), unique=True)
    channel: Mapped[str] = mapped_column(String(16), index=True)
    conversation: Mapped[str | None] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"), index=True)
    sender_name: Mapped[str] = mapped_column(Text, default="")
    recipient_keys: Mapped[list[str]] = mapped_column(JSON, default=list)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


class MessageRecipientRow(Base):
    """Who a message was addressed to (one row per recipient account)."""

    __tablename__ = "message_recipients"
    __table_args__ = (UniqueConstraint("message_id", "account_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)


class MessageCopyRow(Base):
    """A message as it appears in one member's export: whose export, which direction for them, which folder."""

    __tablename__ = "message_copies"
    __table_args__ = (UniqueConstraint("message_id", "owner_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"), index=True)
    direction: Mapped[str | None] = mapped_column(String(16))
    folder: Mapped[str | None] = mapped_column(Text)
    file_id: Mapped[int | None] = mapped_column(ForeignKey("ingested_files.id", ondelete="SET NULL"))
