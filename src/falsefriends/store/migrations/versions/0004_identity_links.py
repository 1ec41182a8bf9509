"""Identity links: accounts get their folded name; name-based keys joined to URL accounts become aliases.

Revision ID: 0004_identity_links
Revises: 0003_service
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_identity_links"
down_revision: str | None = "0003_service"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(sa.Column("folded_name", sa.String(length=300), nullable=False, server_default=""))
        batch.create_index(batch.f("ix_accounts_folded_name"), ["folded_name"], unique=False)
    _backfill_folded_names()
    op.create_table(
        "account_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=512), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=64), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_account_aliases_account_id_accounts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_aliases")),
        sa.UniqueConstraint("key", name=op.f("uq_account_aliases_key")),
    )
    op.create_index(op.f("ix_account_aliases_account_id"), "account_aliases", ["account_id"], unique=False)


def _backfill_folded_names() -> None:
    from falsefriends.text import fold_plain

    accounts = sa.table("accounts", sa.column("id", sa.Integer), sa.column("name", sa.Text),
                        sa.column("folded_name", sa.String))
    connection = op.get_bind()
    rows = connection.execute(sa.select(accounts.c.id, accounts.c.name)).all()
    for account_id, name in rows:
        connection.execute(
            accounts.update().where(accounts.c.id == account_id).values(folded_name=fold_plain(name or "")[:300])
        )


def downgrade() -> None:
    op.drop_index(op.f("ix_account_aliases_account_id"), table_name="account_aliases")
    op.drop_table("account_aliases")
    with op.batch_alter_table("accounts") as batch:
        batch.drop_index(batch.f("ix_accounts_folded_name"))
        batch.drop_column("folded_name")
