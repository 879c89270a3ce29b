"""Writing records out as the interchange format (CSV or workbook) or as a Spanish export.

What is written here imports back unchanged (`registry import` of an export finds every record
unchanged): interchange files hold the codes, Spanish ones the words and headers the importer
reads back (registry/spanish.py). Cells a spreadsheet would run as formulas are neutralised.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date
from enum import Enum
from typing import IO, Any

from registry import spanish
from registry.csv_safety import SafeWriter
from registry.mappings import STATE_COLUMNS
from registry.workbooks import write_workbook

FORMATS = ("csv", "xlsx")
LANGUAGES = ("en", "es")


def headers(columns: Sequence[str], lang: str) -> list[str]:
    """The header row: interchange names, or the first Spanish header of each column."""
    return [spanish.HEADERS[column][0] if lang == "es" else column for column in columns]


def cell(column: str, value: Any, lang: str, *, date_cells: bool = False) -> Any:
    """A stored value as an export writes it."""
    if value is None:
        return ""
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, list | tuple):
        return ";".join(str(item) for item in value)
    if isinstance(value, date):
        if lang == "es" and not date_cells:
            return value.strftime("%d/%m/%Y")
        return value if date_cells else value.isoformat()
    if lang == "es":
        if column == "sex":
            return spanish.SEX_WORDS.get(value, value)
        if column == "status":
            return spanish.STATUS_WORDS.get(value, value)
        if column in STATE_COLUMNS:
            return spanish.STATE_WORDS.get(value, value)
    return value


def write_csv(target: IO[bytes], columns: Sequence[str], rows: Iterable[dict[str, Any]], lang: str) -> int:
    """An interchange CSV (UTF-8, commas), or for Spanish a CSV Excel opens as it saves one (BOM, semicolons)."""
    text = io.TextIOWrapper(target, encoding="utf-8-sig" if lang == "es" else "utf-8", newline="")
    try:
        writer = SafeWriter(text, delimiter=";" if lang == "es" else ",", lineterminator="\r\n")
        writer.writerow(headers(columns, lang))
        count = 0
        for row in rows:
            writer.writerow([cell(column, row.get(column), lang) for column in columns])
            count += 1
    finally:
        text.flush()
        text.detach()  # the target stays open: it is the caller's
    return count


def write_xlsx(target: IO[bytes], columns: Sequence[str], rows: Iterable[dict[str, Any]], lang: str, sheet: str) -> int:
    """A workbook of one sheet; dates are date cells."""
    body = ([cell(column, row.get(column), lang, date_cells=True) for column in columns] for row in rows)
    return write_workbook(target, sheet, headers(columns, lang), body, date_cells=True)
