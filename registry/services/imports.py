"""Bulk import: every valid row created or updated by (source, folio), every invalid one rejected.

Each row is checked where it is written: a row filed under a registry the importer's grant does
not reach is rejected with its reason, whatever the rest of the file holds. An update changes only
the columns the file has (an empty cell in a present column clears that field; an empty `status`
cell leaves the status alone), and a status change follows the status endpoint's rules: a dated
event, and never back to the initial status (missing, unidentified) without the endpoint.

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

from pydantic import TypeAdapter, ValidationError
from sqlalchemy.orm import Session

from registry import policy
from registry.actor import Actor
from registry.csv_safety import restore
from registry.db import utcnow
from registry.enums import ChangeKind
from registry.errors import InvalidRecord, StaleVersion
from registry.i18n import _, translate
from registry.interchange import CsvRow, row_payload, stored_field_of
from registry.record_types import RecordType
from registry.rejections import explain
from registry.repositories import records as repo
from registry.schemas.fields import Folio, SourceCode
from registry.services.instance import claim_for_real_records
from registry.services.jurisdiction import foreign_source_message, write_scope
from registry.services.records import new_record_rows, version_entry
from registry.services.validation import validate
from registry.services.values import diff, jsonable, stored_values
from registry.tables import Reading


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
    foreign: int = 0  # of the rejected: rows of registries the importer may not write
    # How the file was read (format, encoding, separator, sheet, headers): set by the caller that read it.
    reading: Reading | None = field(default=None, compare=False, repr=False)

    def add(self, other: ImportSummary) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.rejected += other.rejected
        self.foreign += other.foreign

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + self.rejected


@dataclass(slots=True)
class BatchResult:
    summary: ImportSummary = field(default_factory=ImportSummary)
    rejects: list[Rejected] = field(default_factory=list)


def _payload(cells: dict[str, str]) -> dict[str, Any]:
    try:
        return row_payload(cells)
    except json.JSONDecodeError as exc:
        raise InvalidRecord(_("marks_structured: is not valid JSON ({msg})", msg=exc.msg)) from exc


def _validated(rtype: RecordType, row: CsvRow) -> dict[str, Any]:
    if row.problem:
        raise InvalidRecord(row.problem)
    return stored_values(rtype, validate(rtype.create_schema, _payload(row.values)))


# A row that is not a whole record by itself (a correction of a few columns, say) may still
# correct a stored one: it is kept by its natural key with the reason it cannot be a new record.
_NOT_A_RECORD = "_not_a_record"
_NATURAL_KEY: TypeAdapter[tuple[str, str]] = TypeAdapter(tuple[SourceCode, Folio])


def _natural_key(cells: dict[str, str]) -> tuple[str, str] | None:
    try:
        return _NATURAL_KEY.validate_python((cells.get("source") or "", restore(cells.get("folio") or "")))
    except ValidationError:
        return None


# A valid row: the row as read (its line, its cells, the cells as written for a rejects file), its stored values.
ValidRow = tuple[CsvRow, dict[str, Any]]


def _rejected(row: CsvRow, error: InvalidRecord) -> Rejected:
    """The row as the file has it, with the reason in the clerk's terms (the header as written, the value)."""
    return Rejected(row.line, row.as_written, explain(error, row))


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
            key = None if row.problem else _natural_key(row.values)
            if key is None:
                batch.rejects.append(_rejected(row, exc))
                continue
            values = {"source": key[0], "folio": key[1], _NOT_A_RECORD: explain(exc, row)}
        key = (values["source"], values["folio"])
        seen = occurrences.get(key, 0)
        occurrences[key] = seen + 1
        if seen == len(batch.rounds):
            batch.rounds.append([])
        batch.rounds[seen].append((row, values))
    return batch


def write_batch(*, session: Session, rtype: RecordType, batch: ValidatedBatch, actor: Actor) -> BatchResult:
    """Writes one validated batch, each row within the actor's jurisdiction; flushes, never commits."""
    scope = write_scope(session, actor, policy.Action.import_upload)
    claim_for_real_records(session)
    result = BatchResult(rejects=list(batch.rejects))
    for pending in batch.rounds:
        _write(session, rtype, _within_reach(rtype, pending, actor, scope, result), actor, result)
    result.summary.rejected = len(result.rejects)
    return result


def _within_reach(
    rtype: RecordType, pending: Sequence[ValidRow], actor: Actor, scope: policy.Scope, result: BatchResult
) -> list[ValidRow]:
    """The rows the grant reaches; every other one goes to the rejects with its reason."""
    kept = []
    for row, values in pending:
        if policy.covers(actor, scope, values["source"]):
            kept.append((row, values))
        else:
            result.rejects.append(_rejected(row, InvalidRecord(foreign_source_message(rtype, actor, values["source"]))))
            result.summary.foreign += 1
    return kept


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
    keys = [(values["source"], values["folio"]) for _row, values in pending]
    existing = repo.rows_by_natural_keys(session, rtype, keys, rtype.stored_fields)
    inserts, versions, events, updates = [], [], [], []
    now = utcnow()
    for row, values in pending:
        stored = existing.get((values["source"], values["folio"]))
        if stored is None and _NOT_A_RECORD in values:
            result.rejects.append(Rejected(row.line, row.as_written, values[_NOT_A_RECORD]))
            continue
        if stored is None:
            record, version, event = new_record_rows(rtype, values, actor)
            inserts.append(record)
            versions.append(version)
            events.append(event)
            continue
        try:
            updated = _updated_values(rtype, stored, row.values, values)
        except InvalidRecord as exc:
            result.rejects.append(_rejected(row, exc))
            continue
        if updated is None:
            result.summary.unchanged += 1
            continue
        changes = diff(stored, updated, rtype.stored_fields)
        updates.append({**updated, "_id": stored["id"], "_version": stored["version"], "updated_at": now,
                        "updated_by": actor.id})  # fmt: skip
        kind = ChangeKind.status_changed if "status" in changes else ChangeKind.updated
        versions.append(version_entry(rtype, stored["id"], stored["version"] + 1, kind, actor, changes))
        if "status" in changes:
            events.append(_status_event(rtype, stored, updated, actor))
    repo.insert_records(session, rtype, inserts)
    if repo.update_many_if_version(session, rtype, updates) != len(updates):
        raise StaleVersion(_("records in this batch were changed by someone else during the import; run it again"))
    repo.add_versions(session, versions)
    repo.add_status_events(session, events)
    result.summary.created += len(inserts)
    result.summary.updated += len(updates)


def present_fields(rtype: RecordType, cells: dict[str, str]) -> tuple[str, ...]:
    """The stored fields a row speaks of: its file's columns, less an empty `status` cell."""
    fields = []
    for column, cell in cells.items():
        name = stored_field_of(column)
        if name not in rtype.stored_fields or (name == "status" and not (cell or "").strip()):
            continue
        fields.append(name)
    return tuple(fields)


def _updated_values(
    rtype: RecordType, stored: dict[str, Any], cells: dict[str, str], values: dict[str, Any]
) -> dict[str, Any] | None:
    """The record's values after the row, or None when the row changes nothing.

    Only the row's columns change; the rest of the record (restricted contact fields, clothing,
    flags, its status) is kept as stored. The merged record is validated again as a whole, since
    a present column must agree with the stored ones (a date of birth with the last-seen date).
    """
    if stored["withdrawn_at"] is not None:
        raise InvalidRecord(
            _("folio: this {record} was withdrawn and can no longer be changed", record=translate(rtype.label))
        )
    present = present_fields(rtype, cells)
    if _NOT_A_RECORD not in values and not diff(stored, values, present):
        return None
    merged = {name: jsonable(value) for name in rtype.stored_fields if (value := stored[name]) is not None}
    payload = _payload(cells)
    for name in present:
        merged.pop(name, None)
        if name in payload:  # an empty cell is absent from the payload: the field is cleared
            merged[name] = payload[name]
    updated = stored_values(rtype, validate(rtype.create_schema, merged))
    if "status" in present and stored["status"] != updated["status"]:
        _check_status_change(rtype, stored, updated)
    # What the row does not mention stays exactly as stored, even where validation would now tidy it.
    for name in rtype.stored_fields:
        if name not in present:
            updated[name] = stored[name]
    return updated if diff(stored, updated, rtype.stored_fields) else None


def _check_status_change(rtype: RecordType, stored: dict[str, Any], values: dict[str, Any]) -> None:
    """An import may move a record on (with a dated event), never back to its initial status."""
    before = jsonable(stored["status"])
    if values["status"] == rtype.initial_status and before != rtype.initial_status:
        raise InvalidRecord(
            _(
                "status: the {record} is {before}; an import cannot set it back to {values} (use the status change of"
                " the record, with its date and a note)",
                record=translate(rtype.label),
                before=before,
                values=values["status"],
            )
        )


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
