"""Initial schema: operators, captures, versions, clauses, comparisons, checks.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# plain SQLAlchemy types: a migration must not change when the models do
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "operators",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("current_version_id", sa.Integer(), nullable=True),
        sa.Column("etag", sa.String(), nullable=True),
        sa.Column("last_modified", sa.String(), nullable=True),
        sa.Column("capture_sha256", sa.String(64), nullable=True),
        sa.Column("last_check_at", TS, nullable=True),
        sa.Column("last_outcome", sa.String(), nullable=True),
        sa.Column("last_reason", sa.Text(), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
    )
    op.create_table(
        "captures",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("operator_id", sa.String(64), sa.ForeignKey("operators.id"), nullable=False, index=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(), nullable=False),
        sa.Column("content_type", sa.String(), nullable=True),
        sa.Column("charset", sa.String(), nullable=True),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("etag", sa.String(), nullable=True),
        sa.Column("last_modified", sa.String(), nullable=True),
        sa.Column("captured_at", TS, nullable=False),
        sa.Column("origin", sa.String(), nullable=False),
        sa.UniqueConstraint("operator_id", "sha256"),
    )
    op.create_table(
        "versions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("operator_id", sa.String(64), sa.ForeignKey("operators.id"), nullable=False, index=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("first_seen", TS, nullable=False),
        sa.Column("last_seen", TS, nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("policy_operator", sa.Text(), nullable=True),
        sa.Column("updated", sa.String(), nullable=True),
        sa.Column("effective", sa.String(), nullable=True),
        sa.Column("encoding", sa.String(), nullable=False),
        sa.Column("media_type", sa.String(), nullable=False),
        sa.Column("html_title", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("characters", sa.Integer(), nullable=False),
        sa.Column("clauses", sa.Integer(), nullable=False),
        sa.Column("capture_id", sa.Integer(), sa.ForeignKey("captures.id"), nullable=True),
        sa.Column("extractor", sa.String(), nullable=False),
        sa.Column("origin", sa.String(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.UniqueConstraint("operator_id", "sha256"),
    )
    op.create_table(
        "clauses",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "version_id",
            sa.Integer(),
            sa.ForeignKey("versions.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("heading", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("norm_sha256", sa.String(64), nullable=False),
    )
    op.create_table(
        "comparisons",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("operator_id", sa.String(64), sa.ForeignKey("operators.id"), nullable=False, index=True),
        sa.Column(
            "from_version_id", sa.Integer(), sa.ForeignKey("versions.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "to_version_id", sa.Integer(), sa.ForeignKey("versions.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("origin", sa.String(), nullable=False),
        sa.Column("material", sa.Boolean(), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
    )
    op.create_table(
        "checks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("operator_id", sa.String(64), sa.ForeignKey("operators.id"), nullable=False, index=True),
        sa.Column("trigger", sa.String(), nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("observed_at", TS, nullable=False),
        sa.Column("elapsed", sa.Float(), nullable=False),
        sa.Column("outcome", sa.String(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column(
            "capture_id", sa.Integer(), sa.ForeignKey("captures.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column(
            "version_id", sa.Integer(), sa.ForeignKey("versions.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column(
            "comparison_id", sa.Integer(), sa.ForeignKey("comparisons.id", ondelete="SET NULL"), nullable=True
        ),
    )


def downgrade() -> None:
    for table in ("checks", "comparisons", "clauses", "versions", "captures", "operators"):
        op.drop_table(table)
