"""Simulated families for tests, benchmarks and the seed: founders from a frequency table,
Mendelian inheritance with mutation, degraded remains.

Everything draws from a `numpy.random.Generator` passed in, so a seed fixes the result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from matching.dna.likelihood import KinshipSettings, LocusModel, table_locus_model
from matching.dna.markers import CODIS_20, Genotype, Profile, Sex
from matching.dna.pedigree import Family, Reference, Relationship

LocusModels = Mapping[str, LocusModel]


def simulation_models(settings: KinshipSettings | None = None, loci: Sequence[str] = CODIS_20) -> dict[str, LocusModel]:
    """The locus models people are drawn from: the table's frequencies, θ and mutation as given."""
    settings = settings or KinshipSettings()
    return {
        locus: table_locus_model(locus, table=settings.table, theta=settings.theta, mutation=settings.mutation)
        for locus in loci
    }


def founder(rng: np.random.Generator, models: LocusModels, sex: Sex | None = None) -> Profile:
    """A person unrelated to anyone drawn so far, each genotype from the founder distribution (NRC II 4.4a)."""
    loci: dict[str, Genotype] = {}
    for locus, model in models.items():
        g = int(rng.choice(model.size, p=model.founder / model.founder.sum()))
        loci[locus] = (model.alleles[model.first[g]], model.alleles[model.second[g]])
    return Profile(loci=loci, sex=sex)


def child(
    rng: np.random.Generator, father: Profile, mother: Profile, models: LocusModels, sex: Sex | None = None
) -> Profile:
    """A child of two people: one allele from each parent, each changed by mutation with the model's rates."""
    loci: dict[str, Genotype] = {}
    for locus, model in models.items():
        paternal = _transmit(rng, model, model.paternal, father.loci[locus])
        maternal = _transmit(rng, model, model.maternal, mother.loci[locus])
        loci[locus] = (
            (paternal, maternal)
            if model.allele_index[paternal] <= model.allele_index[maternal]
            else (
                maternal,
                paternal,
            )
        )
    return Profile(loci=loci, sex=sex)


def _transmit(rng: np.random.Generator, model: LocusModel, transmissions: np.ndarray, genotype: Genotype) -> str:
    row = transmissions[model.index_of(genotype)]
    return model.alleles[int(rng.choice(len(model.alleles), p=row / row.sum()))]


def degrade(rng: np.random.Generator, profile: Profile, *, loci_lost: float, dropout: float) -> Profile:
    """A degraded sample of a profile: each locus lost with probability `loci_lost`, each allele of a
    heterozygote dropped with probability `dropout` (both dropped: the locus is lost)."""
    loci: dict[str, Genotype] = {}
    for locus, (a, b) in profile.loci.items():
        if rng.random() < loci_lost:
            continue
        if a == b:
            loci[locus] = (a, b)
            continue
        keep_a, keep_b = rng.random() >= dropout, rng.random() >= dropout
        if keep_a and keep_b:
            loci[locus] = (a, b)
        elif keep_a or keep_b:
            allele = a if keep_a else b
            loci[locus] = (allele, allele)
    return Profile(loci=loci, degraded=True, sex=profile.sex)


class Configuration(StrEnum):
    """Which references a simulated family gave (the benchmark's rows)."""

    DIRECT = "direct"
    BOTH_PARENTS = "both_parents"
    PARENT_AND_SIBLING = "parent_and_sibling"
    ONE_PARENT = "one_parent"
    TWO_SIBLINGS = "two_siblings"
    ONE_SIBLING = "one_sibling"
    CHILD_AND_OTHER_PARENT = "child_and_other_parent"
    HALF_SIBLING = "half_sibling"
    GRANDPARENT = "grandparent"
    AUNT_UNCLE = "aunt_uncle"
    COUSIN = "cousin"


@dataclass(frozen=True, slots=True)
class SimulatedCase:
    """A missing person's true profile and the references the family gave."""

    missing: Profile
    family: Family


def simulate_case(rng: np.random.Generator, models: LocusModels, configuration: Configuration) -> SimulatedCase:
    """One missing person with the relatives a configuration names, all of one simulated pedigree."""
    grandfather, grandmother = founder(rng, models, Sex.MALE), founder(rng, models, Sex.FEMALE)
    father = child(rng, grandfather, grandmother, models, Sex.MALE)
    mother = founder(rng, models, Sex.FEMALE)
    sex = Sex.MALE if rng.random() < 0.5 else Sex.FEMALE
    missing = child(rng, father, mother, models, sex)

    def sibling() -> Profile:
        return child(rng, father, mother, models)

    def reference(relationship: Relationship, profile: Profile, donor: str, **kw: str) -> Reference:
        return Reference(relationship=relationship, profile=profile, donor_id=donor, **kw)

    references: list[Reference]
    match configuration:
        case Configuration.DIRECT:
            references = [reference(Relationship.DIRECT, missing, "d")]
        case Configuration.BOTH_PARENTS:
            references = [reference(Relationship.FATHER, father, "f"), reference(Relationship.MOTHER, mother, "m")]
        case Configuration.PARENT_AND_SIBLING:
            references = [
                reference(Relationship.MOTHER, mother, "m"),
                reference(Relationship.FULL_SIBLING, sibling(), "s"),
            ]
        case Configuration.ONE_PARENT:
            references = [reference(Relationship.MOTHER, mother, "m")]
        case Configuration.TWO_SIBLINGS:
            references = [
                reference(Relationship.FULL_SIBLING, sibling(), "s1"),
                reference(Relationship.FULL_SIBLING, sibling(), "s2"),
            ]
        case Configuration.ONE_SIBLING:
            references = [reference(Relationship.FULL_SIBLING, sibling(), "s")]
        case Configuration.CHILD_AND_OTHER_PARENT:
            partner = founder(rng, models)
            kid = child(rng, missing, partner, models) if sex is Sex.MALE else child(rng, partner, missing, models)
            references = [
                reference(Relationship.CHILD, kid, "c"),
                reference(Relationship.CHILD_OTHER_PARENT, partner, "p", child_donor_id="c"),
            ]
        case Configuration.HALF_SIBLING:
            half = child(rng, father, founder(rng, models), models)
            references = [reference(Relationship.HALF_SIBLING_PATERNAL, half, "h")]
        case Configuration.GRANDPARENT:
            references = [reference(Relationship.GRANDPARENT, grandmother, "g")]
        case Configuration.AUNT_UNCLE:
            references = [reference(Relationship.AUNT_UNCLE, child(rng, grandfather, grandmother, models), "a")]
        case Configuration.COUSIN:
            aunt = child(rng, grandfather, grandmother, models)
            references = [reference(Relationship.COUSIN, child(rng, aunt, founder(rng, models), models), "c")]
    return SimulatedCase(missing=missing, family=Family(references=tuple(references), sex=sex))
