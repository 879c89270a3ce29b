"""A match query by example: any part of a person's description, and where to look."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from registry.enums import RemainsCondition, RemainsStatus, ReportStatus, Sex
from registry.i18n import _
from registry.schemas.fields import (
    Age,
    Curp,
    Height,
    LongText,
    Name,
    PastDate,
    SexCode,
    ShortText,
    StateCode,
    check_estimated_ranges,
)

RecordTypeName = Literal["report", "remains"]
# What a query may describe; at least one of these must be given.
_DESCRIPTIVE = (
    "given_names", "first_surname", "second_surname", "aliases", "date_of_birth", "age_years", "age_min", "age_max",
    "curp", "event_date", "state", "municipality", "height_cm", "height_min_cm", "height_max_cm",
    "distinguishing_marks",
)  # fmt: skip


class MatchQuery(BaseModel):
    """A person described as a family or a clerk would (kind `report`), or as a forensic service
    records remains (kind `remains`); every field is optional, and what is missing counts neither
    for nor against a candidate."""

    model_config = ConfigDict(extra="forbid")

    kind: RecordTypeName = Field(
        default="report", description="report: a missing person's description; remains: a forensic record's"
    )
    given_names: Name | None = None
    first_surname: Name | None = None
    second_surname: Name | None = None
    aliases: list[Name] = Field(default_factory=list, max_length=10, description="Nicknames or other names")
    sex: SexCode = Field(default=Sex.unknown, description="female, male or unknown")
    date_of_birth: PastDate | None = None
    age_years: Age | None = Field(default=None, description="Age when last seen, where the date of birth is unknown")
    age_min: Age | None = Field(default=None, description="Estimated age range (remains)")
    age_max: Age | None = None
    curp: Curp | None = None
    event_date: PastDate | None = Field(default=None, description="Date last seen (report) or found (remains)")
    state: StateCode | None = Field(default=None, description="State last seen (report) or found (remains)")
    municipality: ShortText | None = None
    height_cm: Height | None = None
    height_min_cm: Height | None = Field(default=None, description="Estimated height range (remains)")
    height_max_cm: Height | None = None
    distinguishing_marks: LongText | None = Field(default=None, description="Items separated by ';'")
    condition: RemainsCondition | None = Field(
        default=None, description="The body's condition when found (remains): weighed against the time since a "
        "candidate was last seen",
    )  # fmt: skip

    among: list[RecordTypeName] = Field(
        default_factory=lambda: list[RecordTypeName](["report"]), min_length=1, max_length=2,
        description="Which records to search: missing-person reports, unidentified remains or both",
    )  # fmt: skip
    states: list[StateCode] = Field(
        default_factory=list, max_length=33, description="Only candidates of these states (last seen or found)"
    )
    statuses: list[ReportStatus | RemainsStatus] = Field(
        default_factory=list, max_length=5, description="Only candidates with these statuses"
    )
    top: int = Field(default=10, ge=1, le=100, description="How many candidates")
    min_score: float = Field(default=0.0, ge=0.0, le=1.0, description="Lowest score returned")

    @model_validator(mode="after")
    def _consistent(self) -> MatchQuery:
        if not any(getattr(self, name) for name in _DESCRIPTIVE):
            raise ValueError("given_names: " + _("describe the person with at least one field besides sex"))
        check_estimated_ranges(self.age_min, self.age_max, self.height_min_cm, self.height_max_cm)
        if self.kind == "remains" and "remains" in self.among:
            raise ValueError("among: " + _("remains are matched against missing-person reports only"))
        if self.date_of_birth and self.event_date and self.date_of_birth > self.event_date:
            raise ValueError("date_of_birth: " + _("must be before event_date"))
        return self
