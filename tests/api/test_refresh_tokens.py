"""Sessions for people at work: refresh tokens rotate, are revoked on reuse, sign-out and account changes,
and expire when idle or at the session's absolute lifetime; an active clerk is never signed out before it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from registry.actor import SYSTEM
from registry.db import transaction, utcnow
from registry.models import AuditEvent, User
from registry.services import auth
from registry.services import users as users_service
from registry.settings import Settings
from tests.conftest import TEST_PASSWORD

TOKEN, REFRESH, LOGOUT, ME = "/api/v1/auth/token", "/api/v1/auth/refresh", "/api/v1/auth/logout", "/api/v1/auth/me"


def sign_in(client: TestClient, user: User) -> dict[str, Any]:
    response = client.post(TOKEN, data={"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 200, response.text
    return response.json()


def refresh(client: TestClient, token: str) -> Any:
    return client.post(REFRESH, json={"refresh_token": token})


def me(client: TestClient, access_token: str) -> int:
    return client.get(ME, headers={"Authorization": f"Bearer {access_token}"}).status_code


def refresh_events(sessions: sessionmaker[Session]) -> list[tuple[str, str, Any]]:
    with sessions() as session:
        rows = session.scalars(select(AuditEvent).where(AuditEvent.action.like("auth.%")).order_by(AuditEvent.seq))
        return [(e.action, e.outcome, e.detail) for e in rows if e.action != "auth.login"]


def test_sign_in_returns_a_refresh_token_that_rotates(
    app_client: TestClient, make_user: Callable[..., User], settings: Settings, sessions: sessionmaker[Session]
) -> None:
    signed_in = sign_in(app_client, make_user())
    assert signed_in["refresh_token"].startswith("rt_")
    assert signed_in["refresh_expires_in"] == settings.refresh_idle_minutes * 60

    first = refresh(app_client, signed_in["refresh_token"])
    assert first.status_code == 200, first.text
    renewed = first.json()
    assert renewed["refresh_token"] != signed_in["refresh_token"]
    assert me(app_client, renewed["access_token"]) == 200
    second = refresh(app_client, renewed["refresh_token"])
    assert second.status_code == 200
    assert [(a, o) for a, o, _d in refresh_events(sessions)] == [("auth.refresh", "success")] * 2


def test_reusing_a_rotated_refresh_token_revokes_the_whole_session(
    app_client: TestClient, make_user: Callable[..., User], sessions: sessionmaker[Session]
) -> None:
    stolen = sign_in(app_client, make_user())["refresh_token"]
    current = refresh(app_client, stolen).json()["refresh_token"]  # the clerk's client rotates it

    reused = refresh(app_client, stolen)  # someone kept a copy of the old one
    assert reused.status_code == 401
    assert reused.headers["www-authenticate"].startswith("Bearer")
    assert reused.headers["content-type"].startswith("application/problem+json")
    assert refresh(app_client, current).status_code == 401  # the clerk's too: everyone signs in again
    assert refresh_events(sessions)[1:] == [
        ("auth.refresh", "denied", {"reason": "reused"}),
        ("auth.refresh", "denied", {"reason": "revoked"}),
    ]


def test_signing_out_revokes_the_session(app_client: TestClient, make_user: Callable[..., User]) -> None:
    user = make_user()
    session_a, session_b = sign_in(app_client, user), sign_in(app_client, user)  # two browsers
    assert app_client.post(LOGOUT, json={"refresh_token": session_a["refresh_token"]}).status_code == 204
    assert refresh(app_client, session_a["refresh_token"]).status_code == 401
    assert refresh(app_client, session_b["refresh_token"]).status_code == 200  # the other session goes on
    # Signing out again (or with a token that never existed) answers the same, and changes nothing.
    assert app_client.post(LOGOUT, json={"refresh_token": session_a["refresh_token"]}).status_code == 204


def test_disabling_the_account_or_changing_its_password_revokes_its_refresh_tokens(
    app_client: TestClient, make_user: Callable[..., User], sessions: sessionmaker[Session]
) -> None:
    disabled, reset = make_user(), make_user()
    disabled_token = sign_in(app_client, disabled)["refresh_token"]
    reset_token = sign_in(app_client, reset)["refresh_token"]
    with transaction(sessions) as session:
        users_service.disable_user(session=session, user=disabled, actor=SYSTEM)
        users_service.set_password(session=session, user=reset, password="a brand new password", actor=SYSTEM)
    assert refresh(app_client, disabled_token).status_code == 401
    assert refresh(app_client, reset_token).status_code == 401
    with transaction(sessions) as session:  # enabled again: the old session stays void
        users_service.enable_user(session=session, user=disabled, actor=SYSTEM)
    assert refresh(app_client, disabled_token).status_code == 401


def test_an_active_clerk_stays_signed_in_until_the_absolute_lifetime_and_an_idle_one_is_signed_out(
    make_user: Callable[..., User], sessions: sessionmaker[Session], settings: Settings
) -> None:
    """Time is passed to the service (no sleeping): a refresh every idle-minus-one minutes keeps the session,
    until the absolute lifetime ends it; one idle for the idle timeout is refused."""
    user = make_user()
    start = utcnow()
    idle = timedelta(minutes=settings.refresh_idle_minutes)
    with transaction(sessions) as session:
        token = auth.start_session(session, user=user, settings=settings, now=start)
        idle_token = auth.start_session(session, user=user, settings=settings, now=start)
    with transaction(sessions) as session:
        late = auth.refresh(session=session, presented=idle_token, settings=settings, request_id=None, now=start + idle)
    assert late.error is not None
    assert late.error.status == 401

    now, renewals = start, 0
    end = start + timedelta(hours=settings.refresh_absolute_hours)
    while True:
        now += idle - timedelta(minutes=1)
        with transaction(sessions) as session:
            result = auth.refresh(session=session, presented=token, settings=settings, request_id=None, now=now)
        if now >= end:
            assert result.error is not None
            break
        assert result.error is None, f"signed out after {renewals} renewals at {now - start}"
        assert result.refresh_token is not None
        assert result.refresh_expires_in <= int((end - now).total_seconds())  # never past the session's end
        token, renewals = result.refresh_token, renewals + 1
    assert renewals >= settings.refresh_absolute_hours  # at the defaults: a whole working day of renewals
