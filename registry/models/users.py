"""Accounts: users with a role and a jurisdiction, API keys for systems, and failed-login counts."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from registry.db import Base, UTCDateTime, utcnow
from registry.models.columns import enum_type
from registry.models.history import BigIntId


class Role(StrEnum):
    """What a user is for; what each role may do is written in registry/policy.py and docs/access.md."""

    clerk = "clerk"
    investigator = "investigator"
    trainer = "trainer"
    administrator = "administrator"
    geneticist = "geneticist"  # submits and reads genotypes of their registry's records


class User(Base):
    """A person who signs in. The username is a login handle; no other personal data is kept here."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("username"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    username: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(enum_type(Role, "user_role"))
    # A registry code, or None for national.
    jurisdiction: Mapped[str | None] = mapped_column(String(3), ForeignKey("registries.code"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped when the account is disabled or its role changes: tokens carrying an older one stop working.
    token_version: Mapped[int] = mapped_column(Integer, default=1)
    # A language tag (es-MX, en) the account chose; None follows Accept-Language, then the registry's default.
    preferred_language: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ApiKey(Base):
    """A key for system-to-system import, acting as its owner account. Only a hash of the secret is kept."""

    __tablename__ = "api_keys"
    __table_args__ = (UniqueConstraint("prefix"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    prefix: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LoginAttempt(Base):
    """One sign-in attempt, keyed by keyed hashes of the account name and of the client address."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_account_key_attempted_at", "account_key", "attempted_at"),
        Index("ix_login_attempts_client_key_attempted_at", "client_key", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    account_key: Mapped[str] = mapped_column(String(64))
    client_key: Mapped[str] = mapped_column(String(64))
    succeeded: Mapped[bool] = mapped_column(Boolean)
