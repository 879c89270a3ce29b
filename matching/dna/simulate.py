"""Simulated families for tests, benchmarks and the seed: founders from a frequency table,
Mendelian inheritance with mutation, degraded remains.

Everything draws from a `numpy.random.Generator` passed in, so a seed fixes the result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from matching.dna.likelihood import FloatArray, KinshipSettings, LocusModel, table_locus_model
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
    tables = _tables(tuple(models.items()))
    drawn = _count_at_most(tables.founder, rng.random(len(tables.loci)))
    loci = {
        locus: (model.alleles[model.first[g]], model.alleles[model.second[g]])
        for locus, model, g in zip(tables.loci, tables.models, drawn, strict=True)
    }
    return Profile(loci=loci, sex=sex)


def child(
    rng: np.random.Generator, father: Profile, mother: Profile, models: LocusModels, sex: Sex | None = None
) -> Profile:
    """A child of two people: one allele from each parent, each changed by mutation with the model's rates."""
    tables = _tables(tuple(models.items()))
    uniforms = rng.random(2 * len(tables.loci))  # per locus: the father's draw, then the mother's
    fathers = [model.index_of(father.loci[locus]) for locus, model in zip(tables.loci, tables.models, strict=True)]
    mothers = [model.index_of(mother.loci[locus]) for locus, model in zip(tables.loci, tables.models, strict=True)]
    paternal = _count_at_most(tables.paternal[tables.rows, fathers], uniforms[0::2])
    maternal = _count_at_most(tables.maternal[tables.rows, mothers], uniforms[1::2])
    loci = {
        locus: (model.alleles[min(a, b)], model.alleles[max(a, b)])
        for locus, model, a, b in zip(tables.loci, tables.models, paternal, maternal, strict=True)
    }
    return Profile(loci=loci, sex=sex)


# Draws by cumulative distributions computed once per set of loci, with the very arithmetic and
# the one uniform number per draw of `Generator.choice(n, p=w / w.sum())`, all loci at once: the
# same draws as a locus-by-locus `choice`, many times faster. Distributions are padded with +inf
# to the longest locus, so that counting the entries ≤ u is `searchsorted(cdf, u, side="right")`.
def _cdf(weights: FloatArray) -> FloatArray:
    cdf: FloatArray = (weights / weights.sum()).cumsum()
    cdf /= cdf[-1]
    return cdf


@dataclass(frozen=True, slots=True, eq=False)
class _Tables:
    loci: tuple[str, ...]
    models: tuple[LocusModel, ...]
    rows: npt.NDArray[np.intp]
    founder: FloatArray  # locus × genotype
    paternal: FloatArray  # locus × parent's genotype × allele transmitted
    maternal: FloatArray


@lru_cache(maxsize=32)
def _tables(models: tuple[tuple[str, LocusModel], ...]) -> _Tables:
    loci = tuple(locus for locus, _ in models)
    ordered = tuple(model for _, model in models)
    genotypes = max((m.size for m in ordered), default=0)
    alleles = max((len(m.alleles) for m in ordered), default=0)
    founder = np.full((len(ordered), genotypes), np.inf)
    paternal = np.full((len(ordered), genotypes, alleles), np.inf)
    maternal = np.full((len(ordered), genotypes, alleles), np.inf)
    for i, model in enumerate(ordered):
        founder[i, : model.size] = _cdf(model.founder)
        for g in range(model.size):
            paternal[i, g, : len(model.alleles)] = _cdf(model.paternal[g])
            maternal[i, g, : len(model.alleles)] = _cdf(model.maternal[g])
    return _Tables(loci, ordered, np.arange(len(ordered)), founder, paternal, maternal)


def _count_at_most(cdfs: FloatArray, uniforms: FloatArray) -> list[int]:
    counts: list[int] = (cdfs <= uniforms[:, None]).sum(axis=1).tolist()
    return counts


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
