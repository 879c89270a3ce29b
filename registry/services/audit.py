"""The audit trail: append events to the hash chain, verify the chain, export it for oversight bodies.

An event carries who (an account id, never a name), as what role and jurisdiction, which action,
on which record, with what outcome, in which request. Its `detail` holds counts and codes only.
Appends join the caller's transaction, so a change whose event cannot be stored is rolled back with it.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, TextIO

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from registry.actor import Actor
from registry.db import utcnow
from registry.models import AuditEvent, AuditOutcome
from registry.repositories import audit as repo

GENESIS_HASH = repo.GENESIS_HASH

# The fields an event's hash covers, in this order.
HASHED_FIELDS = (
    "seq",
    "occurred_at",
    "actor_id",
    "role",
    "jurisdiction",
    "action",
    "record_kind",
    "record_id",
    "outcome",
    "request_id",
    "detail",
    "prev_hash",
)
EXPORT_FIELDS = (*HASHED_FIELDS, "hash")

# A detail value is a count, a flag, or a short code: nothing typed by a person fits this pattern.
_CODE = re.compile(r"^[A-Za-z0-9_.:-]{0,64}$")


@dataclass(frozen=True, slots=True)
class Entry:
    """One event to append; who and in which request come from the append itself."""

    action: str
    outcome: AuditOutcome = AuditOutcome.success
    record_kind: str | None = None
    record_id: str | None = None
    detail: dict[str, Any] | None = None


def _check_detail(detail: dict[str, Any] | None) -> dict[str, Any] | None:
    if detail is None:
        return None
    for key, value in detail.items():
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            if isinstance(item, bool | int) or item is None:
                continue
            if not isinstance(item, str) or not _CODE.match(item):
                raise ValueError(f"audit detail {key!r} must hold counts and codes only")
        if isinstance(value, tuple):
            detail[key] = list(value)
    return detail


def _timestamp(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def canonical(fields: dict[str, Any]) -> str:
    """The event's content as one stable string: what its hash is taken over."""
    content = {name: fields.get(name) for name in HASHED_FIELDS}
    content["occurred_at"] = _timestamp(fields["occurred_at"])
    content["outcome"] = str(content["outcome"]) if content["outcome"] is not None else None
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def event_hash(fields: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(fields).encode("ascii")).hexdigest()


def append(session: Session, *, actor: Actor, entries: Sequence[Entry], request_id: str | None = None) -> None:
    """Appends events to the chain inside the caller's transaction; holds the chain lock until it ends."""
    if not entries:
        return
    seq, previous = repo.lock_head(session)
    now = utcnow()
    rows = []
    for entry in entries:
        seq += 1
        row: dict[str, Any] = {
            "seq": seq,
            "occurred_at": now,
            "actor_id": actor.id[:100],
            "role": actor.role[:20],
            "jurisdiction": actor.jurisdiction,
            "action": entry.action,
            "record_kind": entry.record_kind,
            "record_id": entry.record_id,
            "outcome": entry.outcome,
            "request_id": request_id,
            "detail": _check_detail(dict(entry.detail) if entry.detail is not None else None),
            "prev_hash": previous,
        }
        row["hash"] = previous = event_hash(row)
        rows.append(row)
    repo.insert_events(session, rows)
    repo.move_head(session, seq=seq, hash_=previous)


def record(
    session: Session,
    *,
    actor: Actor,
    action: str,
    outcome: AuditOutcome = AuditOutcome.success,
    record_kind: str | None = None,
    record_id: str | None = None,
    detail: dict[str, Any] | None = None,
    request_id: str | None = None,
) -> None:
    append(
        session,
        actor=actor,
        entries=[Entry(action, outcome, record_kind, record_id, detail)],
        request_id=request_id,
    )


def audited_sessions(
    factory: sessionmaker[Session], *, actor: Actor, action: str, record_kind: str | None, request_id: str | None
) -> sessionmaker[Session]:
    """A session factory like `factory` whose every commit also appends one event (e.g. one per import batch)."""
    audited: sessionmaker[Session] = sessionmaker(class_=factory.class_, **factory.kw)
    batches = itertools.count(1)

    def before_commit(session: Session) -> None:
        record(
            session,
            actor=actor,
            action=action,
            record_kind=record_kind,
            detail={"batch": next(batches)},
            request_id=request_id,
        )

    event.listen(audited, "before_commit", before_commit)
    return audited


# --- verification ---------------------------------------------------------------------------


class BreakKind(StrEnum):
    edited = "edited"  # the content does not hash to the stored hash
    unlinked = "unlinked"  # prev_hash is not the previous event's hash (deleted, inserted or reordered)
    out_of_sequence = "out_of_sequence"  # a position is missing or repeated
    truncated = "truncated"  # the chain head names events that are gone


@dataclass(frozen=True, slots=True)
class ChainBreak:
    seq: int
    event_id: int | None
    kind: BreakKind

    def describe(self) -> str:
        where = f"event {self.seq}" + (f" (id {self.event_id})" if self.event_id is not None else "")
        reasons = {
            BreakKind.edited: "its content was changed after it was written",
            BreakKind.unlinked: "it does not follow the event before it (an event was deleted, inserted or moved)",
            BreakKind.out_of_sequence: "its position in the chain is wrong (an event was deleted or moved)",
            BreakKind.truncated: "the last events of the chain are missing",
        }
        return f"{where}: {reasons[self.kind]}"


@dataclass(frozen=True, slots=True)
class Verification:
    events: int
    first_break: ChainBreak | None

    @property
    def intact(self) -> bool:
        return self.first_break is None


def _fields(event_row: AuditEvent) -> dict[str, Any]:
    return {name: getattr(event_row, name) for name in HASHED_FIELDS}


def verify(session: Session) -> Verification:
    """Walks the chain from its first event and names the first that is broken."""
    expected_seq, previous, count = 1, GENESIS_HASH, 0
    for row in repo.events_in_order(session):
        count += 1
        if row.seq != expected_seq:
            return Verification(count, ChainBreak(row.seq, row.id, BreakKind.out_of_sequence))
        if row.prev_hash != previous:
            return Verification(count, ChainBreak(row.seq, row.id, BreakKind.unlinked))
        if event_hash(_fields(row)) != row.hash:
            return Verification(count, ChainBreak(row.seq, row.id, BreakKind.edited))
        previous, expected_seq = row.hash, expected_seq + 1
    head = repo.head(session)
    last_seq = expected_seq - 1
    if head is not None and (head[0] != last_seq or (last_seq and head[1] != previous)):
        return Verification(count, ChainBreak(last_seq + 1, None, BreakKind.truncated))
    return Verification(count, None)


# --- export -------------------------------------------------------------------------------


class ExportFormat(StrEnum):
    csv = "csv"
    jsonl = "jsonl"


def _exported(row: AuditEvent) -> dict[str, Any]:
    values = {name: getattr(row, name) for name in EXPORT_FIELDS}
    values["occurred_at"] = _timestamp(values["occurred_at"])
    values["outcome"] = str(values["outcome"])
    return values


def write_events(rows: Iterable[AuditEvent], out: TextIO, fmt: ExportFormat) -> int:
    count = 0
    if fmt is ExportFormat.csv:
        writer = csv.DictWriter(out, fieldnames=list(EXPORT_FIELDS))
        writer.writeheader()
        for row in rows:
            values = _exported(row)
            values["detail"] = json.dumps(values["detail"], sort_keys=True) if values["detail"] is not None else ""
            writer.writerow(values)
            count += 1
        return count
    for row in rows:
        out.write(json.dumps(_exported(row), sort_keys=True, ensure_ascii=False) + "\n")
        count += 1
    return count


def export(
    session: Session,
    *,
    out: TextIO,
    fmt: ExportFormat,
    since: datetime | None,
    actor: Actor,
    request_id: str | None = None,
) -> int:
    """Writes the events (since a time) to `out`, then records the export itself as an event."""
    count = write_events(repo.events_in_order(session, since=since), out, fmt)
    detail: dict[str, Any] = {"events": count, "format": fmt.value}
    if since is not None:
        detail["since"] = since.date().isoformat()
    record(session, actor=actor, action="audit.export", detail=detail, request_id=request_id)
    return count
