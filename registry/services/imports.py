"""Bulk import: every valid row created or updated by (source, folio), every invalid one rejected.

A batch is validated row by row (`validate_batch`, no database needed: it may run in another
process), then written with a few set-based statements (`write_batch`); the caller commits each
batch, so an interrupted import leaves whole batches only, and re-running the file finishes it
(rows already stored count as unchanged).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from registry.actor import Actor
from registry.db import utcnow
from registry.enums import ChangeKind
from registry.errors import InvalidRecord, StaleVersion
from registry.interchange import CsvRow, row_payload
from registry.record_types import RecordType
from registry.repositories import records as repo
from registry.services.instance import claim_for_real_records
from registry.services.records import new_record_rows, version_entry
from registry.services.validation import validate
from registry.services.values import diff, jsonable, stored_values


@dataclass(slots=True)
class Rejected:
    line: int
    values: dict[str, str]
    error: str


@dataclass(slots=True)
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0

    def add(self, other: ImportSummary) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.rejected += other.rejected

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + self.rejected


@dataclass(slots=True)
class BatchResult:
    summary: ImportSummary = field(default_factory=ImportSummary)
    rejects: list[Rejected] = field(default_factory=list)


def _validated(rtype: RecordType, row: CsvRow) -> dict[str, Any]:
    if row.problem:
        raise InvalidRecord(row.problem)
    try:
        payload = row_payload(row.values)
    except json.JSONDecodeError as exc:
        raise InvalidRecord(f"marks_structured: is not valid JSON ({exc.msg})") from exc
    return stored_values(rtype, validate(rtype.create_schema, payload))


# A valid row: its line in the file, its cells as read (for a rejects file), its stored values.
ValidRow = tuple[int, dict[str, str], dict[str, Any]]


@dataclass(slots=True)
class ValidatedBatch:
    """A batch of rows checked by the registry's rules and ready to be written.

    Making one needs no database, so it may happen in another process than the writing: it
    pickles, cheaply (plain tuples, dicts and strings). The valid rows come in rounds, each
    (source, folio) at most once per round and in file order (a record that appears twice in a
    batch is written twice, in order); the rows refused come with their reasons.
    """

    rows: int
    rounds: list[list[ValidRow]] = field(default_factory=list)
    rejects: list[Rejected] = field(default_factory=list)


def validate_batch(*, rtype: RecordType, rows: Sequence[CsvRow]) -> ValidatedBatch:
    """Validates one batch of rows; touches no database."""
    batch = ValidatedBatch(rows=len(rows))
    occurrences: dict[tuple[str, str], int] = {}
    for row in rows:
        try:
            values = _validated(rtype, row)
        except InvalidRecord as exc:
            batch.rejects.append(Rejected(row.line, row.values, exc.detail))
            continue
        key = (values["source"], values["folio"])
        seen = occurrences.get(key, 0)
        occurrences[key] = seen + 1
        if seen == len(batch.rounds):
            batch.rounds.append([])
        batch.rounds[seen].append((row.line, row.values, values))
    return batch


def write_batch(*, session: Session, rtype: RecordType, batch: ValidatedBatch, actor: Actor) -> BatchResult:
    """Writes one validated batch; flushes, never commits."""
    claim_for_real_records(session)
    result = BatchResult(rejects=list(batch.rejects))
    for pending in batch.rounds:
        _write(session, rtype, pending, actor, result)
    result.summary.rejected = len(result.rejects)
    return result


def import_batch(*, session: Session, rtype: RecordType, rows: Sequence[CsvRow], actor: Actor) -> BatchResult:
    """Validates and writes one batch of rows; flushes, never commits."""
    return write_batch(session=session, rtype=rtype, batch=validate_batch(rtype=rtype, rows=rows), actor=actor)


def _write(
    session: Session,
    rtype: RecordType,
    pending: Sequence[ValidRow],
    actor: Actor,
    result: BatchResult,
) -> None:
    keys = [(values["source"], values["folio"]) for _line, _cells, values in pending]
    existing = repo.rows_by_natural_keys(session, rtype, keys, rtype.stored_fields)
    inserts, versions, events, updates = [], [], [], []
    now = utcnow()
    for line, cells, values in pending:
        stored = existing.get((values["source"], values["folio"]))
        if stored is None:
            record, version, event = new_record_rows(rtype, values, actor)
            inserts.append(record)
            versions.append(version)
            events.append(event)
            continue
        if stored["withdrawn_at"] is not None:
            result.rejects.append(
                Rejected(line, cells, f"folio: this {rtype.label} was withdrawn and can no longer be changed")
            )
            continue
        changes = diff(stored, values, rtype.stored_fields)
        if not changes:
            result.summary.unchanged += 1
            continue
        updates.append({**values, "_id": stored["id"], "_version": stored["version"], "updated_at": now,
                        "updated_by": actor.id})  # fmt: skip
        kind = ChangeKind.status_changed if "status" in changes else ChangeKind.updated
        versions.append(version_entry(rtype, stored["id"], stored["version"] + 1, kind, actor, changes))
        if "status" in changes:
            events.append(_status_event(rtype, stored, values, actor))
    repo.insert_records(session, rtype, inserts)
    if repo.update_many_if_version(session, rtype, updates) != len(updates):
        raise StaleVersion("records in this batch were changed by someone else during the import; run it again")
    repo.add_versions(session, versions)
    repo.add_status_events(session, events)
    result.summary.created += len(inserts)
    result.summary.updated += len(updates)


def _status_event(rtype: RecordType, stored: dict[str, Any], values: dict[str, Any], actor: Actor) -> dict[str, Any]:
    return {
        "record_kind": rtype.kind,
        "record_id": stored["id"],
        "from_status": jsonable(stored["status"]),
        "to_status": values["status"],
        "effective_date": values.get("status_date") or date.today(),
        "note": "status changed by import",
        "recorded_at": utcnow(),
        "recorded_by": actor.id,
        "record_version": stored["version"] + 1,
    }
