"""The known values of issue #14, to the stated digits (published packages' documentation, checked by hand)."""

from __future__ import annotations

from matching.dna.likelihood import (
    MutationKind,
    MutationModel,
    build_locus_model,
    founder_genotype_probability,
    match_probability,
)
from matching.dna.markers import Profile
from matching.dna.pedigree import Reference, Relationship, joint_likelihood

NO_MUTATION = MutationModel(kind=MutationKind.NONE)
EMPTY = Profile(loci={})


def test_two_full_brothers_both_heterozygous() -> None:
    """0.32 × (¼·0.32 + ½·0.5 + ¼) = 0.1856."""
    model = build_locus_model("L", ("a", "b"), [0.2, 0.8], theta=0.0, mutation=NO_MUTATION)
    brother = Reference(Relationship.FULL_SIBLING, EMPTY)
    assert round(joint_likelihood(model, [(brother, ("a", "b")), (brother, ("a", "b"))]), 4) == 0.1856


def test_father_and_son_inconsistent_under_equal_mutation() -> None:
    """Father 1/1, son 2/2, mother untyped, p = ½, equal model at rate 0.1: 0.25 × 0.1 × 0.5 = 0.0125."""
    equal = MutationModel(kind=MutationKind.EQUAL, paternal_rate=0.1, maternal_rate=0.1)
    model = build_locus_model("L", ("1", "2"), [0.5, 0.5], theta=0.0, mutation=equal)
    father = Reference(Relationship.FATHER, EMPTY)
    assert round(joint_likelihood(model, [(father, ("1", "1"))], remains=("2", "2")), 4) == 0.0125


def test_homozygote_founder_probability_under_theta() -> None:
    """NRC II 4.4a: p² + θp(1−p) = 0.0921 for p = 0.3, θ = 0.01."""
    assert round(founder_genotype_probability(0.3, None, 0.01), 4) == 0.0921
    model = build_locus_model("L", ("a", "b"), [0.3, 0.7], theta=0.01)
    assert round(float(model.founder[model.index_of(("a", "a"))]), 4) == 0.0921


def test_homozygote_match_probability_nrc_4_10() -> None:
    """NRC II 4.10: (2θ+(1−θ)p)(3θ+(1−θ)p)/((1+θ)(1+2θ)) = 0.1006 for p = 0.3, θ = 0.01."""
    assert round(match_probability(0.3, None, 0.01), 4) == 0.1006
    model = build_locus_model("L", ("a", "b"), [0.3, 0.7], theta=0.01)
    assert round(float(model.match_probabilities()[model.index_of(("a", "a"))]), 4) == 0.1006


def test_heterozygote_formulas_reduce_to_hardy_weinberg_without_theta() -> None:
    assert founder_genotype_probability(0.3, 0.2, 0.0) == 2 * 0.3 * 0.2
    assert abs(match_probability(0.3, 0.2, 0.0) - 2 * 0.3 * 0.2) < 1e-15
