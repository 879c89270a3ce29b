"""Creating, correcting, re-stating and withdrawing records, each change kept as a version."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from registry import policy
from registry.actor import Actor
from registry.db import utcnow
from registry.enums import ChangeKind
from registry.errors import Conflict, DuplicateRecord, InvalidRecord, NotFound, StaleVersion
from registry.i18n import _, format_date, translate
from registry.models import RecordVersion, StatusEvent
from registry.record_types import Record, RecordType
from registry.repositories import records as repo
from registry.schemas.common import StatusChange, Withdrawal
from registry.services import review
from registry.services.derived import curp_warnings
from registry.services.instance import claim_for_real_records
from registry.services.jurisdiction import check_source, write_scope
from registry.services.validation import validate
from registry.services.values import created, diff, jsonable, stored_values
from registry.vocabulary import field_label, field_problem, status_label


@dataclass(slots=True)
class SavedRecord:
    record: Record
    warnings: list[str] = field(default_factory=list)
    changed: bool = True


def _warnings(record: Record) -> list[str]:
    return curp_warnings(getattr(record, "curp_problems", []) or [])


def get_record(*, session: Session, rtype: RecordType, record_id: uuid.UUID) -> Record:
    record = repo.get(session, rtype, record_id)
    if record is None:
        raise NotFound(_("no {record} with id {record_id}", record=translate(rtype.label), record_id=record_id))
    return record


def version_entry(
    rtype: RecordType, record_id: uuid.UUID, version: int, kind: ChangeKind, actor: Actor, changes: dict[str, Any]
) -> dict[str, Any]:
    return {
        "record_kind": rtype.kind,
        "record_id": record_id,
        "version": version,
        "change_kind": kind,
        "changed_at": utcnow(),
        "changed_by": actor.id,
        "changes": changes,
    }


def new_record_rows(
    rtype: RecordType, values: dict[str, Any], actor: Actor
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The record row, its first version and its first status event, ready to insert."""
    now = utcnow()
    record_id = uuid.uuid4()
    row = {
        **values,
        "id": record_id,
        "version": 1,
        "created_at": now,
        "updated_at": now,
        "created_by": actor.id,
        "updated_by": actor.id,
    }
    changes = created(values, rtype.stored_fields)
    version = version_entry(rtype, record_id, 1, ChangeKind.created, actor, changes)
    event = {
        "record_kind": rtype.kind,
        "record_id": record_id,
        "from_status": None,
        "to_status": values["status"],
        "effective_date": values.get("status_date") or values[rtype.date_field],
        "note": None,
        "recorded_at": now,
        "recorded_by": actor.id,
        "record_version": 1,
    }
    return row, version, event


def _check_writer(session: Session, rtype: RecordType, actor: Actor, action: policy.Action, source: str) -> None:
    """The actor may do this to a record of this registry: checked here, where it is written, whatever
    the caller (the HTTP router refuses earlier, and answers a foreign record as a missing one)."""
    check_source(rtype, actor, write_scope(session, actor, action), source)


def create_record(*, session: Session, rtype: RecordType, data: BaseModel, actor: Actor) -> SavedRecord:
    claim_for_real_records(session)
    values = stored_values(rtype, data)
    _check_writer(session, rtype, actor, policy.Action.record_create, values["source"])
    existing = repo.id_by_natural_key(session, rtype, values["source"], values["folio"])
    if existing is not None:
        raise _duplicate(rtype, values, existing)
    row, version, event = new_record_rows(rtype, values, actor)
    try:
        with session.begin_nested():
            repo.insert_records(session, rtype, [row])
    except IntegrityError as exc:
        # Another clerk created the same (source, folio) between our check and our insert.
        existing = repo.id_by_natural_key(session, rtype, values["source"], values["folio"])
        if existing is None:
            raise
        raise _duplicate(rtype, values, existing) from exc
    repo.add_versions(session, [version])
    repo.add_status_events(session, [event])
    record = get_record(session=session, rtype=rtype, record_id=row["id"])
    return SavedRecord(record, _warnings(record))


def search_records(
    *,
    session: Session,
    rtype: RecordType,
    flt: repo.RecordFilter,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> Sequence[Record]:
    return repo.search(session, rtype, flt, after=after, limit=limit)


def record_history(
    *, session: Session, rtype: RecordType, record_id: uuid.UUID
) -> tuple[Sequence[RecordVersion], Sequence[StatusEvent]]:
    get_record(session=session, rtype=rtype, record_id=record_id)
    return repo.versions(session, rtype.kind, record_id), repo.status_events(session, rtype.kind, record_id)


def _duplicate(rtype: RecordType, values: dict[str, Any], existing: uuid.UUID) -> DuplicateRecord:
    return DuplicateRecord(
        _(
            "a {record} with source {source} and folio {folio} already exists",
            record=translate(rtype.label),
            source=values["source"],
            folio=values["folio"],
        ),
        existing_id=str(existing),
    )


def current_values(rtype: RecordType, record: Record) -> dict[str, Any]:
    return {name: getattr(record, name) for name in rtype.stored_fields}


def _writable(rtype: RecordType, record: Record, expected_version: int) -> None:
    if record.version != expected_version:
        raise StaleVersion(
            _(
                "the {record} was changed by someone else (now version {version}); reload it and apply your change "
                "again",
                record=translate(rtype.label),
                version=record.version,
            ),
            current_version=record.version,
        )
    if record.withdrawn_at is not None:
        raise Conflict(_("the {record} was withdrawn and can no longer be changed", record=translate(rtype.label)))


def _write(
    session: Session,
    rtype: RecordType,
    record: Record,
    expected_version: int,
    values: dict[str, Any],
    kind: ChangeKind,
    actor: Actor,
    changes: dict[str, Any],
) -> Record:
    now = utcnow()
    if not repo.update_if_version(
        session, rtype, record.id, expected_version, {**values, "updated_at": now, "updated_by": actor.id}
    ):
        raise StaleVersion(
            _(
                "the {record} was changed by someone else; reload it and apply your change again",
                record=translate(rtype.label),
            )
        )
    repo.add_versions(session, [version_entry(rtype, record.id, expected_version + 1, kind, actor, changes)])
    return get_record(session=session, rtype=rtype, record_id=record.id)


def update_record(
    *,
    session: Session,
    rtype: RecordType,
    record_id: uuid.UUID,
    patch: BaseModel,
    expected_version: int,
    actor: Actor,
) -> SavedRecord:
    record = get_record(session=session, rtype=rtype, record_id=record_id)
    _check_writer(session, rtype, actor, policy.Action.record_update, record.source)
    _writable(rtype, record, expected_version)
    before = current_values(rtype, record)
    merged = {**jsonable(before), **patch.model_dump(mode="json", exclude_unset=True)}
    values = stored_values(rtype, validate(rtype.create_schema, merged))
    changes = diff(before, values, rtype.stored_fields)
    if not changes:
        return SavedRecord(record, _warnings(record), changed=False)
    updated = _write(session, rtype, record, expected_version, values, ChangeKind.updated, actor, changes)
    return SavedRecord(updated, _warnings(updated))


def change_status(
    *,
    session: Session,
    rtype: RecordType,
    record_id: uuid.UUID,
    change: StatusChange,
    expected_version: int,
    actor: Actor,
) -> SavedRecord:
    """A clerk's status change of a record of their registry (dated, kept as an event)."""
    record = get_record(session=session, rtype=rtype, record_id=record_id)
    _check_writer(session, rtype, actor, policy.Action.record_change_status, record.source)
    return apply_status_change(
        session=session,
        rtype=rtype,
        record_id=record_id,
        change=change,
        expected_version=expected_version,
        actor=actor,
    )


def apply_status_change(
    *,
    session: Session,
    rtype: RecordType,
    record_id: uuid.UUID,
    change: StatusChange,
    expected_version: int,
    actor: Actor,
) -> SavedRecord:
    """A status change as part of a use case that checked its own right (an identification and its reversal)."""
    allowed = [s.value for s in rtype.status_enum]
    if change.status not in allowed:
        raise InvalidRecord(
            field_problem("status", _("must be one of {allowed}", allowed=", ".join(allowed))),
            errors=[{"field": "status", "message": _("must be one of {allowed}", allowed=", ".join(allowed))}],
        )
    record = get_record(session=session, rtype=rtype, record_id=record_id)
    _writable(rtype, record, expected_version)
    if record.status == change.status:
        raise Conflict(
            _("the {record} is already {status}", record=translate(rtype.label), status=status_label(change.status))
        )
    if change.date < getattr(record, rtype.date_field):
        message = _("must not be before {field} ({date})", field=field_label(rtype.date_field),
                    date=format_date(getattr(record, rtype.date_field)))  # fmt: skip
        raise InvalidRecord(field_problem("date", message), errors=[{"field": "date", "message": message}])
    previous_status = jsonable(record.status)
    values = {"status": change.status, "status_date": change.date}
    changes = diff({"status": record.status, "status_date": record.status_date}, values, ("status", "status_date"))
    updated = _write(session, rtype, record, expected_version, values, ChangeKind.status_changed, actor, changes)
    repo.add_status_events(
        session,
        [
            {
                "record_kind": rtype.kind,
                "record_id": record.id,
                "from_status": previous_status,
                "to_status": change.status,
                "effective_date": change.date,
                "note": change.note,
                "recorded_at": utcnow(),
                "recorded_by": actor.id,
                "record_version": updated.version,
            }
        ],
    )
    return SavedRecord(updated, _warnings(updated))


def withdraw_record(
    *,
    session: Session,
    rtype: RecordType,
    record_id: uuid.UUID,
    withdrawal: Withdrawal,
    expected_version: int,
    actor: Actor,
) -> SavedRecord:
    record = get_record(session=session, rtype=rtype, record_id=record_id)
    _check_writer(session, rtype, actor, policy.Action.record_withdraw, record.source)
    _writable(rtype, record, expected_version)
    values = {
        "withdrawn_at": utcnow(),
        "withdrawn_by": actor.id,
        "withdrawal_reason": withdrawal.reason.value,
        "withdrawal_note": withdrawal.note,
    }
    changes = {"withdrawal_reason": [None, withdrawal.reason.value], "withdrawal_note": [None, withdrawal.note]}
    updated = _write(session, rtype, record, expected_version, values, ChangeKind.withdrawn, actor, changes)
    # A withdrawn record is no one's candidate: its pairs leave the review queue now (judgements kept).
    review.retire_pairs_of(session, record_id)
    return SavedRecord(updated, [])
