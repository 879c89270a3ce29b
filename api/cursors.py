"""Opaque cursors for stable pagination: where the last page ended, in the list's own order.

A cursor comes back from the client, so it is input like any other: whatever it decodes to, a value the
database could not take (a timestamp without a zone, out of range once in UTC, a 10**30 priority) is
refused here as a 400 naming `cursor`, never sent on to fail as a 500.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import uuid
from datetime import UTC, date, datetime
from typing import Any

from registry.errors import InvalidParameter
from registry.models import CandidatePair
from registry.repositories.review import QueuePosition

# The queue's priority is an INTEGER column: a larger number cannot even be compared with it.
_PRIORITY_RANGE = range(-(2**31), 2**31)


def _pack(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unpack(cursor: str) -> str:
    return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()


def _refuse() -> InvalidParameter:
    message = "is not a cursor this API returned"
    return InvalidParameter(f"cursor: {message}", errors=[{"field": "cursor", "message": message}])


def encode(created_at: datetime, record_id: uuid.UUID) -> str:
    return _pack(f"{created_at.isoformat()}|{record_id}".encode())


def decode(cursor: str | None) -> tuple[datetime, uuid.UUID] | None:
    """The (creation time, id) a list page ended at; a 400 for anything this API could not have returned."""
    if not cursor:
        return None
    try:
        created, record_id = _unpack(cursor).split("|", 1)
        created_at = datetime.fromisoformat(created)
        if created_at.utcoffset() is None:
            raise ValueError("a cursor's time has a zone")
        # Converted here, where a time that leaves the calendar in UTC (year 1 at +23:59) is an OverflowError.
        return created_at.astimezone(UTC), uuid.UUID(record_id)
    except (ValueError, OverflowError, binascii.Error, UnicodeDecodeError) as exc:
        raise _refuse() from exc


def encode_queue(pair: CandidatePair) -> str:
    position = [pair.score, pair.priority, pair.case_date.isoformat(), str(pair.id)]
    # A fifth element only where strong DNA evidence put the pair in the queue's first part (docs/dna.md).
    return _pack(json.dumps([*position, True] if pair.dna_strong else position).encode())


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def decode_queue(cursor: str | None) -> QueuePosition | None:
    """Where a review-queue page ended (score, priority, case date, id[, strong DNA]); a 400 for anything else."""
    if not cursor:
        return None
    try:
        position = json.loads(_unpack(cursor))
    except (ValueError, RecursionError, binascii.Error, UnicodeDecodeError) as exc:
        raise _refuse() from exc
    if not isinstance(position, list) or len(position) not in (4, 5):
        raise _refuse()
    strong = len(position) == 5
    if strong and position.pop() is not True:
        raise _refuse()
    score, priority, day, pair_id = position
    if not _is_number(score):
        raise _refuse()
    try:
        score = float(score)  # an integer beyond a float's range is an OverflowError
    except OverflowError as exc:
        raise _refuse() from exc
    if not math.isfinite(score):
        raise _refuse()
    if not (isinstance(priority, int) and not isinstance(priority, bool) and priority in _PRIORITY_RANGE):
        raise _refuse()
    if not (isinstance(day, str) and isinstance(pair_id, str)):
        raise _refuse()
    try:
        return QueuePosition(score, priority, date.fromisoformat(day), uuid.UUID(pair_id), dna_strong=strong)
    except ValueError as exc:
        raise _refuse() from exc
