"""File upload for clerks without shell access: the same import (and dry run) as `registry import`.

The file may be an interchange CSV, a state's Spanish export (CSV in any of the allowed encodings
and separators, or an .xlsx workbook), or any other export with a mapping: uploaded beside it
(`mapping`, TOML) or stored by an administrator under a name (`mapping_name`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from api import security
from api.deps import ActorDep, SessionDep, SessionFactoryDep, SettingsDep
from api.importing import run_import
from registry.errors import InvalidRecord
from registry.i18n import _
from registry.import_report import summary_line
from registry.interchange import HeaderError
from registry.mappings import ImportMapping, MappingError
from registry.mappings import load as load_mapping
from registry.record_types import REMAINS, REPORTS
from registry.services import audit, mappings, review
from registry.services.imports import ImportSummary, Rejected
from registry.tables import Reading
from registry.vocabulary import field_problem
from registry.workbooks import WorkbookError

router = APIRouter(prefix="/imports", tags=["bulk import"])

# A response lists at most this many rejected rows; the counts are always complete.
MAX_LISTED_REJECTS = 10_000


class ImportKind(StrEnum):
    missing = "missing"
    remains = "remains"


class RejectedRow(BaseModel):
    line: int = Field(description="Line of the input where the row starts")
    error: str = Field(description="What is wrong, naming the column")
    row: dict[str, str] = Field(description="The row as it was sent")


class FileReading(BaseModel):
    format: str = Field(description="csv or xlsx")
    encoding: str | None = Field(description="The encoding the CSV was read in (detected), e.g. Windows-1252")
    separator: str | None = Field(description="The CSV's separator (detected): ',', ';' or a tab")
    sheet: str | None = Field(description="The workbook's sheet that was read")
    columns: dict[str, str] = Field(description="Headers as written that were read as another interchange column")
    ignored: list[str] = Field(description="Headers the mapping leaves out")
    mapping: str | None = Field(description="Whose headers and values were translated (None: interchange file)")

    @classmethod
    def of(cls, reading: Reading | None) -> FileReading | None:
        if reading is None:
            return None
        return cls(
            format=reading.format, encoding=reading.encoding, separator=reading.separator, sheet=reading.sheet,
            columns=reading.columns, ignored=list(reading.ignored), mapping=reading.mapping,
        )  # fmt: skip


class ImportResult(BaseModel):
    dry_run: bool = Field(default=False, description="True: nothing was written; the counts are what would be")
    reading: FileReading | None = Field(default=None, description="How the file was read")
    created: int
    updated: int
    unchanged: int
    rejected: int
    foreign: int = Field(description="Of the rejected rows: those filed under a registry the caller may not write")
    rejects: list[RejectedRow]
    rejects_truncated: bool = Field(description="True when more rows were rejected than are listed")
    summary: str = Field(default="", description="The outcome in one sentence, in the reader's language")
    candidate_pairs: int = Field(
        description="Candidate pairs of the imported records now in the review queue (new or re-scored)"
    )


class _Collector:
    def __init__(self) -> None:
        self.rows: list[RejectedRow] = []
        self.truncated = False

    def write(self, rejected: Rejected) -> None:
        if len(self.rows) < MAX_LISTED_REJECTS:
            self.rows.append(RejectedRow(line=rejected.line, error=rejected.error, row=rejected.values))
        else:
            self.truncated = True


def _bad_file(message: str, field: str = "file") -> InvalidRecord:
    return InvalidRecord(field_problem(field, message), errors=[{"field": field, "message": message}])


async def _mapping_of(upload: UploadFile | None) -> ImportMapping | None:
    if upload is None:
        return None
    try:
        text = (await upload.read()).decode("utf-8-sig")
        return load_mapping(text, name=upload.filename or "mapping")
    except UnicodeDecodeError:
        raise _bad_file(_("is not UTF-8 text (a TOML mapping file)"), "mapping") from None
    except MappingError as exc:
        raise _bad_file(str(exc), "mapping") from None


@router.post(
    "/{kind}",
    response_model=ImportResult,
    summary="Import an interchange CSV, a Spanish export or a workbook (missing or remains)",
    responses={422: {"description": "The file cannot be read (e.g. an unknown column) or the mapping is wrong"}},
)
async def upload(
    kind: ImportKind,
    file: Annotated[UploadFile, File(description="Interchange CSV, a state's CSV export or an .xlsx workbook")],
    sessions: SessionFactoryDep,
    settings: SettingsDep,
    actor: ActorDep,
    session: SessionDep,
    request: Request,
    mapping: Annotated[UploadFile | None, File(description="A mapping file (TOML, docs/interchange.md)")] = None,
    mapping_name: Annotated[
        str | None, Form(max_length=64, description="A mapping stored by an administrator (instead of `mapping`)")
    ] = None,
    mapping_registry: Annotated[
        str | None, Form(max_length=3, description="Whose stored mapping (default: the caller's registry)")
    ] = None,
    dry_run: Annotated[bool, Query(description="Read, validate and report; write nothing")] = False,
    sheet: Annotated[str | None, Query(max_length=100, description="The workbook's sheet (default: the first)")] = None,
) -> ImportResult:
    rtype = REPORTS if kind is ImportKind.missing else REMAINS
    collector = _Collector()
    if mapping is not None and mapping_name is not None:
        raise _bad_file(_("send a mapping file or the name of a stored mapping, not both"), "mapping_name")
    chosen = await _mapping_of(mapping)
    if mapping_name is not None:
        owner = (mapping_registry or actor.jurisdiction or "").upper() or None
        chosen = mappings.named(session, registry=owner, name=mapping_name)
    # Each row's registry is checked by the import service as the row is written: another
    # registry's row is rejected (listed with its reason), never stored.
    since = review.version_mark(session)
    # Every batch's transaction also appends its audit event, so that no batch is stored unaudited;
    # a dry run's one transaction is rolled back, and one event says it ran.
    batches = sessions if dry_run else audit.audited_sessions(
        sessions, actor=actor, action="import.batch", record_kind=rtype.kind.value,
        request_id=security.request_id(request),
    )  # fmt: skip

    def work() -> ImportSummary:
        return run_import(
            sessions=batches,
            rtype=rtype,
            handle=file.file,
            actor=actor,
            batch_size=settings.import_batch_size,
            rejects=lambda _header: collector,
            mapping=chosen,
            sheet=sheet,
            dry_run=dry_run,
        )

    try:
        summary = await run_in_threadpool(work)
    except (HeaderError, WorkbookError) as exc:
        raise _bad_file(str(exc)) from None
    scored = 0
    if not dry_run:
        # The imported records join the review queue as records created one by one do.
        rescored = await run_in_threadpool(
            review.rescore_with_live_index, session, request.app.state.live_index, since,
            threshold=settings.review_threshold, top=settings.review_candidates_per_record,
        )  # fmt: skip
        scored = rescored.scored
    detail = {
        "created": summary.created,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "rejected": summary.rejected,
        "foreign": summary.foreign,
    }
    audit.record(
        session,
        actor=actor,
        action="import.dry_run" if dry_run else "import.run",
        record_kind=rtype.kind.value,
        detail=detail,
        request_id=security.request_id(request),
    )
    return ImportResult(
        dry_run=dry_run,
        reading=FileReading.of(summary.reading),
        created=summary.created,
        updated=summary.updated,
        unchanged=summary.unchanged,
        rejected=summary.rejected,
        foreign=summary.foreign,
        rejects=collector.rows,
        rejects_truncated=collector.truncated,
        candidate_pairs=scored,
        summary=summary_line(**detail, dry_run=dry_run),
    )
