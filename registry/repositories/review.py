"""Queries of review: candidate pairs and the queue, judgements, identifications, facts about records."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

from sqlalchemy import and_, case, false, func, or_, select, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from registry.db import table_of
from registry.enums import PairKind, PairStatus, RecordKind
from registry.models import (
    CandidatePair,
    Identification,
    Judgement,
    MissingPersonReport,
    UnidentifiedRemains,
)
from registry.repositories.bulk import DIALECT_INSERTS, insert_many

_CHUNK = 500


@dataclass(frozen=True, slots=True)
class QueueFilter:
    statuses: tuple[PairStatus, ...] = (PairStatus.pending,)
    kind: PairKind | None = None
    state: str | None = None  # either record's state
    min_score: float | None = None
    max_score: float | None = None
    reopened: bool | None = None


@dataclass(frozen=True, slots=True)
class QueuePosition:
    """Where a page ended, in queue order: strong DNA evidence first, score ↓, priority ↓, case date ↑, id ↑."""

    score: float
    priority: int
    case_date: date
    id: uuid.UUID
    dna_strong: bool = False


# --- candidate pairs ------------------------------------------------------------------------


def get_pair(session: Session, pair_id: uuid.UUID) -> CandidatePair | None:
    return session.get(CandidatePair, pair_id)


def pairs_by_ends(
    session: Session, ends: Sequence[tuple[uuid.UUID, uuid.UUID]]
) -> dict[tuple[uuid.UUID, uuid.UUID], CandidatePair]:
    """Stored pairs by (left id, right id)."""
    found: dict[tuple[uuid.UUID, uuid.UUID], CandidatePair] = {}
    lefts = sorted({left for left, _ in ends})
    wanted = set(ends)
    for start in range(0, len(lefts), _CHUNK):
        stmt = select(CandidatePair).where(CandidatePair.left_id.in_(lefts[start : start + _CHUNK]))
        for pair in session.scalars(stmt):
            if (pair.left_id, pair.right_id) in wanted:
                found[(pair.left_id, pair.right_id)] = pair
    return found


def add_pairs(session: Session, rows: Sequence[dict[str, Any]]) -> set[uuid.UUID]:
    """Stores new pairs (rows of the same columns, each with its id) in bulk; returns the ids of those stored.

    A pair that a concurrent transaction stored first is skipped, not an error: the caller
    refreshes that one instead. Such races are rare, so the whole batch is first tried in one go
    (COPY on PostgreSQL) and only a batch that collides is stored row by row, skipping conflicts.
    Rows, not ORM objects: a rescoring after an import stores tens of thousands of pairs, and
    nothing in the transaction changes them after they are written.
    """
    if not rows:
        return set()
    table = table_of(CandidatePair)
    plain = [{name: _plain(value) for name, value in row.items()} for row in rows]
    try:
        with session.begin_nested():
            insert_many(session, table, plain)
        return {row["id"] for row in rows}
    except IntegrityError:
        insert = DIALECT_INSERTS[session.get_bind().dialect.name]
        stmt = insert(table).on_conflict_do_nothing(index_elements=["left_id", "right_id"]).returning(table.c.id)
        stored = {session.scalars(stmt.values(row)).one_or_none() for row in plain}
        return {pair_id for pair_id in stored if pair_id is not None}


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def active_pair_ids_of(session: Session, record_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    """Ids of the active pairs that any of these records is in."""
    found: set[uuid.UUID] = set()
    ids = sorted(record_ids)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        stmt = select(CandidatePair.id).where(
            CandidatePair.active.is_(true()), or_(CandidatePair.left_id.in_(chunk), CandidatePair.right_id.in_(chunk))
        )
        found.update(session.scalars(stmt))
    return found


def active_pair_ids(session: Session) -> set[uuid.UUID]:
    return set(session.scalars(select(CandidatePair.id).where(CandidatePair.active.is_(true()))))


def deactivate(session: Session, pair_ids: Iterable[uuid.UUID]) -> int:
    ids = sorted(pair_ids)
    changed = 0
    for start in range(0, len(ids), _CHUNK):
        stmt = update(CandidatePair).where(CandidatePair.id.in_(ids[start : start + _CHUNK])).values(active=False)
        changed += session.execute(stmt).rowcount or 0  # type: ignore[attr-defined]
    return changed


def queue(session: Session, flt: QueueFilter, *, after: QueuePosition | None, limit: int) -> Sequence[CandidatePair]:
    """Active pairs awaiting review, most urgent first: strong DNA evidence, score, then minors and other
    vulnerable people, then age."""
    p = CandidatePair
    strong = case((p.dna_strong.is_(true()), 1), else_=0)
    stmt = select(p).where(p.active.is_(true()), p.status.in_([s.value for s in flt.statuses]))
    if flt.kind is not None:
        stmt = stmt.where(p.kind == flt.kind.value)
    if flt.state is not None:
        stmt = stmt.where(or_(p.left_state == flt.state, p.right_state == flt.state))
    if flt.min_score is not None:
        stmt = stmt.where(p.score >= flt.min_score)
    if flt.max_score is not None:
        stmt = stmt.where(p.score <= flt.max_score)
    if flt.reopened is not None:
        stmt = stmt.where(p.reopened.is_(true() if flt.reopened else false()))
    if after is not None:
        same_score = p.score == after.score
        same_priority = and_(same_score, p.priority == after.priority)
        same_date = and_(same_priority, p.case_date == after.case_date)
        later = or_(
            p.score < after.score,
            and_(same_score, p.priority < after.priority),
            and_(same_priority, p.case_date > after.case_date),
            and_(same_date, p.id > after.id),
        )
        stmt = stmt.where(or_(strong == 0, and_(strong == 1, later)) if after.dna_strong else and_(strong == 0, later))
    stmt = stmt.order_by(strong.desc(), p.score.desc(), p.priority.desc(), p.case_date.asc(), p.id.asc()).limit(limit)
    return session.scalars(stmt).all()


def all_active(session: Session) -> Sequence[CandidatePair]:
    stmt = select(CandidatePair).where(CandidatePair.active.is_(true()))
    return session.scalars(stmt.order_by(CandidatePair.score.desc(), CandidatePair.id)).all()


def pairs_with_status(session: Session, kind: PairKind, statuses: Iterable[PairStatus]) -> Sequence[CandidatePair]:
    stmt = select(CandidatePair).where(
        CandidatePair.kind == kind.value, CandidatePair.status.in_([s.value for s in statuses])
    )
    return session.scalars(stmt).all()


def pairs_touching(session: Session, kind: PairKind, record_ids: Sequence[uuid.UUID]) -> Sequence[CandidatePair]:
    found: dict[uuid.UUID, CandidatePair] = {}
    ids = sorted(record_ids)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        stmt = select(CandidatePair).where(
            CandidatePair.kind == kind.value,
            or_(CandidatePair.left_id.in_(chunk), CandidatePair.right_id.in_(chunk)),
        )
        found.update((pair.id, pair) for pair in session.scalars(stmt))
    return list(found.values())


# --- judgements -----------------------------------------------------------------------------


def add_judgement(session: Session, judgement: Judgement) -> Judgement:
    session.add(judgement)
    session.flush()
    return judgement


def latest_judgements(session: Session, pair_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Judgement]:
    """Each pair's current judgement: its latest."""
    found: dict[uuid.UUID, Judgement] = {}
    ids = sorted(set(pair_ids))
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        latest = (
            select(Judgement.pair_id, func.max(Judgement.id).label("latest"))
            .where(Judgement.pair_id.in_(chunk))
            .group_by(Judgement.pair_id)
            .subquery()
        )
        stmt = select(Judgement).join(latest, Judgement.id == latest.c.latest)
        found.update((j.pair_id, j) for j in session.scalars(stmt))
    return found


def judgements_of(session: Session, pair_ids: Sequence[uuid.UUID]) -> Sequence[Judgement]:
    """Every judgement of these pairs, oldest first."""
    found: list[Judgement] = []
    ids = sorted(set(pair_ids))
    for start in range(0, len(ids), _CHUNK):
        stmt = select(Judgement).where(Judgement.pair_id.in_(ids[start : start + _CHUNK]))
        found.extend(session.scalars(stmt))
    return sorted(found, key=lambda j: j.id)


# --- facts about records --------------------------------------------------------------------


_FLAG_NAMES = ("id", "vulnerability", "age_years", "date_of_birth", "last_seen_date")


def report_flags(session: Session, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
    """Vulnerability, age and date of birth of reports, for the queue's priority."""
    t = MissingPersonReport
    found: dict[uuid.UUID, dict[str, Any]] = {}
    for start in range(0, len(ids), _CHUNK):
        stmt = select(t.id, t.vulnerability, t.age_years, t.date_of_birth, t.last_seen_date).where(
            t.id.in_(ids[start : start + _CHUNK])
        )
        for row in session.execute(stmt):
            found[row[0]] = dict(zip(_FLAG_NAMES, row, strict=True))
    return found


def report_summaries(session: Session, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
    """What an identity shows of each report: its own source, folio and status (nothing restricted)."""
    t = MissingPersonReport
    found: dict[uuid.UUID, dict[str, Any]] = {}
    ids = sorted(set(ids))
    for start in range(0, len(ids), _CHUNK):
        stmt = select(
            t.id, t.source, t.folio, t.status, t.status_date, t.last_seen_state, t.version, t.withdrawn_at
        ).where(t.id.in_(ids[start : start + _CHUNK]))
        for row in session.execute(stmt).mappings():
            found[row["id"]] = dict(row)
    return found


def kind_of(session: Session, record_id: uuid.UUID) -> RecordKind | None:
    if session.scalar(select(MissingPersonReport.id).where(MissingPersonReport.id == record_id)) is not None:
        return RecordKind.report
    if session.scalar(select(UnidentifiedRemains.id).where(UnidentifiedRemains.id == record_id)) is not None:
        return RecordKind.remains
    return None


# --- identifications ------------------------------------------------------------------------


def add_identification(session: Session, identification: Identification) -> Identification:
    session.add(identification)
    session.flush()
    return identification


def active_identification(session: Session, remains_id: uuid.UUID) -> Identification | None:
    stmt = select(Identification).where(Identification.remains_id == remains_id, Identification.reversed_at.is_(None))
    return session.scalar(stmt)


def identifications_of(session: Session, remains_id: uuid.UUID) -> Sequence[Identification]:
    stmt = select(Identification).where(Identification.remains_id == remains_id)
    return session.scalars(stmt.order_by(Identification.recorded_at, Identification.id)).all()
