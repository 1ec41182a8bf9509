"""Watchlist: entries, their sources and identifiers.

Revision ID: 0002_watchlist
Revises: 0001_workspace
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_watchlist"
down_revision: str | None = "0001_workspace"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "watchlist_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("expires", sa.Date(), nullable=True),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watchlist_entries")),
        sa.UniqueConstraint("entry_id", name=op.f("uq_watchlist_entries_entry_id")),
    )
    op.create_index(op.f("ix_watchlist_entries_kind"), "watchlist_entries", ["kind"], unique=False)
    op.create_index(op.f("ix_watchlist_entries_status"), "watchlist_entries", ["status"], unique=False)
    op.create_table(
        "watchlist_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_pk", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("published", sa.String(length=32), nullable=True),
        sa.Column("urls", sa.JSON(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["entry_pk"], ["watchlist_entries.id"],
                                name=op.f("fk_watchlist_sources_entry_pk_watchlist_entries"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watchlist_sources")),
    )
    op.create_index(op.f("ix_watchlist_sources_entry_pk"), "watchlist_sources", ["entry_pk"], unique=False)
    op.create_index(op.f("ix_watchlist_sources_source"), "watchlist_sources", ["source"], unique=False)
    op.create_table(
        "watchlist_identifiers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_pk", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=512), nullable=False),
        sa.ForeignKeyConstraint(["entry_pk"], ["watchlist_entries.id"],
                                name=op.f("fk_watchlist_identifiers_entry_pk_watchlist_entries"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watchlist_identifiers")),
        sa.UniqueConstraint("entry_pk", "kind", "key", name=op.f("uq_watchlist_identifiers_entry_pk_kind_key")),
    )
    op.create_index(op.f("ix_watchlist_identifiers_entry_pk"), "watchlist_identifiers", ["entry_pk"], unique=False)
    op.create_index(op.f("ix_watchlist_identifiers_key"), "watchlist_identifiers", ["key"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_watchlist_identifiers_key"), table_name="watchlist_identifiers")
    op.drop_index(op.f("ix_watchlist_identifiers_entry_pk"), table_name="watchlist_identifiers")
    op.drop_table("watchlist_identifiers")
    op.drop_index(op.f("ix_watchlist_sources_source"), table_name="watchlist_sources")
    op.drop_index(op.f("ix_watchlist_sources_entry_pk"), table_name="watchlist_sources")
    op.drop_table("watchlist_sources")
    op.drop_index(op.f("ix_watchlist_entries_status"), table_name="watchlist_entries")
    op.drop_index(op.f("ix_watchlist_entries_kind"), table_name="watchlist_entries")
    op.drop_table("watchlist_entries")
