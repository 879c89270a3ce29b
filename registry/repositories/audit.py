"""Queries on the audit trail. Appends lock the chain head first, so that concurrent writers never fork it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from registry.db import table_of, utcnow
from registry.models import AuditChainHead, AuditEvent
from registry.repositories.bulk import DIALECT_INSERTS

GENESIS_HASH = "0" * 64

_HEAD = table_of(AuditChainHead)
_EVENTS = table_of(AuditEvent)

# Built once (Core, with bound parameters): a restricted read appends an event, so these run on
# every such request, and building and keying an ORM statement costs more than executing it.
# A write first, so that it takes the lock before the head is read: on SQLite the database's
# write lock (the transaction begins IMMEDIATE at its first write), on PostgreSQL the row's lock.
_TAKE_HEAD = (
    update(_HEAD).where(_HEAD.c.id == 1).values(updated_at=bindparam("now")).returning(_HEAD.c.seq, _HEAD.c.hash)
)
_GENESIS = {"id": 1, "seq": 0, "hash": GENESIS_HASH}
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


def head(session: Session) -> tuple[int, str] | None:
    row = session.execute(select(AuditChainHead.seq, AuditChainHead.hash).where(AuditChainHead.id == 1)).first()
    return (int(row[0]), str(row[1])) if row else None


def events_in_order(session: Session, *, since: datetime | None = None, chunk: int = 1000) -> Iterator[AuditEvent]:
    """Every event by chain position, streamed in chunks (the trail can be long)."""
    last = -1
    while True:
        stmt = select(AuditEvent).where(AuditEvent.seq > last).order_by(AuditEvent.seq).limit(chunk)
        if since is not None:
            stmt = stmt.where(AuditEvent.occurred_at >= since)
        rows = session.scalars(stmt).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq
        session.expunge_all()
