"""Exclusion, dvir's undisputed rule, indistinguishable siblings, thresholds, posterior, explanation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from matching.dna.decisions import (
    Decision,
    decide,
    expected_false_proposals,
    indistinguishable_siblings,
    is_exclusion,
    posterior_probability,
    prior_probability,
    proposal_threshold,
    undisputed,
)
from matching.dna.explain import explain
from matching.dna.likelihood import LocusModel
from matching.dna.markers import Profile
from matching.dna.pedigree import Family, Reference, Relationship, kinship_lr
from matching.dna.simulate import Configuration, degrade, simulate_case


def test_undisputed_needs_ten_thousand_and_ten_thousand_times_row_and_column() -> None:
    matrix = np.array(
        [
            [9.0, 4.5, 0.0],  # row 0: 9 vs 4.5 → margin 4.5 ≥ 4
            [3.0, 8.0, 5.0],  # row 1: 8 vs 5 → margin 3 < 4
            [0.0, 0.0, 3.9],  # below 10⁴
        ]
    )
    assert undisputed(matrix) == [(0, 0)]
    assert undisputed(np.array([[4.0]])) == [(0, 0)]


def test_column_competition_also_disputes() -> None:
    matrix = np.array([[10.0, 0.0], [7.0, 0.0]])  # the missing person of column 0 fits two remains
    assert undisputed(matrix) == []


def test_two_missing_siblings_of_the_same_parents_are_reported_as_such() -> None:
    row = [12.0, 12.0, 2.0]
    keys = ["parents:A", "parents:A", "parents:B"]
    assert indistinguishable_siblings(row, keys, threshold=4.0) == [(0, 1)]
    decisions = decide(np.array([row]), np.zeros((1, 3), dtype=bool), keys, threshold=1e4)
    assert decisions == [
        [Decision.INDISTINGUISHABLE_SIBLINGS, Decision.INDISTINGUISHABLE_SIBLINGS, Decision.INCONCLUSIVE]
    ]


def test_decisions_in_order() -> None:
    matrix = np.array([[9.0, 1.0, 4.5], [0.0, 5.0, 4.2]])
    excluded = np.array([[False, True, False], [False, False, False]])
    decisions = decide(matrix, excluded, [None, None, None], threshold=1e4)
    assert decisions[0] == [Decision.UNDISPUTED, Decision.EXCLUDED, Decision.PROPOSED]
    assert decisions[1] == [Decision.INCONCLUSIVE, Decision.PROPOSED, Decision.PROPOSED]


def test_proposal_threshold_scales_with_the_candidates() -> None:
    assert proposal_threshold(1) == 1e4
    assert proposal_threshold(60_000) == pytest.approx(6e7)
    assert proposal_threshold(120_000) > proposal_threshold(60_000)
    assert expected_false_proposals(60_000, proposal_threshold(60_000)) == pytest.approx(1e-3)


def test_posterior_is_prior_times_both_likelihood_ratios() -> None:
    prior = prior_probability(1_000)
    assert prior == 1e-3
    # prior odds 1/999, × 10 × 999 → odds 10 → 10/11
    assert posterior_probability(math.log10(999), prior, log10_non_genetic_lr=1.0) == pytest.approx(10 / 11)
    assert posterior_probability(-math.inf, prior) == 0.0
    assert posterior_probability(400.0, prior) == 1.0
    with pytest.raises(ValueError, match="at least one"):
        prior_probability(0)


def test_exclusion_needs_more_than_two_incompatible_loci() -> None:
    mother = Profile(loci={"TH01": ("6", "6"), "vWA": ("14", "14"), "FGA": ("20", "20"), "TPOX": ("8", "8")})
    family = Family((Reference(Relationship.MOTHER, mother),))
    two = Profile(loci={"TH01": ("7", "7"), "vWA": ("15", "15"), "FGA": ("20", "21"), "TPOX": ("8", "11")})
    three = Profile(loci={"TH01": ("7", "7"), "vWA": ("15", "15"), "FGA": ("21", "21"), "TPOX": ("8", "11")})
    assert not is_exclusion(kinship_lr(two, family))
    assert is_exclusion(kinship_lr(three, family))


def test_explanation_names_references_loci_and_notes(models: dict[str, LocusModel]) -> None:
    rng = np.random.default_rng(8)
    case = simulate_case(rng, models, Configuration.PARENT_AND_SIBLING)
    remains = degrade(rng, case.missing, loci_lost=0.1, dropout=0.5)
    explanation = explain(kinship_lr(remains, case.family))
    assert explanation.references == "mother+full_sibling"
    assert len(explanation.loci_compared) == len(remains.loci)
    assert explanation.log10_lr == pytest.approx(math.log10(explanation.lr))
    assert explanation.dropout_note is not None
    assert explanation.kappa_note is None
    assert explanation.frequency_table == "SW Hispanic"
    assert explanation.lines()[0].startswith("LR ")
    assert "GATA" not in " ".join(explanation.lines())
    distant = simulate_case(rng, models, Configuration.COUSIN)
    assert explain(kinship_lr(distant.missing, distant.family)).kappa_note is not None
