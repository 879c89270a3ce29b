"""Names written with slips of the keyboard still read as the same name (issue #13, `harsh` profile).

A clerk who mistypes both surnames, drops the second and mistypes the first, or swaps them and
mistypes one, writes the same person: the surnames must read as alike, not as different. The
vectorised comparison (`matching.batch`) must say the same as the one-pair one.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.batch import LogFrequencies, compare_pairs
from matching.columns import RecordColumns, Vocabulary
from matching.compare_names import compare_given_names, compare_surnames
from matching.levels import COMPARISON_NAMES, GivenNameLevel, SurnameLevel
from matching.names import given_names, surnames
from matching.parameters import default_parameters
from matching.records import MatchRecord, prepare

SURNAMES = ("Hernández", "García", "Martínez", "Ruiz", "Velázquez", "Xolalpa", "Peña", "Ortiz", "Cano", "Ek")
GIVEN = ("Raúl", "Arely", "José Luis", "Guadalupe", "Fernando", "Ana", "Iván")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (("Hernández", "García"), ("Hernádez", "Garcai")),  # both mistyped
        (("Castillo", "Arellano"), ("CASTIYO", "ARELLNAO")),  # a sound and a slip
        (("Martínez", "Padilla"), ("MSRTINEZ", "PAIDLLA")),
        (("López", "Ponce"), ("LPEZ", None)),  # second missing, first mistyped
        (("Maya", "Sandoval"), ("Mya", None)),
        (("Cano", "Torres"), ("TRORES", "CANI")),  # swapped and both mistyped
        (("Vidal", "González"), ("BIDSL", None)),  # a slip in what is heard
        (("Pulido", "Ramírez"), ("PLUIIDO", "RAMIRREZ")),  # two slips in a long surname
    ],
)
def test_mistyped_surnames_read_as_alike(a: tuple[str, str | None], b: tuple[str, str | None]) -> None:
    assert compare_surnames(surnames(*a), surnames(*b)) == SurnameLevel.SIMILAR
    assert compare_surnames(surnames(*b), surnames(*a)) == SurnameLevel.SIMILAR


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        (("Hernández", "López"), ("Ortiz", "Mejía"), SurnameLevel.DISAGREE),
        (("Ruiz", "Cano"), ("Díaz", "Luna"), SurnameLevel.DISAGREE),
        (("Ek", None), ("Oh", None), SurnameLevel.DISAGREE),  # two letters: no slip allowed
        (("Hernández", "López"), ("Hernández", "Ortiz"), SurnameLevel.ONE_SHARED),  # one alike is not both
        (("Pérez", "Luna"), ("Pérez", "Lara"), SurnameLevel.ONE_SHARED),  # two slips in four letters
    ],
)
def test_different_surnames_stay_different(
    a: tuple[str, str | None], b: tuple[str, str | None], level: SurnameLevel
) -> None:
    assert compare_surnames(surnames(*a), surnames(*b)) == level


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        ("Raúl", "AÚL", GivenNameLevel.SIMILAR),  # the first letter lost
        ("Arely", "Afely", GivenNameLevel.SIMILAR),
        ("José", "Mosé", GivenNameLevel.SIMILAR),
        ("Alberto", "Roberto", GivenNameLevel.DISAGREE),  # brothers: two slips apart
        ("Ana", "Iván", GivenNameLevel.DISAGREE),
    ],
)
def test_given_names_one_slip_apart(a: str, b: str, level: GivenNameLevel) -> None:
    assert compare_given_names(given_names(a), given_names(b)) == level
    assert compare_given_names(given_names(b), given_names(a)) == level


def _slip(word: str, kind: int, at: int) -> str:
    """The word with one slip: a letter left out, doubled, replaced, or two swapped."""
    at = at % len(word)
    if kind == 0:
        return word[:at] + word[at + 1 :]
    if kind == 1:
        return word[:at] + word[at] + word[at:]
    if kind == 2:
        return word[:at] + ("Q" if word[at] != "Q" else "W") + word[at + 1 :]
    if at + 1 < len(word):
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    return word


slips = st.tuples(st.integers(0, 3), st.integers(0, 20))


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from([s for s in SURNAMES if len(s) >= 3]),
    st.sampled_from([s for s in SURNAMES if len(s) >= 3]),
    slips,
    slips,
    st.booleans(),
    st.booleans(),
)
def test_one_slip_in_each_surname_never_reads_as_different(
    first: str, second: str, slip_1: tuple[int, int], slip_2: tuple[int, int], swap: bool, drop: bool
) -> None:
    written_first = _slip(first.upper(), *slip_1)
    written_second = _slip(second.upper(), *slip_2)
    if swap:
        written_first, written_second = written_second, written_first
    level = compare_surnames(surnames(first, second), surnames(written_first, None if drop else written_second))
    assert level is not None
    assert level >= SurnameLevel.SIMILAR or level == SurnameLevel.ONE_MISSING


def _record(key: str, given: str, first: str, second: str | None) -> MatchRecord:
    return MatchRecord(key=key, given_names=given, first_surname=first, second_surname=second)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(GIVEN),
            st.sampled_from(SURNAMES),
            st.one_of(st.none(), st.sampled_from(SURNAMES)),
            slips,
            slips,
        ),
        min_size=2,
        max_size=12,
    )
)
def test_vectorised_name_levels_agree_with_the_one_pair_functions(
    people: list[tuple[str, str, str | None, tuple[int, int], tuple[int, int]]],
) -> None:
    records = []
    for i, (forename, first, second, slip_g, slip_s) in enumerate(people):
        records.append(_record(f"a{i}", forename, first, second))
        records.append(_record(f"b{i}", _slip(forename, *slip_g), _slip(first.upper(), *slip_s), second))
    prepared = [prepare(r) for r in records]
    columns = RecordColumns(Vocabulary())
    slots = [columns.append(p) for p in prepared]
    a, b = np.triu_indices(len(slots), k=1)
    params = default_parameters()
    levels, _ = compare_pairs(
        columns, np.asarray(a), columns, np.asarray(b), LogFrequencies(params.term_frequencies, params.frequency_floors)
    )
    given_col, surname_col = COMPARISON_NAMES.index("given_names"), COMPARISON_NAMES.index("surnames")
    for row, (i, j) in enumerate(zip(a.tolist(), b.tolist(), strict=True)):
        x, y = prepared[slots[i]], prepared[slots[j]]
        g, s = compare_given_names(x.given, y.given), compare_surnames(x.surnames, y.surnames)
        assert levels[row, given_col] == (-1 if g is None else int(g))
        assert levels[row, surname_col] == (-1 if s is None else int(s))
