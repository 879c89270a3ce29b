"""Opaque cursors for stable pagination: (creation time, id) of the last item of a page."""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import datetime

from registry.errors import InvalidRecord


def encode(created_at: datetime, record_id: uuid.UUID) -> str:
    raw = f"{created_at.isoformat()}|{record_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str | None) -> tuple[datetime, uuid.UUID] | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        created, record_id = raw.split("|", 1)
        return datetime.fromisoformat(created), uuid.UUID(record_id)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        message = "is not a cursor this API returned"
        raise InvalidRecord(f"cursor: {message}", errors=[{"field": "cursor", "message": message}]) from exc
