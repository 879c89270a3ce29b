"""Calibration: under 'unrelated' the LR averages 1 per locus (E[LR | H2] = Σ_g q(g) = 1)."""

from __future__ import annotations

import numpy as np

from matching.dna.likelihood import LocusModel
from matching.dna.markers import Profile
from matching.dna.pedigree import Family, Reference, Relationship, family_locus_posterior

DROPOUT = 0.1


def _lr_matrix(model: LocusModel, relationship: Relationship) -> np.ndarray:
    """R[h, g]: the LR of remains genotype g when the one reference, of this relationship, has genotype h."""
    rows = []
    for h in range(model.size):
        genotype = (model.alleles[model.first[h]], model.alleles[model.second[h]])
        reference = Reference(relationship, Profile(loci={model.locus: genotype}))
        posterior = family_locus_posterior(model, Family((reference,)), (reference,), model.locus, DROPOUT)
        assert posterior is not None
        rows.append(posterior.posterior / model.founder)
    return np.array(rows)


def test_every_locus_posterior_is_a_proper_distribution(models: dict[str, LocusModel]) -> None:
    model = models["D8S1179"]
    for relationship in (Relationship.MOTHER, Relationship.FULL_SIBLING, Relationship.HALF_SIBLING_MATERNAL):
        matrix = _lr_matrix(model, relationship)
        expected = matrix @ model.founder  # Σ_g P(g) LR(g | h) = Σ_g q(g | h)
        assert np.allclose(expected, 1.0, atol=1e-9), relationship


def test_mean_lr_of_unrelated_pairs_is_one_per_locus_by_simulation(models: dict[str, LocusModel]) -> None:
    rng = np.random.default_rng(20240614)
    draws = 40_000
    for locus in ("TH01", "vWA", "D21S11", "CSF1PO"):
        model = models[locus]
        for relationship in (Relationship.FATHER, Relationship.FULL_SIBLING):
            matrix = _lr_matrix(model, relationship)
            p = model.founder / model.founder.sum()
            reference = rng.choice(model.size, size=draws, p=p)
            remains = rng.choice(model.size, size=draws, p=p)
            lrs = matrix[reference, remains]
            error = lrs.std() / np.sqrt(draws)
            assert abs(lrs.mean() - 1) < 4 * error + 1e-3, (locus, relationship, lrs.mean(), error)
