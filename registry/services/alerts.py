"""Alerts on submit: the strongest candidates of a record just saved, so a clerk sees a likely duplicate.

An alert names only where the other record is filed (source, folio, the registry's state), the
score and the reasons in a clerk's words; never a name, a CURP or any restricted field.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from matching import MatchCandidate
from matching.states import STATE_BY_CODE
from registry.enums import RecordKind
from registry.errors import InvalidRecord
from registry.i18n import _, format_number
from registry.record_types import RecordType
from registry.repositories.matching import REMAINS_MATCH_COLUMNS, REPORT_MATCH_COLUMNS
from registry.services import records, review
from registry.services.matching import LiveIndex
from registry.services.validation import validate
from registry.services.values import jsonable, stored_values

FEDERAL_NAME = "the federal registry"


@dataclass(frozen=True, slots=True)
class Alert:
    kind: str  # report or remains
    source: str
    folio: str
    state_name: str
    score: float
    summary: str
    message: str


def registry_name(source: str) -> str:
    state = STATE_BY_CODE.get(source)
    return state.name if state else FEDERAL_NAME


@dataclass(frozen=True, slots=True)
class Pending:
    """Candidates scored before a write, to be stored (and turned into alerts) once the record is saved."""

    kind: RecordKind
    candidates: list[MatchCandidate]
    parameters_version: int | None


def _row(rtype: RecordType, values: dict[str, Any], record_id: uuid.UUID) -> dict[str, Any]:
    columns = REPORT_MATCH_COLUMNS if rtype.kind is RecordKind.report else REMAINS_MATCH_COLUMNS
    return {**{c: values.get(c) for c in columns}, "id": record_id, "withdrawn_at": None}


def _score(
    session: Session, live: LiveIndex, rtype: RecordType, values: dict[str, Any], record_id: uuid.UUID, *,
    review_threshold: float, top: int,
) -> Pending:  # fmt: skip
    # The connection first, then the index's lock: a request holding the lock never waits for the pool.
    session.connection()
    live.sync(session)  # before this transaction writes: the index must never hold uncommitted data
    found = review.score_values(live, rtype.kind, _row(rtype, values, record_id), top=top, min_score=review_threshold)
    return Pending(rtype.kind, found, live.parameters_version)


def before_create(
    session: Session, live: LiveIndex, rtype: RecordType, data: BaseModel, *, review_threshold: float, top: int
) -> Pending:
    """Scores a record about to be created, from the values that will be stored."""
    values = stored_values(rtype, data)
    return _score(session, live, rtype, values, uuid.uuid4(), review_threshold=review_threshold, top=top)


def before_update(
    session: Session, live: LiveIndex, rtype: RecordType, record_id: uuid.UUID, patch: BaseModel, *,
    review_threshold: float, top: int,
) -> Pending:  # fmt: skip
    """Scores a record about to be corrected, from its values after the patch (none if the patch is invalid:
    the correction itself will say why)."""
    record = records.get_record(session=session, rtype=rtype, record_id=record_id)
    merged = {**jsonable(records.current_values(rtype, record)), **patch.model_dump(mode="json", exclude_unset=True)}
    try:
        values = stored_values(rtype, validate(rtype.create_schema, merged))
    except InvalidRecord:
        return Pending(rtype.kind, [], live.parameters_version)
    return _score(session, live, rtype, values, record_id, review_threshold=review_threshold, top=top)


def alerts_from(live: LiveIndex, scores: Sequence[review.Scored], *, threshold: float, limit: int) -> list[Alert]:
    alerts: list[Alert] = []
    for scored in sorted(scores, key=lambda s: -s.probability):
        if scored.probability < threshold or len(alerts) >= limit:
            break
        described = live.describe(str(scored.b_id))
        if described is None:
            continue
        kind, source, folio = described
        name = registry_name(source)
        reasons = review.short_reasons(scored.explanation)
        score = format_number(scored.probability, digits=2)
        if kind == RecordKind.report.value:
            message = _("possibly already registered in {state} as {folio}, {score}", state=name, folio=folio,
                        score=score)  # fmt: skip
        else:
            message = _("possibly already recorded as remains in {state} as {folio}, {score}", state=name,
                        folio=folio, score=score)  # fmt: skip
        alerts.append(
            Alert(
                kind=kind, source=source, folio=folio, state_name=name, score=round(scored.probability, 4),
                summary=reasons, message=f"{message}: {reasons}" if reasons else message,
            )
        )  # fmt: skip
    return alerts


def after_write(
    session: Session, live: LiveIndex, pending: Pending, record_id: uuid.UUID, *, alert_threshold: float, limit: int
) -> list[Alert]:
    """Once the record is saved: its candidate pairs are stored, and the strongest returned as alerts."""
    scores = review.record_scored(
        session, pending.kind, record_id, pending.candidates, parameters_version=pending.parameters_version
    )
    return alerts_from(live, scores, threshold=alert_threshold, limit=limit)
