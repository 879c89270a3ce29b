"""The one reader of import files: an interchange CSV, a state's Spanish export or a workbook, as rows.

`open_table` finds what the file is (a workbook, or a CSV with its encoding and separator),
reads its header (interchange names exactly, Spanish ones or a mapping's through
`registry.mappings`), and streams its rows as `CsvRow`s in interchange terms: the line is the
file's line (a workbook's row number), `values` holds the cells translated to codes, and a row of
a translated file keeps its cells as written and the headers as written, so that a reject names
what the clerk sees. An interchange file is read as it always was: nothing is translated.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO, TextIO, cast

from registry import spanish
from registry.i18n import _
from registry.interchange import CsvRow, Format, HeaderError, names
from registry.mappings import BUILT_IN, ImportMapping, Translator
from registry.textfiles import SEPARATOR_NAMES, DecodedLines, detect_encoding, detect_separator
from registry.workbooks import SheetRows, is_workbook


@dataclass(frozen=True, slots=True)
class Reading:
    """How a file was read: what the summary of an import (or a dry run) reports."""

    header: list[str]  # as written
    format: str  # "csv" or "xlsx"
    encoding: str | None = None  # e.g. "Windows-1252"; None for text handed over already decoded
    separator: str | None = None
    sheet: str | None = None
    columns: dict[str, str] = field(default_factory=dict)  # header as written -> interchange column
    ignored: tuple[str, ...] = ()
    mapping: str | None = None  # whose words were translated; None for an interchange file
    rows_hint: int | None = None  # rows the file says it has (a workbook's dimension), if it says

    def describe(self) -> str:
        parts = [self.format.upper()]
        if self.sheet:
            parts.append(f"sheet {self.sheet!r}")
        if self.encoding:
            parts.append(self.encoding)
        if self.separator:
            parts.append(f"{SEPARATOR_NAMES[self.separator]}-separated")
        parts.append(f"{self.mapping} headers and values" if self.mapping else "interchange columns")
        return ", ".join(parts)


@dataclass(slots=True)
class Table:
    reading: Reading
    rows: Iterator[CsvRow]


def open_table(
    source: BinaryIO | TextIO,
    fmt: Format,
    *,
    mapping: ImportMapping | None = None,
    sheet: str | None = None,
    allow_extra: bool = False,
) -> Table:
    """Reads the header now (a HeaderError refuses the file) and streams the rows."""
    if isinstance(source, io.TextIOBase):
        return _csv_table(source, fmt, mapping, allow_extra, encoding=None)
    binary = cast(BinaryIO, source)
    if is_workbook(binary):
        return _workbook_table(binary, fmt, mapping, sheet, allow_extra)
    encoding = detect_encoding(binary)
    lines = DecodedLines(binary, encoding)
    return _csv_table(lines, fmt, mapping, allow_extra, encoding=encoding.label, decoded=lines)


def _csv_table(
    lines: Iterable[str],
    fmt: Format,
    mapping: ImportMapping | None,
    allow_extra: bool,
    *,
    encoding: str | None,
    decoded: DecodedLines | None = None,
) -> Table:
    stream = iter(lines)
    first = next(stream, "")
    separator = detect_separator(first)
    reader = csv.reader(itertools.chain([first], stream), delimiter=separator)
    cells = next(reader, None)
    if cells is not None and decoded is not None and (problem := decoded.problem_between(1, reader.line_num)):
        raise HeaderError(_("the header cannot be read: {problem}", problem=problem))
    header = _header(fmt, cells, mapping, allow_extra)
    reading = Reading(
        header.written, "csv", encoding, separator, None, header.renamed, header.ignored, header.mapping_name
    )
    problem_of = decoded.problem_between if decoded is not None else None
    return Table(reading, _csv_rows(reader, header, problem_of))


def _workbook_table(
    binary: BinaryIO, fmt: Format, mapping: ImportMapping | None, sheet: str | None, allow_extra: bool
) -> Table:
    rows = SheetRows(binary, sheet)
    numbered = iter(rows)
    first = next(((n, cells) for n, cells in numbered if any(c.strip() for c in cells)), None)
    header = _header(fmt, first[1] if first else None, mapping, allow_extra)
    reading = Reading(
        header.written, "xlsx", None, None, rows.sheet, header.renamed, header.ignored, header.mapping_name,
        rows.rows_hint,
    )  # fmt: skip
    return Table(reading, _sheet_rows(numbered, header))


# --- the header ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Header:
    written: list[str]  # as in the file, trimmed of blanks and trailing empty cells
    columns: list[str | None]  # each position's interchange column (None: ignored)
    translator: Translator | None  # None: an interchange file, read as it is
    mapping_name: str | None
    renamed: dict[str, str]  # header as written -> column, where the two differ
    ignored: tuple[str, ...]
    column_headers: dict[str, str]  # column -> header as written (every read column)


def _header(fmt: Format, cells: list[str] | None, mapping: ImportMapping | None, allow_extra: bool) -> _Header:
    written = [cell.lstrip("\ufeff").strip() for cell in cells or []]
    while written and not written[-1]:
        written.pop()
    if not written:
        raise HeaderError(_("the file is empty: it needs a header row"))
    allowed = set(fmt.columns) | (set(fmt.extra_columns) if allow_extra else set())
    translator = Translator.of(mapping or BUILT_IN)
    columns: list[str | None] = []
    unknown: list[str] = []
    for name in written:
        if name in allowed:
            columns.append(name)
            continue
        column = translator.column_of(name)
        if column is not None and column in allowed:
            columns.append(column)
        elif column is None and translator.ignores(name):
            columns.append(None)
        else:
            unknown.append(name if column is None else f"{name} (read as {column}, not a column here)")
    if unknown:
        raise HeaderError(
            _(
                "unknown column(s): {names} (interchange names are case-sensitive; Spanish headers are read as listed"
                " in docs/interchange.md, and --mapping FILE maps any other)",
                names=names(unknown),
            )
        )
    renamed = {name: column for name, column in zip(written, columns, strict=True) if column and column != name}
    translated = bool(renamed) or None in columns or mapping is not None
    _check_columns(fmt, written, columns, renamed)
    return _Header(
        written=written,
        columns=columns,
        translator=translator if translated else None,
        mapping_name=(mapping or BUILT_IN).name if translated else None,
        renamed=renamed,
        ignored=tuple(name for name, column in zip(written, columns, strict=True) if column is None),
        column_headers={column: name for name, column in zip(written, columns, strict=True) if column},
    )


def _check_columns(fmt: Format, written: list[str], columns: list[str | None], renamed: dict[str, str]) -> None:
    counts = Counter(column for column in columns if column)
    twice = sorted(column for column, count in counts.items() if count > 1)
    if twice:
        shown = [
            " and ".join(repr(n) for n, c in zip(written, columns, strict=True) if c == column) + f" (both {column})"
            if renamed
            else column
            for column in twice
        ]
        raise HeaderError(_("column(s) appear twice: {value}", value=names(shown) if not renamed else "; ".join(shown)))
    missing = [column for column in fmt.required if column not in counts]
    if missing:
        spanish_names = [f"{column} ({spanish.HEADERS[column][0]})" for column in missing]
        raise HeaderError(
            _("required column(s) missing: {join}", join=", ".join(spanish_names if renamed else missing))
        )


# --- the rows ------------------------------------------------------------------------------------


def _row(line: int, header: _Header, cells: list[str], problem: str | None) -> CsvRow:
    width = len(header.written)
    if len(cells) > width and not any(cell.strip() for cell in cells[width:]):
        cells = cells[:width]  # Excel's trailing empty cells
    if problem is None and len(cells) != width:
        problem = f"the row has {len(cells)} cells but the header has {width} columns"
    if header.translator is None:
        return CsvRow(line, dict(zip(header.written, cells, strict=False)), problem)
    cell = header.translator.cell
    values = {
        column: cell(column, raw) for column, raw in zip(header.columns, cells, strict=False) if column is not None
    }
    return CsvRow(line, values, problem, dict(zip(header.written, cells, strict=False)), header.column_headers)


def _csv_rows(reader: Any, header: _Header, problem_of: Callable[[int, int], str | None] | None) -> Iterator[CsvRow]:
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
        problem = problem_of(line, start - 1) if problem_of is not None else None
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            continue
        yield _row(line, header, cells, problem)


def _sheet_rows(numbered: Iterator[tuple[int, list[str]]], header: _Header) -> Iterator[CsvRow]:
    for line, cells in numbered:
        if any(cell.strip() for cell in cells):
            yield _row(line, header, cells, None)
