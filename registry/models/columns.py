"""Column types and mixins shared by the record tables."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Enum, ForeignKey, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from registry.db import UTCDateTime, utcnow
from registry.enums import WithdrawalReason


def enum_type(enum: type[StrEnum], name: str) -> Enum:
    """A database enum that stores the members' values (what the API speaks), named explicitly."""
    return Enum(
        enum,
        name=name,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
        create_constraint=False,
    )


class RecordMixin:
    """What every registry record carries: identity, natural key, version, timestamps, withdrawal."""

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    folio: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))
    updated_by: Mapped[str] = mapped_column(String(100))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by: Mapped[str | None] = mapped_column(String(100))
    withdrawal_reason: Mapped[WithdrawalReason | None] = mapped_column(enum_type(WithdrawalReason, "withdrawal_reason"))
    withdrawal_note: Mapped[str | None] = mapped_column(Text)

    @declared_attr
    def source(cls) -> Mapped[str]:  # noqa: N805 - declared_attr receives the class
        return mapped_column(String(3), ForeignKey("registries.code"))
