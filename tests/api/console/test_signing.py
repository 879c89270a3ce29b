"""Signing in and out of the console: the cookie's flags, CSRF on every form, the idle timeout."""

from __future__ import annotations

import time
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.console import session as cookies
from registry.models import AuditEvent, Role, User
from registry.settings import Settings
from tests.api.console.conftest import csrf_of, replace_cookie, sign_in


def _set_cookie(response_headers: list[str], name: str) -> str:
    found = [h for h in response_headers if h.startswith(f"{name}=")]
    assert found, f"no {name} cookie set"
    return found[-1]


def _sign_in_response(client: TestClient, username: str, password: str = "correct horse battery staple") -> object:
    page = client.get("/console/login")
    return client.post(
        "/console/login",
        data={"username": username, "password": password, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )


def test_the_session_cookie_is_httponly_strict_and_secure_only_over_tls(
    console_client: Callable[..., TestClient], make_user: Callable[..., User]
) -> None:
    user = make_user(Role.clerk, "JAL")
    plain = _sign_in_response(console_client(), user.username)
    cookie = _set_cookie(plain.headers.get_list("set-cookie"), cookies.COOKIE).lower()  # type: ignore[attr-defined]
    assert "httponly" in cookie
    assert "samesite=strict" in cookie
    assert "path=/console" in cookie
    assert "secure" not in cookie
    tls = _sign_in_response(console_client("https://testserver"), user.username)
    assert "; secure" in _set_cookie(tls.headers.get_list("set-cookie"), cookies.COOKIE).lower()  # type: ignore[attr-defined]


def test_a_wrong_password_gives_no_session(
    console_client: Callable[..., TestClient], make_user: Callable[..., User]
) -> None:
    user = make_user(Role.clerk, "JAL")
    client = console_client()
    response = _sign_in_response(client, user.username, "not the password")
    assert response.status_code == 401  # type: ignore[attr-defined]
    assert cookies.COOKIE not in client.cookies
    assert client.get("/console/search", follow_redirects=False).status_code == 303


def test_sign_in_without_the_form_token_is_refused(
    console_client: Callable[..., TestClient], make_user: Callable[..., User]
) -> None:
    user = make_user(Role.clerk, "JAL")
    client = console_client()
    client.get("/console/login")
    response = client.post(
        "/console/login",
        data={"username": user.username, "password": "correct horse battery staple"},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert cookies.COOKIE not in client.cookies


def test_pages_need_a_session_and_return_there_after_signing_in(
    console_client: Callable[..., TestClient], make_user: Callable[..., User]
) -> None:
    client = console_client()
    response = client.get("/console/search?kind=remains", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/console/login?next=%2Fconsole%2Fsearch")
    user = make_user(Role.clerk, "JAL")
    page = client.get(response.headers["location"])
    signed = client.post(
        "/console/login",
        data={
            "username": user.username,
            "password": "correct horse battery staple",
            "csrf_token": csrf_of(page.text),
            "next": "/console/search?kind=remains",
        },
        follow_redirects=False,
    )
    assert signed.headers["location"] == "/console/search?kind=remains"
    assert client.get("/console/search").status_code == 200


def test_after_sign_in_an_outside_address_is_not_followed(
    console_client: Callable[..., TestClient], make_user: Callable[..., User]
) -> None:
    user = make_user(Role.clerk, "JAL")
    client = console_client()
    page = client.get("/console/login")
    signed = client.post(
        "/console/login",
        data={
            "username": user.username,
            "password": "correct horse battery staple",
            "csrf_token": csrf_of(page.text),
            "next": "https://evil.example/",
        },
        follow_redirects=False,
    )
    assert signed.headers["location"] == "/console/search"


def test_sign_out_needs_the_form_token_and_revokes_the_session(
    console_as: Callable[..., TestClient], sessions: sessionmaker[Session]
) -> None:
    client = console_as(Role.clerk, "JAL")
    copied = client.cookies[cookies.COOKIE]
    assert client.post("/console/logout", data={}, follow_redirects=False).status_code == 403
    assert client.get("/console/search").status_code == 200  # still signed in
    token = csrf_of(client.get("/console/search").text)
    out = client.post("/console/logout", data={"csrf_token": token}, follow_redirects=False)
    assert out.status_code == 303
    assert out.headers["location"] == "/console/login"
    # A copy of the cookie kept from before is worth nothing: the session is revoked in the database.
    replace_cookie(client, cookies.COOKIE, copied)
    assert client.get("/console/search", follow_redirects=False).status_code == 303
    with sessions() as session:
        actions = session.scalars(select(AuditEvent.action)).all()
    assert "auth.logout" in actions


def test_the_idle_timeout_ends_the_session_and_each_request_renews_it(
    console_as: Callable[..., TestClient], settings: Settings
) -> None:
    client = console_as(Role.clerk, "JAL")
    state = cookies.decode(settings, client.cookies[cookies.COOKIE])
    assert state is not None
    idle = cookies.idle_seconds(settings)
    # Used 14 minutes ago: still good, and the request moves the timeout forward.
    recent = cookies.CookieSession(state.refresh_token, state.csrf, int(time.time()) - idle + 60)
    replace_cookie(client, cookies.COOKIE, cookies.encode(settings, recent))
    response = client.get("/console/search")
    assert response.status_code == 200
    renewed = cookies.decode(settings, client.cookies[cookies.COOKIE])
    assert renewed is not None
    assert renewed.seen > recent.seen + 50
    # Unused for longer than the timeout: back to the sign-in page, told why.
    stale = cookies.CookieSession(state.refresh_token, state.csrf, int(time.time()) - idle - 5)
    replace_cookie(client, cookies.COOKIE, cookies.encode(settings, stale))
    expired = client.get("/console/search", follow_redirects=False)
    assert expired.status_code == 303
    assert "expired=1" in expired.headers["location"]


def test_a_forged_cookie_is_refused(console_as: Callable[..., TestClient], settings: Settings) -> None:
    client = console_as(Role.clerk, "JAL")
    state = cookies.decode(settings, client.cookies[cookies.COOKIE])
    assert state is not None
    other = settings.model_copy(update={"secret_key": settings.secret_key.__class__("x" * 64)})
    replace_cookie(client, cookies.COOKIE, cookies.encode(other, state))
    assert client.get("/console/search", follow_redirects=False).status_code == 303


def test_the_root_leads_to_the_console_and_the_docs_need_no_cdn(app_client: TestClient) -> None:
    root = app_client.get("/", follow_redirects=False)
    assert root.status_code == 303
    assert root.headers["location"] == "/console/"
    for page in ("/docs", "/redoc"):
        html = app_client.get(page).text
        assert "cdn." not in html
        assert "https://" not in html.replace("https://fastapi.tiangolo.com", "")
    assert app_client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200
    assert app_client.get("/docs-assets/redoc.standalone.js").status_code == 200
    assert app_client.get("/console/static/console.css").status_code == 200
    landing = app_client.get("/console")
    assert landing.status_code == 200
    assert 'id="sign-in"' in landing.text


def test_pages_speak_the_accounts_language(
    console_client: Callable[..., TestClient], make_user: Callable[..., User], sessions: sessionmaker[Session]
) -> None:
    user = make_user(Role.clerk, "JAL")
    client = console_client()
    sign_in(client, user.username)
    assert '<html lang="en">' in client.get("/console/search").text  # the test registry's default
    with sessions() as session:
        session.get(User, user.id).preferred_language = "es-MX"  # type: ignore[union-attr]
        session.commit()
    assert '<html lang="es">' in client.get("/console/search").text
