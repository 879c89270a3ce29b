"""Queries on idempotency keys."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from registry.db import utcnow
from registry.models import IdempotencyKey


def insert_claim(session: Session, *, scope: str, key: str, fingerprint: str) -> None:
    session.execute(
        insert(IdempotencyKey).values(
            scope=scope, key=key, fingerprint=fingerprint, completed=False, created_at=utcnow()
        )
    )


def find(session: Session, *, scope: str, key: str) -> IdempotencyKey | None:
    return session.scalar(
        select(IdempotencyKey)
        .where(IdempotencyKey.scope == scope, IdempotencyKey.key == key)
        .execution_options(populate_existing=True)
    )


def take_over_abandoned(session: Session, *, scope: str, key: str, fingerprint: str, older_than: datetime) -> bool:
    """Re-claims a key whose first request died mid-flight; True if this caller now holds it."""
    result = session.execute(
        update(IdempotencyKey)
        .where(
            IdempotencyKey.scope == scope,
            IdempotencyKey.key == key,
            IdempotencyKey.completed.is_(False),
            IdempotencyKey.created_at < older_than,
        )
        .values(fingerprint=fingerprint, created_at=utcnow())
    )
    return result.rowcount == 1  # type: ignore[attr-defined, no-any-return]


def complete(session: Session, *, scope: str, key: str, status: int, body: Any, headers: dict[str, str]) -> None:
    session.execute(
        update(IdempotencyKey)
        .where(IdempotencyKey.scope == scope, IdempotencyKey.key == key)
        .values(
            completed=True,
            response_status=status,
            response_body=body,
            response_headers=headers,
            completed_at=utcnow(),
        )
    )


def release(session: Session, *, scope: str, key: str) -> None:
    session.execute(
        delete(IdempotencyKey).where(
            IdempotencyKey.scope == scope, IdempotencyKey.key == key, IdempotencyKey.completed.is_(False)
        )
    )
