"""Who sees what of the DNA, decided here (not only by the router): genotypes, results, references taken.

- Genotypes: geneticists of the sample's registry (its record's `source`), trainers on a sandbox;
  every sample read is an audit event (`dna.genotype_read`), a refused one too (`denied`). A sample
  of another registry is answered as one that does not exist.
- Results (LRs, references, loci compared; never a genotype): investigators of every registry,
  geneticists for the records of their own.
- Whether references were taken for a report: clerks, investigators and geneticists.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from matching.dna.frequencies import frequency_tables
from registry import policy
from registry.actor import Actor
from registry.enums import RecordKind
from registry.errors import Forbidden, InvalidRecord, NotFound
from registry.i18n import _
from registry.models import DnaSample, DnaSampleVersion
from registry.record_types import BY_KIND
from registry.repositories import dna as repo
from registry.services import audit, records
from registry.services.dna_families import DnaIndexCache, kinship_settings
from registry.services.dna_search import SearchResult, search
from registry.services.jurisdiction import write_scope
from registry.settings import Settings


@dataclass(frozen=True, slots=True)
class SampleRead:
    sample: DnaSample
    genotypes: repo.Genotypes
    versions: tuple[DnaSampleVersion, ...]


@dataclass(frozen=True, slots=True)
class SampleReads:
    """The samples the actor may read, and those of another registry that were asked for (to refuse and audit:
    the caller answers them as missing, in a transaction of its own, since this one is then rolled back)."""

    samples: list[SampleRead]
    refused: tuple[uuid.UUID, ...]


def read_samples(
    *,
    session: Session,
    actor: Actor,
    lab: str | None = None,
    sample_id: str | None = None,
    record_id: uuid.UUID | None = None,
    request_id: str | None = None,
) -> SampleReads:
    """Samples with their genotypes and history: one sample by (lab, sample_id), or all of a record's."""
    scope = write_scope(session, actor, policy.Action.dna_genotype_read)
    if lab is not None and sample_id is not None:
        one = repo.get_sample(session, lab, sample_id)
        found = [one] if one is not None else []
    elif record_id is not None:
        found = list(repo.samples_of_record(session, record_id))
    else:
        raise NotFound(_("name a sample (lab and sample_id) or a record (record_id)"))
    allowed = [s for s in found if policy.covers(actor, scope, s.record_source)]
    audit.append(
        session,
        actor=actor,
        entries=[audit.Entry("dna.genotype_read", record_kind="dna_sample", record_id=str(s.id)) for s in allowed],
        request_id=request_id,
    )
    genotypes = repo.genotypes_of(session, [s.id for s in allowed])
    reads = [SampleRead(s, genotypes.get(s.id, {}), tuple(repo.versions_of(session, s.id))) for s in allowed]
    return SampleReads(reads, tuple(s.id for s in found if s not in allowed))


def dna_candidates(
    *,
    session: Session,
    actor: Actor,
    cache: DnaIndexCache,
    settings: Settings,
    kind: RecordKind,
    record_id: uuid.UUID,
    top: int,
    min_log10_lr: float,
    table: str | None = None,
) -> SearchResult:
    """The DNA candidates of remains (its missing persons) or of a report (the remains that may be the person)."""
    scope = write_scope(session, actor, policy.Action.dna_result_read)
    record = records.get_record(session=session, rtype=BY_KIND[kind], record_id=record_id)
    if not policy.covers(actor, scope, record.source):
        raise Forbidden(_("you may see DNA results of {own} records only, not {source}",
                          own=actor.jurisdiction or _("no registry"), source=record.source))  # fmt: skip
    settings_used = kinship_settings(settings, table)
    if settings_used.table not in frequency_tables():
        message = _("no frequency table {name!r}; there are {names}", name=settings_used.table,
                    names=", ".join(sorted(frequency_tables())))  # fmt: skip
        raise InvalidRecord(f"table: {message}", errors=[{"field": "table", "message": message}])
    built = cache.current(session, settings_used)
    if kind is RecordKind.remains:
        return search(session, built, remains_id=record_id, top=top, min_log10_lr=min_log10_lr)
    return search(session, built, report_id=record_id, top=top, min_log10_lr=min_log10_lr)


def references_taken(*, session: Session, actor: Actor, report_id: uuid.UUID) -> bool:
    """Whether any reference (or direct) sample was taken for the report: all a clerk sees of its DNA."""
    write_scope(session, actor, policy.Action.dna_reference_status)
    records.get_record(session=session, rtype=BY_KIND[RecordKind.report], record_id=report_id)
    return repo.has_references(session, report_id)
