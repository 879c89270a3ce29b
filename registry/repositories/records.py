"""Queries on the record tables (reports and remains alike), their versions and status events."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

import psycopg
from psycopg.types.json import Jsonb
from sqlalchemy import JSON, Table, and_, bindparam, func, insert, or_, select, tuple_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from registry.enums import RecordKind
from registry.models import RecordVersion, StatusEvent
from registry.record_types import Record, RecordType


def _table(model: type[RecordVersion] | type[StatusEvent]) -> Table:
    table: Table = model.__table__  # type: ignore[assignment]
    return table


def get(session: Session, rtype: RecordType, record_id: uuid.UUID) -> Record | None:
    return cast(Record | None, session.get(rtype.model, record_id, populate_existing=True))


def id_by_natural_key(session: Session, rtype: RecordType, source: str, folio: str) -> uuid.UUID | None:
    model = rtype.model
    return session.scalar(select(model.id).where(model.source == source, model.folio == folio))


def rows_by_natural_keys(
    session: Session, rtype: RecordType, keys: Sequence[tuple[str, str]], columns: Sequence[str]
) -> dict[tuple[str, str], dict[str, Any]]:
    """The stored values of the given columns for each (source, folio) that exists."""
    if not keys:
        return {}
    model = rtype.model
    wanted = [rtype.table.c[name] for name in ("id", "version", "withdrawn_at", *columns)]
    found: dict[tuple[str, str], dict[str, Any]] = {}
    # Chunked so that no single statement carries too many parameters (SQLite's limit is 32,766).
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        stmt = select(*wanted).where(tuple_(model.source, model.folio).in_(chunk))
        for row in session.execute(stmt).mappings():
            found[(row["source"], row["folio"])] = dict(row)
    return found


# Fewer rows than this go through SQLAlchemy's executemany: COPY pays off for batches.
COPY_FROM_ROWS = 50


def _insert_many(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Inserts many rows of the same shape: COPY on PostgreSQL, executemany elsewhere.

    psycopg's executemany sends one statement per row; imports insert tens of thousands of rows.
    """
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name != "postgresql" or len(rows) < COPY_FROM_ROWS:
        connection.execute(insert(table), list(rows))
        return
    columns = list(rows[0])
    json_columns = {name for name in columns if isinstance(table.c[name].type, JSON)}
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    statement = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
    try:
        with cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([Jsonb(row[c]) if c in json_columns and row[c] is not None else row[c] for c in columns])
    except psycopg.errors.IntegrityError as exc:
        # The same error SQLAlchemy raises on the other path, so that callers handle one kind.
        raise IntegrityError(statement, None, exc) from exc


def insert_records(session: Session, rtype: RecordType, rows: Sequence[dict[str, Any]]) -> None:
    _insert_many(session, rtype.table, rows)


def update_if_version(
    session: Session, rtype: RecordType, record_id: uuid.UUID, expected_version: int, values: dict[str, Any]
) -> bool:
    """Writes the values and bumps the version only if nobody changed the record since expected_version."""
    table = rtype.table
    stmt = (
        update(table)
        .where(table.c.id == record_id, table.c.version == expected_version)
        .values(**values, version=expected_version + 1)
    )
    return session.execute(stmt).rowcount == 1  # type: ignore[attr-defined, no-any-return]


def update_many_if_version(session: Session, rtype: RecordType, rows: Sequence[dict[str, Any]]) -> int:
    """Like update_if_version for many records at once; each row carries `_id`, `_version` and its values."""
    if not rows:
        return 0
    table = rtype.table
    updated = 0
    # executemany needs one shape of statement: group rows by the set of columns they change.
    shapes: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        shapes.setdefault(tuple(sorted(k for k in row if not k.startswith("_"))), []).append(row)
    for columns, group in shapes.items():
        stmt = (
            update(table)
            .where(table.c.id == bindparam("_id"), table.c.version == bindparam("_version"))
            .values({c: bindparam(c) for c in columns} | {"version": bindparam("_version") + 1})
        )
        result = session.connection().execute(stmt, group)
        updated += result.rowcount
    return updated


def add_versions(session: Session, rows: Iterable[dict[str, Any]]) -> None:
    batch = list(rows)
    if batch:
        _insert_many(session, _table(RecordVersion), batch)


def add_status_events(session: Session, rows: Iterable[dict[str, Any]]) -> None:
    batch = list(rows)
    if batch:
        _insert_many(session, _table(StatusEvent), batch)


def versions(session: Session, kind: RecordKind, record_id: uuid.UUID) -> Sequence[RecordVersion]:
    stmt = (
        select(RecordVersion)
        .where(RecordVersion.record_kind == kind, RecordVersion.record_id == record_id)
        .order_by(RecordVersion.version)
    )
    return session.scalars(stmt).all()


def status_events(session: Session, kind: RecordKind, record_id: uuid.UUID) -> Sequence[StatusEvent]:
    stmt = (
        select(StatusEvent)
        .where(StatusEvent.record_kind == kind, StatusEvent.record_id == record_id)
        .order_by(StatusEvent.id)
    )
    return session.scalars(stmt).all()


@dataclass(frozen=True, slots=True)
class RecordFilter:
    source: str | None = None
    state: str | None = None
    status: str | None = None
    sex: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    age_min: int | None = None
    age_max: int | None = None
    name_tokens: tuple[str, ...] = ()
    include_withdrawn: bool = False


def search(
    session: Session,
    rtype: RecordType,
    flt: RecordFilter,
    *,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> Sequence[Record]:
    """Records matching the filter in a stable order (creation time, then id), after a cursor."""
    model = rtype.model
    table = rtype.table
    conditions: list[Any] = []
    if flt.source:
        conditions.append(table.c.source == flt.source)
    if flt.state:
        conditions.append(table.c[rtype.state_field] == flt.state)
    if flt.status:
        conditions.append(table.c.status == flt.status)
    if flt.sex:
        conditions.append(table.c.sex == flt.sex)
    if flt.date_from:
        conditions.append(table.c[rtype.date_field] >= flt.date_from)
    if flt.date_to:
        conditions.append(table.c[rtype.date_field] <= flt.date_to)
    conditions.extend(_age_conditions(rtype, flt))
    for token in flt.name_tokens:
        conditions.append(table.c.name_folded.contains(token, autoescape=True))
    if not flt.include_withdrawn:
        conditions.append(table.c.withdrawn_at.is_(None))
    if after is not None:
        created, last_id = after
        conditions.append(or_(table.c.created_at > created, and_(table.c.created_at == created, table.c.id > last_id)))
    stmt = select(model).where(*conditions).order_by(table.c.created_at, table.c.id).limit(limit)
    return cast(Sequence[Record], session.scalars(stmt).all())


def _age_conditions(rtype: RecordType, flt: RecordFilter) -> list[Any]:
    table = rtype.table
    if "age_at_last_seen" in table.c:
        column = table.c.age_at_last_seen
        low, high = column, column
    else:  # remains: an estimated range that overlaps the asked range matches
        low, high = table.c.age_max, table.c.age_min
    conditions = []
    if flt.age_min is not None:
        conditions.append(low >= flt.age_min)
    if flt.age_max is not None:
        conditions.append(high <= flt.age_max)
    return conditions


def count(session: Session, rtype: RecordType) -> int:
    return session.scalar(select(func.count()).select_from(rtype.model)) or 0
