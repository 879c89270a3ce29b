"""Per-locus genetics: the allele system, founder genotypes under θ, the direct match, mutation.

Every probability here is of one locus; a profile's likelihood is the sum of per-locus logs.

- Founder genotype probability with the subpopulation correction θ, NRC II (1996) 4.4a:
  p² + θp(1−p) for a homozygote, 2pq(1−θ) for a heterozygote.
- Direct match probability, NRC II 4.10 (Balding & Nichols 1994):
  (2θ+(1−θ)p)(3θ+(1−θ)p) / ((1+θ)(1+2θ)) for a homozygote,
  2(θ+(1−θ)p)(θ+(1−θ)q) / ((1+θ)(1+2θ)) for a heterozygote.
- Rare and unseen alleles at 5/(2N) at least (NRC II), then the locus renormalised to sum to 1,
  as pedigree software requires a proper distribution (Egeland, Kling & Mostad 2016, ch. 2).
- Mutation models of Familias (Egeland, Kling & Mostad 2016, ch. 4): `equal`, `proportional`,
  `stepwise`; rates per meiosis, paternal and maternal apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from matching.dna.frequencies import DEFAULT_TABLE, frequency_table
from matching.dna.markers import Genotype, repeat_number

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

DEFAULT_THETA = 0.01
DEFAULT_DROPOUT = 0.1
# Order of the published STR rates (AABB 2008 annual report; Egeland et al. 2016, ch. 4):
# 0.001–0.003 per meiosis, paternal three to four times maternal. Not a per-locus table:
# a laboratory's own rates go in `MutationModel.per_locus`.
DEFAULT_PATERNAL_RATE = 0.002
DEFAULT_MATERNAL_RATE = 0.0005
# An allele the index stands for every allele a table has not seen (it gets 5/(2N)).
UNSEEN = "?"


class MutationKind(StrEnum):
    NONE = "none"
    EQUAL = "equal"
    PROPORTIONAL = "proportional"
    STEPWISE = "stepwise"


@dataclass(frozen=True, slots=True)
class MutationModel:
    """How an allele may change in one meiosis; rates per locus, paternal and maternal apart.

    `stepwise`: a mutation of d whole repeats has relative weight `step_range`^(d−1); a change to
    an allele a fraction of a repeat away (9 → 9.3) has the absolute rate `microvariant_rate`;
    an allele with no repeat number (OL, >27, unseen) mutates to every other allele alike.
    """

    kind: MutationKind = MutationKind.STEPWISE
    paternal_rate: float = DEFAULT_PATERNAL_RATE
    maternal_rate: float = DEFAULT_MATERNAL_RATE
    per_locus: tuple[tuple[str, float, float], ...] = ()
    step_range: float = 0.1
    microvariant_rate: float = 1e-6

    def rates(self, locus: str) -> tuple[float, float]:
        """The (paternal, maternal) rate per meiosis at a locus: its own if given, else the defaults."""
        for name, paternal, maternal in self.per_locus:
            if name == locus:
                return paternal, maternal
        return self.paternal_rate, self.maternal_rate

    def without_mutation(self) -> MutationModel:
        """The same model with mutation switched off, to tell an incompatible locus from a compatible one."""
        return MutationModel(kind=MutationKind.NONE)


@dataclass(frozen=True, slots=True)
class KinshipSettings:
    """Everything a likelihood ratio depends on besides the genotypes: recorded with every result."""

    table: str = DEFAULT_TABLE
    theta: float = DEFAULT_THETA
    mutation: MutationModel = field(default_factory=MutationModel)
    dropout: float = DEFAULT_DROPOUT


def founder_genotype_probability(p: float, q: float | None, theta: float) -> float:
    """NRC II 4.4a: the probability of a genotype in a founder, p² + θp(1−p) or 2pq(1−θ)."""
    if q is None:
        return p * p + theta * p * (1 - p)
    return 2 * p * q * (1 - theta)


def match_probability(p: float, q: float | None, theta: float) -> float:
    """NRC II 4.10: the probability that a second, unrelated person has the genotype already seen once."""
    denominator = (1 + theta) * (1 + 2 * theta)
    if q is None:
        return (2 * theta + (1 - theta) * p) * (3 * theta + (1 - theta) * p) / denominator
    return 2 * (theta + (1 - theta) * p) * (theta + (1 - theta) * q) / denominator


def mutation_matrix(alleles: tuple[str, ...], p: FloatArray, rate: float, model: MutationModel) -> FloatArray:
    """M[i, j], the probability that allele i is transmitted as j in one meiosis; every row sums to 1."""
    k = len(alleles)
    if model.kind is MutationKind.NONE or k < 2 or rate == 0:
        return np.eye(k)
    if model.kind is MutationKind.EQUAL:
        matrix = np.full((k, k), rate / (k - 1))
    elif model.kind is MutationKind.PROPORTIONAL:
        scale = rate / float(np.sum(p * (1 - p)))
        matrix = np.tile(scale * p, (k, 1))
    else:
        matrix = _stepwise(alleles, rate, model)
    np.fill_diagonal(matrix, 0.0)
    np.fill_diagonal(matrix, 1.0 - matrix.sum(axis=1))
    return matrix


def _stepwise(alleles: tuple[str, ...], rate: float, model: MutationModel) -> FloatArray:
    k = len(alleles)
    numbers = [repeat_number(a) for a in alleles]
    matrix = np.zeros((k, k))
    for i, x in enumerate(numbers):
        whole = np.zeros(k)
        partial = np.zeros(k)
        for j, y in enumerate(numbers):
            if i == j or x is None or y is None:
                continue
            steps = round(abs(x - y), 1)
            if steps == int(steps):
                whole[j] = model.step_range ** (int(steps) - 1)
            else:
                partial[j] = 1.0
        if whole.sum() == 0:
            matrix[i] = rate / (k - 1)
            continue
        matrix[i] = rate * whole / whole.sum()
        if partial.sum() > 0:
            matrix[i] += model.microvariant_rate * partial / partial.sum()
    return matrix


@dataclass(frozen=True, slots=True, eq=False)
class LocusModel:
    """One locus's allele system and everything the pedigree sums need, as numpy arrays.

    Genotypes are the unordered pairs (first[g] ≤ second[g]) of the k alleles, G = k(k+1)/2 of
    them. `founder[g]` is NRC II 4.4a; `paternal[g, a]` the probability that a father of
    genotype g transmits allele a (mutation included), `maternal` likewise, `either` their mean
    (a parent of unknown sex).
    """

    locus: str
    alleles: tuple[str, ...]
    p: FloatArray
    theta: float
    first: IntArray
    second: IntArray
    founder: FloatArray
    paternal: FloatArray
    maternal: FloatArray
    either: FloatArray
    genotype_index: dict[Genotype, int]
    allele_index: dict[str, int]

    @property
    def size(self) -> int:
        """G, the number of genotypes of the locus."""
        return len(self.first)

    def index_of(self, genotype: Genotype) -> int:
        """The index of a genotype whose alleles are in this system (either order)."""
        a, b = genotype
        return self.genotype_index[(a, b)] if (a, b) in self.genotype_index else self.genotype_index[(b, a)]

    def observation(self, genotype: Genotype, *, degraded: bool, dropout: float) -> FloatArray:
        """P(what the lab wrote | true genotype g), over g.

        Two alleles are read exactly. A single allele a in a degraded sample is a possible
        drop-out: true a/a with probability 1 − d², true a/x with d(1 − d) for every x. In a
        sample not marked degraded a single allele is a homozygote.
        """
        vector = np.zeros(self.size)
        a, b = genotype
        if a != b or not degraded:
            vector[self.index_of(genotype)] = 1.0
            return vector
        i = self.allele_index[a]
        holds = (self.first == i) | (self.second == i)
        vector[holds] = dropout * (1 - dropout)
        vector[self.index_of((a, a))] = 1 - dropout * dropout
        return vector

    def match_probabilities(self) -> FloatArray:
        """NRC II 4.10 for every genotype of the locus."""
        p1, p2 = self.p[self.first], self.p[self.second]
        theta = self.theta
        denominator = (1 + theta) * (1 + 2 * theta)
        homozygote = (2 * theta + (1 - theta) * p1) * (3 * theta + (1 - theta) * p1) / denominator
        heterozygote = 2 * (theta + (1 - theta) * p1) * (theta + (1 - theta) * p2) / denominator
        result: FloatArray = np.where(self.first == self.second, homozygote, heterozygote)
        return result


def build_locus_model(
    locus: str,
    alleles: tuple[str, ...],
    frequencies: FloatArray | list[float],
    *,
    theta: float = DEFAULT_THETA,
    mutation: MutationModel | None = None,
) -> LocusModel:
    """A locus model from alleles and their frequencies as given (they should sum to 1)."""
    mutation = mutation or MutationModel()
    p = np.asarray(frequencies, dtype=np.float64)
    k = len(alleles)
    first, second = np.triu_indices(k)
    p1, p2 = p[first], p[second]
    founder = np.where(first == second, p1 * p1 + theta * p1 * (1 - p1), 2 * p1 * p2 * (1 - theta))
    paternal_rate, maternal_rate = mutation.rates(locus)
    transmissions = []
    for rate in (paternal_rate, maternal_rate):
        matrix = mutation_matrix(alleles, p, rate, mutation)
        transmissions.append(0.5 * (matrix[first] + matrix[second]))
    return LocusModel(
        locus=locus,
        alleles=alleles,
        p=p,
        theta=theta,
        first=first.astype(np.intp),
        second=second.astype(np.intp),
        founder=founder,
        paternal=transmissions[0],
        maternal=transmissions[1],
        either=0.5 * (transmissions[0] + transmissions[1]),
        genotype_index={(alleles[a], alleles[b]): g for g, (a, b) in enumerate(zip(first, second, strict=True))},
        allele_index={allele: i for i, allele in enumerate(alleles)},
    )


@lru_cache(maxsize=4096)
def table_locus_model(
    locus: str, *, table: str, theta: float, mutation: MutationModel, extra_alleles: tuple[str, ...] = ()
) -> LocusModel:
    """A locus model from a shipped table: its alleles plus any extra ones, each at 5/(2N) at least, renormalised."""
    frequencies = frequency_table(table).loci[locus]
    alleles = tuple(frequencies.frequencies) + tuple(a for a in extra_alleles if a not in frequencies.frequencies)
    raw = np.array([frequencies.frequency(a) for a in alleles])
    return build_locus_model(locus, alleles, raw / raw.sum(), theta=theta, mutation=mutation)


def model_for(locus: str, alleles: set[str], settings: KinshipSettings, *, mutation: bool = True) -> LocusModel:
    """The locus model of a table that covers the given alleles (unseen ones added at 5/(2N))."""
    known = frequency_table(settings.table).loci[locus].frequencies
    extra = tuple(sorted(a for a in alleles if a not in known))
    model = settings.mutation if mutation else settings.mutation.without_mutation()
    return table_locus_model(locus, table=settings.table, theta=settings.theta, mutation=model, extra_alleles=extra)


def observation_likelihood_ratio(model: LocusModel, observation: FloatArray, posterior: FloatArray) -> float:
    """The LR of one locus: P(observation | the missing person's genotype distribution) / P(it | a founder)."""
    numerator = float(observation @ posterior)
    denominator = float(observation @ model.founder)
    return numerator / denominator
