"""Review: candidate pairs kept current, investigators' judgements (append-only), identifications of remains."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from registry.db import Base, JSONDocument, UTCDateTime, utcnow
from registry.enums import IdentificationMethod, JudgementDecision, PairKind, PairStatus, RecordKind
from registry.models.columns import enum_type

# SQLite only autoincrements an INTEGER PRIMARY KEY; PostgreSQL wants a BIGINT identity.
BigIntId = BigInteger().with_variant(Integer(), "sqlite")


class CandidatePair(Base):
    """Two records that may be the same person: the score, why, and which parameters produced it.

    The right-hand record is always a report; the left one is a report (duplicates: the smaller id
    is on the left) or remains. `status` mirrors the pair's latest judgement (pending if none).
    """

    __tablename__ = "candidate_pairs"
    __table_args__ = (
        UniqueConstraint("left_id", "right_id"),
        Index("ix_candidate_pairs_queue", "active", "status", "score", "priority", "case_date"),
        Index("ix_candidate_pairs_right_id", "right_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    kind: Mapped[PairKind] = mapped_column(enum_type(PairKind, "pair_kind"))
    left_kind: Mapped[RecordKind] = mapped_column(enum_type(RecordKind, "record_kind"))
    left_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    left_source: Mapped[str] = mapped_column(String(3))
    left_folio: Mapped[str] = mapped_column(String(64))
    left_state: Mapped[str] = mapped_column(String(3))
    right_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("missing_person_reports.id"))
    right_source: Mapped[str] = mapped_column(String(3))
    right_folio: Mapped[str] = mapped_column(String(64))
    right_state: Mapped[str] = mapped_column(String(3))
    score: Mapped[float] = mapped_column(Float)
    match_weight: Mapped[float] = mapped_column(Float)
    summary: Mapped[str] = mapped_column(Text)
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSONDocument, default=list)
    parameters_version: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[PairStatus] = mapped_column(enum_type(PairStatus, "pair_status"))
    reopened: Mapped[bool] = mapped_column(Boolean, default=False)  # rejected, then a field that mattered changed
    active: Mapped[bool] = mapped_column(Boolean, default=True)  # scored at or above the review threshold
    minor: Mapped[bool] = mapped_column(Boolean, default=False)
    vulnerable: Mapped[bool] = mapped_column(Boolean, default=False)
    priority: Mapped[int] = mapped_column(Integer, default=0)  # 2 × minor + vulnerable: ties on score
    case_date: Mapped[date] = mapped_column(Date)  # the older of the two event dates: older cases first
    scored_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # DNA (remains–report pairs, written by `registry dna search`): the kinship LR and what it rests on
    # (references, loci compared, decision, frequency table), never a genotype; `dna_strong` queues the pair first.
    dna_log10_lr: Mapped[float | None] = mapped_column(Float)
    dna: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    # NULL (no DNA result) or false: no strong DNA evidence. Nullable, so that pairs stored without it stay valid.
    dna_strong: Mapped[bool | None] = mapped_column(Boolean)


class Judgement(Base):
    """One decision on a pair, never changed: the pair's current judgement is its latest.

    The fingerprints are of each record's match-relevant fields when it was judged, so that a
    rejection lasts until one of those fields changes.
    """

    __tablename__ = "judgements"
    __table_args__ = (Index("ix_judgements_pair_id_id", "pair_id", "id"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    pair_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("candidate_pairs.id"))
    decision: Mapped[JudgementDecision] = mapped_column(enum_type(JudgementDecision, "judgement_decision"))
    reason: Mapped[str] = mapped_column(Text)
    reviewer: Mapped[str] = mapped_column(String(100))  # an account id, never a name
    judged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    supersedes_id: Mapped[int | None] = mapped_column(BigInteger)
    left_fingerprint: Mapped[str] = mapped_column(String(64))
    right_fingerprint: Mapped[str] = mapped_column(String(64))
    score: Mapped[float | None] = mapped_column(Float)
    parameters_version: Mapped[int | None] = mapped_column(Integer)


class Identification(Base):
    """Remains confirmed to belong to a report: how, by whom, and the statuses it replaced (to undo it)."""

    __tablename__ = "identifications"
    __table_args__ = (
        Index("ix_identifications_remains_id", "remains_id"),
        Index("ix_identifications_report_id", "report_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    remains_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("unidentified_remains.id"))
    report_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("missing_person_reports.id"))
    method: Mapped[IdentificationMethod] = mapped_column(enum_type(IdentificationMethod, "identification_method"))
    responsible: Mapped[str] = mapped_column(String(100))  # the responsible person's account id
    identified_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    remains_previous_status: Mapped[str] = mapped_column(String(20))
    report_previous_status: Mapped[str] = mapped_column(String(20))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(100))
    reversed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reversed_by: Mapped[str | None] = mapped_column(String(100))
    reversal_reason: Mapped[str | None] = mapped_column(Text)
    # Method `dna`: the LR, the references and the frequency table it rests on, as the DNA search gave them.
    dna: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
