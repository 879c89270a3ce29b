"""Add DNA samples, their genotypes and versions, the geneticist role, and DNA results on pairs and identifications.

Samples are keyed by (lab, sample_id) and tied to remains or to a missing-person report; genotypes
keep the alleles as written; every change of a sample is a version. Candidate pairs carry the DNA
result of `registry dna search` (never a genotype), identifications by DNA what they rested on.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# Frozen copies: a migration must not change meaning when application code does.
JSON_DOC = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)

# Created (and dropped) here.
ENUMS: dict[str, tuple[str, ...]] = {
    "dna_sample_kind": ("remains", "reference", "direct"),
    "dna_relationship": (
        "father",
        "mother",
        "full_sibling",
        "half_sibling_paternal",
        "half_sibling_maternal",
        "child",
        "child_other_parent",
        "grandparent",
        "aunt_uncle",
        "cousin",
    ),
}
# Created by earlier revisions; only used here.
EXISTING: dict[str, tuple[str, ...]] = {
    "change_kind": ("created", "updated", "status_changed", "withdrawn"),
}
ROLES_BEFORE = ("clerk", "investigator", "trainer", "administrator")


def enum(name: str) -> sa.Enum:
    # create_type=False: the types are created once, below, not by every table that uses them.
    return postgresql.ENUM(*(ENUMS.get(name) or EXISTING[name]), name=name, create_type=False)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        # Usable from the next transaction on; nothing in this one stores the new value.
        op.execute("ALTER TYPE user_role ADD VALUE IF NOT EXISTS 'geneticist'")
    for name, values in ENUMS.items():
        postgresql.ENUM(*values, name=name).create(bind, checkfirst=True)

    op.create_table(
        "dna_samples",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("lab", sa.String(64), nullable=False),
        sa.Column("sample_id", sa.String(64), nullable=False),
        sa.Column("kind", enum("dna_sample_kind"), nullable=False),
        sa.Column("remains_id", sa.Uuid(), nullable=True),
        sa.Column("report_id", sa.Uuid(), nullable=True),
        sa.Column("record_source", sa.String(3), nullable=False),
        sa.Column("relationship", enum("dna_relationship"), nullable=True),
        sa.Column("donor_id", sa.String(64), nullable=True),
        sa.Column("child_donor_id", sa.String(64), nullable=True),
        sa.Column("kit", sa.String(100), nullable=True),
        sa.Column("collected_date", sa.Date(), nullable=True),
        sa.Column("degraded", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
        sa.CheckConstraint("version >= 1", name=op.f("ck_dna_samples_version_positive")),
        sa.CheckConstraint(
            "(kind = 'remains' AND remains_id IS NOT NULL AND report_id IS NULL)"
            " OR (kind <> 'remains' AND report_id IS NOT NULL AND remains_id IS NULL)",
            name=op.f("ck_dna_samples_one_record"),
        ),
        sa.ForeignKeyConstraint(
            ["remains_id"], ["unidentified_remains.id"], name=op.f("fk_dna_samples_remains_id_unidentified_remains")
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["missing_person_reports.id"], name=op.f("fk_dna_samples_report_id_missing_person_reports")
        ),
        sa.ForeignKeyConstraint(
            ["record_source"], ["registries.code"], name=op.f("fk_dna_samples_record_source_registries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dna_samples")),
        sa.UniqueConstraint("lab", "sample_id", name=op.f("uq_dna_samples_lab_sample_id")),
    )
    op.create_index("ix_dna_samples_remains_id", "dna_samples", ["remains_id"])
    op.create_index("ix_dna_samples_report_id", "dna_samples", ["report_id"])
    op.create_index("ix_dna_samples_record_source", "dna_samples", ["record_source"])

    op.create_table(
        "dna_genotypes",
        sa.Column("sample_pk", sa.Uuid(), nullable=False),
        sa.Column("marker", sa.String(40), nullable=False),
        sa.Column("allele_1", sa.String(16), nullable=False),
        sa.Column("allele_2", sa.String(16), nullable=True),
        sa.ForeignKeyConstraint(["sample_pk"], ["dna_samples.id"], name=op.f("fk_dna_genotypes_sample_pk_dna_samples")),
        sa.PrimaryKeyConstraint("sample_pk", "marker", name=op.f("pk_dna_genotypes")),
    )

    op.create_table(
        "dna_sample_versions",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("sample_pk", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("change_kind", enum("change_kind"), nullable=False),
        sa.Column("changed_at", TIMESTAMP, nullable=False),
        sa.Column("changed_by", sa.String(100), nullable=False),
        sa.Column("changes", JSON_DOC, nullable=False),
        sa.ForeignKeyConstraint(
            ["sample_pk"], ["dna_samples.id"], name=op.f("fk_dna_sample_versions_sample_pk_dna_samples")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dna_sample_versions")),
        sa.UniqueConstraint("sample_pk", "version", name=op.f("uq_dna_sample_versions_sample_pk_version")),
    )

    # Plain ADD COLUMN (SQLite has it): a batch copy of these tables would trip their foreign keys.
    op.add_column("candidate_pairs", sa.Column("dna_log10_lr", sa.Float(), nullable=True))
    op.add_column("candidate_pairs", sa.Column("dna", JSON_DOC, nullable=True))
    op.add_column("candidate_pairs", sa.Column("dna_strong", sa.Boolean(), nullable=True))
    op.add_column("identifications", sa.Column("dna", JSON_DOC, nullable=True))


def downgrade() -> None:
    bind = op.get_bind()
    geneticists = bind.execute(sa.text("SELECT count(*) FROM users WHERE role = 'geneticist'")).scalar_one()
    if geneticists:
        # The accounts would have no role to fall back to: an operator decides what becomes of them.
        raise RuntimeError(
            f"{geneticists} geneticist accounts exist: give them another role or remove them before downgrading"
        )
    op.drop_column("identifications", "dna")
    op.drop_column("candidate_pairs", "dna_strong")
    op.drop_column("candidate_pairs", "dna")
    op.drop_column("candidate_pairs", "dna_log10_lr")
    op.drop_table("dna_sample_versions")
    op.drop_table("dna_genotypes")
    op.drop_index("ix_dna_samples_record_source", table_name="dna_samples")
    op.drop_index("ix_dna_samples_report_id", table_name="dna_samples")
    op.drop_index("ix_dna_samples_remains_id", table_name="dna_samples")
    op.drop_table("dna_samples")
    for name in reversed(ENUMS):
        postgresql.ENUM(name=name).drop(bind, checkfirst=True)
    if bind.dialect.name == "postgresql":
        # PostgreSQL cannot drop one value of an enum: the type is made again without it.
        op.execute("ALTER TYPE user_role RENAME TO user_role_with_geneticist")
        postgresql.ENUM(*ROLES_BEFORE, name="user_role").create(bind)
        op.execute("ALTER TABLE users ALTER COLUMN role TYPE user_role USING role::text::user_role")
        op.execute("DROP TYPE user_role_with_geneticist")
