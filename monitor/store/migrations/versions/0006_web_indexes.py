"""Indexes for the web view: material changes newest first (feeds, each operator's last one), and
the comparison into a version.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_comparisons_material_created_at", "comparisons", ["material", "created_at"])
    op.create_index(
        "ix_comparisons_operator_material_created_at",
        "comparisons",
        ["operator_id", "material", "created_at"],
    )
    op.create_index("ix_comparisons_to_version_id", "comparisons", ["to_version_id"])


def downgrade() -> None:
    op.drop_index("ix_comparisons_to_version_id", table_name="comparisons")
    op.drop_index("ix_comparisons_operator_material_created_at", table_name="comparisons")
    op.drop_index("ix_comparisons_material_created_at", table_name="comparisons")
