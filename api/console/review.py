"""Investigators' screens: the review queue, the pair page (side by side, the evidence as a waterfall,
the judgement with its reason, the identification of remains) and the match query form."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from api import cursors, security
from api.console import deps, waterfall
from api.console.fields import status_text
from api.console.pages import render
from api.console.records import display_name, record_url
from api.deps import SessionDep
from registry import policy
from registry.enums import IdentificationMethod, JudgementDecision, PairKind, PairStatus, RecordKind
from registry.errors import InvalidRecord, NotFound
from registry.i18n import N_, _, translate
from registry.models import UnidentifiedRemains
from registry.record_types import BY_KIND, REMAINS, REPORTS, Record
from registry.repositories.review import QueueFilter
from registry.schemas.matching import MatchQuery
from registry.schemas.review import IdentificationCreate, JudgementCreate
from registry.services import audit, identification, review
from registry.services import records as records_service
from registry.services.matching import LiveIndex, candidate_filter, query_record
from registry.services.validation import validate
from registry.vocabulary import label_of

router = APIRouter()
QUEUE_PAGE = 25

DECISIONS = {
    JudgementDecision.same: N_("Same person"),
    JudgementDecision.not_same: N_("Not the same person"),
    JudgementDecision.unsure: N_("Unsure"),
    JudgementDecision.undone: N_("Undo the current judgement"),
}
METHODS = {
    IdentificationMethod.dna: N_("DNA"),
    IdentificationMethod.fingerprints: N_("Fingerprints"),
    IdentificationMethod.dental: N_("Dental records"),
    IdentificationMethod.documents: N_("Documents"),
    IdentificationMethod.visual_recognition: N_("Visual recognition by the family"),
    IdentificationMethod.other: N_("Other"),
}
# The pair page's rows: a label, how to read each side, and the comparison whose weight marks the row.
ROWS: tuple[tuple[str, str, str | None], ...] = (
    (N_("Given names"), "given_names", "given_names"),
    (N_("First surname"), "first_surname", "surnames"),
    (N_("Second surname"), "second_surname", "surnames"),
    (N_("Aliases"), "aliases", "aliases"),
    (N_("Sex"), "sex", "sex"),
    (N_("Date of birth"), "date_of_birth", "date_of_birth"),
    (N_("Age"), "age", "age"),
    (N_("CURP"), "curp", "curp"),
    (N_("Date last seen / found"), "event_date", "event_date"),
    (N_("State"), "state", "place"),
    (N_("Municipality"), "municipality", "place"),
    (N_("Height (cm)"), "height", "height"),
    (N_("Distinguishing marks"), "distinguishing_marks", "marks"),
    (N_("Status"), "status", None),
)


def _range(low: object, high: object) -> str | None:
    if low is None and high is None:
        return None
    return f"{low if low is not None else '?'}–{high if high is not None else '?'}"


def side_value(record: Record, key: str) -> Any:
    """A record's value for one row of the pair page (a remains' ranges written as ranges)."""
    if isinstance(record, UnidentifiedRemains):
        remains: dict[str, Any] = {
            "age": _range(record.age_min, record.age_max),
            "event_date": record.found_date,
            "state": record.found_state,
            "municipality": record.found_municipality,
            "height": _range(record.height_min_cm, record.height_max_cm),
        }
        if key in remains:
            return remains[key]
    else:
        report: dict[str, Any] = {
            "age": record.age_years,
            "event_date": record.last_seen_date,
            "state": record.last_seen_state,
            "municipality": record.last_seen_municipality,
            "height": record.height_cm,
        }
        if key in report:
            return report[key]
    if key == "status":
        return status_text(str(record.status))
    return getattr(record, key, None)


@router.get("/review")
def queue(
    request: Request, session: SessionDep, grant: deps.Match, kind: str = "", state: str = "", cursor: str = ""
) -> Response:
    pair_kind = PairKind(kind) if kind in {k.value for k in PairKind} else None
    flt = QueueFilter(statuses=(PairStatus.pending,), kind=pair_kind, state=state.upper()[:3] or None)
    rows = review.queue(session=session, flt=flt, after=cursors.decode_queue(cursor or None), limit=QUEUE_PAGE + 1)
    items = list(rows[:QUEUE_PAGE])
    return render(
        request,
        "queue.html",
        pairs=items,
        kind=kind,
        state=state,
        next_cursor=cursors.encode_queue(items[-1]) if len(rows) > QUEUE_PAGE else None,
        kinds=[
            (PairKind.report_report.value, _("possible duplicates")),
            (PairKind.remains_report.value, _("remains and reports")),
        ],
    )


def _pair_page(
    request: Request,
    session: Session,
    grant: security.Grant,
    pair_id: uuid.UUID,
    *,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    pair = review.get_pair(session=session, pair_id=pair_id)
    left_type = BY_KIND[pair.left_kind]
    left = records_service.get_record(session=session, rtype=left_type, record_id=pair.left_id)
    right = records_service.get_record(session=session, rtype=REPORTS, record_id=pair.right_id)
    weights: dict[str, float] = {}
    for item in pair.evidence:
        weights[str(item.get("comparison"))] = float(item.get("weight") or 0.0)
    rows = []
    for text, key, comparison in ROWS:
        weight = weights.get(comparison) if comparison else None
        mark = None if weight is None or abs(weight) < 0.05 else ("agree" if weight > 0 else "disagree")
        rows.append(
            (
                translate(text),
                side_value(left, key),
                side_value(right, key),
                mark,
                weight,
            )
        )
    current = request.state.console
    return render(
        request,
        "pair.html",
        status=status,
        pair=pair,
        left=left,
        right=right,
        left_name=display_name(left),
        right_name=display_name(right),
        left_url=record_url(pair.left_kind, left.id),
        right_url=record_url(RecordKind.report, right.id),
        rows=rows,
        chart=waterfall.build(pair.score, pair.evidence),
        judgements=review.history(session=session, pair_id=pair_id),
        decisions=[(d.value, translate(t)) for d, t in DECISIONS.items()],
        methods=[(m.value, translate(t)) for m, t in METHODS.items()],
        may_judge=deps.may(current, policy.Action.judgement_record),
        identifiable=pair.kind is PairKind.remains_report,
        errors=errors or {},
        form=form or {},
        status_text=status_text,
        dna_decision=lambda code: label_of("dna_decision", code),
        today=date.today().isoformat(),
        saved=request.query_params.get("saved"),
    )


def _pair_id(value: str) -> uuid.UUID:
    parsed = deps.parse_uuid(value)
    if parsed is None:
        raise NotFound(_("no candidate pair with this id"))
    return parsed


@router.get("/pairs/{pair_id}")
def pair_page(pair_id: str, request: Request, session: SessionDep, grant: deps.Match) -> Response:
    return _pair_page(request, session, grant, _pair_id(pair_id))


def _field_errors(exc: InvalidRecord) -> dict[str, str]:
    return {str(e.get("field")): str(e.get("message")) for e in exc.errors} or {"form": exc.detail}


@router.post("/pairs/{pair_id}/judgement")
async def judge(pair_id: str, request: Request, session: SessionDep, grant: deps.Judge, _c: deps.Checked) -> Response:
    form = await request.form()
    values = {"decision": str(form.get("decision") or ""), "reason": str(form.get("reason") or "")}
    pid = _pair_id(pair_id)
    try:
        body = validate(JudgementCreate, values)
    except InvalidRecord as exc:
        return _pair_page(request, session, grant, pid, errors=_field_errors(exc), form=values, status=422)
    actor = grant.actor
    judgement = review.judge(session=session, pair_id=pid, decision=body.decision, reason=body.reason, actor=actor)
    pair = review.get_pair(session=session, pair_id=pid)
    action = "judgement.undo" if body.decision is JudgementDecision.undone else "judgement.record"
    audit.record(
        session,
        actor=actor,
        action=action,
        record_kind="pair",
        record_id=str(pid),
        detail={"decision": judgement.decision.value, "pair_kind": pair.kind.value},
        request_id=security.request_id(request),
    )
    return RedirectResponse(f"/console/pairs/{pid}?saved=judgement", status_code=303)


@router.post("/pairs")
async def compare(request: Request, session: SessionDep, grant: deps.Judge, _c: deps.Checked) -> Response:
    """The stored pair of a record and one of its candidates (stored now, scored, if it never was)."""
    form = await request.form()
    ends = []
    for side in ("a", "b"):
        kind, raw = str(form.get(f"{side}_kind") or ""), deps.parse_uuid(str(form.get(f"{side}_id") or ""))
        if kind not in {k.value for k in RecordKind} or raw is None:
            raise NotFound(_("no such record"))
        ends.append((RecordKind(kind), raw))
    live: LiveIndex = request.app.state.live_index
    live.sync(session)
    with live.reading() as index:
        pair = review.pair_for_records(
            session=session,
            index=index,
            a=ends[0],
            b=ends[1],
            threshold=request.app.state.settings.review_threshold,
            parameters_version=live.parameters_version,
        )
    return RedirectResponse(f"/console/pairs/{pair.id}", status_code=303)


@router.post("/pairs/{pair_id}/identification")
async def identify(
    pair_id: str, request: Request, session: SessionDep, grant: deps.Judge, _c: deps.Checked
) -> Response:
    form = await request.form()
    pid = _pair_id(pair_id)
    pair = review.get_pair(session=session, pair_id=pid)
    values = {k: str(form.get(k) or "") for k in ("method", "date", "note")}
    if pair.kind is not PairKind.remains_report:
        raise NotFound(_("only remains can be identified"))
    payload: dict[str, Any] = {
        "report_id": str(pair.right_id),
        "method": values["method"],
        "date": values["date"],
        "note": values["note"] or None,
        "responsible_id": grant.actor.user_id and str(grant.actor.user_id),
    }
    try:
        body = validate(IdentificationCreate, payload)
        if body.responsible_id is None:
            raise InvalidRecord("responsible_id", errors=[{"field": "form", "message": _("sign in with an account")}])
        identification.identify(
            session=session,
            remains_id=pair.left_id,
            report_id=body.report_id,
            method=body.method,
            responsible_id=body.responsible_id,
            on=body.date,
            note=body.note,
            actor=grant.actor,
        )
    except InvalidRecord as exc:
        session.rollback()
        return _pair_page(request, session, grant, pid, errors=_field_errors(exc), form=values, status=422)
    audit.append(
        session,
        actor=grant.actor,
        request_id=security.request_id(request),
        entries=[
            audit.Entry(
                "identification.record",
                record_kind=kind.value,
                record_id=str(rid),
                detail={"method": body.method.value},
            )
            for kind, rid in ((RecordKind.remains, pair.left_id), (RecordKind.report, pair.right_id))
        ],
    )
    return RedirectResponse(f"/console/pairs/{pid}?saved=identification", status_code=303)


MATCH_FIELDS = (
    "given_names",
    "first_surname",
    "second_surname",
    "sex",
    "age_years",
    "event_date",
    "state",
    "municipality",
    "height_cm",
    "distinguishing_marks",
)


@router.get("/match")
def match(request: Request, session: SessionDep, grant: deps.Match) -> Response:
    params = request.query_params
    values = {name: params.get(name, "").strip() for name in MATCH_FIELDS}
    among = [k for k in ("report", "remains") if params.get(f"among_{k}")] or ["report"]
    errors: dict[str, str] = {}
    results = []
    asked = any(values.values())
    if asked:
        payload: dict[str, Any] = {k: v for k, v in values.items() if v}
        payload.update(among=among, top=20)
        try:
            query = validate(MatchQuery, payload)
        except InvalidRecord as exc:
            errors = _field_errors(exc)
        else:
            live: LiveIndex = request.app.state.live_index
            found = live.query(
                session,
                query_record(query),
                among=query.among,
                top=query.top,
                min_score=query.min_score,
                where=candidate_filter(query),
            )
            for candidate in found:
                described = live.describe(candidate.key)
                if described is None:
                    continue
                kind, source, folio = described
                results.append(
                    {
                        "url": record_url(kind, candidate.key),
                        "kind": kind,
                        "source": source,
                        "folio": folio,
                        "score": candidate.probability,
                        "summary": review.short_reasons(candidate.explanation, limit=6),
                    }
                )
    return render(
        request, "match.html", values=values, among=among, errors=errors, results=results, asked=asked, REMAINS=REMAINS
    )
