"""Signing in (OAuth2 password flow) and reading one's own identity."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, Field

from api.deps import AUTHORIZED, ActorDep, SessionFactoryDep, SettingsDep
from api.security import request_id
from registry.db import transaction
from registry.services import auth as service

router = APIRouter(prefix="/auth", tags=["authentication"])


class Token(BaseModel):
    access_token: str = Field(description="Send as `Authorization: Bearer <token>`")
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int = Field(description="Seconds until the token expires")


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
    client = request.client.host if request.client else "unknown"

    def attempt() -> service.LoginResult:
        # Its own transaction: a failed attempt is counted and audited even though the answer is an error.
        with transaction(sessions) as session:
            return service.login(session=session, username=form.username, password=form.password, client=client,
                                 settings=settings, request_id=request_id(request))  # fmt: skip

    result = await run_in_threadpool(attempt)
    if result.error is not None:
        raise result.error
    assert result.token is not None
    return Token(access_token=result.token, expires_in=settings.token_minutes * 60)


@router.get("/me", response_model=Identity, summary="Who the token (or API key) belongs to", dependencies=[AUTHORIZED])
def me(actor: ActorDep) -> Identity:
    return Identity(id=actor.user_id, role=actor.role, jurisdiction=actor.jurisdiction, via=actor.via)
