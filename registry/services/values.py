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


def jsonable(value: Any) -> Any:
    """A value as it is written into a history entry (JSON)."""
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
        values[name] = value.value if isinstance(value, Enum) else value
    for name in _LIST_FIELDS:
        if name in values:
            values[name] = jsonable(values[name] or [])
    if "publication_consent" in values:
        values["publication_consent"] = bool(values["publication_consent"])
    values.update(report_derived(values) if rtype is REPORTS else remains_derived(values))
    return values


def created(values: dict[str, Any], fields: tuple[str, ...]) -> dict[str, list[Any]]:
    """The changes that bring a record into being: every known field, from nothing."""
    changes: dict[str, list[Any]] = {}
    for name in fields:
        value = values.get(name)
        if value is None or value == "" or value == []:
            continue
        # Imports create records by the thousand: stored values are JSON-ready except dates.
        changes[name] = [None, value.isoformat() if isinstance(value, date) else value]
    return changes


def diff(before: dict[str, Any], after: dict[str, Any], fields: tuple[str, ...]) -> dict[str, list[Any]]:
    """Each field whose value changes: [before, after], as JSON values."""
    changes: dict[str, list[Any]] = {}
    for name in fields:
        old, new = jsonable(before.get(name)), jsonable(after.get(name))
        if old in ([], None) and new in ([], None):
            continue
        if old != new:
            changes[name] = [old, new]
    return changes
