"""Every family's LR for every possible remains genotype, so one profile is scored against all at once.

For each locus the index holds a float32 matrix R[g, f] = q_f(g) / P(g): family f's likelihood
ratio for a remains of genotype g (1 where the family has nothing typed at the locus). Scoring a
remains profile multiplies one row per locus (a degraded single allele combines the rows of the
genotypes it may hide; that mixture is computed once per allele when the index is built, so a
degraded profile costs what an intact one does). Alleles a table has not seen share one slot,
`UNSEEN`, and off-ladder alleles are not indexed, so the index ranks; the exact LR of the top candidates is then
`pedigree.kinship_lr` (retrieval, then scoring).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from matching.dna.frequencies import frequency_table
from matching.dna.likelihood import UNSEEN, FloatArray, KinshipSettings, LocusModel, table_locus_model
from matching.dna.markers import OFF_LADDER, Genotype, Profile
from matching.dna.pedigree import Family, Reference, family_locus_posterior

Float32Array = npt.NDArray[np.float32]


def _index_genotype(model: LocusModel, genotype: Genotype) -> Genotype | None:
    """The genotype in the index's alleles: unseen alleles as `UNSEEN`; None for an off-ladder allele."""
    if OFF_LADDER in genotype:
        return None
    a, b = (allele if allele in model.allele_index else UNSEEN for allele in genotype)
    return (a, b)


def _index_reference(model: LocusModel, reference: Reference, locus: str) -> Reference:
    loci = dict(reference.profile.loci)
    genotype = loci.pop(locus, None)
    mapped = _index_genotype(model, genotype) if genotype else None
    profile = Profile(loci={locus: mapped} if mapped else {}, degraded=reference.profile.degraded)
    return Reference(reference.relationship, profile, reference.donor_id, reference.child_donor_id)


def _single_allele_weights(model: LocusModel, dropout: float) -> Float32Array:
    """Per allele a, the weights of the genotypes a degraded single allele a may hide (a/a, or a/x with
    x dropped), each by its drop-out probability and frequency, normalised: as `log10_lrs` mixes them."""
    weights = np.zeros((len(model.alleles), model.size), dtype=np.float32)
    for i, allele in enumerate(model.alleles):
        observation = model.observation((allele, allele), degraded=True, dropout=dropout)
        rows = np.flatnonzero(observation)
        mixed = observation[rows] * model.founder[rows]
        weights[i, rows] = (mixed / mixed.sum()).astype(np.float32)
    return weights


@dataclass(slots=True)
class FamilyIndex:
    """Per locus, every family's LR for every remains genotype (float32, genotypes × families)."""

    settings: KinshipSettings
    models: dict[str, LocusModel]
    ratios: dict[str, Float32Array]
    size: int
    _founder_cache: dict[str, FloatArray] = field(default_factory=dict)
    # Per locus, allele × families: the LR of a degraded single allele (the rows of the genotypes
    # it may hide, mixed); empty for an index assembled by hand, which then mixes at query time.
    single_allele: dict[str, Float32Array] = field(default_factory=dict)

    @classmethod
    def build(
        cls, families: Sequence[Family], settings: KinshipSettings | None = None, loci: Sequence[str] | None = None
    ) -> FamilyIndex:
        """The index of some families, in their order; loci default to all of the table's."""
        settings = settings or KinshipSettings()
        names = tuple(loci) if loci is not None else tuple(frequency_table(settings.table).loci)
        models = {
            locus: table_locus_model(
                locus, table=settings.table, theta=settings.theta, mutation=settings.mutation, extra_alleles=(UNSEEN,)
            )
            for locus in names
        }
        ratios = {locus: np.ones((model.size, len(families)), dtype=np.float32) for locus, model in models.items()}
        for position, family in enumerate(families):
            used = family.references_used()
            for locus, model in models.items():
                mapped = tuple(_index_reference(model, r, locus) for r in used)
                posterior = family_locus_posterior(model, family, mapped, locus, settings.dropout)
                if posterior is not None:
                    ratios[locus][:, position] = posterior.posterior / model.founder
        single = {
            locus: _single_allele_weights(model, settings.dropout) @ ratios[locus] for locus, model in models.items()
        }
        return cls(settings=settings, models=models, ratios=ratios, size=len(families), single_allele=single)

    @classmethod
    def concatenate(cls, parts: Sequence[FamilyIndex]) -> FamilyIndex:
        """One index of several built with the same settings and loci, families in order."""
        first = parts[0]
        ratios = {locus: np.concatenate([p.ratios[locus] for p in parts], axis=1) for locus in first.models}
        single = (
            {locus: np.concatenate([p.single_allele[locus] for p in parts], axis=1) for locus in first.models}
            if all(p.single_allele for p in parts)
            else {}
        )
        return cls(first.settings, first.models, ratios, sum(p.size for p in parts), single_allele=single)

    @property
    def nbytes(self) -> int:
        """The memory the LR matrices take (genotypes × families)."""
        return sum(matrix.nbytes for matrix in self.ratios.values())

    @property
    def total_nbytes(self) -> int:
        """The memory the whole index takes: the LR matrices and the degraded single-allele rows."""
        return self.nbytes + sum(matrix.nbytes for matrix in self.single_allele.values())

    def log10_lrs(self, remains: Profile) -> FloatArray:
        """Every family's log10 LR for a remains profile (the index's approximation; −inf: excluded)."""
        product = np.ones(self.size)
        for locus, genotype in remains.loci.items():
            model = self.models.get(locus)
            mapped = _index_genotype(model, genotype) if model else None
            if model is None or mapped is None:
                continue
            observation = model.observation(mapped, degraded=remains.degraded, dropout=self.settings.dropout)
            rows = np.flatnonzero(observation)
            if len(rows) == 1:
                product *= self.ratios[locus][rows[0]]
            elif locus in self.single_allele:
                product *= self.single_allele[locus][model.allele_index[mapped[0]]]
            else:
                weights = observation[rows] * model.founder[rows]
                product *= (weights / weights.sum()).astype(np.float32) @ self.ratios[locus][rows]
        with np.errstate(divide="ignore"):
            result: FloatArray = np.log10(product)
        return result

    def top(self, remains: Profile, k: int = 10) -> list[tuple[int, float]]:
        """The k families with the highest LR for a remains profile, best first, as (position, log10 LR)."""
        scores = self.log10_lrs(remains)
        k = min(k, self.size)
        best = np.argpartition(-scores, k - 1)[:k]
        best = best[np.argsort(-scores[best], kind="stable")]
        return [(int(i), float(scores[i])) for i in best]
