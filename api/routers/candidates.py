"""Candidates of a stored record, or of a description (a query by example), ranked, with the reasons."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from api.deps import SessionDep
from matching import MatchCandidate
from registry import explanations
from registry.enums import RecordKind
from registry.schemas.matching import MatchQuery
from registry.services.matching import LiveIndex, candidate_filter, query_record

router = APIRouter(tags=["matching"])


class EvidenceRead(BaseModel):
    comparison: str = Field(description="What was compared, e.g. surnames")
    level: str = Field(description="How well it agreed, e.g. SWAPPED")
    weight: float = Field(description="Bits of evidence for (+) or against (-) the same person")
    text: str = Field(description="The level in words, e.g. 'surnames swapped'")


class CandidateRead(BaseModel):
    kind: str = Field(description="report or remains")
    id: uuid.UUID
    source: str
    folio: str
    score: float = Field(description="Estimated probability that both records are the same person")
    summary: str = Field(description="The strongest reasons, in one line")
    evidence: list[EvidenceRead]
    excluded_by: str | None = Field(default=None, description="A contradiction that rules the pair out")


class MatchResultsRead(BaseModel):
    parameters_version: int | None = Field(description="Stored parameter set that scored (null: built-in)")
    candidates: list[CandidateRead]


class CandidatesRead(BaseModel):
    record_id: uuid.UUID
    parameters_version: int | None = Field(description="Stored parameter set that scored (null: built-in)")
    candidates: list[CandidateRead]


def live_index(request: Request) -> LiveIndex:
    index: LiveIndex = request.app.state.live_index
    return index


def _read(index: LiveIndex, candidate: MatchCandidate) -> CandidateRead | None:
    described = index.describe(candidate.key)
    if described is None:
        return None
    kind, source, folio = described
    explanation = candidate.explanation
    return CandidateRead(
        kind=kind,
        id=uuid.UUID(candidate.key),
        source=source,
        folio=folio,
        score=round(candidate.probability, 4),
        summary=explanations.summary(explanation) if explanation else "",
        evidence=[
            EvidenceRead(
                comparison=e.comparison, level=e.level, weight=round(e.weight, 2), text=explanations.evidence_text(e)
            )
            for e in (explanation.evidence if explanation else ())
        ],
        excluded_by=explanations.excluded_by(explanation) if explanation else None,
    )


async def _candidates(
    request: Request, session: SessionDep, kind: RecordKind, record_id: uuid.UUID, top: int, min_score: float
) -> CandidatesRead:
    index = live_index(request)
    found = await run_in_threadpool(index.candidates, session, kind, record_id, top=top, min_score=min_score)
    reads = [r for r in (_read(index, c) for c in found) if r is not None]
    return CandidatesRead(record_id=record_id, parameters_version=index.parameters_version, candidates=reads)


Top = Annotated[int, Query(ge=1, le=100, description="How many candidates")]
MinScore = Annotated[float, Query(ge=0.0, le=1.0, description="Lowest score returned")]


@router.get("/reports/{record_id}/candidates", response_model=CandidatesRead, summary="Candidates of a report")
async def report_candidates(
    record_id: uuid.UUID, request: Request, session: SessionDep, top: Top = 10, min_score: MinScore = 0.0
) -> CandidatesRead:
    """Other reports that may be the same person (possible duplicates, in any registry), best first."""
    return await _candidates(request, session, RecordKind.report, record_id, top, min_score)


@router.get("/remains/{record_id}/candidates", response_model=CandidatesRead, summary="Candidates of remains")
async def remains_candidates(
    record_id: uuid.UUID, request: Request, session: SessionDep, top: Top = 10, min_score: MinScore = 0.0
) -> CandidatesRead:
    """Missing-person reports these remains may belong to, best first."""
    return await _candidates(request, session, RecordKind.remains, record_id, top, min_score)


@router.post("/match", response_model=MatchResultsRead, summary="Match query by example")
async def match(query: MatchQuery, request: Request, session: SessionDep) -> MatchResultsRead:
    """Missing-person reports and/or unidentified remains that may be the person described, best first,
    each with its score and the reasons in words. Describe with any fields; a missing one counts neither
    for nor against. Nothing is stored."""
    index = live_index(request)
    found = await run_in_threadpool(
        index.query, session, query_record(query), among=query.among, top=query.top, min_score=query.min_score,
        where=candidate_filter(query),
    )  # fmt: skip
    reads = [r for r in (_read(index, c) for c in found) if r is not None]
    return MatchResultsRead(parameters_version=index.parameters_version, candidates=reads)
