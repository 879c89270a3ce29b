"""Running an import: stream the file, one transaction per batch, rejects written as they come.

Shared by `registry import` and the upload endpoint; each is the transaction owner of its run.
A file on disk (`run_import_file`) is read and validated by a second process while this one
writes the batches before it: validation is CPU work that needs no database, and a machine has
more than one core. Both ways run the same service functions on the same batches.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any, Protocol, TextIO

from sqlalchemy.orm import Session, sessionmaker

from registry.actor import Actor
from registry.db import transaction
from registry.enums import RecordKind
from registry.interchange import FORMATS, CsvRow, open_rows
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

# Validated batches the reading process may hold ready ahead of the writing: bounds memory.
QUEUE_DEPTH = 4


class RejectSink(Protocol):
    def write(self, rejected: Rejected) -> None: ...


class RejectsWriter:
    """The rejects CSV: the original row, plus `line` and `error`."""

    def __init__(self, handle: TextIO, header: list[str]) -> None:
        self._writer = csv.DictWriter(handle, fieldnames=[*header, "line", "error"], extrasaction="ignore")
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
    handle: TextIO,
    actor: Actor,
    batch_size: int,
    rejects: Callable[[list[str]], RejectSink] | None = None,
    progress: Callable[[int], None] | None = None,
    allow_extra: bool = False,
) -> ImportSummary:
    header, rows = open_rows(handle, FORMATS[rtype.kind], allow_extra=allow_extra)
    writer = rejects(header) if rejects else None
    summary = ImportSummary()
    for batch in _batches(rows, batch_size):
        with transaction(sessions) as session:
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
) -> ImportSummary:
    """`run_import` of a UTF-8 file on disk, read and validated by a second process.

    What the file does wrong is raised here as it would be by `run_import`, at the same point:
    a bad header before anything is written, a decoding error after the batches before it.
    """
    with streamed_from_child(
        _read_and_validate, str(path), rtype.kind.value, batch_size, allow_extra, ahead=QUEUE_DEPTH
    ) as messages:
        header = next(messages)
        writer = rejects(header) if rejects else None
        summary = ImportSummary()
        for batch in messages:
            with transaction(sessions) as session:
                result = write_batch(session=session, rtype=rtype, batch=batch, actor=actor)
            _report(result, batch.rows, summary, writer, progress)
        return summary


def _read_and_validate(path: str, kind: str, batch_size: int, allow_extra: bool) -> Iterator[Any]:
    """Runs in the reading process: yields the header, then each batch validated."""
    rtype = BY_KIND[RecordKind(kind)]
    with open(path, newline="", encoding="utf-8-sig") as handle:
        header, rows = open_rows(handle, FORMATS[rtype.kind], allow_extra=allow_extra)
        yield header
        for batch in _batches(rows, batch_size):
            yield validate_batch(rtype=rtype, rows=batch)
