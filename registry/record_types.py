"""The two kinds of record the registry keeps, described once so that one service serves both."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from pydantic import BaseModel
from sqlalchemy import Table

from registry.db import table_of
from registry.enums import RecordKind, RemainsStatus, ReportStatus
from registry.i18n import N_
from registry.models import MissingPersonReport, UnidentifiedRemains
from registry.schemas.remains import RemainsCreate, RemainsUpdate
from registry.schemas.reports import ReportCreate, ReportUpdate

Record = MissingPersonReport | UnidentifiedRemains


@dataclass(frozen=True, slots=True)
class RecordType:
    kind: RecordKind
    label: str  # in messages: "report", "remains record"
    model: type[MissingPersonReport] | type[UnidentifiedRemains]
    create_schema: type[BaseModel]
    update_schema: type[BaseModel]
    status_enum: type[StrEnum]
    initial_status: str
    state_field: str
    date_field: str

    @property
    def table(self) -> Table:
        return table_of(self.model)

    editable_fields: tuple[str, ...] = field(init=False)
    stored_fields: tuple[str, ...] = field(init=False)  # the editable ones, the natural key, the status

    def __post_init__(self) -> None:
        editable = tuple(self.update_schema.model_fields)
        object.__setattr__(self, "editable_fields", editable)
        object.__setattr__(self, "stored_fields", ("source", "folio", "status", *editable))


REPORTS = RecordType(
    kind=RecordKind.report,
    label=N_("report"),
    model=MissingPersonReport,
    create_schema=ReportCreate,
    update_schema=ReportUpdate,
    status_enum=ReportStatus,
    initial_status=ReportStatus.missing.value,
    state_field="last_seen_state",
    date_field="last_seen_date",
)

REMAINS = RecordType(
    kind=RecordKind.remains,
    label=N_("remains record"),
    model=UnidentifiedRemains,
    create_schema=RemainsCreate,
    update_schema=RemainsUpdate,
    status_enum=RemainsStatus,
    initial_status=RemainsStatus.unidentified.value,
    state_field="found_state",
    date_field="found_date",
)

BY_KIND = {REPORTS.kind: REPORTS, REMAINS.kind: REMAINS}
