"""Add match parameter sets, so that estimated matching parameters are stored and versioned.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 05:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

JSON_DOC = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "match_parameter_sets",
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("parameters", JSON_DOC, nullable=False),
        sa.Column("reports_used", sa.Integer(), nullable=False),
        sa.Column("remains_used", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_match_parameter_sets")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_match_parameter_sets_fingerprint")),
    )


def downgrade() -> None:
    op.drop_table("match_parameter_sets")
