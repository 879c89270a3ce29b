"""Queries on the database's own kind (real or sandbox)."""

from __future__ import annotations

from sqlalchemy import exists, insert, select
from sqlalchemy.orm import Session

from registry.db import utcnow
from registry.enums import InstanceKind
from registry.models import MissingPersonReport, RegistryInstance, UnidentifiedRemains


def kind(session: Session) -> InstanceKind | None:
    return session.scalar(select(RegistryInstance.kind).where(RegistryInstance.id == 1))


def set_kind(session: Session, value: InstanceKind) -> None:
    session.execute(insert(RegistryInstance).values(id=1, kind=value, created_at=utcnow()))


def holds_records(session: Session) -> bool:
    return bool(
        session.scalar(select(exists().select_from(MissingPersonReport)))
        or session.scalar(select(exists().select_from(UnidentifiedRemains)))
    )
