"""History: every version of every record, and every dated status change. Append-only."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Date, Index, Integer, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from registry.db import Base, JSONDocument, UTCDateTime, utcnow
from registry.enums import ChangeKind, RecordKind
from registry.models.columns import enum_type

# SQLite only autoincrements an INTEGER PRIMARY KEY; PostgreSQL wants a BIGINT identity.
BigIntId = BigInteger().with_variant(Integer(), "sqlite")


class RecordVersion(Base):
    """One version of a record: who made it, when, and what changed ({field: [old, new]})."""

    __tablename__ = "record_versions"
    __table_args__ = (
        UniqueConstraint("record_kind", "record_id", "version"),
        Index("ix_record_versions_changed_at", "changed_at"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    record_kind: Mapped[RecordKind] = mapped_column(enum_type(RecordKind, "record_kind"))
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    version: Mapped[int] = mapped_column(Integer)
    change_kind: Mapped[ChangeKind] = mapped_column(enum_type(ChangeKind, "change_kind"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_by: Mapped[str] = mapped_column(String(100))
    changes: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)


class StatusEvent(Base):
    """A dated change of status (missing → located alive, unidentified → identified, …)."""

    __tablename__ = "status_events"
    __table_args__ = (Index("ix_status_events_record", "record_kind", "record_id"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    record_kind: Mapped[RecordKind] = mapped_column(enum_type(RecordKind, "record_kind"))
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    effective_date: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(100))
    record_version: Mapped[int] = mapped_column(Integer)
