"""Managing accounts: create, list, disable, change role, issue and revoke API keys. Every change is audited."""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Sequence

from sqlalchemy.orm import Session

from registry.actor import Actor
from registry.errors import Conflict, InvalidRecord, NotFound
from registry.models import ApiKey, Role, User
from registry.repositories import users as repo
from registry.services import audit
from registry.services.auth import hash_password, new_api_key

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,99}$")
MIN_PASSWORD_LENGTH = 12
NATIONAL = None


def _invalid(field: str, message: str) -> InvalidRecord:
    return InvalidRecord(f"{field}: {message}", errors=[{"field": field, "message": message}])


def _check_role_and_jurisdiction(session: Session, role: Role, jurisdiction: str | None) -> str | None:
    if jurisdiction is not None:
        jurisdiction = jurisdiction.upper()
        if not repo.registry_exists(session, jurisdiction):
            raise _invalid("jurisdiction", "must be a registry code (e.g. JAL, FED) or national")
    if role is Role.clerk and jurisdiction is None:
        raise _invalid("jurisdiction", "a clerk belongs to one registry")
    return jurisdiction


def get_user(*, session: Session, user_id: uuid.UUID) -> User:
    user = repo.get(session, user_id)
    if user is None:
        raise NotFound(f"no user with id {user_id}")
    return user


def find_user(*, session: Session, username: str) -> User:
    user = repo.by_username(session, username)
    if user is None:
        raise NotFound("no user with that username")
    return user


def list_users(*, session: Session) -> Sequence[User]:
    return repo.all_users(session)


def create_user(
    *,
    session: Session,
    username: str,
    password: str,
    role: Role,
    jurisdiction: str | None,
    actor: Actor,
    request_id: str | None = None,
) -> User:
    if not USERNAME.match(username):
        raise _invalid("username", "3 to 100 characters: lower-case letters, digits, '.', '_' or '-'")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise _invalid("password", f"must be at least {MIN_PASSWORD_LENGTH} characters")
    jurisdiction = _check_role_and_jurisdiction(session, role, jurisdiction)
    if repo.by_username(session, username) is not None:
        raise Conflict("a user with that username exists already")
    user = repo.add(
        session,
        User(username=username, password_hash=hash_password(password), role=role, jurisdiction=jurisdiction),
    )
    audit.record(session, actor=actor, action="user.create", record_kind="user", record_id=str(user.id),
                 detail={"role": role.value, "jurisdiction": jurisdiction}, request_id=request_id)  # fmt: skip
    return user


def disable_user(*, session: Session, user: User, actor: Actor, request_id: str | None = None) -> User:
    """Disables the account; its tokens and API keys stop working with the next request."""
    repo.update_user(session, user.id, {"active": False}, bump_token_version=True)
    audit.record(session, actor=actor, action="user.disable", record_kind="user", record_id=str(user.id),
                 request_id=request_id)  # fmt: skip
    return get_user(session=session, user_id=user.id)


def set_role(
    *,
    session: Session,
    user: User,
    role: Role,
    jurisdiction: str | None,
    actor: Actor,
    request_id: str | None = None,
) -> User:
    """Changes role and jurisdiction; tokens issued before stop working (they carried the old rights)."""
    jurisdiction = _check_role_and_jurisdiction(session, role, jurisdiction)
    repo.update_user(session, user.id, {"role": role, "jurisdiction": jurisdiction}, bump_token_version=True)
    audit.record(session, actor=actor, action="user.set_role", record_kind="user", record_id=str(user.id),
                 detail={"role": role.value, "jurisdiction": jurisdiction,
                         "previous_role": user.role.value, "previous_jurisdiction": user.jurisdiction},
                 request_id=request_id)  # fmt: skip
    return get_user(session=session, user_id=user.id)


def create_api_key(*, session: Session, user: User, actor: Actor, request_id: str | None = None) -> tuple[ApiKey, str]:
    """A new key acting as `user` (for imports only); the full key is returned once and never stored."""
    if not user.active:
        raise Conflict("the account is disabled")
    full, prefix, key_hash = new_api_key()
    key = repo.add_api_key(session, ApiKey(prefix=prefix, key_hash=key_hash, user_id=user.id, created_by=actor.id))
    audit.record(session, actor=actor, action="api_key.create", record_kind="api_key", record_id=prefix,
                 detail={"user": str(user.id)}, request_id=request_id)  # fmt: skip
    return key, full


def revoke_api_key(*, session: Session, prefix: str, actor: Actor, request_id: str | None = None) -> None:
    if not repo.revoke_api_key(session, prefix):
        raise NotFound("no active API key with that prefix")
    audit.record(session, actor=actor, action="api_key.revoke", record_kind="api_key", record_id=prefix,
                 request_id=request_id)  # fmt: skip


DEMO_ACCOUNTS: tuple[tuple[str, Role, str | None], ...] = (
    ("demo-clerk-jal", Role.clerk, "JAL"),
    ("demo-investigator", Role.investigator, NATIONAL),
    ("demo-trainer", Role.trainer, NATIONAL),
    ("demo-admin", Role.administrator, NATIONAL),
)


def create_demo_accounts(session: Session, *, actor: Actor | None = None) -> list[tuple[str, str, str, str | None]]:
    """One account per role with a random password: (username, password, role, jurisdiction) to print once."""
    creator = actor or Actor(id="demo", role="system", jurisdiction=None, via="cli")
    accounts = []
    for username, role, jurisdiction in DEMO_ACCOUNTS:
        password = secrets.token_urlsafe(12)
        create_user(
            session=session, username=username, password=password, role=role, jurisdiction=jurisdiction, actor=creator
        )
        accounts.append((username, password, role.value, jurisdiction))
    return accounts
