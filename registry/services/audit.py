"""The audit trail: append events to the hash chain, verify it, anchor its head, prune it, export it.

An event carries who (an account id, never a name), as what role and jurisdiction, which action,
on which record, with what outcome, in which request. Its `detail` holds counts and codes only.
Appends join the caller's transaction, so a change whose event cannot be stored is rolled back with it.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, TextIO

from pydantic import SecretStr
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from registry.actor import Actor
from registry.csv_safety import SafeDictWriter
from registry.db import utcnow
from registry.errors import RegistryError
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
    beyond_head = "beyond_head"  # events past the head's position (inserted, or the head moved back)
    headless = "headless"  # events remain but the head row that names the last one is gone
    head_changed = "head_changed"  # the head names the last event's position with another hash


@dataclass(frozen=True, slots=True)
class ChainBreak:
    seq: int
    event_id: int | None
    kind: BreakKind
    head_seq: int | None = None

    def describe(self) -> str:
        where = f"event {self.seq}" + (f" (id {self.event_id})" if self.event_id is not None else "")
        reasons = {
            BreakKind.edited: "its content was changed after it was written",
            BreakKind.unlinked: "it does not follow the event before it (an event was deleted, inserted or moved)",
            BreakKind.out_of_sequence: "its position in the chain is wrong (an event was deleted or moved)",
            BreakKind.truncated: f"it and the events after it, up to event {self.head_seq} that the chain head "
            "names, are missing (the end of the trail was deleted)",
            BreakKind.beyond_head: f"it lies beyond the chain head (event {self.head_seq}): "
            "it was inserted, or the head was moved back",
            BreakKind.headless: "the chain head that names the last event is gone while events remain",
            BreakKind.head_changed: "the chain head names it with another hash (the head was changed)",
        }
        return f"{where}: {reasons[self.kind]}"


@dataclass(frozen=True, slots=True)
class ChainHead:
    """The head the chain was verified up to, and where the kept chain starts (after retention)."""

    seq: int
    hash: str
    first_seq: int = 1
    first_prev_hash: str = GENESIS_HASH


EMPTY_CHAIN = ChainHead(seq=0, hash=GENESIS_HASH)


@dataclass(frozen=True, slots=True)
class Verification:
    events: int
    first_break: ChainBreak | None
    head: ChainHead = EMPTY_CHAIN

    @property
    def intact(self) -> bool:
        return self.first_break is None


def _fields(event_row: AuditEvent) -> dict[str, Any]:
    return {name: getattr(event_row, name) for name in HASHED_FIELDS}


def verify(session: Session) -> Verification:
    """Walks the kept chain from its first event to the head and names the first break.

    The head and the highest position are read at one moment; events appended after it are left
    for the next verification rather than taken for tampering.
    """
    state = repo.chain_state(session)
    if state.head_seq is None or state.head_hash is None:
        if state.last_event_seq is not None:  # the head is written with the first event: it was deleted
            return Verification(0, ChainBreak(state.last_event_seq, None, BreakKind.headless))
        return Verification(0, None)
    head = ChainHead(state.head_seq, state.head_hash, state.first_seq or 1, state.first_prev_hash or GENESIS_HASH)
    if state.last_event_seq is not None and state.last_event_seq > head.seq:
        return Verification(0, ChainBreak(head.seq + 1, None, BreakKind.beyond_head, head.seq), head)
    expected_seq, previous, count = head.first_seq, head.first_prev_hash, 0
    for row in repo.events_in_order(session, through=head.seq):
        count += 1
        if row.seq != expected_seq:
            return Verification(count, ChainBreak(row.seq, row.id, BreakKind.out_of_sequence), head)
        if row.prev_hash != previous:
            return Verification(count, ChainBreak(row.seq, row.id, BreakKind.unlinked), head)
        if event_hash(_fields(row)) != row.hash:
            return Verification(count, ChainBreak(row.seq, row.id, BreakKind.edited), head)
        previous, expected_seq = row.hash, expected_seq + 1
    if expected_seq - 1 != head.seq:
        return Verification(count, ChainBreak(expected_seq, None, BreakKind.truncated, head.seq), head)
    if previous != head.hash:
        return Verification(count, ChainBreak(head.seq, None, BreakKind.head_changed), head)
    return Verification(count, None, head)


class AuditChainBroken(RegistryError):
    """The chain does not verify, so it is neither anchored nor pruned: that would bless or erase the damage."""

    status = 409
    title = "The audit chain is broken"
    slug = "audit-chain-broken"


def _intact(session: Session, refused: str) -> Verification:
    chain = verify(session)
    if chain.first_break is not None:
        raise AuditChainBroken(f"the audit chain is broken at {chain.first_break.describe()}; {refused}")
    return chain


# --- anchors ----------------------------------------------------------------------------------
# Like a signed tree head (RFC 6962): the head's position and hash, kept outside the database,
# signed with a key the database does not hold. Whoever rewrites or cuts the chain and re-hashes it
# with `event_hash` cannot make the anchored position carry the anchored hash again, nor sign a new
# anchor without the key.

ANCHOR_FORMAT = "registry-audit-anchor/1"
_KEY_ID_LABEL = b"registry-audit-key-id"


class AnchorUnreadable(RegistryError):
    status = 422
    title = "Not an audit anchor"
    slug = "audit-anchor-unreadable"


@dataclass(frozen=True, slots=True)
class Anchor:
    """The chain head at a moment: position, hash, when, how many events it covered; signed when keyed."""

    seq: int
    hash: str
    anchored_at: datetime
    events: int
    key_id: str | None = None
    signature: str | None = None

    def signed_content(self) -> bytes:
        """What the signature covers: every field but the signature, canonically encoded."""
        content = {
            "format": ANCHOR_FORMAT,
            "seq": self.seq,
            "hash": self.hash,
            "anchored_at": _timestamp(self.anchored_at),
            "events": self.events,
            "key_id": self.key_id,
        }
        return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")

    def document(self) -> str:
        """The anchor file's text (JSON)."""
        content = json.loads(self.signed_content()) | {"signature": self.signature}
        return json.dumps(content, sort_keys=True, indent=2) + "\n"


def key_id(key: SecretStr) -> str:
    """A short name of the key that reveals nothing of it: tells 'another key' from 'altered file'."""
    return hmac.new(key.get_secret_value().encode("utf-8"), _KEY_ID_LABEL, hashlib.sha256).hexdigest()[:16]


def _signature(anchor: Anchor, key: SecretStr) -> str:
    return hmac.new(key.get_secret_value().encode("utf-8"), anchor.signed_content(), hashlib.sha256).hexdigest()


def _anchor_of(chain: Verification, key: SecretStr | None) -> Anchor:
    unsigned = Anchor(seq=chain.head.seq, hash=chain.head.hash, anchored_at=utcnow(), events=chain.events)
    if key is None:
        return unsigned
    keyed = replace(unsigned, key_id=key_id(key))
    return replace(keyed, signature=_signature(keyed, key))


def anchor(session: Session, *, key: SecretStr | None) -> Anchor:
    """The current head as an anchor (signed with `key` when there is one), once the chain is verified."""
    return _anchor_of(_intact(session, "it is not anchored"), key)


_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def read_anchor(text: str) -> Anchor:
    """The anchor a file holds; AnchorUnreadable names what is wrong with one that is not an anchor."""
    try:
        content = json.loads(text)
    except ValueError:
        raise AnchorUnreadable("the anchor file is not JSON") from None
    if not isinstance(content, dict) or content.get("format") != ANCHOR_FORMAT:
        raise AnchorUnreadable(f"the file is not an audit anchor (expected format {ANCHOR_FORMAT!r})")
    seq, hash_, events = content.get("seq"), content.get("hash"), content.get("events")
    key, signature = content.get("key_id"), content.get("signature")
    try:
        anchored_at = datetime.fromisoformat(str(content.get("anchored_at")))
    except ValueError:
        raise AnchorUnreadable("the anchor's anchored_at is not a timestamp") from None
    if (
        not isinstance(seq, int)
        or isinstance(seq, bool)
        or seq < 0
        or not isinstance(events, int)
        or not isinstance(hash_, str)
        or not _HEX64.match(hash_)
        or anchored_at.tzinfo is None
        or (key is not None and not isinstance(key, str))
        or (signature is not None and not isinstance(signature, str))
    ):
        raise AnchorUnreadable("the anchor's fields are missing or malformed")
    return Anchor(seq, hash_, anchored_at, events, key, signature)


def _signature_problem(anchor: Anchor, key: SecretStr | None) -> str | None:
    if anchor.signature is None:
        if key is not None:  # else a forger would simply drop the signature
            return (
                "the anchor is unsigned, but an audit key is configured: anyone could have written it; "
                "use an anchor written with the key"
            )
        return None
    if key is None:
        return "the anchor is signed, but REGISTRY_AUDIT_KEY is not set, so its signature cannot be checked"
    if anchor.key_id != key_id(key):
        return f"the anchor was signed with another audit key (key id {anchor.key_id}, configured {key_id(key)})"
    if not hmac.compare_digest(anchor.signature, _signature(anchor, key)):
        return "the anchor's signature does not match its content: the anchor file was altered"
    return None


def check_anchor(session: Session, *, anchor: Anchor, key: SecretStr | None, chain: Verification) -> str | None:
    """Why the verified chain does not extend the anchored head, or None when it does."""
    problem = _signature_problem(anchor, key)
    if problem is not None:
        return problem
    head = chain.head
    if anchor.seq == 0:
        return None if anchor.hash == GENESIS_HASH else "the anchor names event 0 with a hash other than genesis"
    if head.seq < anchor.seq:
        if head.seq == 0:
            return (
                f"the audit trail is empty, but the anchor names event {anchor.seq}: "
                "the trail (and its head) were deleted"
            )
        return (
            f"the chain ends at event {head.seq}, before the anchored event {anchor.seq}: "
            "the last events were deleted and the head moved back"
        )
    if anchor.seq < head.first_seq - 1:
        return (
            f"the anchored event {anchor.seq} was removed by retention (the kept chain starts at event "
            f"{head.first_seq}); verify with the anchor that prune wrote, or a later one"
        )
    stored = head.first_prev_hash if anchor.seq == head.first_seq - 1 else repo.hash_at(session, seq=anchor.seq)
    if stored is None:
        return f"the anchored event {anchor.seq} is missing"
    if stored != anchor.hash:
        return (
            f"event {anchor.seq} does not carry the anchored hash: "
            f"the chain was rewritten at or before event {anchor.seq}"
        )
    return None


# --- retention ----------------------------------------------------------------------------


# Moving the chain's start forward deletes its oldest events, and the chain still verifies, and
# still extends any anchor of a later event: so the prune that moved it seals the new start with
# the audit key, in its own event, where whoever lacks the key cannot forge it.
PRUNE_ACTION = "audit.prune"


def _seal(key: SecretStr, *, first_seq: int, first_prev_hash: str) -> str:
    message = f"{ANCHOR_FORMAT}:start:{first_seq}:{first_prev_hash}".encode("ascii")
    return hmac.new(key.get_secret_value().encode("utf-8"), message, hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class Pruned:
    anchor: Anchor  # the head before pruning, as written to the anchor file
    deleted: int
    first_seq: int  # where the kept chain now starts


def prune(
    session: Session,
    *,
    before: datetime,
    key: SecretStr | None,
    anchor_out: TextIO,
    actor: Actor,
    request_id: str | None = None,
) -> Pruned:
    """The retention procedure: deletes the events before `before` and records where the chain now starts.

    Holds the chain lock throughout; verifies the chain first (pruning a broken chain would erase
    the evidence) and writes the anchor of the head to `anchor_out` before deleting anything, so the
    deleted span stays provable by that anchor. The prune is itself recorded as an event.
    """
    repo.lock_head(session)
    chain = _intact(session, "it is not pruned")
    kept = _anchor_of(chain, key)
    anchor_out.write(kept.document())
    anchor_out.flush()
    head = chain.head
    first = repo.first_kept(session, since=before, through=head.seq)
    first_seq, first_prev_hash = first if first is not None else (head.seq + 1, head.hash)
    deleted = 0
    if first_seq > head.first_seq:
        with repo.retention(session):
            # The start moves first: the triggers let retention delete only events before it.
            repo.move_start(session, first_seq=first_seq, first_prev_hash=first_prev_hash)
            deleted = repo.delete_events_before(session, seq=first_seq)
    detail: dict[str, Any] = {"deleted": deleted, "before": before.date().isoformat(), "first_seq": first_seq}
    if key is not None:
        detail["seal"] = _seal(key, first_seq=first_seq, first_prev_hash=first_prev_hash)
    record(session, actor=actor, action=PRUNE_ACTION, detail=detail, request_id=request_id)
    return Pruned(kept, deleted, first_seq)


def check_retention(session: Session, *, key: SecretStr | None, chain: Verification) -> str | None:
    """Why the kept chain's start was not moved by the retention procedure, or None when it was (or is 1)."""
    head = chain.head
    if head.first_seq <= 1:
        return None
    prunes = [row.detail or {} for row in repo.events_of(session, action=PRUNE_ACTION, since_seq=head.first_seq)]
    started = [detail for detail in prunes if detail.get("first_seq") == head.first_seq]
    if not started:
        return (
            f"the chain starts at event {head.first_seq}, but no prune recorded that start: "
            "its oldest events were deleted outside the retention procedure"
        )
    if key is None:
        return None  # nothing to check the seal with; anchors are unsigned too
    seal = _seal(key, first_seq=head.first_seq, first_prev_hash=head.first_prev_hash)
    if not any(hmac.compare_digest(str(detail.get("seal", "")), seal) for detail in started):
        return (
            f"the prune that started the chain at event {head.first_seq} is not sealed with the audit key: "
            "the oldest events were deleted by someone without it"
        )
    return None


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
        # Spreadsheets run a cell starting with '=' as a formula: the writer quotes such cells.
        writer = SafeDictWriter(out, fieldnames=EXPORT_FIELDS)
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
