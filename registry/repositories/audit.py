"""Queries on the audit trail. Appends lock the chain head first, so that concurrent writers never fork it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, literal, select, text, update
from sqlalchemy.orm import Session

from registry.db import table_of, utcnow
from registry.models import AuditChainHead, AuditEvent
from registry.models.audit import GENESIS_HASH
from registry.repositories.bulk import DIALECT_INSERTS

__all__ = ["GENESIS_HASH"]

_HEAD = table_of(AuditChainHead)
_EVENTS = table_of(AuditEvent)

# Built once (Core, with bound parameters): a restricted read appends an event, so these run on
# every such request, and building and keying an ORM statement costs more than executing it.
# A write first, so that it takes the lock before the head is read: on SQLite the database's
# write lock (the transaction begins IMMEDIATE at its first write), on PostgreSQL the row's lock.
_TAKE_HEAD = (
    update(_HEAD).where(_HEAD.c.id == 1).values(updated_at=bindparam("now")).returning(_HEAD.c.seq, _HEAD.c.hash)
)
_GENESIS = {"id": 1, "seq": 0, "hash": GENESIS_HASH, "first_seq": 1, "first_prev_hash": GENESIS_HASH}
_CREATE_HEAD = {
    name: insert_of(_HEAD).values(**_GENESIS, updated_at=bindparam("now")).on_conflict_do_nothing()
    for name, insert_of in DIALECT_INSERTS.items()
}
_INSERT_EVENTS = insert(_EVENTS)
_MOVE_HEAD = (
    update(_HEAD)
    .where(_HEAD.c.id == 1)
    .values(seq=bindparam("new_seq"), hash=bindparam("new_hash"), updated_at=bindparam("now"))
)


def lock_head(session: Session) -> tuple[int, str]:
    """Takes the chain's write lock and returns its (seq, hash), creating the head at the chain's first event."""
    row = session.execute(_TAKE_HEAD, {"now": utcnow()}).first()
    if row is None:
        dialect = session.get_bind().dialect.name
        if dialect not in _CREATE_HEAD:  # pragma: no cover - the registry runs on SQLite and PostgreSQL only
            raise NotImplementedError(dialect)
        session.execute(_CREATE_HEAD[dialect], {"now": utcnow()})
        row = session.execute(_TAKE_HEAD, {"now": utcnow()}).one()
    return int(row[0]), str(row[1])


def insert_events(session: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(_INSERT_EVENTS, rows)


def move_head(session: Session, *, seq: int, hash_: str) -> None:
    session.execute(_MOVE_HEAD, {"new_seq": seq, "new_hash": hash_, "now": utcnow()})


@dataclass(frozen=True, slots=True)
class ChainState:
    """The head row (None when there is none) and the highest event position, as one statement saw them."""

    head_seq: int | None
    head_hash: str | None
    first_seq: int | None
    first_prev_hash: str | None
    last_event_seq: int | None


# One statement, so that the head and the events are seen at the same moment: appends committed
# meanwhile move both together. The outer join keeps the row when there is no head.
_ONE_ROW = select(literal(1).label("one")).subquery()
_STATE = select(
    _HEAD.c.seq,
    _HEAD.c.hash,
    _HEAD.c.first_seq,
    _HEAD.c.first_prev_hash,
    select(func.max(_EVENTS.c.seq)).scalar_subquery(),
).select_from(_ONE_ROW.outerjoin(_HEAD, _HEAD.c.id == 1))


def chain_state(session: Session) -> ChainState:
    row = session.execute(_STATE).one()
    return ChainState(*row)


def hash_at(session: Session, *, seq: int) -> str | None:
    return session.scalar(select(AuditEvent.hash).where(AuditEvent.seq == seq))


def events_of(session: Session, *, action: str, since_seq: int) -> list[AuditEvent]:
    """The events of one action from a chain position on (e.g. the prunes of the kept chain: a few)."""
    stmt = select(AuditEvent).where(AuditEvent.action == action, AuditEvent.seq >= since_seq)
    return list(session.scalars(stmt.order_by(AuditEvent.seq)).all())


def first_kept(session: Session, *, since: datetime, through: int) -> tuple[int, str] | None:
    """(seq, prev_hash) of the first event on or after `since` (up to position `through`), if any."""
    row = session.execute(
        select(AuditEvent.seq, AuditEvent.prev_hash)
        .where(AuditEvent.occurred_at >= since, AuditEvent.seq <= through)
        .order_by(AuditEvent.seq)
        .limit(1)
    ).first()
    return (int(row[0]), str(row[1])) if row else None


@contextmanager
def retention(session: Session) -> Iterator[None]:
    """The retention procedure's permission: on PostgreSQL the audit triggers allow deleting old events
    (and moving the chain's start) only while this transaction-local setting is on."""
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        session.execute(text("SELECT set_config('registry.audit_retention', 'on', true)"))
    yield  # on an error the caller's transaction rolls back, and the setting with it
    if postgres:  # narrow the window: the rest of the transaction is ordinary again
        session.execute(text("SELECT set_config('registry.audit_retention', 'off', true)"))


def move_start(session: Session, *, first_seq: int, first_prev_hash: str) -> None:
    session.execute(update(_HEAD).where(_HEAD.c.id == 1).values(first_seq=first_seq, first_prev_hash=first_prev_hash))


def delete_events_before(session: Session, *, seq: int) -> int:
    result = session.execute(delete(_EVENTS).where(_EVENTS.c.seq < seq))
    return int(result.rowcount)  # type: ignore[attr-defined]


def events_in_order(
    session: Session, *, since: datetime | None = None, through: int | None = None, chunk: int = 1000
) -> Iterator[AuditEvent]:
    """Every event by chain position (up to position `through`), streamed in chunks (the trail can be long)."""
    last = -1
    while True:
        stmt = select(AuditEvent).where(AuditEvent.seq > last).order_by(AuditEvent.seq).limit(chunk)
        if since is not None:
            stmt = stmt.where(AuditEvent.occurred_at >= since)
        if through is not None:
            stmt = stmt.where(AuditEvent.seq <= through)
        rows = session.scalars(stmt).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq
        session.expunge_all()
