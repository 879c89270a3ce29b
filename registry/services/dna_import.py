"""Importing DNA samples and genotypes (shared/spec/dna.md): every valid row stored, every other one rejected.

`import_dna(session=, samples=, genotypes=, actor=)` is the one use case behind `registry dna import`,
the upload endpoint and the seed. A sample is created or updated by `(lab, sample_id)`; a sample
whose genotype rows are in the import gets exactly those genotypes (a re-typing replaces the
profile), one without any keeps its stored ones. Each row is checked where it is written: the
sample's record must exist, and the record's registry must be within the actor's grant
(`dna.submit`). A rejected row is named by its file, line, column and value. Every change of a
sample is a version; the import is one audit event, with counts only.
"""

from __future__ import annotations

import csv
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, TextIO

from sqlalchemy.orm import Session

from matching.dna.markers import AlleleError, canonical_marker, parse_genotype
from registry import policy
from registry.actor import Actor
from registry.csv_safety import SafeDictWriter
from registry.db import utcnow
from registry.enums import ChangeKind
from registry.errors import InvalidRecord, StaleVersion
from registry.i18n import _
from registry.models.dna import DonorRelationship, SampleKind
from registry.record_types import REMAINS, REPORTS
from registry.repositories import dna as repo
from registry.repositories import records as records_repo
from registry.services import audit
from registry.services.jurisdiction import write_scope

SAMPLE_COLUMNS = (
    "lab",
    "sample_id",
    "kind",
    "record_source",
    "record_folio",
    "relationship",
    "donor_id",
    "child_donor_id",
    "kit",
    "collected_date",
    "degraded",
)
REQUIRED_SAMPLE_COLUMNS = ("lab", "sample_id", "kind", "record_source", "record_folio")
GENOTYPE_COLUMNS = ("sample_id", "lab", "marker", "allele_1", "allele_2")
REQUIRED_GENOTYPE_COLUMNS = ("sample_id", "lab", "marker", "allele_1")
_TRUE = frozenset({"true", "yes", "1"})
_FALSE = frozenset({"false", "no", "0", ""})
_MAX_ID = 64


class DnaFile(StrEnum):
    """Which of the two files a row or a column belongs to."""

    samples = "samples"
    genotypes = "genotypes"


@dataclass(frozen=True, slots=True)
class DnaRow:
    """One row as read: its line in its file (the header is line 1) and its cells by column."""

    line: int
    cells: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class DnaReject:
    file: DnaFile
    line: int
    column: str
    value: str
    error: str


@dataclass(slots=True)
class DnaImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0  # sample rows
    genotypes_stored: int = 0
    genotypes_rejected: int = 0
    foreign: int = 0  # of the rejected sample rows: records of a registry the importer may not write
    rejects: list[DnaReject] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "genotypes_stored": self.genotypes_stored,
            "genotypes_rejected": self.genotypes_rejected,
            "foreign": self.foreign,
        }


class DnaHeaderError(InvalidRecord):
    """A file whose header the registry cannot read: an unknown column, or a required one missing."""


def check_header(file: DnaFile, header: Sequence[str]) -> None:
    """Refuses a header with an unknown column (naming it) or without a required one."""
    known, required = (
        (SAMPLE_COLUMNS, REQUIRED_SAMPLE_COLUMNS)
        if file is DnaFile.samples
        else (GENOTYPE_COLUMNS, REQUIRED_GENOTYPE_COLUMNS)
    )
    for column in header:
        if column not in known:
            message = _("unknown column {column!r}; the columns are {columns}", column=column, columns=", ".join(known))
            raise DnaHeaderError(
                f"{file.value}: {message}", errors=[{"field": f"{file.value}.{column}", "message": message}]
            )
    for column in required:
        if column not in header:
            message = _("the required column {column!r} is missing", column=column)
            raise DnaHeaderError(
                f"{file.value}: {message}", errors=[{"field": f"{file.value}.{column}", "message": message}]
            )


def _rows(file: DnaFile, rows: Iterable[DnaRow | Mapping[str, str]]) -> list[DnaRow]:
    """Rows numbered as in a file (a mapping's line is its position after a header line); headers checked."""
    numbered = [row if isinstance(row, DnaRow) else DnaRow(position + 2, row) for position, row in enumerate(rows)]
    columns: dict[str, None] = {}
    for row in numbered:
        columns.update(dict.fromkeys(row.cells))
    if numbered:
        check_header(file, list(columns))
    return numbered


class _Refused(Exception):
    """One cell that makes a row unusable."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


def _cell(row: DnaRow, column: str) -> str:
    return (row.cells.get(column) or "").strip()


def _identifier(row: DnaRow, column: str, *, required: bool) -> str | None:
    value = _cell(row, column)
    if not value:
        if required:
            raise _Refused(column, _("is required"))
        return None
    if len(value) > _MAX_ID:
        raise _Refused(column, _("is longer than {limit} characters", limit=_MAX_ID))
    return value


@dataclass(frozen=True, slots=True)
class _SampleValues:
    row: DnaRow
    lab: str
    sample_id: str
    kind: SampleKind
    source: str
    folio: str
    values: dict[str, Any]  # the stored fields, the record's id still to find


def _sample_values(row: DnaRow) -> _SampleValues:
    lab = _identifier(row, "lab", required=True)
    sample_id = _identifier(row, "sample_id", required=True)
    kind_text = _cell(row, "kind")
    try:
        kind = SampleKind(kind_text)
    except ValueError:
        raise _Refused("kind", _("use remains, reference or direct")) from None
    source = _cell(row, "record_source").upper()
    folio = _identifier(row, "record_folio", required=True)
    if not source:
        raise _Refused("record_source", _("is required"))
    relationship: DonorRelationship | None = None
    text = _cell(row, "relationship")
    if kind is SampleKind.reference:
        try:
            relationship = DonorRelationship(text)
        except ValueError:
            raise _Refused(
                "relationship", _("use one of {values}", values=", ".join(r.value for r in DonorRelationship))
            ) from None
    elif text:
        raise _Refused("relationship", _("only a reference sample has a relationship"))
    donor_id = _identifier(row, "donor_id", required=kind is SampleKind.reference)
    child_donor_id = _identifier(row, "child_donor_id", required=relationship is DonorRelationship.child_other_parent)
    if child_donor_id and relationship is not DonorRelationship.child_other_parent:
        raise _Refused("child_donor_id", _("only a child_other_parent names the child's donor"))
    kit = _cell(row, "kit") or None
    if kit and len(kit) > 100:
        raise _Refused("kit", _("is longer than {limit} characters", limit=100))
    collected: date | None = None
    if text := _cell(row, "collected_date"):
        try:
            collected = date.fromisoformat(text)
        except ValueError:
            raise _Refused("collected_date", _("use YYYY-MM-DD")) from None
        if len(text) != 10:
            raise _Refused("collected_date", _("use YYYY-MM-DD"))
    degraded_text = _cell(row, "degraded").casefold()
    if degraded_text not in _TRUE | _FALSE:
        raise _Refused("degraded", _("use true or false"))
    assert lab is not None
    assert sample_id is not None
    assert folio is not None
    values = {
        "kind": kind,
        "relationship": relationship,
        "donor_id": donor_id,
        "child_donor_id": child_donor_id,
        "kit": kit,
        "collected_date": collected,
        "degraded": degraded_text in _TRUE,
        "record_source": source,
    }
    return _SampleValues(row, lab, sample_id, kind, source, folio, values)


@dataclass(frozen=True, slots=True)
class _GenotypeValues:
    row: DnaRow
    key: tuple[str, str]
    marker: str
    allele_1: str
    allele_2: str | None
    genotype: tuple[str, str]


def _genotype_values(row: DnaRow) -> _GenotypeValues:
    lab = _identifier(row, "lab", required=True)
    sample_id = _identifier(row, "sample_id", required=True)
    written = _cell(row, "marker")
    if not written:
        raise _Refused("marker", _("is required"))
    marker = canonical_marker(written)
    if len(marker) > 40:
        raise _Refused("marker", _("is longer than {limit} characters", limit=40))
    first, second = _cell(row, "allele_1"), _cell(row, "allele_2") or None
    if not first:
        raise _Refused("allele_1", _("is empty; leave out a marker that was not typed"))
    genotype = None
    for column, allele in (("allele_1", first), ("allele_2", second)):
        if allele is None:
            continue
        if len(allele) > 16:
            raise _Refused(column, _("is longer than {limit} characters", limit=16))
        try:
            parse_genotype(allele, None)
        except AlleleError:
            raise _Refused(column, _("is not an allele; write 9, 9.3, OL or >27")) from None
    genotype = parse_genotype(first, second)
    assert lab is not None
    assert sample_id is not None
    assert genotype is not None
    return _GenotypeValues(row, (lab, sample_id), marker, first, second, genotype)


def _reject(summary: DnaImportSummary, file: DnaFile, row: DnaRow, column: str, message: str) -> None:
    summary.rejects.append(DnaReject(file, row.line, column, _cell(row, column), f"{column}: {message}"))
    if file is DnaFile.samples:
        summary.rejected += 1
    else:
        summary.genotypes_rejected += 1


def import_dna(
    *,
    session: Session,
    samples: Iterable[DnaRow | Mapping[str, str]],
    genotypes: Iterable[DnaRow | Mapping[str, str]],
    actor: Actor,
    request_id: str | None = None,
) -> DnaImportSummary:
    """Validates and stores samples and genotypes within the actor's grant; flushes, never commits.

    Rows are `DnaRow`s (line and cells) or plain mappings of cells (numbered as a file would be:
    line 2 onwards). A header with an unknown column raises `DnaHeaderError`; every other problem
    rejects its row, listed in the summary.
    """
    sample_rows, genotype_rows = _rows(DnaFile.samples, samples), _rows(DnaFile.genotypes, genotypes)
    scope = write_scope(session, actor, policy.Action.dna_submit)
    summary = DnaImportSummary()
    accepted = _accepted_samples(session, sample_rows, actor, scope, summary)
    refused_keys = {
        (_cell(r, "lab"), _cell(r, "sample_id")) for r in sample_rows
    } - set(accepted)  # fmt: skip
    stored = repo.samples_by_keys(session, [*accepted, *{_key(r) for r in genotype_rows}])
    profiles = _profiles(genotype_rows, accepted, stored, refused_keys, actor, scope, summary)
    _write(session, accepted, profiles, stored, actor, summary)
    audit.record(session, actor=actor, action="dna.import", record_kind="dna_sample", detail=summary.counts(),
                 request_id=request_id)  # fmt: skip
    return summary


def _key(row: DnaRow) -> tuple[str, str]:
    return (_cell(row, "lab"), _cell(row, "sample_id"))


def _accepted_samples(
    session: Session, rows: Sequence[DnaRow], actor: Actor, scope: policy.Scope, summary: DnaImportSummary
) -> dict[tuple[str, str], _SampleValues]:
    parsed: list[_SampleValues] = []
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        try:
            values = _sample_values(row)
        except _Refused as refused:
            _reject(summary, DnaFile.samples, row, refused.column, refused.message)
            continue
        key = (values.lab, values.sample_id)
        if key in seen:
            _reject(summary, DnaFile.samples, row, "sample_id", _("given twice in this file (line {line})",
                                                                  line=seen[key]))  # fmt: skip
            continue
        seen[key] = row.line
        parsed.append(values)
    found = {
        rtype: records_repo.rows_by_natural_keys(
            session,
            rtype,
            [(v.source, v.folio) for v in parsed if (v.kind is SampleKind.remains) == (rtype is REMAINS)],
            (),
        )
        for rtype in (REMAINS, REPORTS)
    }
    accepted: dict[tuple[str, str], _SampleValues] = {}
    for values in parsed:
        rtype = REMAINS if values.kind is SampleKind.remains else REPORTS
        record = found[rtype].get((values.source, values.folio))
        if record is None:
            message = _("no {label} with source {source} and folio {folio} in the registry", label=rtype.label,
                        source=values.source, folio=values.folio)  # fmt: skip
            _reject(summary, DnaFile.samples, values.row, "record_folio", message)
            continue
        if record["withdrawn_at"] is not None:
            _reject(summary, DnaFile.samples, values.row, "record_folio", _("the {label} was withdrawn",
                                                                            label=rtype.label))  # fmt: skip
            continue
        if not policy.covers(actor, scope, values.source):
            own = actor.jurisdiction or _("no registry")
            message = _("you may submit samples of {own} records only, not {source}", own=own, source=values.source)
            _reject(summary, DnaFile.samples, values.row, "record_source", message)
            summary.foreign += 1
            continue
        values.values["remains_id" if rtype is REMAINS else "report_id"] = record["id"]
        values.values["remains_id" if rtype is REPORTS else "report_id"] = None
        accepted[(values.lab, values.sample_id)] = values
    return accepted


def _profiles(
    rows: Sequence[DnaRow],
    accepted: Mapping[tuple[str, str], _SampleValues],
    stored: Mapping[tuple[str, str], dict[str, Any]],
    refused: set[tuple[str, str]],
    actor: Actor,
    scope: policy.Scope,
    summary: DnaImportSummary,
) -> dict[tuple[str, str], dict[str, _GenotypeValues]]:
    """Each sample's new genotypes by marker, from the rows that may be stored."""
    profiles: dict[tuple[str, str], dict[str, _GenotypeValues]] = {}
    for row in rows:
        try:
            values = _genotype_values(row)
        except _Refused as refused_cell:
            _reject(summary, DnaFile.genotypes, row, refused_cell.column, refused_cell.message)
            continue
        key = values.key
        if key in refused:
            _reject(summary, DnaFile.genotypes, row, "sample_id", _("the sample's row was rejected"))
            continue
        if key not in accepted:
            sample = stored.get(key)
            if sample is None:
                _reject(summary, DnaFile.genotypes, row, "sample_id",
                        _("no sample {sample_id} of lab {lab} in this import or the registry", sample_id=key[1],
                          lab=key[0]))  # fmt: skip
                continue
            if not policy.covers(actor, scope, sample["record_source"]):
                _reject(summary, DnaFile.genotypes, row, "sample_id",
                        _("the sample belongs to a record of {source}, which you may not submit for",
                          source=sample["record_source"]))  # fmt: skip
                continue
        profile = profiles.setdefault(key, {})
        earlier = profile.get(values.marker)
        if earlier is not None and earlier.genotype != values.genotype:
            _reject(summary, DnaFile.genotypes, row, "marker",
                    _("{marker} is given twice for this sample with different alleles (line {line})",
                      marker=values.marker, line=earlier.row.line))  # fmt: skip
            continue
        profile[values.marker] = values
    return profiles


def _plain(value: Any) -> Any:
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def _genotype_changes(before: repo.Genotypes, after: repo.Genotypes) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for marker in sorted(set(before) | set(after)):
        old, new = before.get(marker), after.get(marker)
        if old != new:
            changes[f"marker:{marker}"] = [list(old) if old else None, list(new) if new else None]
    return changes


def _write(
    session: Session,
    accepted: Mapping[tuple[str, str], _SampleValues],
    profiles: Mapping[tuple[str, str], Mapping[str, _GenotypeValues]],
    stored: Mapping[tuple[str, str], dict[str, Any]],
    actor: Actor,
    summary: DnaImportSummary,
) -> None:
    now = utcnow()
    stored_genotypes = repo.genotypes_of(session, [stored[key]["id"] for key in profiles if key in stored])
    inserts: list[dict[str, Any]] = []
    versions: list[dict[str, Any]] = []
    replaced: list[uuid.UUID] = []
    genotype_rows: list[dict[str, Any]] = []
    for key in dict.fromkeys([*accepted, *profiles]):
        sample = accepted.get(key)
        existing = stored.get(key)
        new_genotypes = {m: (g.allele_1, g.allele_2) for m, g in profiles[key].items()} if key in profiles else None
        if existing is None:
            assert sample is not None
            pk = uuid.uuid4()
            row = {"id": pk, "lab": key[0], "sample_id": key[1], **sample.values, "version": 1,
                   "created_at": now, "updated_at": now, "created_by": actor.id, "updated_by": actor.id}  # fmt: skip
            inserts.append(row)
            changes = {name: [None, _plain(sample.values[name])] for name in repo.SAMPLE_FIELDS
                       if sample.values[name] not in (None, False)}  # fmt: skip
            changes |= _genotype_changes({}, new_genotypes or {})
            versions.append(_version(pk, 1, ChangeKind.created, actor, changes, now))
            summary.created += 1
        else:
            pk = existing["id"]
            changes = {}
            if sample is not None:
                changes = {name: [_plain(existing[name]), _plain(sample.values[name])] for name in repo.SAMPLE_FIELDS
                           if _plain(existing[name]) != _plain(sample.values[name])}  # fmt: skip
            if new_genotypes is not None:
                changes |= _genotype_changes(stored_genotypes.get(pk, {}), new_genotypes)
            if not changes:
                summary.unchanged += 1
                continue
            values = {name: sample.values[name] for name in repo.SAMPLE_FIELDS} if sample is not None else {}
            if not repo.update_sample_if_version(session, pk, existing["version"],
                                                 {**values, "updated_at": now, "updated_by": actor.id}):  # fmt: skip
                raise StaleVersion(_("a sample in this import was changed by someone else meanwhile; run it again"))
            versions.append(_version(pk, existing["version"] + 1, ChangeKind.updated, actor, changes, now))
            summary.updated += 1
        if new_genotypes is not None:
            replaced.append(pk)
            genotype_rows.extend(
                {"sample_pk": pk, "marker": m, "allele_1": a, "allele_2": b} for m, (a, b) in new_genotypes.items()
            )
    repo.insert_samples(session, inserts)
    repo.replace_genotypes(session, replaced, genotype_rows)
    repo.add_versions(session, versions)
    summary.genotypes_stored += len(genotype_rows)


def _version(
    pk: uuid.UUID, version: int, kind: ChangeKind, actor: Actor, changes: dict[str, Any], now: Any
) -> dict[str, Any]:
    return {"sample_pk": pk, "version": version, "change_kind": kind, "changed_at": now, "changed_by": actor.id,
            "changes": changes}  # fmt: skip


def read_rows(handle: TextIO, file: DnaFile) -> list[DnaRow]:
    """The rows of one of the two CSV files (UTF-8, header row, RFC 4180), each with the line it starts on.

    The header is checked first: an unknown column is an error that names it.
    """
    reader = csv.reader(handle)
    header = [name.strip().lstrip("\ufeff") for name in next(reader, [])]
    check_header(file, header)
    rows = []
    line = reader.line_num + 1
    for cells in reader:
        if any(cell.strip() for cell in cells):
            padded = [*cells, *([""] * (len(header) - len(cells)))]
            rows.append(DnaRow(line, dict(zip(header, padded, strict=False))))
        line = reader.line_num + 1
    return rows


REJECT_COLUMNS = ("file", "line", "column", "value", "error")


def write_rejects(handle: TextIO, rejects: Iterable[DnaReject]) -> None:
    """The rejects as CSV: which file, which line, which column, the value as written, and why."""
    writer = SafeDictWriter(handle, fieldnames=list(REJECT_COLUMNS))
    writer.writeheader()
    for r in sorted(rejects, key=lambda r: (r.file.value != "samples", r.line)):
        writer.writerow({"file": r.file.value, "line": r.line, "column": r.column, "value": r.value, "error": r.error})
