"""Exporting a registry: the records an account may read, in the interchange format or in Spanish.

An account with a jurisdiction exports its own registry (a state takes its data back out); a
national account, or the registry's operator, exports every registry or the one it names. The
interchange columns hold no restricted field (contacts, investigation file, circumstances), so
an export never carries one. Every export is an audit event (counts only, nothing personal).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy.orm import Session

from registry import policy
from registry.actor import Actor
from registry.errors import Forbidden
from registry.i18n import _
from registry.interchange import FORMATS, stored_field_of
from registry.record_types import RecordType
from registry.repositories import exports as repo
from registry.services.instance import is_sandbox
from registry.services.jurisdiction import SYSTEM_ROLE


def export_scope(session: Session, actor: Actor, source: str | None) -> str | None:
    """The registry the export covers (None: every one); refuses what the account may not read."""
    if actor.role != SYSTEM_ROLE:
        policy.authorize(actor, policy.Action.record_read, sandbox=is_sandbox(session))
    if actor.jurisdiction is None:
        return source
    if source not in (None, actor.jurisdiction):
        raise Forbidden(
            _(
                "an account of {jurisdiction} exports its own registry only, not {source}",
                jurisdiction=actor.jurisdiction,
                source=source,
            )
        )
    return actor.jurisdiction


def exported_rows(
    *, session: Session, rtype: RecordType, actor: Actor, source: str | None
) -> tuple[tuple[str, ...], Iterator[dict[str, Any]]]:
    """The interchange columns and, streamed, each record's values under them."""
    covered = export_scope(session, actor, source)
    columns = FORMATS[rtype.kind].columns
    fields = [stored_field_of(column) for column in columns]
    rows = repo.current_records(session, rtype, fields, source=covered)
    return columns, rows
