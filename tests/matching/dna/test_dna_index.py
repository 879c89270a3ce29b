"""The family index ranks as the exact pedigree does, and finds the true family among many."""

from __future__ import annotations

import numpy as np

from matching.dna.index import FamilyIndex
from matching.dna.likelihood import KinshipSettings, LocusModel
from matching.dna.markers import CODIS_20
from matching.dna.pedigree import kinship_lr
from matching.dna.simulate import Configuration, degrade, simulate_case

STRONG = (Configuration.DIRECT, Configuration.BOTH_PARENTS, Configuration.PARENT_AND_SIBLING, Configuration.ONE_PARENT)


def test_index_finds_the_true_family_and_agrees_with_the_exact_lr(models: dict[str, LocusModel]) -> None:
    rng = np.random.default_rng(99)
    cases = [simulate_case(rng, models, configuration) for configuration in STRONG for _ in range(10)]
    index = FamilyIndex.build([case.family for case in cases], loci=CODIS_20)
    assert index.nbytes == sum(m.size for m in index.models.values()) * len(cases) * 4
    for position, case in enumerate(cases):
        (best, score), *_ = index.top(case.missing, k=3)
        assert best == position
        exact = kinship_lr(case.missing, case.family).log10_lr
        assert abs(score - exact) < 0.05 * len(CODIS_20)  # index: unseen alleles pooled at 5/(2N)
        assert score > 4


def test_degraded_remains_are_scored_through_the_index(models: dict[str, LocusModel]) -> None:
    rng = np.random.default_rng(5)
    cases = [simulate_case(rng, models, Configuration.BOTH_PARENTS) for _ in range(20)]
    index = FamilyIndex.build([case.family for case in cases], loci=CODIS_20)
    for position, case in enumerate(cases[:5]):
        remains = degrade(rng, case.missing, loci_lost=0.3, dropout=0.3)
        scores = index.log10_lrs(remains)
        assert int(np.argmax(scores)) == position
        assert np.isfinite(scores[position])


def test_another_frequency_table_gives_another_result(models: dict[str, LocusModel]) -> None:
    case = simulate_case(np.random.default_rng(1), models, Configuration.ONE_PARENT)
    default = kinship_lr(case.missing, case.family)
    other = kinship_lr(case.missing, case.family, KinshipSettings(table="US Hispanic"))
    assert other.settings.table == "US Hispanic"
    assert other.log10_lr != default.log10_lr
    assert abs(other.log10_lr - default.log10_lr) < 3


def test_concatenated_indexes_score_like_one(models: dict[str, LocusModel]) -> None:
    rng = np.random.default_rng(6)
    cases = [simulate_case(rng, models, Configuration.ONE_SIBLING) for _ in range(6)]
    whole = FamilyIndex.build([c.family for c in cases], loci=CODIS_20)
    parts = FamilyIndex.concatenate(
        [
            FamilyIndex.build([c.family for c in cases[:2]], loci=CODIS_20),
            FamilyIndex.build([c.family for c in cases[2:]], loci=CODIS_20),
        ]
    )
    assert np.array_equal(whole.log10_lrs(cases[0].missing), parts.log10_lrs(cases[0].missing))
