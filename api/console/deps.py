"""The console's request dependencies: who is signed in (from the cookie), the route's rule, the form's CSRF token.

Each console route declares its action from registry.policy, as the API's routes do; the rule is
the same table, so the console shows nothing the API would refuse.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from api import security
from api.console import session as cookies
from api.console.session import CookieSession as CookieState
from api.deps import SessionDep
from api.language import adopt_account_language
from registry import policy
from registry.actor import Actor
from registry.errors import Forbidden
from registry.i18n import _
from registry.services import auth as auth_service
from registry.services.instance import is_sandbox
from registry.settings import Settings


class SignInRequired(Exception):
    """No valid session: the person is sent to the sign-in page (told so if the session timed out)."""

    def __init__(self, *, expired: bool) -> None:
        super().__init__("sign in")
        self.expired = expired


class FormExpired(Exception):
    """A form came back without the CSRF token of the session that showed it."""


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _authenticate(session: Session, settings: Settings, raw: str | None) -> tuple[Actor, CookieState, bool] | None:
    state = cookies.decode(settings, raw)
    actor = auth_service.session_actor(session=session, presented=state.refresh_token) if state else None
    if state is None or actor is None:
        return None
    return actor, state, is_sandbox(session)


async def console_session(request: Request, session: SessionDep) -> cookies.ConsoleSession:
    """The signed-in person, read again from the database on every request; the idle timeout moves forward.

    Async, so that the account's preferred language is set in the request's own context (a worker
    thread's would be lost); the database is read in one worker-thread hop.
    """
    settings = _settings(request)
    raw = request.cookies.get(cookies.COOKIE)
    found = await run_in_threadpool(_authenticate, session, settings, raw)
    if found is None:
        raise SignInRequired(expired=raw is not None)
    actor, state, sandbox = found
    adopt_account_language(request, actor)
    request.state.console_cookie = cookies.encode(settings, cookies.renewed(state))
    current = cookies.ConsoleSession(actor=actor, username="", csrf=state.csrf, sandbox=sandbox)
    request.state.console = current
    return current


ConsoleSessionDep = Annotated[cookies.ConsoleSession, Depends(console_session)]


def permit(action: policy.Action) -> Callable[..., security.Grant]:
    """The dependency that applies `action`'s rule to the signed-in person (refusals audited, answered 403)."""

    def grant(request: Request, current: ConsoleSessionDep) -> security.Grant:
        scope = policy.decide(current.actor, action, sandbox=current.sandbox)
        if scope is policy.NONE:
            security.audit_denied(request, actor=current.actor, action=action.value, reason="role")
            raise Forbidden(_("your role may not do this here"))
        return security.Grant(current.actor, action, scope, current.sandbox)

    return grant


def may(current: cookies.ConsoleSession, action: policy.Action) -> bool:
    """Whether the menu should offer `action` (the route checks again)."""
    return policy.decide(current.actor, action, sandbox=current.sandbox) is not policy.NONE


async def csrf_checked(request: Request, current: ConsoleSessionDep) -> cookies.ConsoleSession:
    """Refuses a form that does not carry this session's CSRF token."""
    form = await request.form()
    if not cookies.same_token(current.csrf, form.get(cookies.CSRF_FIELD)):
        raise FormExpired()
    return current


Checked = Annotated[cookies.ConsoleSession, Depends(csrf_checked)]
Search = Annotated[security.Grant, Depends(permit(policy.Action.record_search))]
Read = Annotated[security.Grant, Depends(permit(policy.Action.record_read))]
Match = Annotated[security.Grant, Depends(permit(policy.Action.match_search))]
Judge = Annotated[security.Grant, Depends(permit(policy.Action.judgement_record))]
Create = Annotated[security.Grant, Depends(permit(policy.Action.record_create))]
Update = Annotated[security.Grant, Depends(permit(policy.Action.record_update))]
Upload = Annotated[security.Grant, Depends(permit(policy.Action.import_upload))]


def parse_uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None
