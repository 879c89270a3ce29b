"""Signing in (OAuth2 password flow), reading one's own identity, changing one's own password."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, ConfigDict, Field

from api.deps import AUTHORIZED, ActorDep, SessionFactoryDep, SettingsDep
from api.security import check_password, client_address, request_id
from registry.db import transaction
from registry.services import auth as service
from registry.services import users as users_service

router = APIRouter(prefix="/auth", tags=["authentication"])


class Token(BaseModel):
    access_token: str = Field(description="Send as `Authorization: Bearer <token>`")
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int = Field(description="Seconds until the token expires")
    refresh_token: str = Field(
        description="Exchange at `POST /api/v1/auth/refresh` for a new access token (and a new refresh token: "
        "each one works once); revoke it at `POST /api/v1/auth/logout`"
    )
    refresh_expires_in: int = Field(description="Seconds the refresh token stays usable if it is not used")


class RefreshRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    refresh_token: str = Field(min_length=1, max_length=200, description="The latest refresh token received")


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: str = Field(min_length=1, max_length=200, description="The account's password now")
    new_password: str = Field(
        min_length=users_service.MIN_PASSWORD_LENGTH,
        max_length=200,
        description=f"At least {users_service.MIN_PASSWORD_LENGTH} characters",
    )


class Identity(BaseModel):
    id: uuid.UUID | None = Field(description="The account's id (what audit events name)")
    role: str
    jurisdiction: str | None = Field(description="A registry code, or null for national")
    via: str = Field(description="token or api_key")


@router.post(
    "/token",
    response_model=Token,
    summary="Sign in with username and password; returns a short-lived access token",
    responses={401: {"description": "Wrong credentials"}, 429: {"description": "Too many failed attempts"}},
)
async def token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    request: Request,
    sessions: SessionFactoryDep,
    settings: SettingsDep,
) -> Token:
    client, rid = client_address(request), request_id(request)

    def begin() -> service.Admission:
        # The attempt is committed before it is counted, so that racing attempts see each other.
        with transaction(sessions) as session:
            attempt = service.begin_attempt(session=session, username=form.username, client=client, settings=settings)
        with transaction(sessions) as session:
            return service.admit(session=session, attempt=attempt, settings=settings, request_id=rid)

    admission = await run_in_threadpool(begin)
    if admission.refused is not None:
        raise admission.refused
    verified = await check_password(request, service.check_password, admission, form.password)

    def finish() -> service.LoginResult:
        # Its own transaction: a failure is audited even though the answer is an error.
        with transaction(sessions) as session:
            return service.finish_login(session=session, admission=admission, verified=verified, settings=settings,
                                        request_id=rid)  # fmt: skip

    result = await run_in_threadpool(finish)
    if result.error is not None:
        raise result.error
    assert result.token is not None
    assert result.refresh_token is not None
    return Token(
        access_token=result.token,
        expires_in=settings.token_minutes * 60,
        refresh_token=result.refresh_token,
        refresh_expires_in=min(settings.refresh_idle_minutes * 60, settings.refresh_absolute_hours * 3600),
    )


@router.post(
    "/refresh",
    response_model=Token,
    summary="Exchange a refresh token for a new access token and a new refresh token (the old one stops working)",
    responses={401: {"description": "Unknown, used, expired or revoked refresh token; sign in again"}},
)
def refresh(body: RefreshRequest, request: Request, sessions: SessionFactoryDep, settings: SettingsDep) -> Token:
    with transaction(sessions) as session:
        result = service.refresh(session=session, presented=body.refresh_token, settings=settings,
                                 request_id=request_id(request))  # fmt: skip
    if result.error is not None:  # raised after the commit: a reused token's family stays revoked
        raise result.error
    assert result.access_token is not None
    assert result.refresh_token is not None
    return Token(
        access_token=result.access_token,
        expires_in=settings.token_minutes * 60,
        refresh_token=result.refresh_token,
        refresh_expires_in=result.refresh_expires_in,
    )


@router.post(
    "/logout",
    status_code=204,
    response_class=Response,
    summary="Sign out: the refresh token and every one of its session stop working (access tokens run out)",
)
def logout(body: RefreshRequest, request: Request, sessions: SessionFactoryDep) -> Response:
    with transaction(sessions) as session:
        service.end_session(session=session, presented=body.refresh_token, request_id=request_id(request))
    return Response(status_code=204)


@router.get("/me", response_model=Identity, summary="Who the token (or API key) belongs to", dependencies=[AUTHORIZED])
def me(actor: ActorDep) -> Identity:
    return Identity(id=actor.user_id, role=actor.role, jurisdiction=actor.jurisdiction, via=actor.via)


@router.post(
    "/password",
    status_code=204,
    response_class=Response,
    summary="Change one's own password (the current one is required); every token of the account stops working",
    responses={403: {"description": "Wrong current password"}, 429: {"description": "Too many failed attempts"}},
    dependencies=[AUTHORIZED],
)
async def change_password(
    body: PasswordChange, actor: ActorDep, request: Request, sessions: SessionFactoryDep, settings: SettingsDep
) -> Response:
    client, rid = client_address(request), request_id(request)

    def begin() -> service.Admission:
        # Checked like a sign-in, counted against the same limits (see registry.services.auth).
        with transaction(sessions) as session:
            attempt = users_service.begin_password_change(session=session, actor=actor, new_password=body.new_password,
                                                          client=client, settings=settings)  # fmt: skip
        with transaction(sessions) as session:
            return service.admit(session=session, attempt=attempt, settings=settings,
                                 action=users_service.PASSWORD_CHANGE, request_id=rid)  # fmt: skip

    admission = await run_in_threadpool(begin)
    if admission.refused is not None:
        raise admission.refused
    new_hash = await check_password(
        request, users_service.new_password_hash, admission, body.current_password, body.new_password
    )

    def finish() -> None:
        with transaction(sessions) as session:
            error = users_service.finish_password_change(session=session, admission=admission, new_hash=new_hash,
                                                         request_id=rid)  # fmt: skip
        if error is not None:  # raised after the commit: the failure stays counted and audited
            raise error

    await run_in_threadpool(finish)
    return Response(status_code=204)
