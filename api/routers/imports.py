"""CSV upload for clerks without shell access: the same import as `registry import`."""

from __future__ import annotations

import io
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, File, UploadFile
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from api.deps import ActorDep, SessionFactoryDep, SettingsDep
from api.importing import run_import
from registry.errors import InvalidRecord
from registry.interchange import HeaderError
from registry.record_types import REMAINS, REPORTS
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
) -> ImportResult:
    rtype = REPORTS if kind is ImportKind.missing else REMAINS
    collector = _Collector()

    def work() -> ImportSummary:
        handle = io.TextIOWrapper(file.file, encoding="utf-8-sig", newline="")
        try:
            return run_import(
                sessions=sessions,
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
    return ImportResult(
        created=summary.created,
        updated=summary.updated,
        unchanged=summary.unchanged,
        rejected=summary.rejected,
        rejects=collector.rows,
        rejects_truncated=collector.truncated,
    )
