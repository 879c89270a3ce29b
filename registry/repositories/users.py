"""Queries on accounts, API keys and sign-in attempts."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from registry.db import table_of, utcnow
from registry.models import ApiKey, LoginAttempt, Role, SourceRegistry, User

_USERS = table_of(User)

# Built once: every request runs it, and building (and keying) a statement costs more than running it.
_ACCOUNT = select(
    _USERS.c.role, _USERS.c.jurisdiction, _USERS.c.active, _USERS.c.token_version, _USERS.c.preferred_language
).where(_USERS.c.id == bindparam("user_id"))


def get(session: Session, user_id: uuid.UUID) -> User | None:
    return session.get(User, user_id, populate_existing=True)


def account(session: Session, user_id: uuid.UUID) -> Row[Role, str | None, bool, int, str | None] | None:
    """(role, jurisdiction, active, token_version, preferred_language) of an account, read now: one primary-key
    lookup, no ORM object."""
    return session.execute(_ACCOUNT, {"user_id": user_id}).first()


def by_username(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def administrator_exists(session: Session) -> bool:
    """Whether any account, active or disabled, has the administrator role."""
    return session.scalar(select(User.id).where(User.role == Role.administrator).limit(1)) is not None


def registry_exists(session: Session, code: str) -> bool:
    return session.get(SourceRegistry, code) is not None


def all_users(session: Session) -> Sequence[User]:
    return session.scalars(select(User).order_by(User.username)).all()


def add(session: Session, user: User) -> User:
    session.add(user)
    session.flush()
    return user


def update_user(session: Session, user_id: uuid.UUID, values: dict[str, Any], *, bump_token_version: bool) -> None:
    stmt = update(User).where(User.id == user_id).values(**values, updated_at=utcnow())
    if bump_token_version:
        stmt = stmt.values(token_version=User.token_version + 1)
    session.execute(stmt)


def add_api_key(session: Session, key: ApiKey) -> ApiKey:
    session.add(key)
    session.flush()
    return key


def api_key_by_prefix(session: Session, prefix: str) -> ApiKey | None:
    return session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))


def revoke_api_key(session: Session, prefix: str) -> bool:
    result = session.execute(
        update(ApiKey).where(ApiKey.prefix == prefix, ApiKey.revoked_at.is_(None)).values(revoked_at=utcnow())
    )
    return result.rowcount == 1  # type: ignore[attr-defined, no-any-return]


def add_login_attempt(session: Session, *, account_key: str, client_key: str) -> int:
    """Records an attempt as failed (until `mark_login_attempt_succeeded`); returns its id."""
    result = session.execute(
        insert(LoginAttempt).values(attempted_at=utcnow(), account_key=account_key, client_key=client_key,
                                    succeeded=False)
    )  # fmt: skip
    return int(result.inserted_primary_key[0])  # type: ignore[attr-defined]


def mark_login_attempt_succeeded(session: Session, attempt_id: int) -> None:
    session.execute(update(LoginAttempt).where(LoginAttempt.id == attempt_id).values(succeeded=True))


def forget_login_attempt(session: Session, attempt_id: int) -> None:
    session.execute(delete(LoginAttempt).where(LoginAttempt.id == attempt_id))


def failures_since(session: Session, *, account_key: str | None = None, client_key: str | None = None,
                   since: datetime) -> tuple[int, datetime | None]:  # fmt: skip
    """How many failed attempts for the account (or the client) since `since`, and the oldest of them."""
    conditions = [LoginAttempt.succeeded.is_(False), LoginAttempt.attempted_at >= since]
    if account_key is not None:
        conditions.append(LoginAttempt.account_key == account_key)
    if client_key is not None:
        conditions.append(LoginAttempt.client_key == client_key)
    row = session.execute(
        select(func.count(), func.min(LoginAttempt.attempted_at)).select_from(LoginAttempt).where(*conditions)
    ).one()
    oldest = row[1]
    if isinstance(oldest, str):  # SQLite returns aggregates of timestamps as text
        oldest = datetime.fromisoformat(oldest)
    return int(row[0]), oldest
