"""Create the registries, missing-person reports, unidentified remains and their history.

Revision ID: 0001
Revises:
Create Date: 2026-11-28 04:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Frozen copies: a migration must not change meaning when application code does.
JSON_DOC = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)

ENUMS: dict[str, tuple[str, ...]] = {
    "sex": ("female", "male", "unknown"),
    "report_status": ("missing", "located_alive", "located_dead"),
    "remains_status": ("unidentified", "identified"),
    "record_kind": ("report", "remains"),
    "change_kind": ("created", "updated", "status_changed", "withdrawn"),
    "withdrawal_reason": ("duplicate", "false_report", "entered_in_error"),
    "instance_kind": ("real", "sandbox"),
    "remains_condition": ("complete", "partial", "decomposed", "skeletonised", "burned", "fragmented"),
    "identification_method": ("dna", "fingerprints", "dental", "documents", "visual_recognition", "other"),
}

REGISTRIES: tuple[tuple[str, str, str | None], ...] = (
    ("AGU", "Aguascalientes", "AS"),
    ("BCN", "Baja California", "BC"),
    ("BCS", "Baja California Sur", "BS"),
    ("CAM", "Campeche", "CC"),
    ("CHP", "Chiapas", "CS"),
    ("CHH", "Chihuahua", "CH"),
    ("CMX", "Ciudad de México", "DF"),
    ("COA", "Coahuila de Zaragoza", "CL"),
    ("COL", "Colima", "CM"),
    ("DUR", "Durango", "DG"),
    ("GUA", "Guanajuato", "GT"),
    ("GRO", "Guerrero", "GR"),
    ("HID", "Hidalgo", "HG"),
    ("JAL", "Jalisco", "JC"),
    ("MEX", "Estado de México", "MC"),
    ("MIC", "Michoacán de Ocampo", "MN"),
    ("MOR", "Morelos", "MS"),
    ("NAY", "Nayarit", "NT"),
    ("NLE", "Nuevo León", "NL"),
    ("OAX", "Oaxaca", "OC"),
    ("PUE", "Puebla", "PL"),
    ("QUE", "Querétaro", "QT"),
    ("ROO", "Quintana Roo", "QR"),
    ("SLP", "San Luis Potosí", "SP"),
    ("SIN", "Sinaloa", "SL"),
    ("SON", "Sonora", "SR"),
    ("TAB", "Tabasco", "TC"),
    ("TAM", "Tamaulipas", "TS"),
    ("TLA", "Tlaxcala", "TL"),
    ("VER", "Veracruz de Ignacio de la Llave", "VZ"),
    ("YUC", "Yucatán", "YN"),
    ("ZAC", "Zacatecas", "ZS"),
    ("FED", "Registro federal", None),
)


def enum(name: str) -> sa.Enum:
    # create_type=False: the types are created once, below, not by every table that uses them.
    return postgresql.ENUM(*ENUMS[name], name=name, create_type=False)


def record_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("source", sa.String(3), nullable=False),
        sa.Column("folio", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
        sa.Column("withdrawn_at", TIMESTAMP, nullable=True),
        sa.Column("withdrawn_by", sa.String(100), nullable=True),
        sa.Column("withdrawal_reason", enum("withdrawal_reason"), nullable=True),
        sa.Column("withdrawal_note", sa.Text(), nullable=True),
    ]


def upgrade() -> None:
    bind = op.get_bind()
    for name, values in ENUMS.items():
        postgresql.ENUM(*values, name=name).create(bind, checkfirst=True)

    registries = op.create_table(
        "registries",
        sa.Column("code", sa.String(3), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("curp_code", sa.String(2), nullable=True),
        sa.Column("is_federal", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_registries")),
    )
    op.bulk_insert(
        registries,
        [{"code": c, "name": n, "curp_code": k, "is_federal": k is None} for c, n, k in REGISTRIES],
    )

    op.create_table(
        "registry_instance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", enum("instance_kind"), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_registry_instance_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_instance")),
    )

    op.create_table(
        "missing_person_reports",
        *record_columns(),
        sa.Column("given_names", sa.String(200), nullable=True),
        sa.Column("first_surname", sa.String(200), nullable=True),
        sa.Column("second_surname", sa.String(200), nullable=True),
        sa.Column("aliases", JSON_DOC, nullable=False),
        sa.Column("sex", enum("sex"), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("age_years", sa.Integer(), nullable=True),
        sa.Column("curp", sa.String(32), nullable=True),
        sa.Column("last_seen_date", sa.Date(), nullable=False),
        sa.Column("last_seen_state", sa.String(3), nullable=False),
        sa.Column("last_seen_municipality", sa.String(200), nullable=True),
        sa.Column("height_cm", sa.Integer(), nullable=True),
        sa.Column("distinguishing_marks", sa.Text(), nullable=True),
        sa.Column("status", enum("report_status"), nullable=False),
        sa.Column("status_date", sa.Date(), nullable=True),
        sa.Column("marks", JSON_DOC, nullable=False),
        sa.Column("clothing", sa.Text(), nullable=True),
        sa.Column("complexion", sa.String(60), nullable=True),
        sa.Column("skin_tone", sa.String(60), nullable=True),
        sa.Column("hair", sa.String(100), nullable=True),
        sa.Column("eye_colour", sa.String(60), nullable=True),
        sa.Column("weight_kg", sa.Integer(), nullable=True),
        sa.Column("nationality", sa.String(60), nullable=True),
        sa.Column("birth_state", sa.String(3), nullable=True),
        sa.Column("indigenous_group", sa.String(100), nullable=True),
        sa.Column("indigenous_language", sa.String(100), nullable=True),
        sa.Column("vulnerability", JSON_DOC, nullable=False),
        sa.Column("publication_consent", sa.Boolean(), nullable=False),
        sa.Column("circumstances", sa.Text(), nullable=True),
        sa.Column("investigation_file_number", sa.String(100), nullable=True),
        sa.Column("contact_name", sa.String(200), nullable=True),
        sa.Column("contact_phone", sa.String(40), nullable=True),
        sa.Column("contact_email", sa.String(200), nullable=True),
        sa.Column("contact_relationship", sa.String(60), nullable=True),
        sa.Column("name_folded", sa.String(700), nullable=False),
        sa.Column("age_at_last_seen", sa.Integer(), nullable=True),
        sa.Column("curp_problems", JSON_DOC, nullable=False),
        sa.CheckConstraint(
            "age_years IS NULL OR (age_years >= 0 AND age_years <= 120)",
            name=op.f("ck_missing_person_reports_age_years_range"),
        ),
        sa.CheckConstraint(
            "height_cm IS NULL OR (height_cm >= 30 AND height_cm <= 250)",
            name=op.f("ck_missing_person_reports_height_range"),
        ),
        sa.CheckConstraint("version >= 1", name=op.f("ck_missing_person_reports_version_positive")),
        sa.ForeignKeyConstraint(
            ["last_seen_state"],
            ["registries.code"],
            name=op.f("fk_missing_person_reports_last_seen_state_registries"),
        ),
        sa.ForeignKeyConstraint(
            ["source"], ["registries.code"], name=op.f("fk_missing_person_reports_source_registries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_missing_person_reports")),
        sa.UniqueConstraint("source", "folio", name=op.f("uq_missing_person_reports_source_folio")),
    )
    op.create_index("ix_missing_person_reports_curp", "missing_person_reports", ["curp"])
    op.create_index("ix_missing_person_reports_last_seen_date", "missing_person_reports", ["last_seen_date"])
    op.create_index(
        "ix_missing_person_reports_last_seen_state_status", "missing_person_reports", ["last_seen_state", "status"]
    )
    op.create_index("ix_missing_person_reports_name_folded", "missing_person_reports", ["name_folded"])
    op.create_index("ix_missing_person_reports_created_at_id", "missing_person_reports", ["created_at", "id"])

    op.create_table(
        "unidentified_remains",
        *record_columns(),
        sa.Column("found_date", sa.Date(), nullable=False),
        sa.Column("found_state", sa.String(3), nullable=False),
        sa.Column("found_municipality", sa.String(200), nullable=True),
        sa.Column("sex", enum("sex"), nullable=False),
        sa.Column("age_min", sa.Integer(), nullable=True),
        sa.Column("age_max", sa.Integer(), nullable=True),
        sa.Column("height_min_cm", sa.Integer(), nullable=True),
        sa.Column("height_max_cm", sa.Integer(), nullable=True),
        sa.Column("distinguishing_marks", sa.Text(), nullable=True),
        sa.Column("given_names", sa.String(200), nullable=True),
        sa.Column("first_surname", sa.String(200), nullable=True),
        sa.Column("second_surname", sa.String(200), nullable=True),
        sa.Column("status", enum("remains_status"), nullable=False),
        sa.Column("status_date", sa.Date(), nullable=True),
        sa.Column("marks", JSON_DOC, nullable=False),
        sa.Column("condition", enum("remains_condition"), nullable=True),
        sa.Column("forensic_service", sa.String(200), nullable=True),
        sa.Column("storage_location", sa.String(200), nullable=True),
        sa.Column("grave_reference", sa.String(200), nullable=True),
        sa.Column("intake_date", sa.Date(), nullable=True),
        sa.Column("identification_method", enum("identification_method"), nullable=True),
        sa.Column("identified_date", sa.Date(), nullable=True),
        sa.Column("name_folded", sa.String(700), nullable=False),
        sa.CheckConstraint(
            "age_min IS NULL OR age_max IS NULL OR age_min <= age_max",
            name=op.f("ck_unidentified_remains_age_range_ordered"),
        ),
        sa.CheckConstraint(
            "height_min_cm IS NULL OR height_max_cm IS NULL OR height_min_cm <= height_max_cm",
            name=op.f("ck_unidentified_remains_height_range_ordered"),
        ),
        sa.CheckConstraint("version >= 1", name=op.f("ck_unidentified_remains_version_positive")),
        sa.ForeignKeyConstraint(
            ["found_state"], ["registries.code"], name=op.f("fk_unidentified_remains_found_state_registries")
        ),
        sa.ForeignKeyConstraint(
            ["source"], ["registries.code"], name=op.f("fk_unidentified_remains_source_registries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unidentified_remains")),
        sa.UniqueConstraint("source", "folio", name=op.f("uq_unidentified_remains_source_folio")),
    )
    op.create_index("ix_unidentified_remains_found_date", "unidentified_remains", ["found_date"])
    op.create_index("ix_unidentified_remains_created_at_id", "unidentified_remains", ["created_at", "id"])
    op.create_index("ix_unidentified_remains_found_state_status", "unidentified_remains", ["found_state", "status"])

    op.create_table(
        "record_versions",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("record_kind", enum("record_kind"), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("change_kind", enum("change_kind"), nullable=False),
        sa.Column("changed_at", TIMESTAMP, nullable=False),
        sa.Column("changed_by", sa.String(100), nullable=False),
        sa.Column("changes", JSON_DOC, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_versions")),
        sa.UniqueConstraint(
            "record_kind", "record_id", "version", name=op.f("uq_record_versions_record_kind_record_id_version")
        ),
    )
    op.create_index("ix_record_versions_changed_at", "record_versions", ["changed_at"])

    op.create_table(
        "status_events",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("record_kind", enum("record_kind"), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("from_status", sa.String(20), nullable=True),
        sa.Column("to_status", sa.String(20), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_at", TIMESTAMP, nullable=False),
        sa.Column("recorded_by", sa.String(100), nullable=False),
        sa.Column("record_version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_events")),
    )
    op.create_index("ix_status_events_record", "status_events", ["record_kind", "record_id"])


def downgrade() -> None:
    op.drop_table("status_events")
    op.drop_table("record_versions")
    op.drop_table("unidentified_remains")
    op.drop_table("missing_person_reports")
    op.drop_table("registry_instance")
    op.drop_table("registries")
    bind = op.get_bind()
    for name in reversed(ENUMS):
        postgresql.ENUM(name=name).drop(bind, checkfirst=True)
