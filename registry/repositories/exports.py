"""The query behind `registry export`: a registry's records, streamed in a stable order."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.record_types import RecordType

# Rows fetched from the database at a time: memory stays flat whatever the registry's size.
CHUNK_ROWS = 2_000


def current_records(
    session: Session, rtype: RecordType, fields: Sequence[str], *, source: str | None
) -> Iterator[dict[str, Any]]:
    """The fields of every record not withdrawn (of one registry, if given), by source and folio."""
    table = rtype.table
    stmt = select(*(table.c[name] for name in fields)).where(table.c.withdrawn_at.is_(None))
    if source is not None:
        stmt = stmt.where(table.c.source == source)
    stmt = stmt.order_by(table.c.source, table.c.folio).execution_options(yield_per=CHUNK_ROWS)
    for row in session.execute(stmt).mappings():
        yield dict(row)
