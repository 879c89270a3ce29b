"""Queries of DNA samples, genotypes and their versions; nothing here decides who may see them."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, func, select, tuple_, update
from sqlalchemy.orm import Session

from registry.db import table_of
from registry.models import DnaGenotype, DnaSample, DnaSampleVersion, MissingPersonReport, UnidentifiedRemains
from registry.models.dna import SampleKind
from registry.repositories.bulk import insert_many

_CHUNK = 500
# The stored fields of a sample a file speaks of (besides its key), in the spec's order.
SAMPLE_FIELDS = (
    "kind",
    "remains_id",
    "report_id",
    "record_source",
    "relationship",
    "donor_id",
    "child_donor_id",
    "kit",
    "collected_date",
    "degraded",
)
Genotypes = dict[str, tuple[str, str | None]]


def _chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def samples_by_keys(session: Session, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
    """Stored samples by (lab, sample_id): id, version and the stored fields."""
    table = table_of(DnaSample)
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for chunk in _chunks(sorted(set(keys))):
        stmt = select(table).where(tuple_(table.c.lab, table.c.sample_id).in_(list(chunk)))
        for row in session.execute(stmt).mappings():
            found[(row["lab"], row["sample_id"])] = dict(row)
    return found


def genotypes_of(session: Session, sample_pks: Sequence[uuid.UUID]) -> dict[uuid.UUID, Genotypes]:
    """Each sample's stored genotypes, {marker: (allele_1, allele_2)}; a sample without any is absent."""
    table = table_of(DnaGenotype)
    found: dict[uuid.UUID, Genotypes] = {}
    for chunk in _chunks(sorted(set(sample_pks))):
        stmt = select(table.c.sample_pk, table.c.marker, table.c.allele_1, table.c.allele_2).where(
            table.c.sample_pk.in_(list(chunk))
        )
        for pk, marker, first, second in session.execute(stmt):
            found.setdefault(pk, {})[marker] = (first, second)
    return found


def insert_samples(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    insert_many(session, table_of(DnaSample), rows)


def update_sample_if_version(session: Session, sample_pk: uuid.UUID, version: int, values: dict[str, Any]) -> bool:
    """Writes the values and the next version if the sample is still at `version`; False if it moved on."""
    table = table_of(DnaSample)
    stmt = (
        update(table).where(table.c.id == sample_pk, table.c.version == version).values(**values, version=version + 1)
    )
    return (session.execute(stmt).rowcount or 0) == 1  # type: ignore[attr-defined]


def replace_genotypes(session: Session, sample_pks: Sequence[uuid.UUID], rows: Sequence[dict[str, Any]]) -> None:
    """The samples' genotypes become exactly `rows` (sample_pk, marker, allele_1, allele_2)."""
    table = table_of(DnaGenotype)
    for chunk in _chunks(sorted(set(sample_pks))):
        session.execute(delete(table).where(table.c.sample_pk.in_(list(chunk))))
    insert_many(session, table, rows)


def add_versions(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    insert_many(session, table_of(DnaSampleVersion), rows)


def versions_of(session: Session, sample_pk: uuid.UUID) -> Sequence[DnaSampleVersion]:
    stmt = select(DnaSampleVersion).where(DnaSampleVersion.sample_pk == sample_pk)
    return session.scalars(stmt.order_by(DnaSampleVersion.version)).all()


def get_sample(session: Session, lab: str, sample_id: str) -> DnaSample | None:
    return session.scalar(select(DnaSample).where(DnaSample.lab == lab, DnaSample.sample_id == sample_id))


def samples_of_record(session: Session, record_id: uuid.UUID) -> Sequence[DnaSample]:
    stmt = select(DnaSample).where((DnaSample.remains_id == record_id) | (DnaSample.report_id == record_id))
    return session.scalars(stmt.order_by(DnaSample.lab, DnaSample.sample_id)).all()


def data_stamp(session: Session) -> tuple[int, int]:
    """(samples, sum of their versions): changes whenever a sample or its genotypes are created or changed.

    Samples are never deleted, and every change of one bumps its version, so the pair moves on every write.
    """
    count, versions = session.execute(select(func.count(), func.coalesce(func.sum(DnaSample.version), 0))).one()
    return int(count), int(versions)


def reference_samples(session: Session, report_id: uuid.UUID | None = None) -> Sequence[DnaSample]:
    """Reference and direct samples of reports not withdrawn (of one report if given): the families."""
    report = MissingPersonReport
    stmt = (
        select(DnaSample)
        .join(report, report.id == DnaSample.report_id)
        .where(DnaSample.kind != SampleKind.remains.value, report.withdrawn_at.is_(None))
        .order_by(DnaSample.report_id, DnaSample.lab, DnaSample.sample_id)
    )
    if report_id is not None:
        stmt = stmt.where(DnaSample.report_id == report_id)
    return session.scalars(stmt).all()


def remains_samples(session: Session, remains_id: uuid.UUID | None = None) -> Sequence[DnaSample]:
    """Samples of remains not withdrawn (of one remains record if given), in a stable order."""
    remains = UnidentifiedRemains
    stmt = (
        select(DnaSample)
        .join(remains, remains.id == DnaSample.remains_id)
        .where(DnaSample.kind == SampleKind.remains.value, remains.withdrawn_at.is_(None))
    )
    if remains_id is not None:
        stmt = stmt.where(DnaSample.remains_id == remains_id)
    return session.scalars(stmt.order_by(DnaSample.lab, DnaSample.sample_id)).all()


def has_references(session: Session, report_id: uuid.UUID) -> bool:
    """Whether any reference or direct sample is stored for the report."""
    stmt = select(DnaSample.id).where(DnaSample.report_id == report_id).limit(1)
    return session.scalar(stmt) is not None


def record_keys(session: Session, model: type[MissingPersonReport] | type[UnidentifiedRemains],
                ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:  # fmt: skip
    """(source, folio, sex, status, withdrawn_at) of records by id."""
    table = table_of(model)
    found: dict[uuid.UUID, dict[str, Any]] = {}
    for chunk in _chunks(sorted(set(ids))):
        stmt = select(
            table.c.id, table.c.source, table.c.folio, table.c.sex, table.c.status, table.c.withdrawn_at
        ).where(table.c.id.in_(list(chunk)))
        for row in session.execute(stmt).mappings():
            found[row["id"]] = dict(row)
    return found


def count_families(session: Session) -> int:
    """Reports not withdrawn with at least one reference or direct sample."""
    report = MissingPersonReport
    stmt = (
        select(func.count(func.distinct(DnaSample.report_id)))
        .join(report, report.id == DnaSample.report_id)
        .where(DnaSample.kind != SampleKind.remains.value, report.withdrawn_at.is_(None))
    )
    return int(session.scalar(stmt) or 0)
