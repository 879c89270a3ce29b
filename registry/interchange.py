"""The CSV interchange format (shared/spec/interchange.md): its columns and how a row becomes a record.

An empty cell means unknown. Column names are case-sensitive; an unknown column is an error
that names it, so that a misspelled header never silently drops a column of data.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from registry.enums import RecordKind

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
        raise HeaderError("the file is empty: it needs a header row")
    allowed = set(fmt.columns) | (set(fmt.extra_columns) if allow_extra else set())
    unknown = [name for name in header if name not in allowed]
    if unknown:
        raise HeaderError(f"unknown column(s): {', '.join(repr(u) for u in unknown)} (names are case-sensitive)")
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        raise HeaderError(f"column(s) appear twice: {', '.join(duplicated)}")
    missing = [name for name in fmt.required if name not in header]
    if missing:
        raise HeaderError(f"required column(s) missing: {', '.join(missing)}")


def row_payload(row: dict[str, str]) -> dict[str, Any]:
    """The schema payload for a CSV row: empty cells are unknown, lists split on ';'."""
    payload: dict[str, Any] = {}
    for name, raw in row.items():
        value = raw.strip() if isinstance(raw, str) else raw
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
    line: int  # the line in the file where the row starts
    values: dict[str, str]
    problem: str | None = None  # set when the row's shape is broken (too many or too few cells)


def open_rows(handle: TextIO, fmt: Format, *, allow_extra: bool = False) -> tuple[list[str], Iterator[CsvRow]]:
    """The header of an interchange CSV (checked now) and its rows, streamed, each with its first line."""
    reader = csv.reader(handle)
    first = next(reader, None)
    header = [h.lstrip("\ufeff").strip() for h in first] if first else None
    check_header(fmt, header, allow_extra=allow_extra)
    assert header is not None
    return header, _rows(reader, header)


def _rows(reader: Any, header: list[str]) -> Iterator[CsvRow]:
    width = len(header)
    start = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            line, start = start, reader.line_num + 1
            yield CsvRow(line, {}, f"the row cannot be read as CSV: {exc}")
            continue
        line, start = start, reader.line_num + 1
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            continue
        values = dict(zip(header, cells, strict=False))
        if len(cells) != width:
            yield CsvRow(line, values, f"the row has {len(cells)} cells but the header has {width} columns")
        else:
            yield CsvRow(line, values)
