"""The CSV interchange format (docs/interchange.md): its columns and how a row becomes a record.

An empty cell means unknown. Column names are case-sensitive; an unknown column is an error
that names it, so that a misspelled header never silently drops a column of data. Files are
read by `registry.tables` (which also reads Spanish exports and workbooks) into `CsvRow`s.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from registry.csv_safety import restore
from registry.enums import RecordKind
from registry.i18n import _

REPORT_COLUMNS: tuple[str, ...] = (
    "source", "folio", "given_names", "first_surname", "second_surname", "aliases", "sex", "date_of_birth",
    "age_years", "curp", "last_seen_date", "last_seen_state", "last_seen_municipality", "height_cm",
    "distinguishing_marks", "status",
)  # fmt: skip
REPORT_REQUIRED: tuple[str, ...] = ("source", "folio", "sex", "last_seen_date", "last_seen_state")

REMAINS_COLUMNS: tuple[str, ...] = (
    "source", "folio", "found_date", "found_state", "found_municipality", "sex", "age_min", "age_max",
    "height_min_cm", "height_max_cm", "distinguishing_marks", "given_names", "first_surname", "second_surname",
    "status",
)  # fmt: skip
REMAINS_REQUIRED: tuple[str, ...] = ("source", "folio", "found_date", "found_state", "sex")

# Beyond the interchange format: what the demo generator (and a mapping file) may also supply.
REPORT_EXTRA_COLUMNS: tuple[str, ...] = (
    "birth_state", "complexion", "skin_tone", "hair", "eye_colour", "weight_kg", "nationality",
    "vulnerability", "clothing", "marks_structured", "publication_consent", "indigenous_group",
    "indigenous_language",
)  # fmt: skip
REMAINS_EXTRA_COLUMNS: tuple[str, ...] = (
    "condition", "forensic_service", "storage_location", "intake_date", "grave_reference", "marks_structured",
)  # fmt: skip

_LISTS = {"aliases", "vulnerability"}
# Columns whose stored field has another name.
_STORED_FIELD = {"marks_structured": "marks"}
# An error names at most this many offending columns, each cut to this length: a header of a
# million columns must not come back as a million names.
_NAMED_MAX = 10
_NAME_CHARS = 64


def stored_field_of(column: str) -> str:
    """The record field an interchange column fills."""
    return _STORED_FIELD.get(column, column)


def names(names: list[str]) -> str:
    shown = ", ".join(
        repr(name if len(name) <= _NAME_CHARS else name[:_NAME_CHARS] + "…") for name in names[:_NAMED_MAX]
    )
    return shown + (f" and {len(names) - _NAMED_MAX} more" if len(names) > _NAMED_MAX else "")


@dataclass(frozen=True, slots=True)
class Format:
    kind: RecordKind
    columns: tuple[str, ...]
    required: tuple[str, ...]
    extra_columns: tuple[str, ...]


FORMATS = {
    RecordKind.report: Format(RecordKind.report, REPORT_COLUMNS, REPORT_REQUIRED, REPORT_EXTRA_COLUMNS),
    RecordKind.remains: Format(RecordKind.remains, REMAINS_COLUMNS, REMAINS_REQUIRED, REMAINS_EXTRA_COLUMNS),
}


class HeaderError(ValueError):
    """The file's header cannot be imported; nothing in the file is."""


def check_header(fmt: Format, header: list[str] | None, *, allow_extra: bool = False) -> None:
    if not header:
        raise HeaderError(_("the file is empty: it needs a header row"))
    allowed = set(fmt.columns) | (set(fmt.extra_columns) if allow_extra else set())
    unknown = [name for name in header if name not in allowed]
    if unknown:
        raise HeaderError(_("unknown column(s): {names} (names are case-sensitive)", names=names(unknown)))
    duplicated = sorted(name for name, count in Counter(header).items() if count > 1)
    if duplicated:
        raise HeaderError(_("column(s) appear twice: {names}", names=names(duplicated)))
    missing = [name for name in fmt.required if name not in header]
    if missing:
        raise HeaderError(_("required column(s) missing: {join}", join=", ".join(missing)))


def row_payload(row: dict[str, str]) -> dict[str, Any]:
    """The schema payload for a CSV row: empty cells are unknown, lists split on ';'."""
    payload: dict[str, Any] = {}
    for name, raw in row.items():
        value = restore(raw.strip()) if isinstance(raw, str) else raw
        if value in ("", None):
            continue
        if name in _LISTS:
            payload[name] = [item.strip() for item in value.split(";") if item.strip()]
        elif name == "marks_structured":
            payload["marks"] = json.loads(value)
        else:
            payload[name] = value
    return payload


@dataclass(frozen=True, slots=True)
class CsvRow:
    line: int  # the line in the file where the row starts (a workbook's row number)
    values: dict[str, str]  # interchange column -> cell, in interchange codes
    problem: str | None = None  # set when the row's shape is broken (too many or too few cells)
    # A translated file's row (Spanish headers, a mapping): its cells under the headers as written,
    # and each column's header as written, for rejects that name what the clerk sees.
    written: dict[str, str] | None = None
    headers: dict[str, str] | None = None

    @property
    def as_written(self) -> dict[str, str]:
        """The row as the file has it (for a rejects file)."""
        return self.written if self.written is not None else self.values

    def header_of(self, column: str) -> str:
        """The header as written of an interchange column."""
        return self.headers.get(column, column) if self.headers else column
