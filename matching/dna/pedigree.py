"""One pedigree likelihood per missing person, with all of that person's references together.

The pedigree is the missing person (MP), the MP's father F and mother M (founders, typed or
not), full siblings (children of F and M), half siblings (children of F, or of M, with an
unknown other parent each), the MP's children (with their other parent, typed or not) and
direct samples of the MP. Per locus the likelihood sums over the genotypes of F and M
(Elston–Stewart peeling on this fixed shape; Egeland, Kling & Mostad 2016, ch. 2–3):

    u(g) = C(g) · Σ_{gF,gM} P(gF) P(gM) obs_F(gF) obs_M(gM) Π_sib P(sib | gF, gM)
                 Π_half P(half | gF or gM) · P(MP = g | gF, gM)

with C(g) the MP's children's likelihood given the MP's genotype g. Then q = u / Σu is the
MP's genotype distribution given the references, Σu the references' likelihood, and the LR of
a remains observation o is Σ o(g) q(g) / Σ o(g) P(g). Related references are never multiplied
as if independent: that overstates two siblings' LR about 50-fold.

Grandparents, aunts/uncles and cousins are used only when they are a missing person's only
references (the registry does not record on which side they are), through the pairwise IBD
formula LR = κ0 + κ1·P1/P0 + κ2·P2/P0 (Thompson 1975; Weir, Anderson & Hepler 2006).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from matching.dna.frequencies import frequency_table
from matching.dna.likelihood import FloatArray, KinshipSettings, LocusModel, model_for
from matching.dna.markers import Genotype, Profile, Sex, is_comparable_allele


class Relationship(StrEnum):
    """A reference donor's relationship to the missing person (shared/spec/dna.md), or `direct`."""

    FATHER = "father"
    MOTHER = "mother"
    FULL_SIBLING = "full_sibling"
    HALF_SIBLING_PATERNAL = "half_sibling_paternal"
    HALF_SIBLING_MATERNAL = "half_sibling_maternal"
    CHILD = "child"
    CHILD_OTHER_PARENT = "child_other_parent"
    GRANDPARENT = "grandparent"
    AUNT_UNCLE = "aunt_uncle"
    COUSIN = "cousin"
    DIRECT = "direct"


PEDIGREE_RELATIONSHIPS = frozenset(Relationship) - {
    Relationship.GRANDPARENT,
    Relationship.AUNT_UNCLE,
    Relationship.COUSIN,
}
# (κ0, κ1, κ2): the probabilities of sharing 0, 1, 2 alleles identical by descent.
KAPPA: dict[Relationship, tuple[float, float, float]] = {
    Relationship.GRANDPARENT: (0.5, 0.5, 0.0),
    Relationship.AUNT_UNCLE: (0.5, 0.5, 0.0),
    Relationship.COUSIN: (0.75, 0.25, 0.0),
}
# Order in which relationships are named (`mother+full_sibling`) and distant ones preferred.
ORDER: tuple[Relationship, ...] = tuple(Relationship)


@dataclass(frozen=True, slots=True)
class Reference:
    """A reference sample: its donor, the donor's relationship to the missing person, the profile.

    A `child_other_parent` names in `child_donor_id` the `donor_id` of the child they had with
    the missing person.
    """

    relationship: Relationship
    profile: Profile
    donor_id: str = ""
    child_donor_id: str | None = None


@dataclass(frozen=True, slots=True)
class Family:
    """A missing person's references (all of them), with the missing person's sex when known."""

    references: tuple[Reference, ...]
    sex: Sex | None = None

    def pedigree_references(self) -> tuple[Reference, ...]:
        """The references one pedigree covers; distant ones (κ) only when there is nothing closer."""
        close = tuple(r for r in self.references if r.relationship in PEDIGREE_RELATIONSHIPS)
        if not any(r.relationship is not Relationship.CHILD_OTHER_PARENT for r in close):
            return ()
        return close

    def kappa_reference(self) -> Reference | None:
        """The distant reference used when a family has no closer one: the nearest degree, then donor id."""
        if self.pedigree_references():
            return None
        distant = [r for r in self.references if r.relationship in KAPPA]
        if not distant:
            return None
        return min(distant, key=lambda r: (-sum(KAPPA[r.relationship][1:]), ORDER.index(r.relationship), r.donor_id))

    def references_used(self) -> tuple[Reference, ...]:
        """The references a likelihood ratio of this family rests on."""
        kappa = self.kappa_reference()
        return (kappa,) if kappa is not None else self.pedigree_references()


def references_label(references: Iterable[Reference]) -> str:
    """The references as the output names them, e.g. `mother+full_sibling+full_sibling`, independent of order."""
    return "+".join(sorted((r.relationship.value for r in references), key=lambda v: ORDER.index(Relationship(v))))


@dataclass(frozen=True, slots=True)
class LocusPosterior:
    """The missing person's genotype distribution at a locus given the references, and their likelihood."""

    posterior: FloatArray
    references_likelihood: float
    direct: bool = False


def _transmitted(trans_a: FloatArray, trans_b: FloatArray, model: LocusModel, observation: FloatArray) -> FloatArray:
    """P(child observation | parents), over pairs of parent genotypes (rows: parent a, columns: b)."""
    result = np.zeros((trans_a.shape[0], trans_b.shape[0]))
    for g in np.flatnonzero(observation):
        a, b = model.first[g], model.second[g]
        term = np.outer(trans_a[:, a], trans_b[:, b])
        if a != b:
            term += np.outer(trans_a[:, b], trans_b[:, a])
        result += observation[g] * term
    return result


def _transmitted_one(trans: FloatArray, model: LocusModel, observation: FloatArray) -> FloatArray:
    """P(child observation | one parent), the other parent a random member of the population."""
    return _transmitted(trans, model.p[np.newaxis, :], model, observation)[:, 0]


@dataclass(frozen=True, slots=True)
class _Observed:
    relationship: Relationship
    observation: FloatArray
    donor_id: str
    child_donor_id: str | None


def locus_posterior(
    model: LocusModel, observed: Sequence[tuple[Reference, FloatArray]], sex: Sex | None = None
) -> LocusPosterior:
    """The missing person's genotype at one locus given the references typed there (one pedigree sum).

    `observed` pairs each reference with P(its typing | genotype) over the locus's genotypes.
    """
    items = [_Observed(r.relationship, o, r.donor_id, r.child_donor_id) for r, o in observed]
    by = {rel: [i for i in items if i.relationship is rel] for rel in Relationship}
    for rel in (Relationship.FATHER, Relationship.MOTHER):
        if len(by[rel]) > 1:
            raise ValueError(f"a missing person has one {rel.value}, not {len(by[rel])}")
    father = model.founder * (by[Relationship.FATHER][0].observation if by[Relationship.FATHER] else 1.0)
    mother = model.founder * (by[Relationship.MOTHER][0].observation if by[Relationship.MOTHER] else 1.0)
    f_set, m_set = np.flatnonzero(father), np.flatnonzero(mother)
    weights = np.outer(father[f_set], mother[m_set])
    trans_f, trans_m = model.paternal[f_set], model.maternal[m_set]
    for sibling in by[Relationship.FULL_SIBLING]:
        weights *= _transmitted(trans_f, trans_m, model, sibling.observation)
    for half in by[Relationship.HALF_SIBLING_PATERNAL]:
        weights *= _transmitted_one(trans_f, model, half.observation)[:, np.newaxis]
    for half in by[Relationship.HALF_SIBLING_MATERNAL]:
        weights *= _transmitted_one(trans_m, model, half.observation)[np.newaxis, :]
    ordered = trans_f.T @ weights @ trans_m
    u = ordered[model.first, model.second] + np.where(
        model.first != model.second, ordered[model.second, model.first], 0.0
    )
    u = u * _children(model, by[Relationship.CHILD], by[Relationship.CHILD_OTHER_PARENT], sex)
    total = float(u.sum())
    if total == 0:
        return LocusPosterior(posterior=u, references_likelihood=0.0)
    return LocusPosterior(posterior=u / total, references_likelihood=total)


def _children(
    model: LocusModel, children: list[_Observed], other_parents: list[_Observed], sex: Sex | None
) -> FloatArray | float:
    """C(g): the likelihood of the missing person's children (and their other parents) given the MP's genotype g."""
    if not children:
        return 1.0
    own = model.paternal if sex is Sex.MALE else model.maternal if sex is Sex.FEMALE else model.either
    partners = {o.child_donor_id: o for o in other_parents if o.child_donor_id}
    groups: dict[str, tuple[FloatArray, list[_Observed]]] = {}
    for index, child in enumerate(children):
        partner = partners.get(child.donor_id) if child.donor_id else None
        key = f"partner:{partner.donor_id}" if partner else f"unknown:{index}"
        weight = model.founder * (partner.observation if partner else 1.0)
        groups.setdefault(key, (weight, []))[1].append(child)
    result = np.ones(model.size)
    for weight, members in groups.values():
        o_set = np.flatnonzero(weight)
        joint = np.ones((model.size, len(o_set)))
        for child in members:
            joint *= _transmitted(own, model.either[o_set], model, child.observation)
        result *= joint @ weight[o_set]
    return result


def kappa_posterior(model: LocusModel, kappa: tuple[float, float, float], observation: FloatArray) -> LocusPosterior:
    """The MP's genotype given one relative with IBD probabilities κ.

    q(g) = κ0·P0(g) + κ1·P1(g | relative) + κ2·[g = relative], so q/P0 is the pairwise κ LR.
    """
    k0, k1, k2 = kappa
    shared = np.zeros((model.size, len(model.alleles)))  # P(g | one allele IBD, that allele s)
    rows = np.arange(model.size)
    shared[rows, model.first] += model.p[model.second]
    heterozygous = model.first != model.second
    shared[rows[heterozygous], model.second[heterozygous]] += model.p[model.first[heterozygous]]
    relative = model.founder * observation
    total = float(relative.sum())
    relative = relative / total
    passed = 0.5 * (np.eye(len(model.alleles))[model.first] + np.eye(len(model.alleles))[model.second])
    one_ibd = shared @ (relative @ passed)
    posterior = k0 * model.founder + k1 * one_ibd + k2 * relative
    return LocusPosterior(posterior=posterior, references_likelihood=total)


def direct_posterior(model: LocusModel, genotype: Genotype, observation: FloatArray) -> LocusPosterior:
    """The MP's own sample: read exactly, the remains' LR is 1 / (NRC II 4.10 match probability).

    A degraded direct sample (one allele, possibly a drop-out) updates the founder distribution instead.
    """
    if np.count_nonzero(observation) == 1:
        g = model.index_of(genotype)
        posterior = np.zeros(model.size)
        posterior[g] = model.founder[g] / model.match_probabilities()[g]
        return LocusPosterior(posterior=posterior, references_likelihood=float(model.founder[g]), direct=True)
    weighted = model.founder * observation
    total = float(weighted.sum())
    return LocusPosterior(posterior=weighted / total, references_likelihood=total, direct=True)


@dataclass(frozen=True, slots=True)
class LocusLR:
    """One locus's LR with and without mutation; `incompatible` when only mutation makes it non-zero."""

    locus: str
    lr: float
    lr_without_mutation: float
    dropout: bool

    @property
    def incompatible(self) -> bool:
        """A Mendelian inconsistency: no genotype explains the typings without a mutation."""
        return self.lr_without_mutation == 0.0


@dataclass(frozen=True, slots=True)
class KinshipLR:
    """The LR 'the remains are this missing person' vs 'an unrelated person', all references in one pedigree."""

    log10_lr: float
    loci: tuple[LocusLR, ...]
    references: tuple[Reference, ...]
    kappa: bool
    loci_not_compared: tuple[str, ...]
    settings: KinshipSettings

    @property
    def lr(self) -> float:
        """The likelihood ratio itself (inf or 0 at the extremes)."""
        return math.inf if self.log10_lr > 308 else 10.0**self.log10_lr

    @property
    def loci_incompatible(self) -> tuple[str, ...]:
        """The loci where the references and the remains are inconsistent without a mutation."""
        return tuple(locus.locus for locus in self.loci if locus.incompatible)


def family_locus_posterior(
    model: LocusModel, family: Family, used: tuple[Reference, ...], locus: str, dropout: float
) -> LocusPosterior | None:
    """The MP's genotype distribution at a locus from the family's references used (None: none typed there).

    A direct sample decides the locus alone; a distant relative goes through κ; else one pedigree sum.
    """
    typed = [r for r in used if locus in r.profile.loci]
    if not typed:
        return None
    observed = [
        (r, model.observation(r.profile.loci[locus], degraded=r.profile.degraded, dropout=dropout)) for r in typed
    ]
    direct = [(r, o) for r, o in observed if r.relationship is Relationship.DIRECT]
    if direct:
        return direct_posterior(model, direct[0][0].profile.loci[locus], direct[0][1])
    kappa = family.kappa_reference()
    if kappa is not None:
        return kappa_posterior(model, KAPPA[kappa.relationship], observed[0][1])
    if all(r.relationship is Relationship.CHILD_OTHER_PARENT for r, _ in observed):
        return None
    return locus_posterior(model, observed, family.sex)


def kinship_lr(remains: Profile, family: Family, settings: KinshipSettings | None = None) -> KinshipLR:
    """The LR of a remains profile against one missing person's references, locus by locus, in log space.

    Only loci typed on the remains and on at least one reference used are compared; a locus
    with an off-ladder allele, or absent from the frequency table, is listed as not compared.
    """
    settings = settings or KinshipSettings()
    used = family.references_used()
    table_loci = set(_table_loci(settings))
    results: list[LocusLR] = []
    skipped: list[str] = []
    for locus in sorted(remains.loci):
        genotypes = [remains.loci[locus]] + [r.profile.loci[locus] for r in used if locus in r.profile.loci]
        if len(genotypes) == 1:
            continue
        alleles = {a for g in genotypes for a in g}
        if locus not in table_loci or not all(is_comparable_allele(a) for a in alleles):
            skipped.append(locus)
            continue
        values = []
        for mutation in (True, False):
            model = model_for(locus, alleles, settings, mutation=mutation)
            posterior = family_locus_posterior(model, family, used, locus, settings.dropout)
            if posterior is None:
                break
            observation = model.observation(remains.loci[locus], degraded=remains.degraded, dropout=settings.dropout)
            values.append(_ratio(model, observation, posterior))
        if len(values) == 2:
            single = remains.loci[locus][0] == remains.loci[locus][1]
            results.append(LocusLR(locus, values[0], values[1], dropout=remains.degraded and single))
    total = sum(math.log10(r.lr) if r.lr > 0 else -math.inf for r in results)
    return KinshipLR(
        log10_lr=total,
        loci=tuple(results),
        references=used,
        kappa=family.kappa_reference() is not None,
        loci_not_compared=tuple(skipped),
        settings=settings,
    )


def _ratio(model: LocusModel, observation: FloatArray, posterior: LocusPosterior) -> float:
    numerator = float(observation @ posterior.posterior)
    return numerator / float(observation @ model.founder)


def _table_loci(settings: KinshipSettings) -> Iterable[str]:
    return frequency_table(settings.table).loci.keys()


def joint_likelihood(
    model: LocusModel, references: Sequence[tuple[Reference, Genotype]], remains: Genotype | None = None
) -> float:
    """P(all typings at one locus | the pedigree): the references' likelihood, times the remains' when given."""
    observed = [(r, model.observation(g, degraded=False, dropout=0.0)) for r, g in references]
    posterior = locus_posterior(model, observed)
    if remains is None:
        return posterior.references_likelihood
    return posterior.references_likelihood * float(posterior.posterior[model.index_of(remains)])
