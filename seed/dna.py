"""DNA for the synthetic registry (`registry seed --dna`): STR samples of remains and of the
relatives of missing persons, in the interchange shape of shared/spec/dna.md, and their truth.

Each family unit (one missing person, or two or three missing siblings) is one simulated
pedigree (`matching.dna.simulate`): the father's parents, the father, the mother and every
member, founders from the shipped frequency table, children by Mendelian inheritance with
stepwise mutation. The unit then gives references in one configuration (`CONFIGURATION_SHARES`);
a parent or sibling who gives a sample is the reference of every reported member of the unit
(one sample row per missing person, one `donor_id`). Remains of a reported person carry that
person's genotypes, remains of someone nobody reported a founder's; remains are degraded by
their condition. Everything is drawn from streams of its own (`Stream.DNA`, `DNA_REMAINS`,
`DNA_UNLINKED`), so adding DNA changed no report or remains, and any unit is drawn alone.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import numpy as np

from matching.dna.markers import AMELOGENIN, Profile, Sex
from matching.dna.pedigree import Reference, Relationship, references_label
from matching.dna.simulate import Configuration, LocusModels, child, degrade, founder, simulation_models
from matching.states import FEDERAL_SOURCE
from seed.config import SeedConfig
from seed.generator import RecordKey, RemainsRecord, generate_remains_records, iter_planned
from seed.plans import PersonPlan, plan_family, take_census
from seed.rng import Stream, Weighted, derive

# Applied Biosystems AmpFlSTR Identifiler (15 autosomal STRs) and GlobalFiler (21), amelogenin apart.
IDENTIFILER: tuple[str, ...] = (
    "D8S1179", "D21S11", "D7S820", "CSF1PO", "D3S1358", "TH01", "D13S317", "D16S539",
    "D2S1338", "D19S433", "vWA", "TPOX", "D18S51", "D5S818", "FGA",
)  # fmt: skip
GLOBALFILER: tuple[str, ...] = (
    "D3S1358", "vWA", "D16S539", "CSF1PO", "TPOX", "D8S1179", "D21S11", "D18S51", "D2S441", "D19S433",
    "TH01", "FGA", "D22S1045", "D5S818", "D13S317", "D7S820", "SE33", "D10S1248", "D1S1656", "D12S391",
    "D2S1338",
)  # fmt: skip
KITS: dict[str, tuple[str, ...]] = {"Identifiler": IDENTIFILER, "GlobalFiler": GLOBALFILER}
# Laboratories moved to the 21-locus kits from about 2016: a sample's kit follows the year it was taken.
KIT_CHANGE_YEAR = 2016
IDENTIFILER_SHARE_BEFORE = 0.85
IDENTIFILER_SHARE_SINCE = 0.20

# Which references a family gave (None: none yet). Shapes, not statistics: in Mexico most
# references are mothers; fathers, siblings and the missing person's children follow.
CONFIGURATION_SHARES: tuple[tuple[Configuration | None, float], ...] = (
    (Configuration.ONE_PARENT, 0.30),
    (Configuration.BOTH_PARENTS, 0.12),
    (Configuration.PARENT_AND_SIBLING, 0.10),
    (Configuration.ONE_SIBLING, 0.08),
    (Configuration.TWO_SIBLINGS, 0.05),
    (Configuration.CHILD_AND_OTHER_PARENT, 0.06),
    (Configuration.DIRECT, 0.05),
    (Configuration.GRANDPARENT, 0.01),
    (Configuration.AUNT_UNCLE, 0.015),
    (Configuration.COUSIN, 0.005),
    (None, 0.20),
)
# The benchmark draws families in the same proportions, without the families that gave nothing.
CONFIGURATION_WEIGHTS: tuple[tuple[Configuration, float], ...] = tuple(
    (c, w) for c, w in CONFIGURATION_SHARES if c is not None
)
MOTHER_SHARE = 0.75  # of the families where one parent gives a sample: the mother
ADULT_AGE = 18  # a missing person with a child who gives a sample; a minor's family gives one parent instead
REMAINS_TYPED_SHARE = 0.92  # remains whose DNA a laboratory has typed
# Share of remains whose sample is degraded, by condition; "" (not recorded): the mean.
DEGRADED_SHARE: dict[str, float] = {
    "complete": 0.05,
    "decomposed": 0.25,
    "partial": 0.30,
    "skeletonised": 0.50,
    "burned": 0.70,
    "": 0.30,
}
DEGRADED_LOCI_LOST = 0.25  # of a degraded sample's loci, lost
DEGRADED_DROPOUT = 0.15  # of each allele of a heterozygote in a degraded sample, dropped
FEDERAL_LAB = "FGR-CGSP"
FEDERAL_LAB_SHARE = 0.15  # of reference samples, typed by the federal laboratory

SAMPLE_COLUMNS: tuple[str, ...] = (
    "lab", "sample_id", "kind", "record_source", "record_folio", "relationship", "donor_id", "child_donor_id",
    "kit", "collected_date", "degraded",
)  # fmt: skip
GENOTYPE_COLUMNS: tuple[str, ...] = ("sample_id", "lab", "marker", "allele_1", "allele_2")
DNA_LINK_COLUMNS: tuple[str, ...] = ("remains_source", "remains_folio", "missing_source", "missing_folio", "references")
DNA_REFERENCE_COLUMNS: tuple[str, ...] = ("missing_source", "missing_folio", "references", "family")

_CONFIGURATIONS = Weighted.of(list(CONFIGURATION_SHARES))
_PERSON_ID = re.compile(r"^P(\d+)-(\d+)$")
_UNLINKED_ID = re.compile(r"^U(\d+)$")


@dataclass(frozen=True, slots=True)
class DnaSample:
    """One sample row (SAMPLE_COLUMNS) and its genotype rows (marker, allele_1, allele_2)."""

    row: dict[str, str]
    genotypes: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True, slots=True)
class GivenReference:
    """A reference a unit gave for one of its members: who gave it, and their genotypes."""

    relationship: Relationship
    profile: Profile
    donor_id: str
    child_donor_id: str | None = None


@dataclass(frozen=True, slots=True)
class UnitDna:
    """A family unit's pedigree as far as the seed needs it: each member's profile and references."""

    unit: int
    configuration: Configuration | None
    members: tuple[Profile, ...]
    references: tuple[tuple[GivenReference, ...], ...]  # per member

    def label(self, member: int) -> str:
        """The member's references as the interchange names them (`mother+full_sibling`), "" for none."""
        given = self.references[member]
        return references_label(Reference(r.relationship, r.profile, r.donor_id, r.child_donor_id) for r in given)


@lru_cache(maxsize=1)
def _models() -> LocusModels:
    return simulation_models(loci=GLOBALFILER)


def _numpy_rng(rng: random.Random) -> np.random.Generator:
    return np.random.default_rng(rng.getrandbits(64))


def _sex(value: str) -> Sex:
    return Sex.MALE if value == "male" else Sex.FEMALE


def _random_sex(rng: np.random.Generator) -> Sex:
    return Sex.MALE if rng.random() < 0.5 else Sex.FEMALE


def _draw_configuration(rng: random.Random, plans: Sequence[PersonPlan]) -> Configuration | None:
    configuration = _CONFIGURATIONS.draw(rng)
    if configuration is Configuration.CHILD_AND_OTHER_PARENT and any(p.age < ADULT_AGE for p in plans):
        return Configuration.ONE_PARENT
    return configuration


def draw_unit_dna(config: SeedConfig, unit: int, plans: Sequence[PersonPlan]) -> UnitDna:
    """The pedigree and references of one family unit, from the dataset seed and the unit alone."""
    stream = derive(config.seed, Stream.DNA, unit)
    rng = _numpy_rng(stream)
    models = _models()
    grandfather, grandmother = founder(rng, models, Sex.MALE), founder(rng, models, Sex.FEMALE)
    father = child(rng, grandfather, grandmother, models, Sex.MALE)
    mother = founder(rng, models, Sex.FEMALE)
    members = tuple(child(rng, father, mother, models, _sex(plan.sex)) for plan in plans)
    configuration = _draw_configuration(stream, plans)
    donor = f"DON-{unit:07d}"

    def parent(which: Relationship) -> GivenReference:
        profile = mother if which is Relationship.MOTHER else father
        return GivenReference(which, profile, f"{donor}-{'M' if which is Relationship.MOTHER else 'F'}")

    def siblings(n: int) -> list[GivenReference]:
        return [
            GivenReference(
                Relationship.FULL_SIBLING, child(rng, father, mother, models, _random_sex(rng)), f"{donor}-S{i + 1}"
            )
            for i in range(n)
        ]

    one_parent = Relationship.MOTHER if stream.random() < MOTHER_SHARE else Relationship.FATHER
    shared: list[GivenReference] = []
    match configuration:
        case Configuration.ONE_PARENT:
            shared = [parent(one_parent)]
        case Configuration.BOTH_PARENTS:
            shared = [parent(Relationship.FATHER), parent(Relationship.MOTHER)]
        case Configuration.PARENT_AND_SIBLING:
            shared = [parent(one_parent), *siblings(1)]
        case Configuration.ONE_SIBLING:
            shared = siblings(1)
        case Configuration.TWO_SIBLINGS:
            shared = siblings(2)
        case Configuration.GRANDPARENT:
            shared = [GivenReference(Relationship.GRANDPARENT, grandmother, f"{donor}-G")]
        case Configuration.AUNT_UNCLE:
            aunt = child(rng, grandfather, grandmother, models, _random_sex(rng))
            shared = [GivenReference(Relationship.AUNT_UNCLE, aunt, f"{donor}-A")]
        case Configuration.COUSIN:
            aunt = child(rng, grandfather, grandmother, models, Sex.FEMALE)
            cousin = child(rng, founder(rng, models, Sex.MALE), aunt, models, _random_sex(rng))
            shared = [GivenReference(Relationship.COUSIN, cousin, f"{donor}-K")]
    references: list[tuple[GivenReference, ...]] = []
    for member, profile in enumerate(members):
        own: list[GivenReference] = []
        if configuration is Configuration.DIRECT:
            own = [GivenReference(Relationship.DIRECT, profile, "")]
        elif configuration is Configuration.CHILD_AND_OTHER_PARENT:
            partner_sex = Sex.FEMALE if profile.sex is Sex.MALE else Sex.MALE
            partner = founder(rng, models, partner_sex)
            kid = (
                child(rng, profile, partner, models, _random_sex(rng))
                if profile.sex is Sex.MALE
                else child(rng, partner, profile, models, _random_sex(rng))
            )
            kid_id = f"{donor}-{member}C"
            own = [
                GivenReference(Relationship.CHILD, kid, kid_id),
                GivenReference(Relationship.CHILD_OTHER_PARENT, partner, f"{donor}-{member}P", kid_id),
            ]
        references.append((*shared, *own))
    return UnitDna(unit, configuration, members, tuple(references))


def unit_dna(config: SeedConfig, unit: int) -> UnitDna:
    """A unit's DNA with its plans drawn afresh (the remains pass meets units one person at a time)."""
    return draw_unit_dna(config, unit, plan_family(config, take_census(config, unit)))


def _kit(rng: random.Random, collected: date) -> str:
    share = IDENTIFILER_SHARE_BEFORE if collected.year < KIT_CHANGE_YEAR else IDENTIFILER_SHARE_SINCE
    return "Identifiler" if rng.random() < share else "GlobalFiler"


def _state_lab(source: str) -> str:
    return FEDERAL_LAB if source == FEDERAL_SOURCE else f"FGE-{source}"


def _genotype_rows(profile: Profile, kit: str) -> tuple[tuple[str, str, str], ...]:
    rows = [(locus, *profile.loci[locus]) for locus in KITS[kit] if locus in profile.loci]
    if profile.sex is not None:
        rows.insert(0, (AMELOGENIN, "X", "Y" if profile.sex is Sex.MALE else "X"))
    return tuple(rows)


def _sample(
    *,
    lab: str,
    sample_id: str,
    kind: str,
    record: RecordKey,
    profile: Profile,
    kit: str,
    collected: date,
    relationship: str = "",
    donor_id: str = "",
    child_donor_id: str = "",
) -> DnaSample:
    row = {
        "lab": lab,
        "sample_id": sample_id,
        "kind": kind,
        "record_source": record[0],
        "record_folio": record[1],
        "relationship": relationship,
        "donor_id": donor_id,
        "child_donor_id": child_donor_id,
        "kit": kit,
        "collected_date": collected.isoformat(),
        "degraded": "true" if profile.degraded else "",
    }
    return DnaSample(row, _genotype_rows(profile, kit))


@dataclass(frozen=True, slots=True)
class ReportedUnit:
    """A unit's DNA and, per member, the report its references are attached to (None: not reported)."""

    dna: UnitDna
    reports: tuple[RecordKey | None, ...]
    plans: tuple[PersonPlan, ...]


def iter_reported_units(config: SeedConfig) -> Iterator[ReportedUnit]:
    """Every unit with a reported member, its DNA and each member's first report (in the dataset's order)."""
    current: list[tuple[PersonPlan, RecordKey]] = []
    for planned in iter_planned(config):
        if current and current[0][0].family.unit != planned.plan.family.unit:
            yield _reported(config, current)
            current = []
        current.append((planned.plan, planned.report_keys[0]))
    if current:
        yield _reported(config, current)


def _reported(config: SeedConfig, reported: list[tuple[PersonPlan, RecordKey]]) -> ReportedUnit:
    unit = reported[0][0].family.unit
    plans = tuple(plan_family(config, take_census(config, unit)))
    first_report = {plan.member: key for plan, key in reported}
    reports = tuple(first_report.get(plan.member) for plan in plans)
    return ReportedUnit(draw_unit_dna(config, unit, plans), reports, plans)


def _reference_samples(config: SeedConfig, reported: ReportedUnit) -> Iterator[DnaSample]:
    stream = derive(config.seed, Stream.DNA, reported.dna.unit, 1)
    # A donor gives blood once: one kit, one date and one lab for all the missing persons they are the reference of.
    donors: dict[str, tuple[str, date, str]] = {}
    for member, report in enumerate(reported.reports):
        if report is None:
            continue
        filed = reported.plans[member].filings[0].filed
        for given in reported.dna.references[member]:
            key = given.donor_id or f"direct-{member}"
            if key not in donors:
                collected = min(config.today, filed + timedelta(days=stream.randint(0, 730)))
                lab = FEDERAL_LAB if stream.random() < FEDERAL_LAB_SHARE else _state_lab(report[0])
                donors[key] = (_kit(stream, collected), collected, lab)
            kit, collected, lab = donors[key]
            direct = given.relationship is Relationship.DIRECT
            role = "D" if direct else given.donor_id.rsplit("-", 1)[1]
            yield _sample(
                lab=lab,
                sample_id=f"REF-{reported.dna.unit:07d}-{member}-{role}",
                kind="direct" if direct else "reference",
                record=report,
                profile=given.profile,
                kit=kit,
                collected=collected,
                relationship="" if direct else given.relationship.value,
                donor_id=given.donor_id,
                child_donor_id=given.child_donor_id or "",
            )


def generate_reference_samples(config: SeedConfig) -> Iterator[DnaSample]:
    """Every reference and direct sample, attached to its missing person's first report."""
    for reported in iter_reported_units(config):
        yield from _reference_samples(config, reported)


def person_of(record: RemainsRecord) -> tuple[int, int] | None:
    """(unit, member) of the reported person remains belong to; None for someone nobody reported."""
    match = _PERSON_ID.match(record.person_id)
    return (int(match.group(1)), int(match.group(2))) if match else None


def _remains_profile(
    config: SeedConfig, record: RemainsRecord, cache: dict[int, UnitDna]
) -> tuple[Profile, random.Random]:
    person = person_of(record)
    if person is None:
        unlinked = _UNLINKED_ID.match(record.person_id)
        assert unlinked is not None, record.person_id
        stream = derive(config.seed, Stream.DNA_UNLINKED, int(unlinked.group(1)))
        rng = _numpy_rng(stream)
        # The examiner's sex when given (rarely wrong: DNA has the last word), else either.
        written = record.row.get("sex")
        sex = Sex.MALE if written == "male" else Sex.FEMALE if written == "female" else _random_sex(rng)
        return founder(rng, _models(), sex), stream
    unit, member = person
    if unit not in cache:
        cache.clear()  # remains come in unit order: one unit at a time is enough
        cache[unit] = unit_dna(config, unit)
    return cache[unit].members[member], derive(config.seed, Stream.DNA_REMAINS, unit, member)


def _remains_sample(config: SeedConfig, record: RemainsRecord, cache: dict[int, UnitDna]) -> DnaSample | None:
    profile, stream = _remains_profile(config, record, cache)
    if stream.random() >= REMAINS_TYPED_SHARE:
        return None
    row = record.row
    if stream.random() < DEGRADED_SHARE.get(row.get("condition", ""), DEGRADED_SHARE[""]):
        rng = _numpy_rng(stream)
        profile = degrade(rng, profile, loci_lost=DEGRADED_LOCI_LOST, dropout=DEGRADED_DROPOUT)
    intake = date.fromisoformat(row["intake_date"]) if row.get("intake_date") else config.today
    collected = min(config.today, intake + timedelta(days=stream.randint(0, 180)))
    return _sample(
        lab=_state_lab(row["source"]),
        sample_id=f"RM-{row['source']}-{row['folio']}"[:64],
        kind="remains",
        record=(row["source"], row["folio"]),
        profile=profile,
        kit=_kit(stream, collected),
        collected=collected,
    )


@dataclass(frozen=True, slots=True)
class RemainsDna:
    """A remains record, its DNA sample (None: not typed) and the truth: its person's references."""

    record: RemainsRecord
    sample: DnaSample | None
    references: str  # the label of the true person's references, "" when none or nobody reported them


def generate_remains_dna(config: SeedConfig) -> Iterator[RemainsDna]:
    """Every remains record with its sample, in the remains' order."""
    cache: dict[int, UnitDna] = {}
    for record in generate_remains_records(config):
        sample = _remains_sample(config, record, cache)
        person = person_of(record)
        label = cache[person[0]].label(person[1]) if person is not None else ""
        yield RemainsDna(record, sample, label)


def generate_dna_samples(config: SeedConfig) -> Iterator[DnaSample]:
    """Every sample of the dataset: references (in unit order), then remains (in the remains' order)."""
    yield from generate_reference_samples(config)
    for remains in generate_remains_dna(config):
        if remains.sample is not None:
            yield remains.sample


def dna_links(config: SeedConfig) -> Iterator[tuple[str, str, str, str, str]]:
    """The true remains → report pairs DNA can find: remains typed, of a person whose family gave references.

    The report is the one the references are attached to (the person's first); `references`
    names what the family gave. A remains of a person without references is not listed."""
    for remains in generate_remains_dna(config):
        if remains.sample is None or not remains.references or not remains.record.links:
            continue
        source, folio = remains.record.links[0]
        yield (remains.record.row["source"], remains.record.row["folio"], source, folio, remains.references)


def dna_references(config: SeedConfig) -> Iterator[tuple[str, str, str, str]]:
    """Every missing person with references: report, references, family unit (siblings share it)."""
    for reported in iter_reported_units(config):
        for member, report in enumerate(reported.reports):
            label = reported.dna.label(member)
            if report is not None and label:
                yield (*report, label, f"{reported.dna.unit:07d}")
