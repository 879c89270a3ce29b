"""Demo data and real records never mix: a sandbox is its own database, and it knows it is one."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from registry.enums import InstanceKind
from registry.errors import SandboxViolation
from registry.i18n import _
from registry.repositories import instance as repo


def is_sandbox(session: Session) -> bool:
    return repo.kind(session) is InstanceKind.sandbox


def claim_for_sandbox(session: Session) -> None:
    """Marks an empty database as a sandbox; refuses a database that holds real records."""
    current = repo.kind(session)
    if current is InstanceKind.sandbox:
        return
    if current is InstanceKind.real or repo.holds_records(session):
        raise SandboxViolation(
            _(
                "this database holds real records: demo data is never written into it; use `registry demo` or point "
                "REGISTRY_DATABASE_URL at an empty database"
            )
        )
    repo.set_kind(session, InstanceKind.sandbox)


def claim_for_real_records(session: Session) -> None:
    """Marks a database as holding real records the first time it is used for them."""
    if repo.kind(session) is None:
        try:
            with session.begin_nested():
                repo.set_kind(session, InstanceKind.real)
        except IntegrityError:
            pass  # another request marked it at the same moment: the mark is there either way
