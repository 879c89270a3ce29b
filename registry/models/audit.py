"""The audit trail: append-only, hash-chained events. No names, CURPs or other personal data in them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from registry.db import Base, JSONDocument, UTCDateTime, utcnow
from registry.models.columns import enum_type
from registry.models.history import BigIntId

# The hash the first event of the chain links to.
GENESIS_HASH = "0" * 64


class AuditOutcome(StrEnum):
    success = "success"
    denied = "denied"  # refused: unauthenticated, forbidden, or another jurisdiction's record
    failure = "failure"  # attempted and failed (e.g. a wrong password)


class AuditEvent(Base):
    """One thing that happened: who (an account id), as what, where, to which record, with what outcome.

    `seq` is the event's place in the chain; `prev_hash` is the previous event's `hash`, and `hash`
    covers the event's canonical content (registry.services.audit.event_hash).
    """

    __tablename__ = "audit_events"
    __table_args__ = (
        UniqueConstraint("seq"),
        Index("ix_audit_events_occurred_at", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))
    jurisdiction: Mapped[str | None] = mapped_column(String(3))
    action: Mapped[str] = mapped_column(String(40))
    record_kind: Mapped[str | None] = mapped_column(String(20))
    record_id: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[AuditOutcome] = mapped_column(enum_type(AuditOutcome, "audit_outcome"))
    request_id: Mapped[str | None] = mapped_column(String(64))
    # Counts and codes only (e.g. {"created": 12}); never a value taken from a record.
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditChainHead(Base):
    """The chain's last position and hash, in one row that every append locks first.

    `first_seq` is the first event the chain keeps (1 until a retention prune removed older ones) and
    `first_prev_hash` the hash that event links to, so the kept chain verifies from where it starts.
    On PostgreSQL the head only moves forward (migration 0006).
    """

    __tablename__ = "audit_chain_head"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)
    hash: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    first_seq: Mapped[int] = mapped_column(BigInteger, default=1, server_default="1")
    first_prev_hash: Mapped[str] = mapped_column(String(64), default=GENESIS_HASH, server_default=GENESIS_HASH)
