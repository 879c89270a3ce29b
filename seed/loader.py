"""Loading a synthetic registry through the registry's own import service, validation included.

Generating rows and validating them is pure CPU work, independent of writing them, so each
record type is generated and validated (`validate_batch`) in a process of its own and handed
over in batches, in order, to this process, which writes them (`write_batch`): the data stay the
same byte for byte, and generation and validation overlap with writing, on more than one core.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from sqlalchemy.orm import Session, sessionmaker

from registry.actor import Actor
from registry.db import transaction
from registry.enums import RecordKind
from registry.interchange import CsvRow
from registry.processes import streamed_from_child
from registry.record_types import BY_KIND, REMAINS, REPORTS, RecordType
from registry.services.dna_import import DnaImportSummary, import_dna
from registry.services.imports import ImportSummary, ValidatedBatch, validate_batch, write_batch
from registry.services.instance import claim_for_sandbox
from seed.config import SeedConfig
from seed.dna import DnaSample, generate_dna_samples
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
    dna: DnaImportSummary | None = None  # None: the seed was loaded without DNA


def _generate(kind: str, config: SeedConfig, batch_size: int) -> Iterator[ValidatedBatch]:
    """Runs in a child process: the generated rows of one record type, in validated batches."""
    rtype = BY_KIND[RecordKind(kind)]
    rows = generate_reports(config) if rtype is REPORTS else generate_remains(config)
    # Line numbers as if the rows were a CSV file with a header: what a rejects message would cite.
    line = 2
    while values := list(islice(rows, batch_size)):
        batch = [CsvRow(line + i, row) for i, row in enumerate(values)]
        line += len(batch)
        yield validate_batch(rtype=rtype, rows=batch)


def _load(
    sessions: sessionmaker[Session],
    rtype: RecordType,
    batches: Iterator[ValidatedBatch],
    progress: Callable[[str, int], None] | None,
) -> ImportSummary:
    summary = ImportSummary()
    for batch in batches:
        with transaction(sessions) as session:
            result = write_batch(session=session, rtype=rtype, batch=batch, actor=SEED_ACTOR)
            if result.rejects:
                first = result.rejects[0]
                raise GeneratedRowRejected(f"{rtype.label} row {first.line}: {first.error}")
        summary.add(result.summary)
        if progress:
            progress(rtype.kind.value, batch.rows)
    return summary


def load(
    *,
    sessions: sessionmaker[Session],
    config: SeedConfig,
    batch_size: int = 2_000,
    progress: Callable[[str, int], None] | None = None,
    dna: bool = False,
) -> LoadSummary:
    """Seeds a sandbox database; refuses (SandboxViolation) a database that holds real records.

    With `dna`, the DNA samples and genotypes (`seed.dna`) follow the records they belong to,
    through the registry's DNA import (`registry.services.dna_import`), progress kind "dna".
    """
    with transaction(sessions) as session:
        claim_for_sandbox(session)
    with (
        streamed_from_child(_generate, RecordKind.report.value, config, batch_size, ahead=QUEUE_DEPTH) as reports,
        streamed_from_child(_generate, RecordKind.remains.value, config, batch_size, ahead=QUEUE_DEPTH) as remains,
    ):
        summary = LoadSummary()
        summary.reports = _load(sessions, REPORTS, reports, progress)
        summary.remains = _load(sessions, REMAINS, remains, progress)
    if dna:
        with streamed_from_child(_generate_dna, config, batch_size, ahead=QUEUE_DEPTH) as samples:
            summary.dna = _load_dna(sessions, samples, progress)
    return summary


def _generate_dna(config: SeedConfig, batch_size: int) -> Iterator[list[DnaSample]]:
    """Runs in a child process: the DNA samples in batches (a sample and its genotypes always together)."""
    samples = generate_dna_samples(config)
    while batch := list(islice(samples, batch_size)):
        yield batch


def _load_dna(
    sessions: sessionmaker[Session], batches: Iterator[list[DnaSample]], progress: Callable[[str, int], None] | None
) -> DnaImportSummary:
    total = DnaImportSummary()
    for batch in batches:
        genotypes = [
            {"sample_id": s.row["sample_id"], "lab": s.row["lab"], "marker": marker, "allele_1": a, "allele_2": b}
            for s in batch
            for marker, a, b in s.genotypes
        ]
        with transaction(sessions) as session:
            result = import_dna(session=session, samples=[s.row for s in batch], genotypes=genotypes, actor=SEED_ACTOR)
            if result.rejects:
                first = result.rejects[0]
                raise GeneratedRowRejected(f"DNA {first.file.value} row {first.line}: {first.error}")
        for name in ("created", "updated", "unchanged", "genotypes_stored"):
            setattr(total, name, getattr(total, name) + getattr(result, name))
        if progress:
            progress("dna", len(batch))
    return total
