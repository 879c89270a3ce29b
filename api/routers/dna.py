"""DNA over HTTP: laboratories upload samples and genotypes; geneticists read them (audited); investigators
and geneticists read DNA candidates; clerks see whether references were taken. The rules are in
registry.services.dna_access and registry.services.dna_import, where the data is read and written."""

from __future__ import annotations

import io
import uuid
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from api import security
from api.deps import ActorDep, SessionDep, SettingsDep
from registry.actor import Actor
from registry.enums import RecordKind
from registry.errors import InvalidRecord, NotFound
from registry.i18n import _
from registry.services import dna_access, dna_import
from registry.services.dna_families import DnaIndexCache
from registry.services.dna_search import DnaCandidate, SearchResult, record_names
from registry.settings import Settings

router = APIRouter(prefix="/dna", tags=["DNA"])


class DnaRejectRead(BaseModel):
    file: str = Field(description="samples or genotypes")
    line: int = Field(description="Line of that file where the row starts")
    column: str = Field(description="The column at fault")
    value: str = Field(description="The cell as written")
    error: str = Field(description="What is wrong, naming the column")


class DnaImportRead(BaseModel):
    created: int
    updated: int
    unchanged: int
    rejected: int = Field(description="Sample rows rejected")
    foreign: int = Field(description="Of them: samples of records of a registry the caller may not submit for")
    genotypes_stored: int
    genotypes_rejected: int
    rejects: list[DnaRejectRead]


class GenotypeRead(BaseModel):
    marker: str
    allele_1: str
    allele_2: str | None


class SampleVersionRead(BaseModel):
    version: int
    change_kind: str
    changed_at: datetime
    changed_by: str
    changes: dict[str, Any]


class SampleRead(BaseModel):
    id: uuid.UUID
    lab: str
    sample_id: str
    kind: str
    record_kind: str
    record_id: uuid.UUID
    relationship: str | None
    donor_id: str | None
    child_donor_id: str | None
    kit: str | None
    collected_date: date | None
    degraded: bool
    version: int
    genotypes: list[GenotypeRead]
    history: list[SampleVersionRead]


class SamplesRead(BaseModel):
    samples: list[SampleRead]


class DnaCandidateRead(BaseModel):
    remains_id: uuid.UUID
    remains_source: str
    remains_folio: str
    remains_lab: str
    remains_sample_id: str
    report_id: uuid.UUID
    missing_source: str
    missing_folio: str
    log10_lr: float | None = Field(description="log10 of the kinship likelihood ratio (null: excluded, LR 0)")
    posterior: float = Field(description="Probability of identity: prior × non-genetic LR × DNA LR")
    log10_non_genetic_lr: float | None = Field(description="The matching model's evidence (null: no candidate pair)")
    rank: int
    decision: str = Field(description="excluded, undisputed, indistinguishable_siblings, proposed or inconclusive")
    references: str = Field(description="The references used, e.g. mother+full_sibling")
    loci_compared: list[str]
    loci_incompatible: list[str]
    explanation: list[str] = Field(description="The result in short sentences")
    frequency_table: str
    theta: float


class DnaCandidatesRead(BaseModel):
    record_id: uuid.UUID
    families: int = Field(description="Missing persons with references the search compared with")
    prior: float | None = Field(description="1 / families: the prior of the posterior")
    proposal_threshold: float = Field(description="The LR an identification is proposed at, for this many families")
    candidates: list[DnaCandidateRead]


class ReferencesTakenRead(BaseModel):
    report_id: uuid.UUID
    references_taken: bool = Field(description="Whether reference (or direct) DNA samples were taken")


def _cache(request: Request) -> DnaIndexCache:
    cache: DnaIndexCache = request.app.state.dna_index
    return cache


@router.post("/imports", response_model=DnaImportRead, summary="Upload DNA samples and genotypes")
async def upload(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    samples: Annotated[UploadFile, File(description="Samples CSV (shared/spec/dna.md)")],
    genotypes: Annotated[UploadFile, File(description="Genotypes CSV")],
) -> DnaImportRead:
    """The same import as `registry dna import`: samples created or updated by (lab, sample_id), rejects listed."""
    texts = [await samples.read(), await genotypes.read()]
    summary = await run_in_threadpool(_import, session, actor, texts, security.request_id(request))
    return DnaImportRead(
        **summary.counts(),
        rejects=[DnaRejectRead(file=r.file.value, line=r.line, column=r.column, value=r.value, error=r.error)
                 for r in summary.rejects],
    )  # fmt: skip


def _import(session: Session, actor: Actor, texts: list[bytes], request_id: str | None) -> dna_import.DnaImportSummary:
    rows = []
    for raw, file in zip(texts, (dna_import.DnaFile.samples, dna_import.DnaFile.genotypes), strict=True):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            message = _("the file is not UTF-8")
            raise InvalidRecord(
                f"{file.value}: {message}", errors=[{"field": file.value, "message": message}]
            ) from None
        rows.append(dna_import.read_rows(io.StringIO(text, newline=""), file))
    return dna_import.import_dna(session=session, samples=rows[0], genotypes=rows[1], actor=actor,
                                 request_id=request_id)  # fmt: skip


@router.get("/samples", response_model=SamplesRead, summary="DNA samples with their genotypes (audited)")
async def samples(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    lab: Annotated[str | None, Query(max_length=64, description="The laboratory (with sample_id)")] = None,
    sample_id: Annotated[str | None, Query(max_length=64, description="The lab's sample identifier")] = None,
    record_id: Annotated[uuid.UUID | None, Query(description="Every sample of this remains or report")] = None,
) -> SamplesRead:
    """One sample by lab and sample_id, or every sample of a record, with genotypes and history (audited)."""
    found = await run_in_threadpool(
        dna_access.read_samples, session=session, actor=actor, lab=lab, sample_id=sample_id, record_id=record_id,
        request_id=security.request_id(request),
    )  # fmt: skip
    for refused in found.refused:
        security.audit_denied(request, actor=actor, action="dna.genotype_read", reason="jurisdiction",
                              record_kind="dna_sample", record_id=str(refused))  # fmt: skip
    if lab is not None and not found.samples:
        raise NotFound(_("no sample {sample_id} of lab {lab}", sample_id=sample_id, lab=lab))
    return SamplesRead(samples=[_sample(read) for read in found.samples])


def _sample(read: dna_access.SampleRead) -> SampleRead:
    s = read.sample
    return SampleRead(
        id=s.id, lab=s.lab, sample_id=s.sample_id, kind=s.kind.value,
        record_kind="remains" if s.remains_id else "report", record_id=s.remains_id or s.report_id,
        relationship=s.relationship.value if s.relationship else None, donor_id=s.donor_id,
        child_donor_id=s.child_donor_id, kit=s.kit, collected_date=s.collected_date, degraded=s.degraded,
        version=s.version,
        genotypes=[GenotypeRead(marker=m, allele_1=a, allele_2=b) for m, (a, b) in sorted(read.genotypes.items())],
        history=[SampleVersionRead(version=v.version, change_kind=str(v.change_kind.value), changed_at=v.changed_at,
                                   changed_by=v.changed_by, changes=v.changes) for v in read.versions],
    )  # fmt: skip


Top = Annotated[int, Query(ge=1, le=100, description="How many candidates")]
MinLog10 = Annotated[float, Query(ge=-1000, le=1000, description="Lowest log10 LR returned")]
Table = Annotated[str | None, Query(max_length=60, description="Frequency table (default: the registry's)")]


def _candidates(
    session: Session, actor: Actor, cache: DnaIndexCache, settings: Settings, kind: RecordKind,
    record_id: uuid.UUID, top: int, min_log10_lr: float, table: str | None,
) -> DnaCandidatesRead:  # fmt: skip
    result = dna_access.dna_candidates(
        session=session, actor=actor, cache=cache, settings=settings, kind=kind, record_id=record_id, top=top,
        min_log10_lr=min_log10_lr, table=table,
    )  # fmt: skip
    return _read(session, record_id, result)


def _read(session: Session, record_id: uuid.UUID, result: SearchResult) -> DnaCandidatesRead:
    names = record_names(session, result.candidates)
    ordered = sorted(result.candidates, key=lambda c: (-c.log10_lr, c.rank))
    return DnaCandidatesRead(
        record_id=record_id, families=len(result.built.families), prior=result.prior,
        proposal_threshold=result.threshold, candidates=[_candidate(c, names) for c in ordered],
    )  # fmt: skip


def _candidate(c: DnaCandidate, names: dict[uuid.UUID, tuple[str, str]]) -> DnaCandidateRead:
    remains_id = c.remains_sample.remains_id
    assert remains_id is not None
    e = c.explanation
    return DnaCandidateRead(
        remains_id=remains_id, remains_source=names[remains_id][0], remains_folio=names[remains_id][1],
        remains_lab=c.remains_sample.lab, remains_sample_id=c.remains_sample.sample_id,
        report_id=c.family.report_id, missing_source=names[c.family.report_id][0],
        missing_folio=names[c.family.report_id][1], log10_lr=c.result()["log10_lr"], posterior=c.posterior,
        log10_non_genetic_lr=c.log10_non_genetic_lr, rank=c.rank, decision=c.decision.value,
        references=e.references, loci_compared=list(e.loci_compared), loci_incompatible=list(e.loci_incompatible),
        explanation=e.lines(), frequency_table=e.frequency_table, theta=e.theta,
    )  # fmt: skip


@router.get("/remains/{record_id}/candidates", response_model=DnaCandidatesRead, summary="DNA candidates of remains")
async def remains_candidates(
    record_id: uuid.UUID, request: Request, session: SessionDep, actor: ActorDep, settings: SettingsDep,
    top: Top = 10, min_log10_lr: MinLog10 = 0.0, table: Table = None,
) -> DnaCandidatesRead:  # fmt: skip
    """Missing persons whose references these remains' DNA supports, by likelihood ratio; never a genotype."""
    return await run_in_threadpool(_candidates, session, actor, _cache(request), settings, RecordKind.remains,
                                   record_id, top, min_log10_lr, table)  # fmt: skip


@router.get("/reports/{record_id}/candidates", response_model=DnaCandidatesRead, summary="DNA candidates of a report")
async def report_candidates(
    record_id: uuid.UUID, request: Request, session: SessionDep, actor: ActorDep, settings: SettingsDep,
    top: Top = 10, min_log10_lr: MinLog10 = 0.0, table: Table = None,
) -> DnaCandidatesRead:  # fmt: skip
    """Remains whose DNA may be this missing person's, by likelihood ratio with the person's references."""
    return await run_in_threadpool(_candidates, session, actor, _cache(request), settings, RecordKind.report,
                                   record_id, top, min_log10_lr, table)  # fmt: skip


@router.get("/reports/{record_id}/references", response_model=ReferencesTakenRead, summary="References taken?")
async def references(record_id: uuid.UUID, session: SessionDep, actor: ActorDep) -> ReferencesTakenRead:
    """Whether the family gave DNA references for this report (nothing else about them)."""
    taken = await run_in_threadpool(dna_access.references_taken, session=session, actor=actor, report_id=record_id)
    return ReferencesTakenRead(report_id=record_id, references_taken=taken)
