"""Unidentified remains as a forensic service records them."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from registry.db import Base, JSONDocument
from registry.enums import IdentificationMethod, RemainsCondition, RemainsStatus, Sex
from registry.models.columns import RecordMixin, enum_type


class UnidentifiedRemains(RecordMixin, Base):
    __tablename__ = "unidentified_remains"
    __table_args__ = (
        UniqueConstraint("source", "folio"),
        CheckConstraint("age_min IS NULL OR age_max IS NULL OR age_min <= age_max", name="age_range_ordered"),
        CheckConstraint(
            "height_min_cm IS NULL OR height_max_cm IS NULL OR height_min_cm <= height_max_cm",
            name="height_range_ordered",
        ),
        CheckConstraint("version >= 1", name="version_positive"),
        Index("ix_unidentified_remains_found_state_status", "found_state", "status"),
        Index("ix_unidentified_remains_found_date", "found_date"),
        Index("ix_unidentified_remains_created_at_id", "created_at", "id"),
    )

    # Interchange columns.
    found_date: Mapped[date] = mapped_column(Date)
    found_state: Mapped[str] = mapped_column(String(3), ForeignKey("registries.code"))
    found_municipality: Mapped[str | None] = mapped_column(String(200))
    sex: Mapped[Sex] = mapped_column(enum_type(Sex, "sex"))
    age_min: Mapped[int | None] = mapped_column(Integer)
    age_max: Mapped[int | None] = mapped_column(Integer)
    height_min_cm: Mapped[int | None] = mapped_column(Integer)
    height_max_cm: Mapped[int | None] = mapped_column(Integer)
    distinguishing_marks: Mapped[str | None] = mapped_column(Text)
    given_names: Mapped[str | None] = mapped_column(String(200))
    first_surname: Mapped[str | None] = mapped_column(String(200))
    second_surname: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[RemainsStatus] = mapped_column(enum_type(RemainsStatus, "remains_status"))
    status_date: Mapped[date | None] = mapped_column(Date)

    # What a forensic service records beyond the interchange format.
    marks: Mapped[list[dict[str, Any]]] = mapped_column(JSONDocument, default=list)
    condition: Mapped[RemainsCondition | None] = mapped_column(enum_type(RemainsCondition, "remains_condition"))
    forensic_service: Mapped[str | None] = mapped_column(String(200))
    storage_location: Mapped[str | None] = mapped_column(String(200))
    grave_reference: Mapped[str | None] = mapped_column(String(200))
    intake_date: Mapped[date | None] = mapped_column(Date)
    identification_method: Mapped[IdentificationMethod | None] = mapped_column(
        enum_type(IdentificationMethod, "identification_method")
    )
    identified_date: Mapped[date | None] = mapped_column(Date)

    name_folded: Mapped[str] = mapped_column(String(700), default="")
