"""Who is calling and whether they may: authentication on every protected route, the route's rule
from registry.policy, and an audit event (in its own short transaction) for every refusal."""

from __future__ import annotations

import ipaddress
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from anyio import CapacityLimiter, to_thread
from fastapi import Request
from fastapi.security import APIKeyHeader, OAuth2PasswordBearer
from sqlalchemy.orm import Session, sessionmaker

from registry import policy
from registry.actor import Actor
from registry.db import transaction
from registry.errors import Forbidden, NotFound, RegistryError, Unauthenticated
from registry.i18n import _, translate
from registry.models import AuditOutcome, Role
from registry.record_types import RecordType
from registry.services import audit
from registry.services import auth as auth_service
from registry.services.instance import is_sandbox
from registry.services.jurisdiction import foreign_source
from registry.settings import Settings

TOKEN_URL = "/api/v1/auth/token"  # noqa: S105 - a route, not a secret
bearer_scheme = OAuth2PasswordBearer(tokenUrl=TOKEN_URL, auto_error=False)
api_key_scheme = APIKeyHeader(name="X-API-Key", auto_error=False, description="An API key for system imports")

ANONYMOUS = Actor(id="anonymous", role="none", jurisdiction=None)
UNKNOWN_CLIENT = "unknown"

T = TypeVar("T")
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def request_id(request: Request) -> str | None:
    value = getattr(request.state, "request_id", None)
    return value if isinstance(value, str) else None


# --- the client's address ---------------------------------------------------------------------


@lru_cache(maxsize=8)
def _networks(trusted: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in trusted)


def _address(value: str) -> IPAddress | None:
    """An address as a peer or an X-Forwarded-For entry gives it (an IPv4 may carry a port, an IPv6 brackets)."""
    value = value.strip()
    if value.startswith("["):  # [2001:db8::1]:443
        value = value[1 : value.find("]")] if "]" in value else value
    elif value.count(":") == 1:  # 203.0.113.9:443
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: IPAddress | None, networks: Sequence[IPNetwork]) -> bool:
    return address is not None and any(address in network for network in networks)


def forwarded_client(peer: str, forwarded_for: Sequence[str], trusted: Sequence[str]) -> str:
    """The client's address: the peer's, unless the peer is a trusted proxy.

    Then it is the right-most X-Forwarded-For entry that no trusted proxy added: each proxy appends
    the address it was reached from, so the entries left of that are whatever the client claimed.
    An entry that is not an address ends the walk at the last trusted hop (a proxy that appended
    nothing, or a client's garbage, must not name the client).
    """
    networks = _networks(tuple(trusted))
    if not networks or not _trusted(_address(peer), networks):
        return peer
    client = peer
    entries = [entry for header in forwarded_for for entry in header.split(",") if entry.strip()]
    for entry in reversed(entries):
        address = _address(entry)
        if address is None:
            return client
        client = str(address)
        if not _trusted(address, networks):
            return client
    return client  # every hop was a trusted proxy: the left-most is as near the client as is known


def client_address(request: Request) -> str:
    """The address sign-in attempts are counted under (see `forwarded_client`)."""
    settings: Settings = request.app.state.settings
    peer = request.client.host if request.client else UNKNOWN_CLIENT
    return forwarded_client(peer, request.headers.getlist("x-forwarded-for"), settings.trusted_proxies)


# --- password checks ---------------------------------------------------------------------------


def _password_checks(request: Request) -> CapacityLimiter:
    """The process's bound on simultaneous password checks, made at first use (on the event loop, so no race)."""
    limiter: CapacityLimiter | None = getattr(request.app.state, "password_checks", None)
    if limiter is None:
        settings: Settings = request.app.state.settings
        limiter = CapacityLimiter(settings.password_checks_max)
        request.app.state.password_checks = limiter
    return limiter


async def check_password(request: Request, check: Callable[..., T], *args: object) -> T:
    """Runs a password check in a worker thread, at most `password_checks_max` at once in this process.

    Each Argon2 check takes tens of milliseconds and tens of megabytes, on purpose; unbounded, a
    burst of sign-ins (even for unknown accounts, which are checked against a decoy) exhausts the
    memory. The ones waiting wait on the event loop, holding no worker thread.
    """
    return await to_thread.run_sync(check, *args, limiter=_password_checks(request))


# --- rules -------------------------------------------------------------------------------------


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
        raise Unauthenticated(_("sign in: send `Authorization: Bearer <token>` (or `X-API-Key` for imports)"))
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
        raise Forbidden(_("this route has no access rule"))
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
    return NotFound(_("no {record} with id {record_id}", record=translate(rtype.label), record_id=record_id))


def outside_jurisdiction(request: Request, grant: Grant, rtype: RecordType, source: str) -> Forbidden:
    """Refuses creating (or importing) a record for another registry; this reveals nothing stored."""
    audit_denied(request, actor=grant.actor, action=grant.action.value, reason="jurisdiction",
                 record_kind=rtype.kind.value)  # fmt: skip
    return foreign_source(rtype, grant.actor, source)
