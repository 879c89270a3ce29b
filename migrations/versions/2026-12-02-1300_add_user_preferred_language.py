"""Each account may choose the language the registry speaks to it (es-MX or en).

Empty means "follow the request's Accept-Language, then the registry's default language".

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD/DROP COLUMN (SQLite has both since 3.35): a batch copy of users would trip its foreign keys.
    op.add_column("users", sa.Column("preferred_language", sa.String(length=8), nullable=True))


def downgrade() -> None:
    op.drop_column("users", "preferred_language")
