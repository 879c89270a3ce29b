"""Queries on stored import mappings."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from registry.db import utcnow
from registry.models import ImportMappingVersion


def latest(session: Session, registry: str, name: str) -> ImportMappingVersion | None:
    """The version in force of a registry's named mapping."""
    return session.scalar(
        select(ImportMappingVersion)
        .where(ImportMappingVersion.source == registry, ImportMappingVersion.name == name)
        .order_by(ImportMappingVersion.version.desc())
        .limit(1)
    )


def current(session: Session, registry: str | None) -> Sequence[tuple[str, str, int]]:
    """(registry, name, version in force) of every stored mapping, of one registry or of all."""
    query = select(
        ImportMappingVersion.source, ImportMappingVersion.name, func.max(ImportMappingVersion.version)
    ).group_by(ImportMappingVersion.source, ImportMappingVersion.name)
    if registry is not None:
        query = query.where(ImportMappingVersion.source == registry)
    return [
        (r, n, v) for r, n, v in session.execute(query.order_by(ImportMappingVersion.source, ImportMappingVersion.name))
    ]


def add(session: Session, *, registry: str, name: str, version: int, text: str, created_by: str) -> None:
    session.execute(
        insert(ImportMappingVersion).values(
            source=registry, name=name, version=version, text=text, created_at=utcnow(), created_by=created_by
        )
    )
