"""Missing-person report schemas: create, update (a patch), read."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator

from registry.enums import ReportStatus, Vulnerability, WithdrawalReason
from registry.i18n import _
from registry.schemas.fields import (
    Age,
    Curp,
    Descriptor,
    Folio,
    Height,
    LongText,
    Name,
    PastDate,
    Phone,
    SexCode,
    ShortText,
    SourceCode,
    StateCode,
    Weight,
)
from registry.schemas.marks import Mark


class ReportFields(BaseModel):
    """Every field a clerk may set; all optional, so that this is also the shape of a patch."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    given_names: Name | None = Field(default=None, description="All given names, e.g. María Guadalupe")
    first_surname: Name | None = Field(default=None, description="Apellido paterno")
    second_surname: Name | None = Field(default=None, description="Apellido materno")
    aliases: list[Name] | None = Field(default=None, max_length=30, description="Nicknames or other names")
    sex: SexCode | None = Field(default=None, description="female, male or unknown")
    date_of_birth: PastDate | None = None
    age_years: Age | None = Field(default=None, description="Age when last seen, where the birth date is unknown")
    curp: Curp | None = Field(default=None, description="CURP as written; a malformed one is kept and flagged")
    last_seen_date: PastDate | None = None
    last_seen_state: StateCode | None = None
    last_seen_municipality: Name | None = None
    height_cm: Height | None = None
    distinguishing_marks: LongText | None = Field(default=None, description="Free text, items separated by ;")
    marks: list[Mark] | None = Field(default=None, max_length=50, description="Structured distinguishing marks")
    clothing: LongText | None = Field(default=None, description="Clothing and belongings when last seen")
    complexion: Descriptor | None = None
    skin_tone: Descriptor | None = None
    hair: ShortText | None = None
    eye_colour: Descriptor | None = None
    weight_kg: Weight | None = None
    nationality: Descriptor | None = None
    birth_state: StateCode | None = Field(default=None, description="State of birth (for the CURP check)")
    indigenous_group: ShortText | None = None
    indigenous_language: ShortText | None = None
    vulnerability: list[Vulnerability] | None = Field(default=None, max_length=5)
    publication_consent: bool | None = Field(default=None, description="The family consents to publication")
    circumstances: LongText | None = Field(default=None, description="Restricted: circumstances of disappearance")
    investigation_file_number: ShortText | None = Field(default=None, description="Restricted: carpeta")
    contact_name: Name | None = Field(default=None, description="Restricted: reporting relative")
    contact_phone: Phone | None = Field(default=None, description="Restricted")
    contact_email: Name | None = Field(default=None, description="Restricted")
    contact_relationship: Descriptor | None = Field(default=None, description="Restricted")


class ReportUpdate(ReportFields):
    """A correction: only the fields sent change; the merged record is validated as a whole."""


class ReportCreate(ReportFields):
    source: SourceCode = Field(description="Registry that files the report (state code or FED)")
    folio: Folio = Field(description="The report's identifier in that registry")
    sex: SexCode = Field(description="female, male or unknown")
    last_seen_date: PastDate = Field(description="Date last seen; not in the future")
    last_seen_state: StateCode = Field(description="State where last seen")
    status: ReportStatus = Field(default=ReportStatus.missing, description="missing, located_alive, located_dead")

    @model_validator(mode="after")
    def _consistent(self) -> ReportCreate:
        if not (self.given_names or self.first_surname or self.second_surname):
            raise ValueError(
                "given_names: " + _("at least one of given_names, first_surname, second_surname is required")
            )
        if self.date_of_birth and self.date_of_birth > self.last_seen_date:
            raise ValueError("date_of_birth: " + _("must be before last_seen_date"))
        if self.date_of_birth and self.date_of_birth.year < self.last_seen_date.year - 120:
            raise ValueError("date_of_birth: " + _("more than 120 years before last_seen_date"))
        return self


class ReportRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    version: int
    source: str
    folio: str
    status: ReportStatus
    status_date: date | None
    given_names: str | None
    first_surname: str | None
    second_surname: str | None
    aliases: list[str]
    sex: str
    date_of_birth: date | None
    age_years: int | None
    curp: str | None
    curp_problems: list[str] = Field(description="Why the CURP is doubtful; empty when it checks out")
    last_seen_date: date
    last_seen_state: str
    last_seen_municipality: str | None
    height_cm: int | None
    distinguishing_marks: str | None
    marks: list[Mark]
    clothing: str | None
    complexion: str | None
    skin_tone: str | None
    hair: str | None
    eye_colour: str | None
    weight_kg: int | None
    nationality: str | None
    birth_state: str | None
    indigenous_group: str | None
    indigenous_language: str | None
    vulnerability: list[str]
    publication_consent: bool
    circumstances: str | None = None
    investigation_file_number: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None
    contact_relationship: str | None = None
    created_at: datetime
    updated_at: datetime
    withdrawn_at: datetime | None
    withdrawal_reason: WithdrawalReason | None
    withdrawal_note: str | None
