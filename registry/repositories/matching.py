"""Queries matching needs: the match-relevant columns of live records, parameters, recent changes."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import func, insert, or_, select
from sqlalchemy.orm import Session

from registry.enums import RecordKind
from registry.models import MatchParameterSet, MissingPersonReport, RecordVersion, UnidentifiedRemains

REPORT_MATCH_COLUMNS = (
    "id", "source", "folio", "given_names", "first_surname", "second_surname", "aliases", "sex",
    "date_of_birth", "age_years", "curp", "last_seen_date", "last_seen_state", "last_seen_municipality",
    "height_cm", "distinguishing_marks", "status", "withdrawn_at",
)  # fmt: skip
REMAINS_MATCH_COLUMNS = (
    "id", "source", "folio", "given_names", "first_surname", "second_surname", "sex", "age_min", "age_max",
    "found_date", "found_state", "found_municipality", "height_min_cm", "height_max_cm", "distinguishing_marks",
    "condition", "status", "withdrawn_at",
)  # fmt: skip

_MODELS = {RecordKind.report: MissingPersonReport, RecordKind.remains: UnidentifiedRemains}
_COLUMNS = {RecordKind.report: REPORT_MATCH_COLUMNS, RecordKind.remains: REMAINS_MATCH_COLUMNS}


def _select(kind: RecordKind) -> Any:
    table = _MODELS[kind].__table__
    return select(*(table.c[name] for name in _COLUMNS[kind]))


def stream_live(session: Session, kind: RecordKind, chunk: int = 10_000) -> Iterator[dict[str, Any]]:
    """Every record of a kind that is not withdrawn, as plain rows, streamed."""
    table = _MODELS[kind].__table__
    stmt = _select(kind).where(table.c.withdrawn_at.is_(None)).execution_options(yield_per=chunk)
    names = _COLUMNS[kind]
    # Plain tuples zipped with the names: a RowMapping per row costs more than the row (100,000 per rescoring).
    for row in session.execute(stmt):
        yield dict(zip(names, row, strict=True))


def rows_by_ids(session: Session, kind: RecordKind, ids: Sequence[uuid.UUID]) -> list[dict[str, Any]]:
    table = _MODELS[kind].__table__
    names = _COLUMNS[kind]
    rows: list[dict[str, Any]] = []
    for start in range(0, len(ids), 500):
        stmt = _select(kind).where(table.c.id.in_(ids[start : start + 500]))
        rows.extend(dict(zip(names, r, strict=True)) for r in session.execute(stmt))
    return rows


def row_by_id(session: Session, kind: RecordKind, record_id: uuid.UUID) -> dict[str, Any] | None:
    rows = rows_by_ids(session, kind, [record_id])
    return rows[0] if rows else None


def last_version_id(session: Session) -> int:
    return session.scalar(select(func.max(RecordVersion.id))) or 0


def versions_after(
    session: Session, after_id: int, limit: int, *, also: Sequence[int] = ()
) -> list[tuple[int, RecordKind, uuid.UUID]]:
    """(version id, record kind, record id) of changes after a version id (and of the ids in `also`), oldest first."""
    wanted = RecordVersion.id > after_id
    if also:
        wanted = or_(wanted, RecordVersion.id.in_(list(also)))
    stmt = (
        select(RecordVersion.id, RecordVersion.record_kind, RecordVersion.record_id)
        .where(wanted)
        .order_by(RecordVersion.id)
        .limit(limit)
    )
    return [(row[0], row[1], row[2]) for row in session.execute(stmt).all()]


def version_ids_between(session: Session, low: int, high: int) -> set[int]:
    """The version ids in (low, high]."""
    stmt = select(RecordVersion.id).where(RecordVersion.id > low, RecordVersion.id <= high)
    return set(session.scalars(stmt))


def records_changed_after(session: Session, after_id: int) -> list[tuple[RecordKind, uuid.UUID]]:
    """Each record with a version after a version id, once (kind, id)."""
    stmt = (
        select(RecordVersion.record_kind, RecordVersion.record_id)
        .where(RecordVersion.id > after_id)
        .group_by(RecordVersion.record_kind, RecordVersion.record_id)
    )
    return [(RecordKind(row[0]), row[1]) for row in session.execute(stmt).all()]


def count_records_changed_after(session: Session, after_id: int) -> int:
    """How many records have a version after a version id (what `records_changed_after` would list)."""
    changed = (
        select(RecordVersion.record_kind, RecordVersion.record_id)
        .where(RecordVersion.id > after_id)
        .group_by(RecordVersion.record_kind, RecordVersion.record_id)
        .subquery()
    )
    return session.scalar(select(func.count()).select_from(changed)) or 0


def latest_parameters(session: Session) -> MatchParameterSet | None:
    return session.scalar(select(MatchParameterSet).order_by(MatchParameterSet.version.desc()).limit(1))


def parameters_by_fingerprint(session: Session, fingerprint: str) -> MatchParameterSet | None:
    return session.scalar(select(MatchParameterSet).where(MatchParameterSet.fingerprint == fingerprint))


def add_parameters(session: Session, values: dict[str, Any]) -> None:
    session.execute(insert(MatchParameterSet).values(**values))


def next_parameters_version(session: Session) -> int:
    return (session.scalar(select(func.max(MatchParameterSet.version))) or 0) + 1
