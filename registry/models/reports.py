"""A missing-person report as a search commission records it."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from registry.db import Base, JSONDocument
from registry.enums import ReportStatus, Sex
from registry.models.columns import RecordMixin, enum_type

# Fields returned only within the record's jurisdiction or to national investigators.
RESTRICTED_REPORT_FIELDS = frozenset(
    {
        "circumstances",
        "investigation_file_number",
        "contact_name",
        "contact_phone",
        "contact_email",
        "contact_relationship",
    }
)


class MissingPersonReport(RecordMixin, Base):
    __tablename__ = "missing_person_reports"
    __table_args__ = (
        UniqueConstraint("source", "folio"),
        CheckConstraint("age_years IS NULL OR (age_years >= 0 AND age_years <= 120)", name="age_years_range"),
        CheckConstraint("height_cm IS NULL OR (height_cm >= 30 AND height_cm <= 250)", name="height_range"),
        CheckConstraint("version >= 1", name="version_positive"),
        Index("ix_missing_person_reports_last_seen_state_status", "last_seen_state", "status"),
        Index("ix_missing_person_reports_last_seen_date", "last_seen_date"),
        Index("ix_missing_person_reports_name_folded", "name_folded"),
        Index("ix_missing_person_reports_curp", "curp"),
        Index("ix_missing_person_reports_created_at_id", "created_at", "id"),
    )

    # Interchange columns.
    given_names: Mapped[str | None] = mapped_column(String(200))
    first_surname: Mapped[str | None] = mapped_column(String(200))
    second_surname: Mapped[str | None] = mapped_column(String(200))
    aliases: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    sex: Mapped[Sex] = mapped_column(enum_type(Sex, "sex"))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    age_years: Mapped[int | None] = mapped_column(Integer)
    curp: Mapped[str | None] = mapped_column(String(32))
    last_seen_date: Mapped[date] = mapped_column(Date)
    last_seen_state: Mapped[str] = mapped_column(String(3), ForeignKey("registries.code"))
    last_seen_municipality: Mapped[str | None] = mapped_column(String(200))
    height_cm: Mapped[int | None] = mapped_column(Integer)
    distinguishing_marks: Mapped[str | None] = mapped_column(Text)
    status: Mapped[ReportStatus] = mapped_column(enum_type(ReportStatus, "report_status"))
    status_date: Mapped[date | None] = mapped_column(Date)

    # What a search commission records beyond the interchange format.
    marks: Mapped[list[dict[str, Any]]] = mapped_column(JSONDocument, default=list)
    clothing: Mapped[str | None] = mapped_column(Text)
    complexion: Mapped[str | None] = mapped_column(String(60))
    skin_tone: Mapped[str | None] = mapped_column(String(60))
    hair: Mapped[str | None] = mapped_column(String(100))
    eye_colour: Mapped[str | None] = mapped_column(String(60))
    weight_kg: Mapped[int | None] = mapped_column(Integer)
    nationality: Mapped[str | None] = mapped_column(String(60))
    birth_state: Mapped[str | None] = mapped_column(String(3))
    indigenous_group: Mapped[str | None] = mapped_column(String(100))
    indigenous_language: Mapped[str | None] = mapped_column(String(100))
    vulnerability: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    publication_consent: Mapped[bool] = mapped_column(default=False)

    # Restricted.
    circumstances: Mapped[str | None] = mapped_column(Text)
    investigation_file_number: Mapped[str | None] = mapped_column(String(100))
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    contact_email: Mapped[str | None] = mapped_column(String(200))
    contact_relationship: Mapped[str | None] = mapped_column(String(60))

    # Derived on every write, so that search and review need not recompute them.
    name_folded: Mapped[str] = mapped_column(String(700), default="")
    age_at_last_seen: Mapped[int | None] = mapped_column(Integer)
    curp_problems: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
