"""Authentication: Argon2id passwords, short-lived signed tokens, API keys, throttled sign-in.

Every token names an account and a token version; each request reloads the account, so that a
disabled account (or one whose role changed) is refused at once, whatever tokens it still holds.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
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


def actor_from_token(*, session: Session, token: str, settings: Settings) -> Actor:
    refused = Unauthenticated("the access token is invalid, expired or revoked; sign in again")
    try:
        claims = jwt.decode(
            token,
            settings.secret_key.get_secret_value(),
            algorithms=[ALGORITHM],
            audience=settings.token_audience,
            issuer=settings.token_issuer,
            options={"require": list(REQUIRED_CLAIMS)},
        )
        user_id = uuid.UUID(str(claims["sub"]))
    except (jwt.PyJWTError, ValueError):
        raise refused from None
    user = repo.get(session, user_id)
    if user is None or not user.active or claims["ver"] != user.token_version:
        raise refused
    return actor_for(user, via="token")


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
    user = repo.get(session, stored.user_id)
    if user is None or not user.active:
        raise refused
    return actor_for(user, via="api_key")


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
