"""Turning validated schemas into stored values, and stored values into history entries."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import Enum
from typing import Any

from pydantic import BaseModel

from registry.record_types import REPORTS, RecordType
from registry.services.derived import remains_derived, report_derived

_LIST_FIELDS = ("aliases", "marks", "vulnerability")


_PLAIN = (str, int, float, bool, type(None))
# Exact types that are returned as they are: checked first because `isinstance(value, Enum)` is
# slow, and these are nearly every value an import compares (an Enum member is never of them).
_PLAIN_TYPES = frozenset(_PLAIN)
# Values that a history entry leaves out: unknown, blank, an empty list.
_NOTHING: tuple[Any, ...] = (None, "", [])
_NOTHING_OR_EMPTY: tuple[Any, ...] = ([], None)


def jsonable(value: Any) -> Any:
    """A value as it is written into a history entry (JSON)."""
    if type(value) in _PLAIN_TYPES:
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_none=True)
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    return value


def stored_values(rtype: RecordType, data: BaseModel) -> dict[str, Any]:
    """The column values for a validated create schema, derived columns included."""
    fields = data.__dict__
    values: dict[str, Any] = {}
    for name in rtype.stored_fields:
        value = fields[name]
        values[name] = value.value if type(value) not in _PLAIN_TYPES and isinstance(value, Enum) else value
    for name in _LIST_FIELDS:
        if name in values:
            values[name] = jsonable(values[name] or [])
    if "publication_consent" in values:
        values["publication_consent"] = bool(values["publication_consent"])
    values.update(report_derived(values) if rtype is REPORTS else remains_derived(values))
    return values


def created(values: dict[str, Any], fields: tuple[str, ...]) -> dict[str, list[Any]]:
    """The changes that bring a record into being: every known field, from nothing."""
    # Imports create records by the thousand: stored values are JSON-ready except dates.
    return {
        name: [None, value.isoformat() if isinstance(value, date) else value]
        for name in fields
        if (value := values.get(name)) not in _NOTHING
    }


def diff(before: dict[str, Any], after: dict[str, Any], fields: tuple[str, ...]) -> dict[str, list[Any]]:
    """Each field whose value changes: [before, after], as JSON values."""
    changes: dict[str, list[Any]] = {}
    for name in fields:
        old, new = jsonable(before.get(name)), jsonable(after.get(name))
        if old in _NOTHING_OR_EMPTY and new in _NOTHING_OR_EMPTY:
            continue
        if old != new:
            changes[name] = [old, new]
    return changes
