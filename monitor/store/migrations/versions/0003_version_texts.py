"""Versions' texts in their own table, so that updating a version's last_seen on every check does
not rewrite its text (SQLite rewrites a whole row on update; the text is most of it).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "version_texts",
        sa.Column(
            "version_id", sa.Integer(), sa.ForeignKey("versions.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("text", sa.Text(), nullable=False),
    )
    op.execute("INSERT INTO version_texts (version_id, text) SELECT id, text FROM versions")
    with op.batch_alter_table("versions") as batch:
        batch.drop_column("text")


def downgrade() -> None:
    with op.batch_alter_table("versions") as batch:
        batch.add_column(sa.Column("text", sa.Text(), nullable=False, server_default=""))
    op.execute(
        "UPDATE versions SET text = (SELECT t.text FROM version_texts t WHERE t.version_id = versions.id)"
    )
    op.drop_table("version_texts")
