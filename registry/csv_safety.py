"""Cells that a spreadsheet would run as formulas, neutralised in every CSV the registry writes.

A folio or a name typed as `=HYPERLINK(...)` is data to the registry but a formula to Excel or
LibreOffice when a CSV is opened (CSV injection). As OWASP recommends, a cell that begins with
`=`, `+`, `-`, `@`, a tab or a carriage return is written with a single quote before it, which
spreadsheets show as text. The interchange reader removes that quote again, so a file the
registry wrote (a rejects file, an export) imports back to the same values.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def neutralise(value: Any) -> Any:
    """The cell as written to a CSV: text a spreadsheet would evaluate gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return QUOTE + value
    return value


def restore(value: str) -> str:
    """The cell as the registry meant it: a quote added by `neutralise` is taken off again."""
    if value.startswith(QUOTE) and value[1:2] and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


class SafeDictWriter:
    """`csv.DictWriter` whose every cell (and header) is neutralised."""

    def __init__(self, handle: TextIO, fieldnames: Iterable[str], **kwargs: Any) -> None:
        self._writer = csv.DictWriter(handle, fieldnames=list(fieldnames), **kwargs)

    def writeheader(self) -> None:
        self._writer.writerow({name: neutralise(name) for name in self._writer.fieldnames})

    def writerow(self, row: Mapping[str, Any]) -> None:
        self._writer.writerow({key: neutralise(value) for key, value in row.items()})

    def writerows(self, rows: Iterable[Mapping[str, Any]]) -> None:
        for row in rows:
            self.writerow(row)


class SafeWriter:
    """`csv.writer` whose every cell is neutralised."""

    def __init__(self, handle: TextIO, **kwargs: Any) -> None:
        self._writer = csv.writer(handle, **kwargs)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([neutralise(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)
