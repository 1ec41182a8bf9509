"""Photo sightings: the fingerprints of photos users checked, with the account each was seen on.

Revision ID: 0005_photo_sightings
Revises: 0004_identity_links
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from falsefriends.store.db import UTCDateTime

revision = "0005_photo_sightings"
down_revision: str | None = "0004_identity_links"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "photo_sightings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=128), nullable=False),
        sa.Column("account", sa.String(length=512), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("seen_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photo_sightings")),
        sa.UniqueConstraint("fingerprint", "account", name=op.f("uq_photo_sightings_fingerprint_account")),
    )
    op.create_index(op.f("ix_photo_sightings_fingerprint"), "photo_sightings", ["fingerprint"], unique=False)
    op.create_index(op.f("ix_photo_sightings_account"), "photo_sightings", ["account"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_photo_sightings_account"), table_name="photo_sightings")
    op.drop_index(op.f("ix_photo_sightings_fingerprint"), table_name="photo_sightings")
    op.drop_table("photo_sightings")
