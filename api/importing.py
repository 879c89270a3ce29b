"""Running an import: stream the file, one transaction per batch, rejects written as they come.

Shared by `registry import` and the upload endpoint; each is the transaction owner of its run.
A file on disk (`run_import_file`) is read and validated by a second process while this one
writes the batches before it: validation is CPU work that needs no database, and a machine has
more than one core. Both ways run the same reader (`registry.tables`) and the same service
functions on the same batches.

A dry run does everything an import does in one transaction that is rolled back at the end: its
counts are exactly what the import would report (a record created by one batch is updated by a
later one), and nothing is left behind, not even an audit event per batch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from itertools import islice
from pathlib import Path
from typing import Any, BinaryIO, Protocol, TextIO

from sqlalchemy.orm import Session, sessionmaker

from registry.actor import Actor
from registry.csv_safety import SafeDictWriter
from registry.db import transaction
from registry.enums import RecordKind
from registry.interchange import FORMATS, CsvRow
from registry.mappings import ImportMapping
from registry.processes import streamed_from_child
from registry.record_types import BY_KIND, RecordType
from registry.services.imports import (
    BatchResult,
    ImportSummary,
    Rejected,
    import_batch,
    validate_batch,
    write_batch,
)
from registry.tables import Reading, open_table

# Validated batches the reading process may hold ready ahead of the writing: bounds memory.
QUEUE_DEPTH = 4


class RejectSink(Protocol):
    def write(self, rejected: Rejected) -> None: ...


class RejectsWriter:
    """The rejects CSV: the original row, plus `line` and `error`."""

    def __init__(self, handle: TextIO, header: list[str]) -> None:
        # The rows are what clerks typed: a cell that begins with '=' must stay text in a spreadsheet.
        self._writer = SafeDictWriter(handle, fieldnames=[*header, "line", "error"], extrasaction="ignore")
        self._writer.writeheader()

    def write(self, rejected: Rejected) -> None:
        self._writer.writerow({**rejected.values, "line": rejected.line, "error": rejected.error})


def _batches(rows: Iterator[CsvRow], size: int) -> Iterator[list[CsvRow]]:
    while batch := list(islice(rows, size)):
        yield batch


def _report(
    result: BatchResult,
    rows: int,
    summary: ImportSummary,
    writer: RejectSink | None,
    progress: Callable[[int], None] | None,
) -> None:
    summary.add(result.summary)
    if writer:
        for rejected in sorted(result.rejects, key=lambda r: r.line):
            writer.write(rejected)
    if progress:
        progress(rows)


def run_import(
    *,
    sessions: sessionmaker[Session],
    rtype: RecordType,
    handle: BinaryIO | TextIO,
    actor: Actor,
    batch_size: int,
    rejects: Callable[[list[str]], RejectSink] | None = None,
    progress: Callable[[int], None] | None = None,
    allow_extra: bool = False,
    mapping: ImportMapping | None = None,
    sheet: str | None = None,
    dry_run: bool = False,
) -> ImportSummary:
    """Imports a file (binary: its format and encoding are detected; text: a CSV already decoded)."""
    table = open_table(handle, FORMATS[rtype.kind], mapping=mapping, sheet=sheet, allow_extra=allow_extra)
    writer = rejects(table.reading.header) if rejects else None
    summary = ImportSummary(reading=table.reading)
    with _units(sessions, dry_run) as unit:
        for batch in _batches(table.rows, batch_size):
            with unit() as session:
                result = import_batch(session=session, rtype=rtype, rows=batch, actor=actor)
            _report(result, len(batch), summary, writer, progress)
    return summary


def run_import_file(
    *,
    sessions: sessionmaker[Session],
    rtype: RecordType,
    path: Path,
    actor: Actor,
    batch_size: int,
    rejects: Callable[[list[str]], RejectSink] | None = None,
    progress: Callable[[int], None] | None = None,
    allow_extra: bool = False,
    mapping: ImportMapping | None = None,
    sheet: str | None = None,
    dry_run: bool = False,
) -> ImportSummary:
    """`run_import` of a file on disk, read and validated by a second process.

    What the file does wrong is raised here as it would be by `run_import`, at the same point:
    a bad header before anything is written.
    """
    with streamed_from_child(
        _read_and_validate, str(path), rtype.kind.value, batch_size, allow_extra, mapping, sheet, ahead=QUEUE_DEPTH
    ) as messages:
        reading: Reading = next(messages)
        writer = rejects(reading.header) if rejects else None
        summary = ImportSummary(reading=reading)
        with _units(sessions, dry_run) as unit:
            for batch in messages:
                with unit() as session:
                    result = write_batch(session=session, rtype=rtype, batch=batch, actor=actor)
                _report(result, batch.rows, summary, writer, progress)
        return summary


@contextmanager
def _units(sessions: sessionmaker[Session], dry_run: bool) -> Iterator[Callable[[], AbstractContextManager[Session]]]:
    """Each batch's unit of work: its own transaction, or (a dry run) one shared one, rolled back."""
    if not dry_run:
        yield lambda: transaction(sessions)
        return
    session = sessions()
    try:
        yield lambda: nullcontext(session)
    finally:
        session.rollback()
        session.close()


def _read_and_validate(
    path: str, kind: str, batch_size: int, allow_extra: bool, mapping: ImportMapping | None, sheet: str | None
) -> Iterator[Any]:
    """Runs in the reading process: yields how the file is read, then each batch validated."""
    rtype = BY_KIND[RecordKind(kind)]
    with open(path, "rb") as handle:
        table = open_table(handle, FORMATS[rtype.kind], mapping=mapping, sheet=sheet, allow_extra=allow_extra)
        yield table.reading
        for batch in _batches(table.rows, batch_size):
            yield validate_batch(rtype=rtype, rows=batch)
