"""Invariants that hold for every input: LR ≥ 0, true parents never excluded, order never matters."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.dna.decisions import is_exclusion, posterior_probability
from matching.dna.likelihood import KinshipSettings, MutationKind, MutationModel
from matching.dna.markers import Sex
from matching.dna.pedigree import Family, Reference, Relationship, kinship_lr
from matching.dna.simulate import Configuration, child, founder, simulate_case, simulation_models

LOCI = ("TH01", "vWA", "D8S1179", "FGA", "D21S11")
NO_MUTATION = KinshipSettings(mutation=MutationModel(kind=MutationKind.NONE))
MODELS = simulation_models(NO_MUTATION, LOCI)
CONFIGURATIONS = st.sampled_from(
    [
        Configuration.BOTH_PARENTS,
        Configuration.PARENT_AND_SIBLING,
        Configuration.TWO_SIBLINGS,
        Configuration.CHILD_AND_OTHER_PARENT,
        Configuration.HALF_SIBLING,
    ]
)
SEEDS = st.integers(min_value=0, max_value=2**32 - 1)


@settings(max_examples=25, deadline=None)
@given(seed=SEEDS, configuration=CONFIGURATIONS)
def test_lr_is_never_negative_and_swapping_references_changes_nothing(seed: int, configuration: Configuration) -> None:
    rng = np.random.default_rng(seed)
    case = simulate_case(rng, MODELS, configuration)
    stranger = founder(rng, MODELS)
    for remains in (case.missing, stranger):
        forward = kinship_lr(remains, case.family)
        backward = kinship_lr(remains, Family(tuple(reversed(case.family.references)), sex=case.family.sex))
        assert forward.lr >= 0
        assert all(locus.lr >= 0 for locus in forward.loci)
        assert math.isclose(forward.log10_lr, backward.log10_lr, rel_tol=1e-9, abs_tol=1e-9) or (
            forward.log10_lr == backward.log10_lr == -math.inf
        )


@settings(max_examples=25, deadline=None)
@given(seed=SEEDS, configuration=CONFIGURATIONS)
def test_a_true_relative_without_mutation_is_never_excluded(seed: int, configuration: Configuration) -> None:
    case = simulate_case(np.random.default_rng(seed), MODELS, configuration)
    result = kinship_lr(case.missing, case.family)
    assert result.loci_incompatible == ()
    assert not is_exclusion(result)
    assert result.lr > 0


@settings(max_examples=25, deadline=None)
@given(seed=SEEDS)
def test_a_true_parent_child_pair_without_mutation_is_never_excluded(seed: int) -> None:
    rng = np.random.default_rng(seed)
    father, mother = founder(rng, MODELS, Sex.MALE), founder(rng, MODELS, Sex.FEMALE)
    son = child(rng, father, mother, MODELS)
    for relationship, parent in ((Relationship.FATHER, father), (Relationship.MOTHER, mother)):
        assert kinship_lr(son, Family((Reference(relationship, parent),))).loci_incompatible == ()


@given(
    log10_lr=st.floats(min_value=-50, max_value=50),
    other=st.floats(min_value=-50, max_value=50),
    missing=st.integers(min_value=1, max_value=10**6),
)
def test_posterior_is_a_probability_that_grows_with_the_lr(log10_lr: float, other: float, missing: int) -> None:
    prior = 1 / missing
    value = posterior_probability(log10_lr, prior, other)
    assert 0.0 <= value <= 1.0
    assert posterior_probability(log10_lr + 1, prior, other) >= value
