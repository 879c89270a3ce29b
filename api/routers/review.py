"""Review and identification: the candidate queue, judgements, identities, proposals, identification of remains."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from api import cursors, security
from api.deps import ActorDep, GrantDep, SessionDep, SettingsDep
from registry.actor import Actor
from registry.enums import PairKind, PairStatus, RecordKind
from registry.errors import InvalidRecord
from registry.i18n import _
from registry.models import CandidatePair
from registry.record_types import REMAINS, REPORTS
from registry.repositories.review import QueueFilter
from registry.schemas.review import (
    ContradictionRead,
    IdentificationCreate,
    IdentificationRead,
    IdentificationReversal,
    IdentityRead,
    JudgementCreate,
    JudgementRead,
    JudgementSaved,
    MemberRead,
    PairDetail,
    PairRead,
    ProposalRead,
    QueuePage,
    RematchRead,
    ReversalRead,
    UndoCreate,
)
from registry.services import audit, identification, identities, records, review
from registry.services.dna_families import kinship_settings
from registry.services.matching import LiveIndex
from registry.vocabulary import field_problem

router = APIRouter(tags=["review and identification"])

PAIR = "pair"


def _live(request: Request) -> LiveIndex:
    live: LiveIndex = request.app.state.live_index
    return live


def _audit(
    session: Session, request: Request, actor: Actor, action: str, kind: str, record_id: uuid.UUID,
    detail: dict[str, str | int] | None = None,
) -> None:  # fmt: skip
    audit.record(session, actor=actor, action=action, record_kind=kind, record_id=str(record_id), detail=detail,
                 request_id=security.request_id(request))  # fmt: skip


# --- the queue ------------------------------------------------------------------------------


@router.get("/review/queue", response_model=QueuePage, summary="The review queue")
def review_queue(
    session: SessionDep,
    settings: SettingsDep,
    status: Annotated[list[PairStatus] | None, Query(description="Pair status (default: pending)")] = None,
    kind: Annotated[PairKind | None, Query(description="report_report or remains_report")] = None,
    state: Annotated[str | None, Query(max_length=3, description="Either record's state code")] = None,
    min_score: Annotated[float | None, Query(ge=0.0, le=1.0, description="Lowest score")] = None,
    max_score: Annotated[float | None, Query(ge=0.0, le=1.0, description="Highest score")] = None,
    reopened: Annotated[bool | None, Query(description="Only pairs back in review after a change")] = None,
    cursor: Annotated[str | None, Query(max_length=300)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> QueuePage:
    """Candidate pairs awaiting review, most urgent first: score, then minors and other vulnerable people,
    then the oldest case. Pairs judged "not the same person" never return here unless a field that
    mattered changed (then `reopened` is true)."""
    flt = QueueFilter(
        statuses=tuple(status) if status else (PairStatus.pending,), kind=kind,
        state=state.upper() if state else None, min_score=min_score, max_score=max_score, reopened=reopened,
    )  # fmt: skip
    size = min(limit, settings.page_size_max)
    rows = review.queue(session=session, flt=flt, after=cursors.decode_queue(cursor), limit=size + 1)
    items = list(rows[:size])
    return QueuePage(
        items=[PairRead.model_validate(p) for p in items],
        next_cursor=cursors.encode_queue(items[-1]) if len(rows) > size else None,
    )


@router.get("/review/pairs/{pair_id}", response_model=PairDetail, summary="A candidate pair and its judgements")
def read_pair(pair_id: uuid.UUID, session: SessionDep) -> PairDetail:
    """The pair, its explanation, and every judgement made on it (the latest counts; none is overwritten)."""
    pair = review.get_pair(session=session, pair_id=pair_id)
    judgements = review.history(session=session, pair_id=pair_id)
    return PairDetail(
        pair=PairRead.model_validate(pair), judgements=[JudgementRead.model_validate(j) for j in judgements]
    )


def _saved(session: Session, pair: CandidatePair, judgement: JudgementRead) -> JudgementSaved:
    members = identities.identity_of(session, pair.right_id).members
    return JudgementSaved(judgement=judgement, pair=PairRead.model_validate(pair), identity=[m["id"] for m in members])


@router.post(
    "/review/pairs/{pair_id}/judgements", response_model=JudgementSaved, status_code=201, summary="Judge a pair"
)
def judge_pair(
    pair_id: uuid.UUID, body: JudgementCreate, session: SessionDep, actor: ActorDep, request: Request
) -> JudgementSaved:
    """Same person, not the same person, or unsure, with a reason. It supersedes the pair's current
    judgement, which stays in the history; "same" joins the two reports' identities."""
    judgement = review.judge(session=session, pair_id=pair_id, decision=body.decision, reason=body.reason, actor=actor)
    pair = review.get_pair(session=session, pair_id=pair_id)
    _audit(session, request, actor, "judgement.record", PAIR, pair_id,
           {"decision": judgement.decision.value, "pair_kind": pair.kind.value})  # fmt: skip
    return _saved(session, pair, JudgementRead.model_validate(judgement))


@router.post("/review/pairs/{pair_id}/undo", response_model=JudgementSaved, status_code=201, summary="Undo a judgement")
def undo_judgement(
    pair_id: uuid.UUID, body: UndoCreate, session: SessionDep, actor: ActorDep, request: Request
) -> JudgementSaved:
    """Withdraws the pair's current judgement, with a reason (recorded as a judgement `undone`): the pair
    awaits review again, and if it joined an identity, the identity splits. The history keeps both."""
    judgement = review.undo(session=session, pair_id=pair_id, reason=body.reason, actor=actor)
    pair = review.get_pair(session=session, pair_id=pair_id)
    _audit(session, request, actor, "judgement.undo", PAIR, pair_id, {"pair_kind": pair.kind.value})
    return _saved(session, pair, JudgementRead.model_validate(judgement))


@router.post("/review/rematch", response_model=RematchRead, summary="Re-match every record")
async def rematch(request: Request, session: SessionDep, actor: ActorDep, settings: SettingsDep) -> RematchRead:
    """Recomputes every candidate pair from the live index and stores them. Judgements last: a pair judged
    not the same person stays out of the queue unless one of its records changed in a field that mattered."""
    live = _live(request)

    def run() -> review.RematchResult:
        session.connection()  # before the index's lock: a request holding it never waits for the pool
        live.sync(session)
        with live.reading() as index:
            return review.rematch(
                session, index, parameters_version=live.parameters_version,
                threshold=settings.review_threshold, top=10,
            )  # fmt: skip

    result = await run_in_threadpool(run)
    audit.record(session, actor=actor, action="review.rematch", request_id=security.request_id(request),
                 detail={"scored": result.scored, "added": result.added, "reopened": result.reopened,
                         "retired": result.retired})  # fmt: skip
    return RematchRead(
        scored=result.scored, added=result.added, reopened=result.reopened, retired=result.retired,
        parameters_version=result.parameters_version,
    )  # fmt: skip


# --- identities -----------------------------------------------------------------------------


def _contradiction(c: identities.Contradiction) -> ContradictionRead:
    return ContradictionRead(
        identity=list(c.identity),
        rejected_pair=PairRead.model_validate(c.rejected_pair),
        path=[PairRead.model_validate(p) for p in c.path],
    )


def _proposal(p: identities.Proposal) -> ProposalRead:
    return ProposalRead.model_validate(p, from_attributes=True)


@router.get("/reports/{record_id}/identity", response_model=IdentityRead, summary="The identity of a report")
def report_identity(record_id: uuid.UUID, session: SessionDep) -> IdentityRead:
    """The reports judged to be the same person as this one (connected by "same" judgements), each with
    its own source, folio and status; contradictions among them; proposals; and every judgement's trace."""
    records.get_record(session=session, rtype=REPORTS, record_id=record_id)
    found = identities.identity_of(session, record_id)
    ids = [m["id"] for m in found.members]
    return IdentityRead(
        record_id=record_id,
        members=[MemberRead.model_validate(m) for m in found.members],
        links=[PairRead.model_validate(p) for p in found.links],
        contradictions=[_contradiction(c) for c in found.contradictions],
        proposals=[_proposal(p) for p in identities.proposals(session, ids)] if len(ids) > 1 else [],
        history=[JudgementRead.model_validate(j) for j in found.history],
    )


@router.get("/review/contradictions", response_model=list[ContradictionRead], summary="Contradictory judgements")
def contradictions(session: SessionDep) -> list[ContradictionRead]:
    """Pairs judged not the same person whose reports are nonetheless joined by "same" judgements
    (A=B and B=C, but A≠C): one of those judgements is wrong."""
    return [_contradiction(c) for c in identities.contradictions(session)]


@router.get("/review/proposals", response_model=list[ProposalRead], summary="Pending status proposals")
def proposals(session: SessionDep) -> list[ProposalRead]:
    """Reports still missing whose identity has a report located alive or dead: the same status is
    proposed for them. Nothing changes until a clerk of their registry changes the status."""
    return [_proposal(p) for p in identities.proposals(session)]


# --- identification of remains --------------------------------------------------------------


@router.post(
    "/remains/{record_id}/identification",
    response_model=IdentificationRead,
    status_code=201,
    summary="Identify remains",
)
def identify(
    record_id: uuid.UUID, body: IdentificationCreate, session: SessionDep, grant: GrantDep, request: Request,
    settings: SettingsDep,
) -> IdentificationRead:  # fmt: skip
    """Confirms that these remains belong to a report: records the method and the person responsible, sets
    the remains to identified and the report to located dead (dated status events, new versions)."""
    actor = grant.actor
    responsible = body.responsible_id or actor.user_id
    if responsible is None:
        message = _("is required when the caller is not an account")
        raise InvalidRecord(
            field_problem("responsible_id", message), errors=[{"field": "responsible_id", "message": message}]
        )
    done = identification.identify(
        session=session, remains_id=record_id, report_id=body.report_id, method=body.method,
        responsible_id=responsible, on=body.date, note=body.note, actor=actor, kinship=kinship_settings(settings),
    )  # fmt: skip
    detail: dict[str, str | int] = {"method": body.method.value}
    audit.append(
        session,
        actor=actor,
        entries=[
            audit.Entry("identification.record", record_kind=RecordKind.remains.value, record_id=str(record_id),
                        detail=detail),
            audit.Entry("identification.record", record_kind=RecordKind.report.value, record_id=str(body.report_id),
                        detail=dict(detail)),
        ],
        request_id=security.request_id(request),
    )  # fmt: skip
    return IdentificationRead.model_validate(done)


@router.post(
    "/remains/{record_id}/identification/reversal", response_model=ReversalRead, summary="Reverse an identification"
)
def reverse_identification(
    record_id: uuid.UUID, body: IdentificationReversal, session: SessionDep, actor: ActorDep, request: Request
) -> ReversalRead:
    """Withdraws the remains' current identification with a reason: the statuses it set are restored
    (as new versions and status events) and the identification is kept, marked reversed."""
    records.get_record(session=session, rtype=REMAINS, record_id=record_id)
    done = identification.reverse(
        session=session, remains_id=record_id, reason=body.reason, on=body.date or date.today(), actor=actor
    )
    for kind, target in ((RecordKind.remains, done.identification.remains_id),
                         (RecordKind.report, done.identification.report_id)):  # fmt: skip
        _audit(session, request, actor, "identification.reverse", kind.value, target, {"restored": len(done.restored)})
    return ReversalRead(
        identification=IdentificationRead.model_validate(done.identification), restored=list(done.restored)
    )


@router.get(
    "/remains/{record_id}/identifications",
    response_model=list[IdentificationRead],
    summary="Identifications of remains",
)
def identifications(record_id: uuid.UUID, session: SessionDep) -> list[IdentificationRead]:
    """Every identification of these remains, reversed ones included, oldest first."""
    return [
        IdentificationRead.model_validate(i)
        for i in identification.identifications_of(session=session, remains_id=record_id)
    ]
