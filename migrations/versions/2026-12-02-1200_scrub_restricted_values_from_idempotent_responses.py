"""Scrub restricted values from stored idempotent responses: the store keeps references, not contacts.

A replay of a creation now reads the restricted fields from the record (and is audited); responses
stored before this release still hold them in the clear, so they are removed here.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# The restricted fields of a report as they stand in this release (registry.models.RESTRICTED_REPORT_FIELDS);
# written out because a migration must not change when the models do.
RESTRICTED = (
    "circumstances",
    "investigation_file_number",
    "contact_name",
    "contact_phone",
    "contact_email",
    "contact_relationship",
)
JSON_DOC = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
keys = sa.table(
    "idempotency_keys",
    sa.column("scope", sa.String),
    sa.column("key", sa.String),
    sa.column("response_body", JSON_DOC),
)


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(keys.c.scope, keys.c.key, keys.c.response_body).where(keys.c.response_body.is_not(None))
    ).all()
    for scope, key, body in rows:
        if not isinstance(body, dict) or not set(RESTRICTED) & set(body):
            continue
        scrubbed = {name: value for name, value in body.items() if name not in RESTRICTED}
        connection.execute(
            sa.update(keys).where(keys.c.scope == scope, keys.c.key == key).values(response_body=scrubbed)
        )


def downgrade() -> None:
    # Nothing to restore: a replay after downgrading returns the response without restricted fields.
    pass
