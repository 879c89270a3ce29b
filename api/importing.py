"""Running an import: stream the file, one transaction per batch, rejects written as they come.

Shared by `registry import` and the upload endpoint; each is the transaction owner of its run.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from itertools import islice
from typing import Protocol, TextIO

from sqlalchemy.orm import Session, sessionmaker

from registry.actor import Actor
from registry.db import transaction
from registry.interchange import FORMATS, CsvRow, open_rows
from registry.record_types import RecordType
from registry.services.imports import ImportSummary, Rejected, import_batch


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
        summary.add(result.summary)
        if writer:
            for rejected in sorted(result.rejects, key=lambda r: r.line):
                writer.write(rejected)
        if progress:
            progress(len(batch))
    return summary
