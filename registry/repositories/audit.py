"""Queries on the audit trail. Appends lock the chain head first, so that concurrent writers never fork it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from registry.db import utcnow
from registry.models import AuditChainHead, AuditEvent

GENESIS_HASH = "0" * 64


def lock_head(session: Session) -> tuple[int, str]:
    """Takes the chain's write lock and returns its (seq, hash).

    The first statement is a write (insert-if-absent of the head row): on SQLite it takes the
    database's write lock before the head is read; on PostgreSQL the head row is then read FOR UPDATE.
    """
    dialect = session.get_bind().dialect.name
    values = {"id": 1, "seq": 0, "hash": GENESIS_HASH, "updated_at": utcnow()}
    if dialect == "postgresql":
        session.execute(pg_insert(AuditChainHead).values(**values).on_conflict_do_nothing(index_elements=["id"]))
    elif dialect == "sqlite":
        session.execute(sqlite_insert(AuditChainHead).values(**values).on_conflict_do_nothing(index_elements=["id"]))
    else:  # pragma: no cover - the registry runs on SQLite and PostgreSQL only
        raise NotImplementedError(dialect)
    row = session.execute(
        select(AuditChainHead.seq, AuditChainHead.hash).where(AuditChainHead.id == 1).with_for_update()
    ).one()
    return int(row[0]), str(row[1])


def insert_events(session: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(AuditEvent), rows)


def move_head(session: Session, *, seq: int, hash_: str) -> None:
    session.execute(
        update(AuditChainHead).where(AuditChainHead.id == 1).values(seq=seq, hash=hash_, updated_at=utcnow())
    )


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
