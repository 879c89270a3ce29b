"""Whose records an actor may write, decided where the records are written.

The HTTP layer refuses a request early, but a use case that writes many records (an import) must
check each one itself: a check that reads the input differently from the writer is a check that
can be walked around.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from registry import policy
from registry.actor import Actor
from registry.errors import Forbidden, NotFound
from registry.i18n import N_, _, translate
from registry.record_types import RecordType
from registry.repositories import users as users_repo
from registry.services.instance import is_sandbox

# The registry's own processes (the seed, a CLI run by the machine's operator with --national):
# they act for every registry, and their actor says so by its role.
SYSTEM_ROLE = "system"


def write_scope(session: Session, actor: Actor, action: policy.Action) -> policy.Scope:
    """How far the actor may write for this action; Forbidden if not at all."""
    if actor.role == SYSTEM_ROLE:
        return policy.Scope.all
    return policy.authorize(actor, action, sandbox=is_sandbox(session))


_PLURALS = {"report": N_("reports"), "remains record": N_("remains records")}


def foreign_source_message(rtype: RecordType, actor: Actor, source: str) -> str:
    """Why a row or record of another registry is refused, naming the column a clerk must look at."""
    own = actor.jurisdiction or _("no registry")
    records = translate(_PLURALS.get(rtype.label, rtype.label))
    return "source: " + _(
        "you may file {records} for {own} only, not {source}", records=records, own=own, source=source
    )


def foreign_source(rtype: RecordType, actor: Actor, source: str) -> Forbidden:
    """The refusal of a record filed under another registry, naming the `source` field."""
    message = foreign_source_message(rtype, actor, source)
    return Forbidden(message, errors=[{"field": "source", "message": message.removeprefix("source: ")}])


def check_source(rtype: RecordType, actor: Actor, scope: policy.Scope, source: str) -> None:
    """Refuses a write of a record filed under a registry the grant does not reach."""
    if not policy.covers(actor, scope, source):
        raise foreign_source(rtype, actor, source)


def account_actor(session: Session, username: str, action: policy.Action) -> Actor:
    """The named account a command acts as, with its own role and jurisdiction; it must be allowed the action."""
    user = users_repo.by_username(session, username)
    if user is None or not user.active:
        raise NotFound(_("no active account named {username}", username=repr(username)))
    actor = Actor(id=str(user.id), role=user.role.value, jurisdiction=user.jurisdiction, user_id=user.id, via="cli")
    policy.authorize(actor, action, sandbox=is_sandbox(session))
    return actor
