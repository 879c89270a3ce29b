"""Queries on the record tables (reports and remains alike), their versions and status events."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    Table,
    and_,
    bindparam,
    func,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from registry.db import table_of
from registry.enums import RecordKind
from registry.models import RecordVersion, StatusEvent
from registry.record_types import Record, RecordType
from registry.repositories.bulk import insert_many


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
    table = rtype.table
    names = ("id", "version", "withdrawn_at", "source", "folio")
    wanted = [table.c[name] for name in (*names, *(c for c in columns if c not in names))]
    if session.get_bind().dialect.name == "postgresql":
        # Planned for the keys and the table as they are now, never from a plan kept since the
        # table was small (see _natural_key_lookup); for the rest of this transaction only.
        session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
    stmt = _natural_key_lookup(session, table, wanted, keys)
    return {(row["source"], row["folio"]): dict(row) for row in session.execute(stmt).mappings()}


def _natural_key_lookup(
    session: Session, table: Table, wanted: Sequence[Any], keys: Sequence[tuple[str, str]]
) -> Select[Any]:
    """One statement that selects the wanted columns of the rows with the given (source, folio) keys.

    The keys are joined as a table passed in one or two parameters, whatever their number, so that
    every plan is linear in the keys: an index lookup per key (or, on PostgreSQL while the table is
    small, a hash of the keys). A `(source, folio) IN (...)` list is not: PostgreSQL plans it as one
    OR branch per key, and once psycopg prepares a statement run five times the server may keep a
    generic plan made while the table was small (a sequential scan testing every row against every
    key), which made a bulk load into a fresh database quadratic; SQLite scans the whole table for it.
    """
    if session.get_bind().dialect.name == "postgresql":
        sources = bindparam("sources", [source for source, _folio in keys], type_=ARRAY(String()))
        folios = bindparam("folios", [folio for _source, folio in keys], type_=ARRAY(String()))
        wanted_keys = func.unnest(sources, folios).table_valued("source", "folio").render_derived(name="wanted_keys")
        source: ColumnElement[Any] = wanted_keys.c.source
        folio: ColumnElement[Any] = wanted_keys.c.folio
    else:  # SQLite: the keys as a JSON array of [source, folio] pairs, read by json_each
        wanted_keys = func.json_each(bindparam("keys", json.dumps(keys))).table_valued("value").alias("wanted_keys")
        source = func.json_extract(wanted_keys.c.value, "$[0]")
        folio = func.json_extract(wanted_keys.c.value, "$[1]")
    return select(*wanted).select_from(wanted_keys).join(table, and_(table.c.source == source, table.c.folio == folio))


def insert_records(session: Session, rtype: RecordType, rows: Sequence[dict[str, Any]]) -> None:
    insert_many(session, rtype.table, rows)


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
        insert_many(session, table_of(RecordVersion), batch)


def add_status_events(session: Session, rows: Iterable[dict[str, Any]]) -> None:
    batch = list(rows)
    if batch:
        insert_many(session, table_of(StatusEvent), batch)


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
