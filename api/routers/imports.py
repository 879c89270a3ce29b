"""CSV upload for clerks without shell access: the same import as `registry import`."""

from __future__ import annotations

import csv
import io
from enum import StrEnum
from typing import Annotated, BinaryIO

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from api import security
from api.deps import ActorDep, GrantDep, SessionDep, SessionFactoryDep, SettingsDep
from api.importing import run_import
from registry import policy
from registry.errors import InvalidRecord
from registry.interchange import HeaderError
from registry.record_types import REMAINS, REPORTS
from registry.services import audit, review
from registry.services.imports import ImportSummary, Rejected

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


class ImportResult(BaseModel):
    created: int
    updated: int
    unchanged: int
    rejected: int
    rejects: list[RejectedRow]
    rejects_truncated: bool = Field(description="True when more rows were rejected than are listed")
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


def _bad_file(message: str) -> InvalidRecord:
    return InvalidRecord(f"file: {message}", errors=[{"field": "file", "message": message}])


def _foreign_sources(raw: BinaryIO, jurisdiction: str | None) -> set[str]:
    """The registries other than the caller's that rows of the file are filed under (read before any write)."""
    handle = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    try:
        sources = {(row.get("source") or "").strip().upper() for row in csv.DictReader(handle)}
    except (UnicodeDecodeError, csv.Error):
        sources = set()  # the import itself reports what is wrong with the file
    finally:
        handle.detach()
        raw.seek(0)
    return {s for s in sources if s and s != jurisdiction}


@router.post(
    "/{kind}",
    response_model=ImportResult,
    summary="Import an interchange CSV (missing or remains)",
    responses={422: {"description": "The header cannot be imported (e.g. an unknown column)"}},
)
async def upload(
    kind: ImportKind,
    file: Annotated[UploadFile, File(description="Interchange CSV, UTF-8")],
    sessions: SessionFactoryDep,
    settings: SettingsDep,
    actor: ActorDep,
    grant: GrantDep,
    session: SessionDep,
    request: Request,
) -> ImportResult:
    rtype = REPORTS if kind is ImportKind.missing else REMAINS
    collector = _Collector()
    if grant.scope is not policy.Scope.all:
        # A clerk's file may only hold their own registry's rows: otherwise nothing of it is imported.
        foreign = await run_in_threadpool(_foreign_sources, file.file, actor.jurisdiction)
        if foreign:
            raise security.outside_jurisdiction(request, grant, rtype, ", ".join(sorted(foreign)))
    since = review.version_mark(session)
    # Every batch's transaction also appends its audit event, so that no batch is stored unaudited.
    audited = audit.audited_sessions(sessions, actor=actor, action="import.batch", record_kind=rtype.kind.value,
                                     request_id=security.request_id(request))  # fmt: skip

    def work() -> ImportSummary:
        handle = io.TextIOWrapper(file.file, encoding="utf-8-sig", newline="")
        try:
            return run_import(
                sessions=audited,
                rtype=rtype,
                handle=handle,
                actor=actor,
                batch_size=settings.import_batch_size,
                rejects=lambda _header: collector,
            )
        finally:
            handle.detach()

    try:
        summary = await run_in_threadpool(work)
    except HeaderError as exc:
        raise _bad_file(str(exc)) from None
    except UnicodeDecodeError as exc:
        raise _bad_file(f"is not UTF-8 (byte {exc.start}); rows before it were imported") from None
    # The imported records join the review queue as records created one by one do.
    scored = await run_in_threadpool(
        review.rescore_with_live_index, session, request.app.state.live_index, since,
        threshold=settings.review_threshold, top=settings.review_candidates_per_record,
    )  # fmt: skip
    audit.record(session, actor=actor, action="import.run", record_kind=rtype.kind.value,
                 detail={"created": summary.created, "updated": summary.updated, "unchanged": summary.unchanged,
                         "rejected": summary.rejected}, request_id=security.request_id(request))  # fmt: skip
    return ImportResult(
        created=summary.created,
        updated=summary.updated,
        unchanged=summary.unchanged,
        rejected=summary.rejected,
        rejects=collector.rows,
        rejects_truncated=collector.truncated,
        candidate_pairs=scored.scored,
    )
