"""Loading a synthetic registry through the registry's own import service, validation included.

Generating rows is pure CPU work and independent of writing them, so each record type is
generated in a process of its own and handed over in batches, in order: the data stay the same
byte for byte, and generation overlaps with validation and writing.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from multiprocessing.context import SpawnProcess
from multiprocessing.queues import Queue
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from registry.actor import Actor
from registry.db import transaction
from registry.enums import RecordKind
from registry.interchange import CsvRow
from registry.record_types import REMAINS, REPORTS, RecordType
from registry.services.imports import ImportSummary, import_batch
from registry.services.instance import claim_for_sandbox
from seed.config import SeedConfig
from seed.generator import generate_remains, generate_reports

SEED_ACTOR = Actor(id="seed", role="trainer", jurisdiction=None)
# Batches a generator process may run ahead of the loader: bounds memory.
QUEUE_DEPTH = 8


class GeneratedRowRejected(RuntimeError):
    """The generator wrote a row the registry refuses: a bug in the generator, never in the data."""


@dataclass(slots=True)
class LoadSummary:
    reports: ImportSummary = field(default_factory=ImportSummary)
    remains: ImportSummary = field(default_factory=ImportSummary)


def _generate(kind: str, config: SeedConfig, batch_size: int, queue: Queue[Any]) -> None:
    """Runs in a child process: puts batches of rows on the queue, then None."""
    rows = generate_reports(config) if kind == RecordKind.report.value else generate_remains(config)
    try:
        while batch := list(islice(rows, batch_size)):
            queue.put(batch)
    finally:
        queue.put(None)


def _batches(queue: Queue[Any]) -> Iterator[list[dict[str, str]]]:
    while (batch := queue.get()) is not None:
        yield batch


def _load(
    sessions: sessionmaker[Session],
    rtype: RecordType,
    batches: Iterator[list[dict[str, str]]],
    progress: Callable[[str, int], None] | None,
) -> ImportSummary:
    summary = ImportSummary()
    # Line numbers as if the rows were a CSV file with a header: what a rejects message would cite.
    line = 2
    for values in batches:
        rows = [CsvRow(line + i, row) for i, row in enumerate(values)]
        line += len(rows)
        with transaction(sessions) as session:
            result = import_batch(session=session, rtype=rtype, rows=rows, actor=SEED_ACTOR)
            if result.rejects:
                first = result.rejects[0]
                raise GeneratedRowRejected(f"{rtype.label} row {first.line}: {first.error}")
        summary.add(result.summary)
        if progress:
            progress(rtype.kind.value, len(rows))
    return summary


def load(
    *,
    sessions: sessionmaker[Session],
    config: SeedConfig,
    batch_size: int = 2_000,
    progress: Callable[[str, int], None] | None = None,
) -> LoadSummary:
    """Seeds a sandbox database; refuses (SandboxViolation) a database that holds real records."""
    with transaction(sessions) as session:
        claim_for_sandbox(session)
    context = multiprocessing.get_context("spawn")
    queues: dict[str, Queue[Any]] = {}
    workers: list[SpawnProcess] = []
    for kind in (RecordKind.report.value, RecordKind.remains.value):
        queues[kind] = context.Queue(maxsize=QUEUE_DEPTH)
        worker = context.Process(target=_generate, args=(kind, config, batch_size, queues[kind]), daemon=True)
        worker.start()
        workers.append(worker)
    try:
        summary = LoadSummary()
        summary.reports = _load(sessions, REPORTS, _batches(queues[RecordKind.report.value]), progress)
        summary.remains = _load(sessions, REMAINS, _batches(queues[RecordKind.remains.value]), progress)
        return summary
    finally:
        for worker in workers:
            worker.terminate()
            worker.join()
