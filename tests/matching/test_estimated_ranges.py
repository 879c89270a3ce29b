"""Estimated ranges (remains) are as sure near their middle as they are wide (issue #13)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from matching.compare_facts import compare_ages, compare_heights
from matching.levels import AgeLevel, HeightLevel

years = st.integers(1930, 2020)
half_widths = st.integers(1, 12)


@given(years, half_widths, st.integers(-12, 12))
def test_a_birth_year_in_the_central_half_of_an_estimate_is_the_same_age(centre: int, half: int, offset: int) -> None:
    estimate = (centre - half, centre + half)
    year = centre + max(-(half // 2), min(half // 2, offset))  # within the central half
    assert compare_ages((year, year), estimate) == AgeLevel.SAME


@given(years, half_widths, st.integers(0, 12))
def test_a_wider_estimate_never_reads_a_birth_year_as_further_off(centre: int, half: int, offset: int) -> None:
    year = centre + offset
    narrow = compare_ages((year, year), (centre - half, centre + half))
    wide = compare_ages((year, year), (centre - half - 2, centre + half + 2))
    assert narrow is not None
    assert wide is not None
    assert wide >= narrow


@given(st.integers(140, 190), st.integers(3, 10), st.integers(-10, 10))
def test_a_height_near_the_middle_of_a_wide_estimate_is_the_same(centre: int, half: int, offset: int) -> None:
    height = centre + max(-(half // 2), min(half // 2, offset))
    assert compare_heights((height, height), (centre - half, centre + half)) == HeightLevel.EXACT
