"""Account management for administrators: list, create, disable and enable, change role, reset a password,
issue API keys."""

from __future__ import annotations

import uuid
from datetime import datetime

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from api.deps import ActorDep, SessionDep
from api.security import request_id
from registry.models import Role
from registry.services import users as service

router = APIRouter(prefix="/users", tags=["users"])


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    username: str
    role: Role
    jurisdiction: str | None = Field(description="A registry code, or null for national")
    active: bool
    created_at: datetime


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=3, max_length=100, description="Lower-case login handle")
    password: str = Field(min_length=12, max_length=200, description="At least 12 characters")
    role: Role
    jurisdiction: str | None = Field(default=None, max_length=3, description="Registry code; null for national")


class PasswordReset(BaseModel):
    model_config = ConfigDict(extra="forbid")

    password: str = Field(
        min_length=service.MIN_PASSWORD_LENGTH,
        max_length=200,
        description=f"The new password: at least {service.MIN_PASSWORD_LENGTH} characters",
    )


class RoleChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role
    jurisdiction: str | None = Field(default=None, max_length=3, description="Registry code; null for national")


class ApiKeyCreated(BaseModel):
    prefix: str = Field(description="Identifies the key (in audit events and for revocation)")
    key: str = Field(description="Send as `X-API-Key`; shown this once and never again")
    user_id: uuid.UUID


@router.get("", response_model=list[UserRead], summary="List accounts")
def list_users(session: SessionDep) -> list[UserRead]:
    return [UserRead.model_validate(u) for u in service.list_users(session=session)]


@router.post("", response_model=UserRead, status_code=201, summary="Create an account")
def create_user(body: UserCreate, session: SessionDep, actor: ActorDep, request: Request) -> UserRead:
    user = service.create_user(session=session, username=body.username, password=body.password, role=body.role,
                               jurisdiction=body.jurisdiction, actor=actor, request_id=request_id(request))  # fmt: skip
    return UserRead.model_validate(user)


@router.post("/{user_id}/disable", response_model=UserRead, summary="Disable an account (its tokens stop at once)")
def disable_user(user_id: uuid.UUID, session: SessionDep, actor: ActorDep, request: Request) -> UserRead:
    user = service.get_user(session=session, user_id=user_id)
    return UserRead.model_validate(
        service.disable_user(session=session, user=user, actor=actor, request_id=request_id(request))
    )


@router.post("/{user_id}/enable", response_model=UserRead, summary="Re-enable a disabled account")
def enable_user(user_id: uuid.UUID, session: SessionDep, actor: ActorDep, request: Request) -> UserRead:
    user = service.get_user(session=session, user_id=user_id)
    return UserRead.model_validate(
        service.enable_user(session=session, user=user, actor=actor, request_id=request_id(request))
    )


@router.post(
    "/{user_id}/password", response_model=UserRead, summary="Reset an account's password (its tokens stop at once)"
)
def set_password(
    user_id: uuid.UUID, body: PasswordReset, session: SessionDep, actor: ActorDep, request: Request
) -> UserRead:
    user = service.get_user(session=session, user_id=user_id)
    changed = service.set_password(session=session, user=user, password=body.password, actor=actor,
                                   request_id=request_id(request))  # fmt: skip
    return UserRead.model_validate(changed)


@router.post("/{user_id}/role", response_model=UserRead, summary="Change an account's role and jurisdiction")
def set_role(user_id: uuid.UUID, body: RoleChange, session: SessionDep, actor: ActorDep, request: Request) -> UserRead:
    user = service.get_user(session=session, user_id=user_id)
    changed = service.set_role(session=session, user=user, role=body.role, jurisdiction=body.jurisdiction,
                               actor=actor, request_id=request_id(request))  # fmt: skip
    return UserRead.model_validate(changed)


@router.post("/{user_id}/api-keys", response_model=ApiKeyCreated, status_code=201, summary="Issue an API key")
def create_api_key(user_id: uuid.UUID, session: SessionDep, actor: ActorDep, request: Request) -> ApiKeyCreated:
    user = service.get_user(session=session, user_id=user_id)
    key, full = service.create_api_key(session=session, user=user, actor=actor, request_id=request_id(request))
    return ApiKeyCreated(prefix=key.prefix, key=full, user_id=user.id)
