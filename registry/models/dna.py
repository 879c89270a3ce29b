"""DNA samples and their genotypes, as laboratories hand them in (shared/spec/dna.md), with their history.

A sample is identified by `(lab, sample_id)` and tied to one record: remains samples to the
remains, reference and direct samples to the missing-person report. Genotypes keep the alleles
as the laboratory wrote them, under the registry's name for the marker. Every change is a new
version of the sample (`dna_sample_versions`, append-only). Genotypes are read by geneticists only,
and every such read is audited (docs/dna.md).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from registry.db import Base, JSONDocument, UTCDateTime, utcnow
from registry.enums import ChangeKind
from registry.models.columns import enum_type
from registry.models.history import BigIntId


class SampleKind(StrEnum):
    """What a sample is of: unidentified remains, a relative of a missing person, the missing person."""

    remains = "remains"
    reference = "reference"
    direct = "direct"


class DonorRelationship(StrEnum):
    """A reference donor's relationship to the missing person (shared/spec/dna.md)."""

    father = "father"
    mother = "mother"
    full_sibling = "full_sibling"
    half_sibling_paternal = "half_sibling_paternal"
    half_sibling_maternal = "half_sibling_maternal"
    child = "child"
    child_other_parent = "child_other_parent"
    grandparent = "grandparent"
    aunt_uncle = "aunt_uncle"
    cousin = "cousin"


class DnaSample(Base):
    """One laboratory sample: what it is of, which record it belongs to, the donor of a reference."""

    __tablename__ = "dna_samples"
    __table_args__ = (
        UniqueConstraint("lab", "sample_id"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint(
            "(kind = 'remains' AND remains_id IS NOT NULL AND report_id IS NULL)"
            " OR (kind <> 'remains' AND report_id IS NOT NULL AND remains_id IS NULL)",
            name="one_record",
        ),
        Index("ix_dna_samples_remains_id", "remains_id"),
        Index("ix_dna_samples_report_id", "report_id"),
        Index("ix_dna_samples_record_source", "record_source"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    lab: Mapped[str] = mapped_column(String(64))
    sample_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[SampleKind] = mapped_column(enum_type(SampleKind, "dna_sample_kind"))
    remains_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("unidentified_remains.id"))
    report_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("missing_person_reports.id"))
    # The record's registry: whose geneticists may submit and read the sample.
    record_source: Mapped[str] = mapped_column(String(3), ForeignKey("registries.code"))
    relationship: Mapped[DonorRelationship | None] = mapped_column(enum_type(DonorRelationship, "dna_relationship"))
    donor_id: Mapped[str | None] = mapped_column(String(64))
    child_donor_id: Mapped[str | None] = mapped_column(String(64))
    kit: Mapped[str | None] = mapped_column(String(100))
    collected_date: Mapped[date | None] = mapped_column(Date)
    degraded: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))
    updated_by: Mapped[str] = mapped_column(String(100))


class DnaGenotype(Base):
    """A sample's typing at one marker: the alleles as written (`allele_2` empty for a homozygote)."""

    __tablename__ = "dna_genotypes"

    sample_pk: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("dna_samples.id"), primary_key=True)
    marker: Mapped[str] = mapped_column(String(40), primary_key=True)  # the registry's name (TH01, vWA, Penta E)
    allele_1: Mapped[str] = mapped_column(String(16))
    allele_2: Mapped[str | None] = mapped_column(String(16))


class DnaSampleVersion(Base):
    """One version of a sample: who, when, what changed ({field: [old, new]}, genotypes as `marker:NAME`)."""

    __tablename__ = "dna_sample_versions"
    __table_args__ = (UniqueConstraint("sample_pk", "version"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    sample_pk: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("dna_samples.id"))
    version: Mapped[int] = mapped_column(Integer)
    change_kind: Mapped[ChangeKind] = mapped_column(enum_type(ChangeKind, "change_kind"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_by: Mapped[str] = mapped_column(String(100))
    changes: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)
