"""One pedigree per missing person: joint references, mutation, drop-out, κ for distant relatives."""

from __future__ import annotations

import math

import numpy as np

from matching.dna.index import FamilyIndex
from matching.dna.likelihood import KinshipSettings, LocusModel, MutationKind, MutationModel
from matching.dna.markers import CODIS_20, Profile, Sex
from matching.dna.pedigree import Family, Reference, Relationship, kinship_lr, references_label
from matching.dna.simulate import Configuration, child, degrade, founder, simulate_case


def test_two_siblings_together_are_not_the_product_of_pairwise_lrs(models: dict[str, LocusModel]) -> None:
    """The product of two siblings' pairwise LRs overstates the joint LR, about 50-fold on CODIS 20 (issue #14)."""
    rng = np.random.default_rng(14)
    cases = [simulate_case(rng, models, Configuration.TWO_SIBLINGS) for _ in range(60)]
    families = []
    for case in cases:
        first, second = case.family.references
        families += [case.family, Family((first,)), Family((second,))]
    index = FamilyIndex.build(families, loci=CODIS_20)
    excess = []
    for i, case in enumerate(cases):
        joint, one, two = index.log10_lrs(case.missing)[3 * i : 3 * i + 3]
        excess.append(one + two - joint)
    assert 1.0 < float(np.mean(excess)) < 2.5  # 10× to 300×, about 50×


def test_joint_siblings_lr_matches_the_exact_pedigree(models: dict[str, LocusModel]) -> None:
    rng = np.random.default_rng(3)
    case = simulate_case(rng, models, Configuration.TWO_SIBLINGS)
    exact = kinship_lr(case.missing, case.family)
    product = sum(kinship_lr(case.missing, Family((r,))).log10_lr for r in case.family.references)
    assert exact.log10_lr != product
    assert references_label(exact.references) == "full_sibling+full_sibling"


def test_true_parent_with_one_mutated_locus_is_not_excluded(models: dict[str, LocusModel]) -> None:
    rng = np.random.default_rng(5)
    mother = founder(rng, models, Sex.FEMALE)
    missing = child(rng, founder(rng, models, Sex.MALE), mother, models)
    loci = dict(missing.loci)
    a, b = loci["D8S1179"]
    mother_alleles = set(mother.loci["D8S1179"])
    # Replace the allele that came from the mother by a one-step neighbour she does not carry.
    inherited = a if a in mother_alleles else b
    kept = b if inherited == a else a
    new = (
        str(int(float(inherited)) + 1)
        if str(int(float(inherited)) + 1) not in mother_alleles
        else str(int(float(inherited)) - 1)
    )
    loci["D8S1179"] = tuple(sorted((kept, new), key=float))  # type: ignore[assignment]
    mutated = Profile(loci=loci)
    result = kinship_lr(mutated, Family((Reference(Relationship.MOTHER, mother),)))
    assert result.loci_incompatible == ("D8S1179",)
    assert result.lr > 0
    assert result.log10_lr > 2  # still supports the relationship


def test_no_mutation_model_excludes_where_the_stepwise_model_does_not(models: dict[str, LocusModel]) -> None:
    mother = Profile(loci={"TH01": ("6", "6")})
    remains = Profile(loci={"TH01": ("7", "7")})
    family = Family((Reference(Relationship.MOTHER, mother),))
    with_mutation = kinship_lr(remains, family)
    without = kinship_lr(remains, family, KinshipSettings(mutation=MutationModel(kind=MutationKind.NONE)))
    assert with_mutation.lr > 0
    assert without.lr == 0
    assert without.log10_lr == -math.inf


def test_single_allele_in_degraded_remains_is_a_possible_dropout_not_an_exclusion() -> None:
    father = Profile(loci={"vWA": ("14", "14")})
    mother = Profile(loci={"vWA": ("17", "18")})
    family = Family((Reference(Relationship.FATHER, father), Reference(Relationship.MOTHER, mother)))
    # The true genotype 14/17 lost its 14: the lab sees a single 17.
    degraded = kinship_lr(Profile(loci={"vWA": ("17", "17")}, degraded=True), family)
    fresh = kinship_lr(Profile(loci={"vWA": ("17", "17")}, degraded=False), family)
    assert degraded.lr > 0.1
    assert degraded.loci_incompatible == ()
    assert degraded.loci[0].dropout
    assert fresh.loci_incompatible == ("vWA",)
    assert fresh.lr < degraded.lr


def test_degraded_remains_of_a_true_child_keep_a_strong_lr(models: dict[str, LocusModel]) -> None:
    rng = np.random.default_rng(11)
    case = simulate_case(rng, models, Configuration.BOTH_PARENTS)
    remains = degrade(rng, case.missing, loci_lost=0.2, dropout=0.3)
    result = kinship_lr(remains, case.family)
    assert result.loci_incompatible == ()
    assert result.log10_lr > 4


def test_each_relationship_supports_its_true_relative(models: dict[str, LocusModel]) -> None:
    rng = np.random.default_rng(2)
    for configuration in (
        Configuration.DIRECT,
        Configuration.ONE_PARENT,
        Configuration.PARENT_AND_SIBLING,
        Configuration.CHILD_AND_OTHER_PARENT,
        Configuration.HALF_SIBLING,
    ):
        case = simulate_case(rng, models, configuration)
        result = kinship_lr(case.missing, case.family)
        assert result.log10_lr > 1, configuration
        assert not result.kappa


def test_distant_relatives_alone_go_through_kappa_and_say_so(models: dict[str, LocusModel]) -> None:
    rng = np.random.default_rng(4)
    case = simulate_case(rng, models, Configuration.GRANDPARENT)
    result = kinship_lr(case.missing, case.family)
    assert result.kappa
    assert references_label(result.references) == "grandparent"
    cousin = Reference(Relationship.COUSIN, case.family.references[0].profile, donor_id="z")
    both = Family((cousin, *case.family.references))
    assert both.references_used() == case.family.references  # the nearer relative is used
    parent = Reference(Relationship.MOTHER, Profile(loci={}))
    assert not kinship_lr(case.missing, Family((parent, *case.family.references))).kappa


def test_direct_match_is_one_over_the_nrc_4_10_match_probability(models: dict[str, LocusModel]) -> None:
    profile = Profile(loci={"TH01": ("6", "9.3")})
    result = kinship_lr(profile, Family((Reference(Relationship.DIRECT, profile),)))
    model = models["TH01"]
    expected = 1 / model.match_probabilities()[model.index_of(("6", "9.3"))]
    assert math.isclose(result.lr, expected, rel_tol=1e-9)


def test_only_loci_typed_on_both_sides_and_comparable_are_compared() -> None:
    remains = Profile(loci={"TH01": ("6", "7"), "vWA": ("OL", "16"), "FGA": ("20", "21")})
    mother = Profile(loci={"TH01": ("6", "8"), "vWA": ("16", "17"), "D3S1358": ("15", "16")})
    result = kinship_lr(remains, Family((Reference(Relationship.MOTHER, mother),)))
    assert [locus.locus for locus in result.loci] == ["TH01"]
    assert result.loci_not_compared == ("vWA",)


def test_unseen_allele_gets_five_over_two_n() -> None:
    remains = Profile(loci={"TH01": ("6", "13")})  # 13 is not in the table
    result = kinship_lr(remains, Family((Reference(Relationship.DIRECT, remains),)))
    assert 0 < result.lr < math.inf
