"""The families a remains profile is compared with, read from the database, and the index over them.

A family is a missing person's report with every reference and direct sample stored for it (all
of them in one pedigree, matching/dna/pedigree.py). The `FamilyIndex` over all families costs
about 2.5 ms of CPU per family to build, so each process keeps one (`DnaIndexCache`) and rebuilds
it when the DNA data changed: the stamp is (samples, sum of their versions), which every import
moves. Several API processes thus agree as soon as each has looked at the stamp, once per search.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from matching.dna.index import FamilyIndex
from matching.dna.likelihood import KinshipSettings
from matching.dna.markers import Profile, Sex, build_profile
from matching.dna.pedigree import Family, Reference, Relationship
from registry.models import DnaSample, MissingPersonReport
from registry.models.dna import SampleKind
from registry.repositories import dna as repo
from registry.settings import Settings

_SEX = {"male": Sex.MALE, "female": Sex.FEMALE}
_ONE_ONLY = (Relationship.FATHER, Relationship.MOTHER)


def kinship_settings(settings: Settings, table: str | None = None) -> KinshipSettings:
    """The registry's kinship settings: its default frequency table (or the one named) and θ."""
    return KinshipSettings(table=table or settings.dna_frequency_table, theta=settings.dna_theta)


@dataclass(frozen=True, slots=True)
class FamilyEntry:
    """A missing person (by report) with the references its likelihood ratios rest on."""

    report_id: uuid.UUID
    family: Family
    # Who the references are (their donors): two missing siblings of the same parents share it.
    family_key: frozenset[str] | None


def profile_of(sample: DnaSample, genotypes: repo.Genotypes) -> Profile:
    """A stored sample's profile, read the way an import reads the lab's rows."""
    return build_profile(((m, a, b) for m, (a, b) in genotypes.items()), degraded=sample.degraded)


def _family_key(references: Sequence[Reference]) -> frozenset[str] | None:
    if any(r.relationship is Relationship.DIRECT for r in references):
        return None  # a direct sample tells siblings apart
    parents = frozenset(r.donor_id for r in references if r.relationship in _ONE_ONLY)
    return parents or frozenset(r.donor_id for r in references) or None


def load_families(session: Session, report_id: uuid.UUID | None = None) -> list[FamilyEntry]:
    """Every report (or the one given) with at least one usable reference or direct sample, in a stable order."""
    samples = repo.reference_samples(session, report_id)
    genotypes = repo.genotypes_of(session, [s.id for s in samples])
    reports = repo.record_keys(session, MissingPersonReport, [s.report_id for s in samples if s.report_id])
    grouped: dict[uuid.UUID, list[Reference]] = {}
    for sample in samples:
        typed = genotypes.get(sample.id)
        if not typed or sample.report_id is None:
            continue
        if sample.kind is SampleKind.direct or sample.relationship is None:
            relationship = Relationship.DIRECT
        else:
            relationship = Relationship(sample.relationship.value)
        donor = sample.donor_id or f"{sample.lab}/{sample.sample_id}"
        references = grouped.setdefault(sample.report_id, [])
        # One donor typed twice (two labs, two kits) is one reference; a second father or mother is not
        # a pedigree, so the first one (by lab and sample id) is used.
        if any(r.donor_id == donor and r.relationship is relationship for r in references):
            continue
        if relationship in _ONE_ONLY and any(r.relationship is relationship for r in references):
            continue
        references.append(Reference(relationship, profile_of(sample, typed), donor, sample.child_donor_id))
    entries = []
    for report_id, references in grouped.items():
        sex = _SEX.get(str(getattr(reports[report_id]["sex"], "value", reports[report_id]["sex"])))
        family = Family(references=tuple(references), sex=sex)
        if family.references_used():
            entries.append(FamilyEntry(report_id, family, _family_key(family.references_used())))
    return entries


@dataclass(frozen=True, slots=True)
class BuiltIndex:
    """The families and their index as of one DNA data stamp, for one set of kinship settings."""

    stamp: tuple[int, int]
    settings: KinshipSettings
    families: tuple[FamilyEntry, ...]
    index: FamilyIndex | None  # None when no family has references


def build_index(session: Session, settings: KinshipSettings) -> BuiltIndex:
    stamp = repo.data_stamp(session)
    families = tuple(load_families(session))
    index = FamilyIndex.build([f.family for f in families], settings) if families else None
    return BuiltIndex(stamp, settings, families, index)


class DnaIndexCache:
    """One process's family indexes (one per kinship settings), rebuilt when the DNA data stamp moved."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._built: dict[KinshipSettings, BuiltIndex] = {}

    def current(self, session: Session, settings: KinshipSettings) -> BuiltIndex:
        stamp = repo.data_stamp(session)
        built = self._built.get(settings)
        if built is not None and built.stamp == stamp:
            return built
        with self._lock:  # one rebuild at a time; the others then find it done
            built = self._built.get(settings)
            if built is None or built.stamp != repo.data_stamp(session):
                built = build_index(session, settings)
                self._built[settings] = built
            return built
