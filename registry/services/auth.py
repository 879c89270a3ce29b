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
from dataclasses import dataclass
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
from registry.models import AuditOutcome, User
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
    return Actor(id=str(user.id), role=user.role.value, jurisdiction=user.jurisdiction, user_id=user.id, via=via)


def _active_account(session: Session, user_id: uuid.UUID, *, via: str) -> tuple[Actor, int] | None:
    """The account as it is now, if it exists and is active: the actor it is, and its token version."""
    account = repo.account(session, user_id)
    if account is None:
        return None
    role, jurisdiction, active, token_version = account
    if not active:
        return None
    return Actor(id=str(user_id), role=role.value, jurisdiction=jurisdiction, user_id=user_id, via=via), token_version


# --- tokens ---------------------------------------------------------------------------------


def issue_token(*, user: User, settings: Settings, now: datetime | None = None) -> str:
    issued = now or utcnow()
    claims: dict[str, Any] = {
        "iss": settings.token_issuer,
        "aud": settings.token_audience,
        "sub": str(user.id),
        "iat": issued,
        "nbf": issued,
        "exp": issued + timedelta(minutes=settings.token_minutes),
        "jti": uuid.uuid4().hex,
        "ver": user.token_version,
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


@dataclass(frozen=True, slots=True)
class LoginResult:
    token: str | None = None
    actor: Actor | None = None
    error: RegistryError | None = None


def _throttle_key(settings: Settings, kind: str, value: str) -> str:
    """A keyed hash: neither account names nor client addresses are stored as such."""
    key = settings.secret_key.get_secret_value().encode()
    return hmac.new(key, f"{kind}:{value}".encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


def _retry_after(oldest: datetime | None, now: datetime, window: timedelta) -> int:
    if oldest is None:
        return int(window.total_seconds())
    return max(1, math.ceil((oldest + window - now).total_seconds()))


def _throttled(session: Session, *, account_key: str, client_key: str, settings: Settings) -> TooManyAttempts | None:
    now = utcnow()
    window = timedelta(seconds=settings.login_window_seconds)
    since = now - window
    failures, oldest = repo.failures_since(session, account_key=account_key, since=since)
    if failures >= settings.login_max_failures_per_account:
        wait = _retry_after(oldest, now, window)
        return TooManyAttempts(f"too many failed sign-ins for this account; try again in {wait} s", retry_after=wait)
    failures, oldest = repo.failures_since(session, client_key=client_key, since=since)
    if failures >= settings.login_max_failures_per_client:
        wait = _retry_after(oldest, now, window)
        return TooManyAttempts(f"too many failed sign-ins from this client; try again in {wait} s", retry_after=wait)
    return None


def login(
    *, session: Session, username: str, password: str, client: str, settings: Settings, request_id: str | None
) -> LoginResult:
    """Checks a password, within the throttle; every attempt is counted and audited (commit even on failure)."""
    account_key = _throttle_key(settings, "account", username.casefold())
    client_key = _throttle_key(settings, "client", client)
    user = repo.by_username(session, username)
    who = actor_for(user, via="token") if user else Actor(id=UNKNOWN_ACCOUNT, role="none", jurisdiction=None)
    throttled = _throttled(session, account_key=account_key, client_key=client_key, settings=settings)
    if throttled is not None:
        audit.record(session, actor=who, action="auth.login", outcome=AuditOutcome.denied,
                     detail={"reason": "throttled"}, request_id=request_id)  # fmt: skip
        return LoginResult(error=throttled)
    ok = verify_password(user.password_hash if user else None, password) and user is not None and user.active
    repo.add_login_attempt(session, account_key=account_key, client_key=client_key, succeeded=ok)
    outcome = AuditOutcome.success if ok else AuditOutcome.failure
    audit.record(session, actor=who, action="auth.login", outcome=outcome, request_id=request_id)
    if not ok or user is None:
        return LoginResult(error=Unauthenticated("wrong username or password, or the account is disabled"))
    return LoginResult(token=issue_token(user=user, settings=settings), actor=who)
