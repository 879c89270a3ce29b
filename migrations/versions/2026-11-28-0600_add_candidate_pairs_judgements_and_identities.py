"""Add candidate pairs, investigators' judgements and identifications of remains, for review.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Frozen copies: a migration must not change meaning when application code does.
JSON_DOC = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)

# Created (and dropped) here.
ENUMS: dict[str, tuple[str, ...]] = {
    "pair_kind": ("report_report", "remains_report"),
    "pair_status": ("pending", "same", "not_same", "unsure"),
    "judgement_decision": ("same", "not_same", "unsure", "undone"),
}
# Created by earlier revisions; only used here.
EXISTING: dict[str, tuple[str, ...]] = {
    "record_kind": ("report", "remains"),
    "identification_method": ("dna", "fingerprints", "dental", "documents", "visual_recognition", "other"),
}


def enum(name: str) -> sa.Enum:
    # create_type=False: the types are created once, below, not by every table that uses them.
    return postgresql.ENUM(*(ENUMS.get(name) or EXISTING[name]), name=name, create_type=False)


def upgrade() -> None:
    bind = op.get_bind()
    for name, values in ENUMS.items():
        postgresql.ENUM(*values, name=name).create(bind, checkfirst=True)

    op.create_table(
        "candidate_pairs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", enum("pair_kind"), nullable=False),
        sa.Column("left_kind", enum("record_kind"), nullable=False),
        sa.Column("left_id", sa.Uuid(), nullable=False),
        sa.Column("left_source", sa.String(3), nullable=False),
        sa.Column("left_folio", sa.String(64), nullable=False),
        sa.Column("left_state", sa.String(3), nullable=False),
        sa.Column("right_id", sa.Uuid(), nullable=False),
        sa.Column("right_source", sa.String(3), nullable=False),
        sa.Column("right_folio", sa.String(64), nullable=False),
        sa.Column("right_state", sa.String(3), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("match_weight", sa.Float(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("evidence", JSON_DOC, nullable=False),
        sa.Column("parameters_version", sa.Integer(), nullable=True),
        sa.Column("status", enum("pair_status"), nullable=False),
        sa.Column("reopened", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("minor", sa.Boolean(), nullable=False),
        sa.Column("vulnerable", sa.Boolean(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("case_date", sa.Date(), nullable=False),
        sa.Column("scored_at", TIMESTAMP, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["right_id"], ["missing_person_reports.id"], name=op.f("fk_candidate_pairs_right_id_missing_person_reports")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidate_pairs")),
        sa.UniqueConstraint("left_id", "right_id", name=op.f("uq_candidate_pairs_left_id_right_id")),
    )
    op.create_index(
        "ix_candidate_pairs_queue", "candidate_pairs", ["active", "status", "score", "priority", "case_date"]
    )
    op.create_index("ix_candidate_pairs_right_id", "candidate_pairs", ["right_id"])

    op.create_table(
        "judgements",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("pair_id", sa.Uuid(), nullable=False),
        sa.Column("decision", enum("judgement_decision"), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("reviewer", sa.String(100), nullable=False),
        sa.Column("judged_at", TIMESTAMP, nullable=False),
        sa.Column("supersedes_id", sa.BigInteger(), nullable=True),
        sa.Column("left_fingerprint", sa.String(64), nullable=False),
        sa.Column("right_fingerprint", sa.String(64), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("parameters_version", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["pair_id"], ["candidate_pairs.id"], name=op.f("fk_judgements_pair_id_candidate_pairs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_judgements")),
    )
    op.create_index("ix_judgements_pair_id_id", "judgements", ["pair_id", "id"])

    op.create_table(
        "identifications",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("remains_id", sa.Uuid(), nullable=False),
        sa.Column("report_id", sa.Uuid(), nullable=False),
        sa.Column("method", enum("identification_method"), nullable=False),
        sa.Column("responsible", sa.String(100), nullable=False),
        sa.Column("identified_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("remains_previous_status", sa.String(20), nullable=False),
        sa.Column("report_previous_status", sa.String(20), nullable=False),
        sa.Column("recorded_at", TIMESTAMP, nullable=False),
        sa.Column("recorded_by", sa.String(100), nullable=False),
        sa.Column("reversed_at", TIMESTAMP, nullable=True),
        sa.Column("reversed_by", sa.String(100), nullable=True),
        sa.Column("reversal_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["remains_id"], ["unidentified_remains.id"], name=op.f("fk_identifications_remains_id_unidentified_remains")
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["missing_person_reports.id"],
            name=op.f("fk_identifications_report_id_missing_person_reports"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identifications")),
    )
    op.create_index("ix_identifications_remains_id", "identifications", ["remains_id"])
    op.create_index("ix_identifications_report_id", "identifications", ["report_id"])


def downgrade() -> None:
    op.drop_index("ix_identifications_report_id", table_name="identifications")
    op.drop_index("ix_identifications_remains_id", table_name="identifications")
    op.drop_table("identifications")
    op.drop_index("ix_judgements_pair_id_id", table_name="judgements")
    op.drop_table("judgements")
    op.drop_index("ix_candidate_pairs_right_id", table_name="candidate_pairs")
    op.drop_index("ix_candidate_pairs_queue", table_name="candidate_pairs")
    op.drop_table("candidate_pairs")
    bind = op.get_bind()
    for name in reversed(ENUMS):
        postgresql.ENUM(name=name).drop(bind, checkfirst=True)
