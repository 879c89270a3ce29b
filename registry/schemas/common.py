"""Schemas shared by both record types: status changes, withdrawals, history, pages."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from registry.enums import ChangeKind, WithdrawalReason
from registry.schemas.fields import LongText, PastDate

T = TypeVar("T")


class StatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: str = Field(
        description="For reports: missing, located_alive, located_dead; for remains: unidentified, identified"
    )
    date: PastDate = Field(description="When the change happened (not when it was recorded)")
    note: LongText | None = None


class Withdrawal(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: WithdrawalReason = Field(description="duplicate, false_report or entered_in_error")
    note: LongText | None = None


class VersionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    version: int
    change_kind: ChangeKind
    changed_at: datetime
    changed_by: str
    changes: dict[str, Any] = Field(description="Each changed field: [value before, value after]")


class StatusEventRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    from_status: str | None
    to_status: str
    effective_date: date
    note: str | None
    recorded_at: datetime
    recorded_by: str
    record_version: int


class HistoryRead(BaseModel):
    record_id: uuid.UUID
    versions: list[VersionRead]
    status_events: list[StatusEventRead]


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page")
