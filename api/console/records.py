"""Searching reports and remains, and each record's page: its data (restricted fields per the rules),
history, status events, identifications, alerts and candidates."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from api import cursors, security
from api.console import deps
from api.console.fields import FIELD_ORDER, label, status_text
from api.console.pages import render
from api.deps import SessionDep
from api.routers.records import READ_RESTRICTED, rtype_restricted
from matching.text import tokens
from registry import policy
from registry.enums import RecordKind
from registry.errors import InvalidParameter, NotFound
from registry.i18n import _
from registry.record_types import BY_KIND, REMAINS, REPORTS, Record, RecordType
from registry.repositories import records as records_repo
from registry.repositories import review as review_repo
from registry.services import audit, identification, review
from registry.services import records as service
from registry.services.alerts import registry_name
from registry.services.matching import LiveIndex

router = APIRouter()
PAGE = 25
KINDS = {"reports": REPORTS, "remains": REMAINS}
PATHS = {RecordKind.report: "reports", RecordKind.remains: "remains"}
HIDDEN_ON_PAGE = {"name_folded", "curp_problems"}


def record_url(kind: RecordKind | str, record_id: uuid.UUID | str) -> str:
    return f"/console/{PATHS[RecordKind(kind)]}/{record_id}"


def rtype_of(kind: str) -> RecordType:
    rtype = KINDS.get(kind)
    if rtype is None:
        raise NotFound(_("no such kind of record"))
    return rtype


def display_name(record: Any) -> str:
    parts = [getattr(record, n, None) for n in ("given_names", "first_surname", "second_surname")]
    return " ".join(p for p in parts if p) or _("(no name)")


def _date(value: str | None, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidParameter(_("{field}: write the date as YYYY-MM-DD", field=field)) from None


@router.get("/search")
def search(
    request: Request,
    session: SessionDep,
    grant: deps.Search,
    kind: str = "reports",
    name: Annotated[str, Query(max_length=200)] = "",
    folio: Annotated[str, Query(max_length=64)] = "",
    source: Annotated[str, Query(max_length=3)] = "",
    state: Annotated[str, Query(max_length=3)] = "",
    status: Annotated[str, Query(max_length=20)] = "",
    date_from: str = "",
    date_to: str = "",
    cursor: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    rtype = rtype_of(kind)
    errors: dict[str, str] = {}
    if status and status not in {s.value for s in rtype.status_enum}:
        errors["status"] = _("not a status of this kind of record")
    try:
        start, end = _date(date_from, "date_from"), _date(date_to, "date_to")
    except InvalidParameter as exc:
        errors["dates"] = exc.detail
        start = end = None
    query = {
        "kind": kind,
        "name": name,
        "folio": folio,
        "source": source,
        "state": state,
        "status": status,
        "date_from": date_from,
        "date_to": date_to,
    }
    if folio and not errors:
        owner = (source or folio.split("-", 1)[0]).upper()
        found = records_repo.id_by_natural_key(session, rtype, owner, folio.strip())
        if found is not None:
            return RedirectResponse(record_url(rtype.kind, found), status_code=303)
        errors["folio"] = _("no record with this folio in registry {source}", source=owner)
    rows: list[Record] = []
    next_cursor = None
    searched = any(query[k] for k in query if k != "kind") or bool(cursor)
    if searched and not errors:
        flt = records_repo.RecordFilter(
            source=source.upper() or None,
            state=state.upper() or None,
            status=status or None,
            date_from=start,
            date_to=end,
            name_tokens=tuple(tokens(name)),
        )
        found_rows = service.search_records(
            session=session, rtype=rtype, flt=flt, after=cursors.decode(cursor or None), limit=PAGE + 1
        )
        rows = list(found_rows[:PAGE])
        if len(found_rows) > PAGE:
            next_cursor = cursors.encode(rows[-1].created_at, rows[-1].id)
    results = [
        {
            "url": record_url(rtype.kind, r.id),
            "folio": r.folio,
            "source": r.source,
            "name": display_name(r),
            "sex": r.sex,
            "date": getattr(r, rtype.date_field),
            "state": getattr(r, rtype.state_field),
            "status": status_text(str(r.status)),
        }
        for r in rows
    ]
    return render(
        request,
        "search.html",
        query=query,
        results=results,
        errors=errors,
        searched=searched,
        next_cursor=next_cursor,
        statuses=[(s.value, status_text(s.value)) for s in rtype.status_enum],
        date_label=label(rtype.date_field),
        state_label=label(rtype.state_field),
    )


@dataclass(frozen=True, slots=True)
class Shown:
    """A candidate or an alert as a row of the record page."""

    kind: str
    url: str
    source: str
    folio: str
    registry: str
    score: float
    summary: str
    pair_url: str | None
    compare: tuple[str, str] | None  # (kind, id) to compare with when no pair is stored yet


def _live(request: Request) -> LiveIndex:
    live: LiveIndex = request.app.state.live_index
    return live


def candidates_of(
    request: Request, session: Session, rtype: RecordType, record: Record, *, floor: float
) -> list[Shown]:
    """The record's candidates from the live index (as `GET …/candidates`), with their stored pair if any."""
    live = _live(request)
    found = live.candidates(session, rtype.kind, record.id, top=10, min_score=floor)
    shown: list[Shown] = []
    for candidate in found:
        described = live.describe(candidate.key)
        if described is None:
            continue
        kind, source, folio = described
        other = uuid.UUID(candidate.key)
        ends = review.ends_of(rtype.kind, record.id, RecordKind(kind), other)
        stored = review_repo.pairs_by_ends(session, [(ends.left_id, ends.right_id)]).get((ends.left_id, ends.right_id))
        explanation = candidate.explanation
        shown.append(
            Shown(
                kind=kind,
                url=record_url(kind, other),
                source=source,
                folio=folio,
                registry=registry_name(source),
                score=round(candidate.probability, 4),
                summary=review.short_reasons(explanation),
                pair_url=f"/console/pairs/{stored.id}" if stored else None,
                compare=None if stored else (kind, str(other)),
            )
        )
    return shown


def visible_fields(rtype: RecordType, record: Record, hidden: frozenset[str]) -> list[tuple[str, Any, bool]]:
    """(label, value, restricted) for every field this reader may see, in the page's order."""
    restricted = rtype_restricted(rtype)
    names = [n for n in FIELD_ORDER if hasattr(record, n) and n not in hidden and n not in HIDDEN_ON_PAGE]
    return [(label(n), getattr(record, n), n in restricted) for n in names if n not in ("source", "folio")]


def audit_restricted(
    session: Session,
    request: Request,
    grant: security.Grant,
    rtype: RecordType,
    record: Record,
    *,
    history: bool = False,
) -> None:
    """A page that shows restricted values is an audited read, as the API's."""
    shown = rtype_restricted(rtype) - grant.hidden_fields(rtype, record.source)
    if any(getattr(record, name, None) not in (None, "") for name in shown) or history:
        audit.record(
            session,
            actor=grant.actor,
            action=READ_RESTRICTED,
            record_kind=rtype.kind.value,
            record_id=str(record.id),
            detail={"history": True} if history else None,
            request_id=security.request_id(request),
        )


def _before_after(change: Any) -> tuple[Any, Any]:
    """A version's change of one field as (before, after); a creation's values have no before."""
    if isinstance(change, list | tuple) and len(change) == 2:
        return change[0], change[1]
    return None, change


@router.get("/{kind}/{record_id}")
def record_page(kind: str, record_id: str, request: Request, session: SessionDep, grant: deps.Read) -> Response:
    rtype = rtype_of(kind)
    parsed = deps.parse_uuid(record_id)
    if parsed is None:
        raise NotFound(_("no record with this id"))
    record = service.get_record(session=session, rtype=rtype, record_id=parsed)
    hidden = grant.hidden_fields(rtype, record.source)
    audit_restricted(session, request, grant, rtype, record)
    versions, events = service.record_history(session=session, rtype=rtype, record_id=parsed)
    history = [
        (
            v.version,
            v.change_kind.value,
            v.changed_at,
            [(label(f), *_before_after(change)) for f, change in v.changes.items() if f not in hidden],
        )
        for v in versions
    ]
    if any(set(v.changes) & (rtype_restricted(rtype) - hidden) for v in versions):
        audit_restricted(session, request, grant, rtype, record, history=True)
    current = request.state.console
    settings = request.app.state.settings
    sees_candidates = deps.may(current, policy.Action.match_search)
    found = candidates_of(request, session, rtype, record, floor=0.0 if sees_candidates else settings.alert_threshold)
    alerts = [c for c in found if c.score >= settings.alert_threshold]
    identifications = (
        identification.identifications_of(session=session, remains_id=record.id)
        if rtype is REMAINS and sees_candidates
        else []
    )
    return render(
        request,
        "record.html",
        rtype=rtype,
        record=record,
        name=display_name(record),
        status_label=status_text(str(record.status)),
        fields=visible_fields(rtype, record, hidden),
        restricted_hidden=bool(hidden & rtype_restricted(rtype)),
        history=history,
        events=events,
        candidates=found if sees_candidates else [],
        alerts=alerts,
        identifications=identifications,
        editable=grant.covers(record.source) and deps.may(current, policy.Action.record_update),
        path=PATHS[rtype.kind],
        status_text=status_text,
        by_kind=BY_KIND,
    )
