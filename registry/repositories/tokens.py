"""Queries on refresh tokens (sign-in sessions)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from registry.models import RefreshToken


def add(session: Session, token: RefreshToken) -> RefreshToken:
    session.add(token)
    session.flush()
    return token


def by_hash(session: Session, token_hash: str) -> RefreshToken | None:
    return session.scalar(select(RefreshToken).where(RefreshToken.token_hash == token_hash))


def mark_used(session: Session, token_id: uuid.UUID, now: datetime) -> bool:
    """Marks a token used if it is neither used nor revoked yet; False if another request got there first."""
    result = session.execute(
        update(RefreshToken)
        .where(RefreshToken.id == token_id, RefreshToken.used_at.is_(None), RefreshToken.revoked_at.is_(None))
        .values(used_at=now)
    )
    return result.rowcount == 1  # type: ignore[attr-defined, no-any-return]


def revoke_family(session: Session, family_id: uuid.UUID, now: datetime) -> int:
    """Revokes every token of a sign-in session still unrevoked; how many."""
    result = session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def delete_expired(session: Session, *, user_id: uuid.UUID, before: datetime) -> None:
    """Forgets an account's tokens of sessions whose absolute lifetime ended before `before`.

    Only whole ended sessions: a used token of a live session is kept, so that its reuse is still noticed.
    """
    session.execute(
        delete(RefreshToken).where(RefreshToken.user_id == user_id, RefreshToken.family_expires_at < before)
    )
