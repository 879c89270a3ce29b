"""Authentication: Argon2id passwords, short-lived signed tokens, API keys, throttled sign-in.

Every token names an account and a token version; each request reads the account's state again
(one primary-key lookup), so that a disabled account (or one whose role changed) is refused at
once, whatever tokens it still holds.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache, lru_cache
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.orm import Session

from registry.actor import Actor
from registry.db import utcnow
from registry.errors import RegistryError, TooManyAttempts, Unauthenticated
from registry.models import AuditOutcome, RefreshToken, User
from registry.repositories import tokens as tokens_repo
from registry.repositories import users as repo
from registry.services import audit
from registry.settings import Settings

ALGORITHM = "HS256"  # pinned: a token naming any other algorithm (or none) is refused
REQUIRED_CLAIMS = ("exp", "iat", "nbf", "iss", "aud", "sub", "jti", "ver")
API_KEY_PREFIX = "rk"
UNKNOWN_ACCOUNT = "unknown"

_hasher = PasswordHasher()  # Argon2id with the library's recommended parameters


def hash_password(password: str) -> str:
    return _hasher.hash(password)


@cache
def _decoy_hash() -> str:
    """A hash to verify against when the account does not exist, so that timing does not tell."""
    return _hasher.hash(secrets.token_urlsafe(16))


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _decoy_hash(), password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def actor_for(user: User, *, via: str) -> Actor:
    return Actor(id=str(user.id), role=user.role.value, jurisdiction=user.jurisdiction, user_id=user.id, via=via,
                 language=user.preferred_language)  # fmt: skip


def _active_account(session: Session, user_id: uuid.UUID, *, via: str) -> tuple[Actor, int] | None:
    """The account as it is now, if it exists and is active: the actor it is, and its token version."""
    account = repo.account(session, user_id)
    if account is None:
        return None
    role, jurisdiction, active, token_version, language = account
    if not active:
        return None
    actor = Actor(id=str(user_id), role=role.value, jurisdiction=jurisdiction, user_id=user_id, via=via,
                  language=language)  # fmt: skip
    return actor, token_version


# --- tokens ---------------------------------------------------------------------------------


def issue_token(*, user: User, settings: Settings, now: datetime | None = None) -> str:
    return _access_token(user.id, user.token_version, settings=settings, now=now)


def _access_token(user_id: uuid.UUID, token_version: int, *, settings: Settings, now: datetime | None = None) -> str:
    issued = now or utcnow()
    claims: dict[str, Any] = {
        "iss": settings.token_issuer,
        "aud": settings.token_audience,
        "sub": str(user_id),
        "iat": issued,
        "nbf": issued,
        "exp": issued + timedelta(minutes=settings.token_minutes),
        "jti": uuid.uuid4().hex,
        "ver": token_version,
    }
    return jwt.encode(claims, settings.secret_key.get_secret_value(), algorithm=ALGORITHM)


@dataclass(frozen=True, slots=True)
class SignedToken:
    """What a token whose signature, algorithm, issuer and audience check out says."""

    user_id: uuid.UUID
    version: Any  # the account's token version when the token was issued
    valid_from: int  # iat and nbf, whichever is later (seconds since the epoch)
    expires: int

    def current(self, now: float) -> bool:
        """Within its lifetime (as PyJWT judges it: not before iat and nbf, expired at exp)."""
        return self.valid_from <= now < self.expires


@lru_cache(maxsize=4096)
def _verified(token: str, key: str, audience: str, issuer: str) -> SignedToken:
    """Checks a token's signature and claims once: a client sends the same token with every request.

    Only tokens that pass are kept (at most the 4,096 most recent; a refused one raises, and is
    checked again if it comes back). Their times are checked on every use, and the account behind
    them is read on every use, so nothing that can change is taken from here.
    """
    claims = jwt.decode(
        token,
        key,
        algorithms=[ALGORITHM],
        audience=audience,
        issuer=issuer,
        options={"require": list(REQUIRED_CLAIMS), "verify_exp": False, "verify_nbf": False, "verify_iat": False},
    )
    try:
        times = {name: int(claims[name]) for name in ("iat", "nbf", "exp")}
    except (TypeError, OverflowError):
        raise jwt.DecodeError("iat, nbf and exp must be integers") from None
    return SignedToken(
        user_id=uuid.UUID(str(claims["sub"])),
        version=claims["ver"],
        valid_from=max(times["iat"], times["nbf"]),
        expires=times["exp"],
    )


def actor_from_token(*, session: Session, token: str, settings: Settings) -> Actor:
    refused = Unauthenticated("the access token is invalid, expired or revoked; sign in again")
    try:
        key = settings.secret_key.get_secret_value()
        signed = _verified(token, key, settings.token_audience, settings.token_issuer)
    except (jwt.PyJWTError, ValueError):
        raise refused from None
    if not signed.current(time.time()):
        raise refused
    account = _active_account(session, signed.user_id, via="token")
    if account is None or signed.version != account[1]:
        raise refused
    return account[0]


# --- API keys -------------------------------------------------------------------------------


def _key_hash(secret: str) -> str:
    # The secret is 256 random bits: a fast hash is enough (no dictionary to attack).
    return hashlib.sha256(secret.encode()).hexdigest()


def new_api_key() -> tuple[str, str, str]:
    """(full key shown once, its prefix, the hash to store)."""
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    return f"{API_KEY_PREFIX}_{prefix}_{secret}", prefix, _key_hash(secret)


def actor_from_api_key(*, session: Session, key: str) -> Actor:
    refused = Unauthenticated("the API key is invalid or revoked")
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != API_KEY_PREFIX or len(parts[1]) > 16:
        raise refused
    stored = repo.api_key_by_prefix(session, parts[1])
    if stored is None or stored.revoked_at is not None:
        raise refused
    if not hmac.compare_digest(stored.key_hash, _key_hash(parts[2])):
        raise refused
    account = _active_account(session, stored.user_id, via="api_key")
    if account is None:
        raise refused
    return account[0]


# --- sign-in --------------------------------------------------------------------------------
#
# An attempt is counted before its password is checked, or attempts racing each other would all
# read the same count and all slip under the limit. The caller (the transaction owner) runs:
#   1. `begin_attempt`, which records the attempt as a failure, and commits it; then `admit`, in a
#      transaction of its own, which counts the failures in the window. The count includes every
#      attempt committed before it (this one too): the i-th attempt to commit sees at least i, so of
#      any burst at most the limit are admitted, on SQLite and PostgreSQL alike, with no lock held
#      while anyone waits.
#   2. The password is checked (Argon2: slow and memory-hungry on purpose) outside any transaction.
#   3. `finish_login` (or another use case's finish) marks the attempt succeeded if it was.
# An attempt that never finishes (the process died mid-check) stays counted as a failure.

LOGIN = "auth.login"


@dataclass(frozen=True, slots=True)
class LoginResult:
    token: str | None = None
    actor: Actor | None = None
    error: RegistryError | None = None
    refresh_token: str | None = None


@dataclass(frozen=True, slots=True)
class Attempt:
    """A counted sign-in attempt: stored as a failure until it is marked succeeded."""

    id: int
    username: str
    account_key: str
    client_key: str


@dataclass(frozen=True, slots=True)
class Admission:
    """What `admit` decided: refused (too many failures), or what the password is checked against."""

    attempt: Attempt
    who: Actor
    refused: TooManyAttempts | None = None
    user_id: uuid.UUID | None = None
    # None when there is no such account: a decoy hash is checked instead, so that timing does not tell.
    password_hash: str | None = field(default=None, repr=False)


def _throttle_key(settings: Settings, kind: str, value: str) -> str:
    """A keyed hash: neither account names nor client addresses are stored as such."""
    key = settings.secret_key.get_secret_value().encode()
    return hmac.new(key, f"{kind}:{value}".encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


def _retry_after(oldest: datetime | None, now: datetime, window: timedelta) -> int:
    if oldest is None:
        return int(window.total_seconds())
    return max(1, math.ceil((oldest + window - now).total_seconds()))


def _throttled(session: Session, *, attempt: Attempt, settings: Settings) -> tuple[TooManyAttempts, str] | None:
    """The refusal, and which limit (account or client) it is, if the failures so far exceed a limit.

    The counts include this attempt (committed already): the limit-th failure is still admitted.
    """
    now = utcnow()
    window = timedelta(seconds=settings.login_window_seconds)
    since = now - window
    failures, oldest = repo.failures_since(session, account_key=attempt.account_key, since=since)
    if failures > settings.login_max_failures_per_account:
        wait = _retry_after(oldest, now, window)
        return TooManyAttempts(f"too many failed sign-ins for this account; try again in {wait} s",
                               retry_after=wait), "account"  # fmt: skip
    failures, oldest = repo.failures_since(session, client_key=attempt.client_key, since=since)
    if failures > settings.login_max_failures_per_client:
        wait = _retry_after(oldest, now, window)
        return TooManyAttempts(f"too many failed sign-ins from this client; try again in {wait} s",
                               retry_after=wait), "client"  # fmt: skip
    return None


def begin_attempt(*, session: Session, username: str, client: str, settings: Settings) -> Attempt:
    """Step 1: counts the attempt, as a failure; the caller commits before calling `admit`."""
    account_key = _throttle_key(settings, "account", username.casefold())
    client_key = _throttle_key(settings, "client", client)
    attempt_id = repo.add_login_attempt(session, account_key=account_key, client_key=client_key)
    return Attempt(id=attempt_id, username=username, account_key=account_key, client_key=client_key)


def admit(
    *, session: Session, attempt: Attempt, settings: Settings, action: str = LOGIN, request_id: str | None
) -> Admission:
    """Step 1, after the commit: refuses (and audits as denied) an attempt over a limit; else what to check."""
    user = repo.by_username(session, attempt.username)
    who = actor_for(user, via="token") if user else Actor(id=UNKNOWN_ACCOUNT, role="none", jurisdiction=None)
    throttled = _throttled(session, attempt=attempt, settings=settings)
    if throttled is not None:
        refused, limit = throttled
        # A refused attempt is not checked, so it stops counting: the lock lasts the window from the
        # failures that were checked (as Retry-After says), however long someone keeps knocking.
        repo.forget_login_attempt(session, attempt.id)
        audit.record(session, actor=who, action=action, outcome=AuditOutcome.denied,
                     detail={"reason": "throttled", "limit": limit}, request_id=request_id)  # fmt: skip
        return Admission(attempt=attempt, who=who, refused=refused)
    if user is None:
        return Admission(attempt=attempt, who=who)
    return Admission(attempt=attempt, who=who, user_id=user.id, password_hash=user.password_hash)


def check_password(admission: Admission, password: str) -> bool:
    """Step 2, outside any transaction: whether the password is the account's (a decoy is checked if none)."""
    return verify_password(admission.password_hash, password) and admission.user_id is not None


def current_account(session: Session, admission: Admission) -> User | None:
    """The admitted account as it is now, if it is still active and its password unchanged since `admit`.

    The check ran against what `admit` read: an account disabled, or given a new password, while its
    old password was being checked is refused.
    """
    if admission.user_id is None:
        return None
    user = repo.get(session, admission.user_id)
    if user is None or not user.active or user.password_hash != admission.password_hash:
        return None
    return user


def finish_login(
    *, session: Session, admission: Admission, verified: bool, settings: Settings, request_id: str | None
) -> LoginResult:
    """Step 3: a token if the password was right and the account is active; the outcome is audited."""
    user = current_account(session, admission) if verified else None
    if user is None:
        audit.record(session, actor=admission.who, action=LOGIN, outcome=AuditOutcome.failure, request_id=request_id)
        return LoginResult(error=Unauthenticated("wrong username or password, or the account is disabled"))
    repo.mark_login_attempt_succeeded(session, admission.attempt.id)
    audit.record(session, actor=admission.who, action=LOGIN, outcome=AuditOutcome.success, request_id=request_id)
    return LoginResult(
        token=issue_token(user=user, settings=settings),
        actor=admission.who,
        refresh_token=start_session(session, user=user, settings=settings),
    )


# --- refresh tokens (sign-in sessions) ------------------------------------------------------------
#
# A sign-in starts a session: a family of refresh tokens, one usable at a time. Each use (`refresh`)
# marks the token used and issues its successor with a new access token; a used token presented
# again means someone kept a copy, so the whole family is revoked (the thief's and the clerk's
# next refresh both fail; the clerk signs in again). A token expires when unused for
# `refresh_idle_minutes`, and every token of a session at `refresh_absolute_hours` after sign-in.
# Each token carries the account's token version: disabling the account, changing its password or
# its role voids them, as it voids access tokens. Only SHA-256 hashes of the tokens are stored.

REFRESH = "auth.refresh"
LOGOUT = "auth.logout"
REFRESH_TOKEN_PREFIX = "rt"  # noqa: S105 - the prefix that makes a refresh token recognisable, not a secret


@dataclass(frozen=True, slots=True)
class Refreshed:
    """What `refresh` gives: new tokens, or the error to answer with (after the caller commits)."""

    access_token: str | None = None
    refresh_token: str | None = None
    refresh_expires_in: int = 0
    error: RegistryError | None = None


def _refresh_hash(token: str) -> str:
    # 256 random bits: a fast hash is enough (no dictionary to attack).
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _issue_refresh_token(
    session: Session, *, user_id: uuid.UUID, token_version: int, family_id: uuid.UUID, family_expires_at: datetime,
    settings: Settings, now: datetime,
) -> tuple[str, datetime]:  # fmt: skip
    token = f"{REFRESH_TOKEN_PREFIX}_{secrets.token_urlsafe(32)}"
    expires_at = min(now + timedelta(minutes=settings.refresh_idle_minutes), family_expires_at)
    tokens_repo.add(session, RefreshToken(
        family_id=family_id, user_id=user_id, token_hash=_refresh_hash(token), token_version=token_version,
        issued_at=now, expires_at=expires_at, family_expires_at=family_expires_at,
    ))  # fmt: skip
    return token, expires_at


def start_session(session: Session, *, user: User, settings: Settings, now: datetime | None = None) -> str:
    """A new sign-in session for the account: its first refresh token."""
    now = now or utcnow()
    tokens_repo.delete_expired(session, user_id=user.id, before=now)
    token, _expires = _issue_refresh_token(
        session, user_id=user.id, token_version=user.token_version, family_id=uuid.uuid4(),
        family_expires_at=now + timedelta(hours=settings.refresh_absolute_hours), settings=settings, now=now,
    )  # fmt: skip
    return token


def _account_actor(session: Session, user_id: uuid.UUID) -> Actor:
    """Who an audit event about this account's session names (a disabled account included)."""
    account = repo.account(session, user_id)
    if account is None:
        return Actor(id=str(user_id), role="none", jurisdiction=None, user_id=user_id, via="refresh_token")
    return Actor(id=str(user_id), role=account[0].value, jurisdiction=account[1], user_id=user_id, via="refresh_token")


def refresh(*, session: Session, presented: str, settings: Settings, request_id: str | None,
            now: datetime | None = None) -> Refreshed:  # fmt: skip
    """Rotates a refresh token: a new access token and the token's successor; refusals are audited.

    Refusals that revoke (a reused token, an account changed since) are returned, not raised, so
    that the caller commits the revocation and its audit event before answering 401.
    """
    now = now or utcnow()
    refused = Unauthenticated("the refresh token is invalid, expired or revoked; sign in again")
    stored = tokens_repo.by_hash(session, _refresh_hash(presented))
    if stored is None:
        audit.record(session, actor=Actor(id=UNKNOWN_ACCOUNT, role="none", jurisdiction=None), action=REFRESH,
                     outcome=AuditOutcome.denied, detail={"reason": "unknown"}, request_id=request_id)  # fmt: skip
        return Refreshed(error=refused)
    who = _account_actor(session, stored.user_id)

    def deny(reason: str, *, revoke: bool) -> Refreshed:
        if revoke:
            tokens_repo.revoke_family(session, stored.family_id, now)
        audit.record(session, actor=who, action=REFRESH, outcome=AuditOutcome.denied, record_kind="user",
                     record_id=str(stored.user_id), detail={"reason": reason}, request_id=request_id)  # fmt: skip
        return Refreshed(error=refused)

    if stored.revoked_at is not None:
        return deny("revoked", revoke=False)
    if stored.used_at is not None:
        return deny("reused", revoke=True)
    if now >= stored.expires_at or now >= stored.family_expires_at:
        return deny("expired", revoke=False)
    account = _active_account(session, stored.user_id, via="token")
    if account is None or account[1] != stored.token_version:
        return deny("account_changed", revoke=True)
    if not tokens_repo.mark_used(session, stored.id, now):  # used by a concurrent request: a copy is about
        return deny("reused", revoke=True)
    successor, expires_at = _issue_refresh_token(
        session, user_id=stored.user_id, token_version=stored.token_version, family_id=stored.family_id,
        family_expires_at=stored.family_expires_at, settings=settings, now=now,
    )  # fmt: skip
    audit.record(session, actor=who, action=REFRESH, record_kind="user", record_id=str(stored.user_id),
                 request_id=request_id)  # fmt: skip
    return Refreshed(
        access_token=_access_token(stored.user_id, stored.token_version, settings=settings, now=now),
        refresh_token=successor,
        refresh_expires_in=max(0, int((expires_at - now).total_seconds())),
    )


def end_session(*, session: Session, presented: str, request_id: str | None) -> None:
    """Signs out: revokes the session (every refresh token of the family). Unknown tokens are ignored."""
    stored = tokens_repo.by_hash(session, _refresh_hash(presented))
    if stored is None:
        return
    if tokens_repo.revoke_family(session, stored.family_id, utcnow()):
        audit.record(session, actor=_account_actor(session, stored.user_id), action=LOGOUT, record_kind="user",
                     record_id=str(stored.user_id), request_id=request_id)  # fmt: skip


def session_actor(*, session: Session, presented: str, now: datetime | None = None) -> Actor | None:
    """The account behind a console sign-in session, while the session stands (None otherwise).

    The console keeps its session's refresh token without rotating it (a browser sends requests in
    parallel; a rotation race would read as theft): the session stands while it is not revoked,
    not past its absolute lifetime, and the account is active with the token's version. The idle
    timeout is the console's, kept in its signed cookie.
    """
    now = now or utcnow()
    stored = tokens_repo.by_hash(session, _refresh_hash(presented))
    if stored is None or stored.revoked_at is not None or stored.used_at is not None:
        return None
    if now >= stored.family_expires_at:
        return None
    account = _active_account(session, stored.user_id, via="console")
    if account is None or account[1] != stored.token_version:
        return None
    return account[0]
