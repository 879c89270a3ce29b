"""The console's sign-in session: a signed cookie over a refresh-token session, CSRF tokens, the idle timeout.

The cookie (HttpOnly, SameSite=Strict, Secure over TLS) holds the session's refresh token, a CSRF
token and the time of the last request, signed with the registry's secret key. The refresh token
ties the cookie to a session row (`refresh_tokens`): signing out revokes it, and so do disabling
the account or changing its password or role. The idle timeout (`token_minutes`, 15 by default)
is counted from the last request, and every request made in time moves it forward.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any

import jwt
from fastapi import Request, Response

from registry.actor import Actor
from registry.settings import Settings

COOKIE = "registry_console"
LOGIN_COOKIE = "registry_console_login"  # the sign-in form's CSRF token, before there is a session
CSRF_FIELD = "csrf_token"
AUDIENCE = "registry-console"
ALGORITHM = "HS256"


@dataclass(frozen=True, slots=True)
class CookieSession:
    """What a valid cookie says: the session's refresh token, its CSRF token, when it was last used."""

    refresh_token: str
    csrf: str
    seen: int


@dataclass(frozen=True, slots=True)
class ConsoleSession:
    """The signed-in person of this request, the form token their pages carry, and the database kind."""

    actor: Actor
    username: str
    csrf: str
    sandbox: bool


def idle_seconds(settings: Settings) -> int:
    return settings.token_minutes * 60


def _key(settings: Settings) -> str:
    return settings.secret_key.get_secret_value()


def encode(settings: Settings, state: CookieSession) -> str:
    claims = {"aud": AUDIENCE, "rt": state.refresh_token, "csrf": state.csrf, "seen": state.seen}
    return jwt.encode(claims, _key(settings), algorithm=ALGORITHM)


def decode(settings: Settings, value: str | None, *, now: float | None = None) -> CookieSession | None:
    """The cookie's content if its signature holds and it was used within the idle timeout; None otherwise."""
    if not value:
        return None
    try:
        claims: dict[str, Any] = jwt.decode(value, _key(settings), algorithms=[ALGORITHM], audience=AUDIENCE)
        state = CookieSession(refresh_token=str(claims["rt"]), csrf=str(claims["csrf"]), seen=int(claims["seen"]))
    except (jwt.PyJWTError, KeyError, TypeError, ValueError):
        return None
    current = time.time() if now is None else now
    if current - state.seen > idle_seconds(settings) or state.seen > current + 60:
        return None
    return state


def new_session(refresh_token: str) -> CookieSession:
    return CookieSession(refresh_token=refresh_token, csrf=secrets.token_urlsafe(32), seen=int(time.time()))


def renewed(state: CookieSession) -> CookieSession:
    return CookieSession(refresh_token=state.refresh_token, csrf=state.csrf, seen=int(time.time()))


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def set_cookie(response: Response, request: Request, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name, value, max_age=max_age, path="/console", httponly=True, secure=_secure(request), samesite="strict"
    )


def clear_cookie(response: Response, request: Request, name: str) -> None:
    response.delete_cookie(name, path="/console", httponly=True, secure=_secure(request), samesite="strict")


def same_token(expected: str | None, given: object) -> bool:
    return bool(expected) and isinstance(given, str) and secrets.compare_digest(expected or "", given)
