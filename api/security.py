"""Who is calling and whether they may: authentication on every protected route, the route's rule
from registry.policy, and an audit event (in its own short transaction) for every refusal."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from fastapi import Request
from fastapi.security import APIKeyHeader, OAuth2PasswordBearer
from sqlalchemy.orm import Session, sessionmaker

from registry import policy
from registry.actor import Actor
from registry.db import transaction
from registry.errors import Forbidden, NotFound, RegistryError, Unauthenticated
from registry.models import AuditOutcome, Role
from registry.record_types import RecordType
from registry.services import audit
from registry.services import auth as auth_service
from registry.services.instance import is_sandbox
from registry.settings import Settings

TOKEN_URL = "/api/v1/auth/token"  # noqa: S105 - a route, not a secret
bearer_scheme = OAuth2PasswordBearer(tokenUrl=TOKEN_URL, auto_error=False)
api_key_scheme = APIKeyHeader(name="X-API-Key", auto_error=False, description="An API key for system imports")

ANONYMOUS = Actor(id="anonymous", role="none", jurisdiction=None)


def request_id(request: Request) -> str | None:
    value = getattr(request.state, "request_id", None)
    return value if isinstance(value, str) else None


def _action(request: Request) -> policy.Action | None:
    return policy.action_for(request.method, request.scope["path"])


def _action_name(request: Request) -> str:
    action = _action(request)
    return action.value if action else "unknown"


def audit_denied(
    request: Request,
    *,
    actor: Actor,
    action: str,
    reason: str,
    record_kind: str | None = None,
    record_id: str | None = None,
) -> None:
    """Records a refusal in its own transaction: the request's own is about to be rolled back."""
    sessions: sessionmaker[Session] = request.app.state.sessions
    with transaction(sessions) as session:
        audit.record(session, actor=actor, action=action, outcome=AuditOutcome.denied, record_kind=record_kind,
                     record_id=record_id, detail={"reason": reason}, request_id=request_id(request))  # fmt: skip


def authenticate(request: Request, session: Session, *, token: str | None, api_key: str | None) -> Actor:
    settings: Settings = request.app.state.settings
    try:
        if token:
            return auth_service.actor_from_token(session=session, token=token, settings=settings)
        if api_key:
            return auth_service.actor_from_api_key(session=session, key=api_key)
        raise Unauthenticated("sign in: send `Authorization: Bearer <token>` (or `X-API-Key` for imports)")
    except Unauthenticated:
        audit_denied(request, actor=ANONYMOUS, action=_action_name(request), reason="unauthenticated")
        raise


@dataclass(frozen=True, slots=True)
class Grant:
    """What the route's rule granted this actor: the action, how far it reaches, and on what database."""

    actor: Actor
    action: policy.Action
    scope: policy.Scope
    sandbox: bool

    def covers(self, source: str) -> bool:
        return policy.covers(self.actor, self.scope, source)

    def hidden_fields(self, rtype: RecordType, source: str) -> frozenset[str]:
        return policy.hidden_fields(self.actor, rtype.kind, source, sandbox=self.sandbox)


def grant_from_rules(request: Request, actor: Actor) -> Grant | None:
    """The grant when the rule table alone gives one; None when the database has a say.

    That is: a trainer (whose grants depend on whether this database is a sandbox), a route
    without a rule, or a refusal (which is audited); `authorize_route` decides those.
    """
    if actor.role == Role.trainer:
        return None
    action = _action(request)
    if action is None:
        return None
    scope = policy.decide(actor, action, sandbox=False)
    return None if scope is policy.NONE else Grant(actor, action, scope, sandbox=False)


def authorize_route(request: Request, session: Session, actor: Actor) -> Grant:
    """Applies the policy rule of the route being called; a route without a rule is refused."""
    action = _action(request)
    if action is None:
        audit_denied(request, actor=actor, action="unknown", reason="no-rule")
        raise Forbidden("this route has no access rule")
    sandbox = is_sandbox(session) if actor.role == Role.trainer else False
    try:
        scope = policy.authorize(actor, action, sandbox=sandbox)
    except RegistryError:
        audit_denied(request, actor=actor, action=action.value, reason="role")
        raise
    return Grant(actor, action, scope, sandbox)


def foreign_record(request: Request, grant: Grant, rtype: RecordType, record_id: uuid.UUID) -> NotFound:
    """Refuses a write to another jurisdiction's record exactly as if the record did not exist."""
    audit_denied(request, actor=grant.actor, action=grant.action.value, reason="jurisdiction",
                 record_kind=rtype.kind.value, record_id=str(record_id))  # fmt: skip
    return NotFound(f"no {rtype.label} with id {record_id}")


def outside_jurisdiction(request: Request, grant: Grant, rtype: RecordType, source: str) -> Forbidden:
    """Refuses creating (or importing) a record for another registry; this reveals nothing stored."""
    audit_denied(request, actor=grant.actor, action=grant.action.value, reason="jurisdiction",
                 record_kind=rtype.kind.value)  # fmt: skip
    return Forbidden(f"you may file {rtype.label}s for {grant.actor.jurisdiction or 'no registry'} only, not {source}")
