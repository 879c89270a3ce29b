"""Idempotent creation: the first request with a key does the work; replays get its response.

The claim is committed in its own transaction before the work starts, so that a concurrent
replay sees it (409 while in flight); the completion is written in the same transaction as
the work, so that a stored response always describes a committed record.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from registry.db import utcnow
from registry.errors import IdempotencyKeyReused, IdempotentRequestInFlight, InvalidRecord
from registry.i18n import _
from registry.repositories import idempotency as repo
from registry.vocabulary import field_problem

# A claim older than this whose request never completed is taken to be abandoned (a crashed worker).
ABANDONED_AFTER = timedelta(minutes=2)


@dataclass(frozen=True, slots=True)
class StoredResponse:
    status: int
    body: Any
    headers: dict[str, str]


def fingerprint(payload: Any) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def check_key(key: str) -> str:
    if not key or len(key) > 200 or not key.isprintable():
        message = _("must be 1 to 200 printable characters")
        raise InvalidRecord(
            field_problem("Idempotency-Key", message), errors=[{"field": "Idempotency-Key", "message": message}]
        )
    return key


def claim(session: Session, *, scope: str, key: str, fingerprint: str) -> StoredResponse | None:
    """Claims the key for this request, or returns the response of the request that used it first."""
    try:
        with session.begin_nested():
            repo.insert_claim(session, scope=scope, key=key, fingerprint=fingerprint)
        return None
    except IntegrityError:
        pass
    existing = repo.find(session, scope=scope, key=key)
    if existing is None:  # released between our insert and our read: try once more
        repo.insert_claim(session, scope=scope, key=key, fingerprint=fingerprint)
        return None
    if existing.fingerprint != fingerprint:
        raise IdempotencyKeyReused(_("this Idempotency-Key was used with a different request body"))
    if existing.completed and existing.response_status is not None:
        return StoredResponse(existing.response_status, existing.response_body, existing.response_headers or {})
    if repo.take_over_abandoned(
        session, scope=scope, key=key, fingerprint=fingerprint, older_than=utcnow() - ABANDONED_AFTER
    ):
        return None
    raise IdempotentRequestInFlight(_("the first request with this Idempotency-Key is still being processed"))


def complete(session: Session, *, scope: str, key: str, response: StoredResponse) -> None:
    repo.complete(session, scope=scope, key=key, status=response.status, body=response.body, headers=response.headers)


def release(session: Session, *, scope: str, key: str) -> None:
    repo.release(session, scope=scope, key=key)
