"""Marker names, allele designations and the shipped frequency tables."""

from __future__ import annotations

import pytest

from matching.dna.frequencies import DEFAULT_TABLE, frequency_table, frequency_tables
from matching.dna.markers import (
    CODIS_20,
    AlleleError,
    Sex,
    build_profile,
    canonical_marker,
    is_compared_marker,
    parse_allele,
    parse_genotype,
    repeat_number,
)


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("TH01", "TH01"),
        ("THO1", "TH01"),
        ("vWA", "vWA"),
        ("VWA", "vWA"),
        ("Penta E", "Penta E"),
        ("PENTA E", "Penta E"),
        ("PentaE", "Penta E"),
        ("D2S1338 ", "D2S1338"),
        (" d3s1358", "D3S1358"),
        ("Amelogenin", "AMEL"),
        ("FIBRA", "FGA"),
        ("CSF1PO", "CSF1PO"),
    ],
)
def test_marker_aliases_are_normalised(written: str, canonical: str) -> None:
    assert canonical_marker(written) == canonical


def test_unknown_marker_is_kept_but_not_compared() -> None:
    profile = build_profile([("DYS391", "10", ""), ("TH01", "6", "9.3")])
    assert profile.other_markers == {"DYS391": ("10", "10")}
    assert set(profile.loci) == {"TH01"}
    assert not is_compared_marker("DYS391")


@pytest.mark.parametrize(
    ("written", "allele"),
    [
        ("9", "9"),
        ("09", "9"),
        ("9.0", "9"),
        ("9.3", "9.3"),
        (" 32.2 ", "32.2"),
        ("OL", "OL"),
        ("ol", "OL"),
        (">27", ">27"),
    ],
)
def test_alleles_as_labs_write_them(written: str, allele: str) -> None:
    assert parse_allele(written) == allele


def test_unreadable_allele_is_an_error_naming_it() -> None:
    with pytest.raises(AlleleError, match="'nine'"):
        parse_allele("nine")


def test_repeat_numbers() -> None:
    assert repeat_number("9.3") == 9.3
    assert repeat_number("OL") is None
    assert repeat_number(">27") is None


def test_homozygote_forms_and_order() -> None:
    assert parse_genotype("12", "") == ("12", "12")
    assert parse_genotype("12", None) == ("12", "12")
    assert parse_genotype("12", "12") == ("12", "12")
    assert parse_genotype("9.3", "6") == ("6", "9.3")
    assert parse_genotype("", "") is None


def test_amelogenin_is_sex_not_a_locus() -> None:
    assert build_profile([("AMEL", "X", "Y")]).sex is Sex.MALE
    assert build_profile([("AMEL", "X", "")]).sex is Sex.FEMALE
    assert "AMEL" not in build_profile([("AMEL", "X", "Y")]).loci


def test_marker_given_twice_with_different_alleles_is_an_error() -> None:
    with pytest.raises(AlleleError):
        build_profile([("TH01", "6", "7"), ("THO1", "6", "8")])


def test_the_shipped_tables() -> None:
    tables = frequency_tables()
    assert set(tables) == {"SW Hispanic", "SE Hispanic", "US Hispanic"}
    default = frequency_table()
    assert default.name == DEFAULT_TABLE == "SW Hispanic"
    assert set(CODIS_20) <= set(default.loci)
    for table in tables.values():
        for locus in table.loci.values():
            assert abs(sum(locus.frequencies.values()) - 1) < 0.005
    th01 = default.loci["TH01"]
    assert th01.alleles_sampled == 418
    assert th01.frequency("99") == 5 / 418  # unseen: 5/(2N)
    assert frequency_table("US Hispanic").loci["vWA"].frequencies != default.loci["vWA"].frequencies
    with pytest.raises(KeyError, match="SW Hispanic"):
        frequency_table("Martian")
