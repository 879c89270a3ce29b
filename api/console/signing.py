"""Signing in and out of the console with the registry's accounts (the API's throttled sign-in, audited)."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session, sessionmaker

from api.console import session as cookies
from api.console.deps import Checked
from api.console.pages import render
from api.deps import SessionDep, SessionFactoryDep, SettingsDep
from api.security import check_password, client_address, request_id
from registry.db import transaction
from registry.i18n import _
from registry.services import auth as auth_service
from registry.services.instance import is_sandbox

router = APIRouter()
HOME = "/console/search"
LOGIN_FORM_SECONDS = 30 * 60


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a console page of this site, never another site."""
    if target and target.startswith("/console/") and not target.startswith("/console/login") and "//" not in target:
        return target
    return HOME


@router.get("/", include_in_schema=False)
def home() -> Response:
    return RedirectResponse(HOME, status_code=303)


def _sandbox(request: Request) -> bool:
    """Whether this database is a sandbox (the sign-in page carries the banner too)."""
    sessions: sessionmaker[Session] = request.app.state.reading_sessions
    with sessions() as session:
        return is_sandbox(session)


def _login_page(
    request: Request, *, next_url: str, message: str | None = None, status: int = 200, username: str = ""
) -> Response:
    token = secrets.token_urlsafe(32)
    response = render(
        request,
        "login.html",
        status=status,
        csrf=token,
        next=next_url,
        message=message,
        username=username,
        sandbox=_sandbox(request),
    )
    cookies.set_cookie(response, request, cookies.LOGIN_COOKIE, token, LOGIN_FORM_SECONDS)
    return response


@router.get("/login")
def login_form(request: Request, next: str | None = None, expired: bool = False) -> Response:
    message = (
        _(
            "your session ended after {minutes} minutes without activity; sign in again",
            minutes=request.app.state.settings.token_minutes,
        )
        if expired
        else None
    )
    return _login_page(request, next_url=safe_next(next), message=message)


@router.post("/login")
async def login(request: Request, sessions: SessionFactoryDep, settings: SettingsDep) -> Response:
    form = await request.form()
    next_url = safe_next(str(form.get("next") or ""))
    username, password = str(form.get("username") or ""), str(form.get("password") or "")
    if not cookies.same_token(request.cookies.get(cookies.LOGIN_COOKIE), form.get(cookies.CSRF_FIELD)):
        message = _("the sign-in form had expired; try again")
        return await run_in_threadpool(
            _login_page, request, next_url=next_url, message=message, status=403, username=username
        )
    if not username or not password:
        message = _("enter your username and your password")
        return await run_in_threadpool(
            _login_page, request, next_url=next_url, message=message, status=422, username=username
        )
    client, rid = client_address(request), request_id(request)

    def begin() -> auth_service.Admission:
        # As the API's sign-in: the attempt is committed before it is counted.
        with transaction(sessions) as session:
            attempt = auth_service.begin_attempt(session=session, username=username, client=client, settings=settings)
        with transaction(sessions) as session:
            return auth_service.admit(session=session, attempt=attempt, settings=settings, request_id=rid)

    admission = await run_in_threadpool(begin)
    if admission.refused is not None:
        message = _("too many failed attempts; wait a few minutes before trying again")
        return await run_in_threadpool(
            _login_page, request, next_url=next_url, message=message, status=429, username=username
        )
    verified = await check_password(request, auth_service.check_password, admission, password)

    def finish() -> auth_service.LoginResult:
        with transaction(sessions) as session:
            return auth_service.finish_login(
                session=session, admission=admission, verified=verified, settings=settings, request_id=rid
            )

    result = await run_in_threadpool(finish)
    if result.error is not None or result.refresh_token is None:
        message = _("wrong username or password, or the account is disabled")
        return await run_in_threadpool(
            _login_page, request, next_url=next_url, message=message, status=401, username=username
        )
    response = RedirectResponse(next_url, status_code=303)
    value = cookies.encode(settings, cookies.new_session(result.refresh_token))
    cookies.set_cookie(response, request, cookies.COOKIE, value, cookies.idle_seconds(settings))
    cookies.clear_cookie(response, request, cookies.LOGIN_COOKIE)
    return response


@router.post("/logout")
def logout(request: Request, session: SessionDep, current: Checked) -> Response:
    state = cookies.decode(request.app.state.settings, request.cookies.get(cookies.COOKIE))
    if state is not None:
        auth_service.end_session(session=session, presented=state.refresh_token, request_id=request_id(request))
    request.state.signed_out = True
    response = RedirectResponse("/console/login", status_code=303)
    cookies.clear_cookie(response, request, cookies.COOKIE)
    return response
