"""Excel workbooks (.xlsx), read and written as streams, never held whole in memory.

Reading uses openpyxl's read-only mode: rows come one at a time from the sheet's XML, so a
100,000-row workbook costs what its shared strings cost. Each row is numbered as the spreadsheet
numbers it, which is the "line" a reject names. Cells become the text a CSV would hold: a date
cell is YYYY-MM-DD, a whole number has no ".0", a formula gives the value Excel last computed.

Writing uses the write-only mode; every text cell is stored as text, with the same quote before
what a spreadsheet would run as a formula as in the registry's CSVs (registry/csv_safety.py).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time
from typing import IO, Any, BinaryIO

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils.exceptions import InvalidFileException

from registry.csv_safety import neutralise
from registry.i18n import _

XLSX_MAGIC = b"PK\x03\x04"


class WorkbookError(ValueError):
    """The workbook cannot be read (damaged, or no such sheet)."""


def is_workbook(handle: BinaryIO) -> bool:
    """Whether a seekable binary file is a zip archive (an .xlsx); the file is left at its start."""
    start = handle.read(len(XLSX_MAGIC))
    handle.seek(0)
    return start == XLSX_MAGIC


def cell_text(value: Any) -> str:
    """A workbook cell as the text a CSV would hold."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class SheetRows:
    """The rows of one sheet as text cells, each with its spreadsheet row number."""

    def __init__(self, handle: BinaryIO, sheet: str | None) -> None:
        try:
            self._book = load_workbook(handle, read_only=True, data_only=True)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
            raise WorkbookError(_("the workbook cannot be read ({exc})", exc=exc)) from None
        names = self._book.sheetnames
        if sheet is not None and sheet not in names:
            self._book.close()
            raise WorkbookError(
                _(
                    "the workbook has no sheet {sheet} (its sheets: {join})",
                    sheet=repr(sheet),
                    join=", ".join(map(repr, names)),
                )
            )
        if not names:
            raise WorkbookError(_("the workbook has no sheet"))
        self.sheet = sheet or names[0]
        self._sheet = self._book[self.sheet]

    @property
    def rows_hint(self) -> int | None:
        """How many rows the sheet says it has (None when it does not say)."""
        try:
            return int(self._sheet.max_row) if self._sheet.max_row else None
        except (TypeError, ValueError):
            return None

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        try:
            for number, values in enumerate(self._sheet.iter_rows(values_only=True), start=1):
                yield number, [cell_text(value) for value in values]
        finally:
            self._book.close()


def write_workbook(
    target: IO[bytes], sheet: str, header: Sequence[str], rows: Iterable[Sequence[Any]], *, date_cells: bool
) -> int:
    """Writes one sheet (write-only mode); returns the rows written. With `date_cells`, dates are date cells."""
    book = Workbook(write_only=True)
    worksheet = book.create_sheet(sheet)
    worksheet.append([_text_cell(worksheet, name) for name in header])
    count = 0
    for row in rows:
        worksheet.append([_cell(worksheet, value, date_cells) for value in row])
        count += 1
    book.save(target)
    return count


def _cell(worksheet: Any, value: Any, date_cells: bool) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, date) and date_cells:
        cell = WriteOnlyCell(worksheet, datetime(value.year, value.month, value.day))
        cell.number_format = "DD/MM/YYYY"
        return cell
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return _text_cell(worksheet, str(value))


def _text_cell(worksheet: Any, text: str) -> Any:
    cell = WriteOnlyCell(worksheet, neutralise(text))
    cell.data_type = "s"  # openpyxl would store text beginning with "=" as a formula
    return cell
