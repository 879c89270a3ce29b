"""Managing accounts: create, list, disable and enable, change role or password, issue and revoke API keys.

Every change is audited (the account's id, never its name or password).
"""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Sequence

from sqlalchemy.orm import Session

from registry.actor import Actor
from registry.errors import Conflict, Forbidden, InvalidRecord, NotFound, RegistryError
from registry.i18n import _
from registry.models import ApiKey, AuditOutcome, Role, User
from registry.repositories import users as repo
from registry.services import audit
from registry.services import auth as auth_service
from registry.services.auth import hash_password, new_api_key
from registry.settings import Settings
from registry.vocabulary import field_problem

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,99}$")
MIN_PASSWORD_LENGTH = 12
NATIONAL = None
PASSWORD_CHANGE = "auth.password_change"  # noqa: S105 - an audit action, not a secret
BOOTSTRAP_ADMIN = "user.bootstrap_admin"


def _invalid(field: str, message: str) -> InvalidRecord:
    return InvalidRecord(field_problem(field, message), errors=[{"field": field, "message": message}])


def _check_password(password: str, *, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise _invalid(
            field, _("must be at least {MIN_PASSWORD_LENGTH} characters", MIN_PASSWORD_LENGTH=MIN_PASSWORD_LENGTH)
        )


def _check_role_and_jurisdiction(session: Session, role: Role, jurisdiction: str | None) -> str | None:
    if jurisdiction is not None:
        jurisdiction = jurisdiction.upper()
        if not repo.registry_exists(session, jurisdiction):
            raise _invalid("jurisdiction", _("must be a registry code (e.g. JAL, FED) or national"))
    if role is Role.clerk and jurisdiction is None:
        raise _invalid("jurisdiction", _("a clerk belongs to one registry"))
    if role is Role.geneticist and jurisdiction is None:  # genotypes are submitted and read registry by registry
        raise _invalid("jurisdiction", _("a geneticist belongs to one registry"))
    return jurisdiction


def get_user(*, session: Session, user_id: uuid.UUID) -> User:
    user = repo.get(session, user_id)
    if user is None:
        raise NotFound(_("no user with id {user_id}", user_id=user_id))
    return user


def find_user(*, session: Session, username: str) -> User:
    user = repo.by_username(session, username)
    if user is None:
        raise NotFound(_("no user with that username"))
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
        raise _invalid("username", _("3 to 100 characters: lower-case letters, digits, '.', '_' or '-'"))
    _check_password(password)
    jurisdiction = _check_role_and_jurisdiction(session, role, jurisdiction)
    if repo.by_username(session, username) is not None:
        raise Conflict(_("a user with that username exists already"))
    user = repo.add(
        session,
        User(username=username, password_hash=hash_password(password), role=role, jurisdiction=jurisdiction),
    )
    audit.record(session, actor=actor, action="user.create", record_kind="user", record_id=str(user.id),
                 detail={"role": role.value, "jurisdiction": jurisdiction}, request_id=request_id)  # fmt: skip
    return user


def bootstrap_administrator(*, session: Session, username: str, password: str, actor: Actor) -> User:
    """The first administrator of a new registry, created on the server; refused once any administrator exists.

    A disabled administrator counts: re-enabling it (`registry users enable`) is the way back in,
    not a second bootstrap that anyone with shell access could repeat.
    """
    if repo.administrator_exists(session):
        raise Conflict(_("an administrator exists already; administrators create further accounts"))
    user = create_user(session=session, username=username, password=password, role=Role.administrator,
                       jurisdiction=NATIONAL, actor=actor)  # fmt: skip
    audit.record(session, actor=actor, action=BOOTSTRAP_ADMIN, record_kind="user", record_id=str(user.id))
    return user


def disable_user(*, session: Session, user: User, actor: Actor, request_id: str | None = None) -> User:
    """Disables the account; its tokens and API keys stop working with the next request."""
    repo.update_user(session, user.id, {"active": False}, bump_token_version=True)
    audit.record(session, actor=actor, action="user.disable", record_kind="user", record_id=str(user.id),
                 request_id=request_id)  # fmt: skip
    return get_user(session=session, user_id=user.id)


def set_preferred_language(*, session: Session, actor: Actor, language: str | None, request_id: str | None) -> None:
    """The language the actor's own account reads (None: the client's Accept-Language, then the default)."""
    if actor.user_id is None:
        raise Forbidden(_("only an account has a language to choose"))
    repo.update_user(session, actor.user_id, {"preferred_language": language}, bump_token_version=False)
    audit.record(session, actor=actor, action="user.language", record_kind="user", record_id=str(actor.user_id),
                 detail={"language": language or "none"}, request_id=request_id)  # fmt: skip


def enable_user(*, session: Session, user: User, actor: Actor, request_id: str | None = None) -> User:
    """Re-enables a disabled account. Tokens issued before it was disabled stay void (disabling bumped
    the token version); its API keys, unless revoked, work again."""
    repo.update_user(session, user.id, {"active": True}, bump_token_version=False)
    audit.record(session, actor=actor, action="user.enable", record_kind="user", record_id=str(user.id),
                 request_id=request_id)  # fmt: skip
    return get_user(session=session, user_id=user.id)


def set_password(*, session: Session, user: User, password: str, actor: Actor, request_id: str | None = None) -> User:
    """An administrator's reset: the account's tokens stop working (not its API keys, which are no password)."""
    _check_password(password)
    repo.update_user(session, user.id, {"password_hash": hash_password(password)}, bump_token_version=True)
    audit.record(session, actor=actor, action="user.set_password", record_kind="user", record_id=str(user.id),
                 request_id=request_id)  # fmt: skip
    return get_user(session=session, user_id=user.id)


# --- changing one's own password ---------------------------------------------------------------
#
# The current password is checked as a sign-in is (registry.services.auth): the attempt is counted
# against the account's and the client's limits first, so a stolen token cannot be used to guess
# the password it does not know; the transaction owner runs the steps.


def begin_password_change(
    *, session: Session, actor: Actor, new_password: str, client: str, settings: Settings
) -> auth_service.Attempt:
    """Step 1: a too-short new password is refused before anything is counted; then the attempt is counted."""
    _check_password(new_password, field="new_password")
    if actor.user_id is None or actor.via != "token":  # an API key is a system's: it has no password to change
        raise Forbidden(_("only an account signed in with a token has a password to change"))
    user = get_user(session=session, user_id=actor.user_id)
    return auth_service.begin_attempt(session=session, username=user.username, client=client, settings=settings)


def new_password_hash(admission: auth_service.Admission, current_password: str, new_password: str) -> str | None:
    """Step 2, outside any transaction: the new password's hash if the current one is right, else None."""
    if not auth_service.check_password(admission, current_password):
        return None
    return hash_password(new_password)


def finish_password_change(
    *, session: Session, admission: auth_service.Admission, new_hash: str | None, request_id: str | None
) -> RegistryError | None:
    """Step 3: stores the new password and voids the account's tokens; the error to answer with otherwise."""
    user = auth_service.current_account(session, admission) if new_hash is not None else None
    if new_hash is None or user is None:
        audit.record(session, actor=admission.who, action=PASSWORD_CHANGE, outcome=AuditOutcome.failure,
                     record_kind="user", record_id=str(admission.user_id), request_id=request_id)  # fmt: skip
        message = _("is not this account's password")
        return Forbidden(field_problem("current_password", message),
                         errors=[{"field": "current_password", "message": message}])  # fmt: skip
    repo.mark_login_attempt_succeeded(session, admission.attempt.id)
    repo.update_user(session, user.id, {"password_hash": new_hash}, bump_token_version=True)
    audit.record(session, actor=admission.who, action=PASSWORD_CHANGE, record_kind="user", record_id=str(user.id),
                 request_id=request_id)  # fmt: skip
    return None


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
        raise Conflict(_("the account is disabled"))
    full, prefix, key_hash = new_api_key()
    key = repo.add_api_key(session, ApiKey(prefix=prefix, key_hash=key_hash, user_id=user.id, created_by=actor.id))
    audit.record(session, actor=actor, action="api_key.create", record_kind="api_key", record_id=prefix,
                 detail={"user": str(user.id)}, request_id=request_id)  # fmt: skip
    return key, full


def revoke_api_key(*, session: Session, prefix: str, actor: Actor, request_id: str | None = None) -> None:
    if not repo.revoke_api_key(session, prefix):
        raise NotFound(_("no active API key with that prefix"))
    audit.record(session, actor=actor, action="api_key.revoke", record_kind="api_key", record_id=prefix,
                 request_id=request_id)  # fmt: skip


DEMO_ACCOUNTS: tuple[tuple[str, Role, str | None], ...] = (
    ("demo-clerk-jal", Role.clerk, "JAL"),
    ("demo-investigator", Role.investigator, NATIONAL),
    ("demo-trainer", Role.trainer, NATIONAL),
    ("demo-admin", Role.administrator, NATIONAL),
    ("demo-geneticist-jal", Role.geneticist, "JAL"),
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
