"""Unidentified-remains schemas: create, update (a patch), read."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator

from registry.enums import IdentificationMethod, RemainsCondition, RemainsStatus, WithdrawalReason
from registry.i18n import _
from registry.schemas.fields import (
    Age,
    Folio,
    Height,
    LongText,
    Name,
    PastDate,
    SexCode,
    SourceCode,
    StateCode,
    check_estimated_ranges,
)
from registry.schemas.marks import Mark


class RemainsFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    found_date: PastDate | None = Field(default=None, description="Date the remains were found")
    found_state: StateCode | None = None
    found_municipality: Name | None = None
    sex: SexCode | None = Field(default=None, description="female, male or unknown")
    age_min: Age | None = Field(default=None, description="Estimated age range, lower bound")
    age_max: Age | None = Field(default=None, description="Estimated age range, upper bound")
    height_min_cm: Height | None = None
    height_max_cm: Height | None = None
    distinguishing_marks: LongText | None = Field(default=None, description="Free text, items separated by ;")
    marks: list[Mark] | None = Field(default=None, max_length=50)
    given_names: Name | None = Field(default=None, description="From documents found with the remains, if any")
    first_surname: Name | None = None
    second_surname: Name | None = None
    condition: RemainsCondition | None = None
    forensic_service: Name | None = None
    storage_location: Name | None = None
    grave_reference: Name | None = None
    intake_date: PastDate | None = None


class RemainsUpdate(RemainsFields):
    """A correction: only the fields sent change; the merged record is validated as a whole."""


class RemainsCreate(RemainsFields):
    source: SourceCode = Field(description="Registry (forensic service) that holds the remains")
    folio: Folio = Field(description="Its identifier there")
    found_date: PastDate = Field(description="Date the remains were found")
    found_state: StateCode = Field(description="State where found")
    sex: SexCode = Field(description="female, male or unknown")
    status: RemainsStatus = Field(default=RemainsStatus.unidentified)

    @model_validator(mode="after")
    def _consistent(self) -> RemainsCreate:
        check_estimated_ranges(self.age_min, self.age_max, self.height_min_cm, self.height_max_cm)
        if self.intake_date is not None and self.intake_date < self.found_date:
            raise ValueError("intake_date: " + _("must not be before found_date"))
        return self


class RemainsRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    version: int
    source: str
    folio: str
    status: RemainsStatus
    status_date: date | None
    found_date: date
    found_state: str
    found_municipality: str | None
    sex: str
    age_min: int | None
    age_max: int | None
    height_min_cm: int | None
    height_max_cm: int | None
    distinguishing_marks: str | None
    marks: list[Mark]
    given_names: str | None
    first_surname: str | None
    second_surname: str | None
    condition: RemainsCondition | None
    forensic_service: str | None
    storage_location: str | None
    grave_reference: str | None
    intake_date: date | None
    identification_method: IdentificationMethod | None
    identified_date: date | None
    created_at: datetime
    updated_at: datetime
    withdrawn_at: datetime | None
    withdrawal_reason: WithdrawalReason | None
    withdrawal_note: str | None
