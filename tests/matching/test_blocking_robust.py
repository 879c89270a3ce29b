"""Blocking that does not hang on one field: same names and place are compared whatever the dates say."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest

from matching.blocks import OTHER, BlockTable
from matching.index import MatchIndex
from matching.parameters import DEFAULT_THRESHOLD
from matching.records import MatchRecord

BASE = MatchRecord(
    key="a", given_names="José Luis", first_surname="Hernández", second_surname="García", sex="male",
    date_of_birth=date(1990, 3, 7), event_date=date(2021, 5, 1), state="JAL", municipality="Zapopan",
    height_cm=172,
)  # fmt: skip
# The missed kind of pair: names up to accents, case, a typo, a nickname or a dropped given name;
# the same state and municipality; last seen 40 days apart; an age instead of the date of birth.
LATER: dict[str, object] = {
    "key": "b", "date_of_birth": None, "age_years": 31, "curp": None,
    "event_date": BASE.event_date + timedelta(days=40),
}  # fmt: skip
NAME_NOISE = [
    {},
    {"given_names": "JOSE LUIS", "first_surname": "HERNANDEZ", "second_surname": "GARCIA"},
    {"first_surname": "Hernadez"},
    {"second_surname": "Garcai"},
    {"given_names": "Pepe Luis"},
    {"given_names": "Luis"},
    {"given_names": "José"},
    {"given_names": "Luis José"},
    {"second_surname": None},
    {"first_surname": "García", "second_surname": "Hernández"},
]


def _compared(index: MatchIndex, a: str, b: str) -> bool:
    return frozenset((a, b)) in {frozenset(pair) for pair in index.blocked_pairs()}


def _others(n: int) -> list[MatchRecord]:
    """Unrelated reports around the pair, so that blocks are not trivially small."""
    names = ["Juan", "María", "Pedro", "Ana", "Luis", "Rosa", "Jorge", "Elena"]
    surnames = ["López", "Pérez", "Martínez", "Sánchez", "Ramírez", "Torres", "Flores", "Rivera"]
    return [
        MatchRecord(
            key=f"o{i}", given_names=names[i % 8], first_surname=surnames[(i // 8) % 8],
            second_surname=surnames[(i // 3) % 8], sex="male" if i % 2 else "female",
            date_of_birth=date(1960 + i % 40, 1 + i % 12, 1 + i % 28),
            event_date=date(2015, 1, 1) + timedelta(days=i * 7), state=("JAL", "MEX", "GRO")[i % 3],
        )
        for i in range(n)
    ]  # fmt: skip


@pytest.mark.parametrize("days", [5, 12, 40, 75, 200])
@pytest.mark.parametrize("noise", NAME_NOISE)
def test_same_names_and_place_are_compared_and_scored_whatever_the_dates(noise: dict[str, object], days: int) -> None:
    other = replace(BASE, **{**LATER, **noise, "event_date": BASE.event_date + timedelta(days=days)})  # type: ignore[arg-type]
    index = MatchIndex()
    index.add_many([BASE, other, *_others(60)])
    assert _compared(index, "a", "b")
    if days <= 75:
        assert index.explain("a", "b").probability >= DEFAULT_THRESHOLD, index.explain("a", "b").summary()


def test_the_pair_of_the_issue_is_found_by_dedupe() -> None:
    """Same person, same municipality, last seen 40 days apart, DOB on one side and age on the other, no CURP."""
    other = replace(BASE, **LATER, given_names="JOSE", first_surname="HERNANDES", second_surname="GARCIA")  # type: ignore[arg-type]
    index = MatchIndex()
    index.add_many([BASE, other, *_others(60)])
    found = {frozenset((p.key_a, p.key_b)) for p in index.dedupe()}
    assert frozenset(("a", "b")) in found
    explanation = index.explain("a", "b")
    assert "dates one to three months apart" in explanation.summary()


def test_a_birth_year_and_names_meet_across_states() -> None:
    """Names and birth year meet even when the states disagree and the dates are a year apart."""
    other = replace(BASE, key="b", state="NAY", municipality="Tepic", event_date=date(2022, 6, 1))
    index = MatchIndex()
    index.add_many([BASE, other])
    assert _compared(index, "a", "b")


def test_pairs_set_aside_by_the_caps_are_counted() -> None:
    table = BlockTable()
    coarse, left, right = 11, 22, 33
    rows = [(coarse, 0, OTHER, slot) for slot in range(6)]
    rows += [(left, coarse, OTHER, slot) for slot in range(3)] + [(right, coarse, OTHER, slot) for slot in range(3, 6)]
    table.add(rows)
    alive = np.ones(6, dtype=bool)
    a, _, _ = table.pairs(4, 10, alive)
    assert len(a) == 6  # 3 + 3 within the refined blocks
    assert table.set_aside(4, 10, alive) == (15 - 6, True)
    assert table.set_aside(10, 10, alive) == (0, True)  # under the cap: nothing set aside
    assert table.set_aside(4, 10, alive, limit=5) == (15, False)  # too many to list: an upper bound


def test_the_index_reports_its_blocking_counts() -> None:
    index = MatchIndex()
    index.add_many([BASE, replace(BASE, key="b"), *_others(30)])
    counts = index.blocking_counts()
    assert counts.compared == len(list(index.blocked_pairs())) >= 1
    assert counts.set_aside == 0
    assert counts.exact
    assert "pairs compared" in counts.summary()


# Half a name with a birth year in the state (`PY` keys): pairs the `harsh` profile left unblocked.
HALF_NAME_NOISE = [
    # A nickname nobody listed, and the second surname missing.
    {"given_names": "Checo", "second_surname": None},
    # A given name misspelled in its first letter, the second surname mistyped.
    {"given_names": "Osé Luis", "second_surname": "Gracía"},
    # Both surnames mistyped at once, and the surnames swapped.
    {"first_surname": "Garica", "second_surname": "Hernnadez"},
]


@pytest.mark.parametrize("noise", HALF_NAME_NOISE)
def test_half_a_name_and_a_birth_year_in_the_state_are_compared(noise: dict[str, object]) -> None:
    other = replace(BASE, **{**LATER, **noise, "municipality": None, "event_date": date(2021, 9, 1)})  # type: ignore[arg-type]
    index = MatchIndex()
    index.add_many([BASE, other, *_others(60)])
    assert _compared(index, "a", "b")


def test_a_birth_year_is_read_from_the_curp_when_nothing_else_gives_one() -> None:
    """Neither a date of birth nor an age on one side: the CURP's birth date keys it."""
    curp = replace(
        BASE, key="b", given_names="Checo", second_surname=None, date_of_birth=None, municipality=None,
        curp="HEGJ900307HJCRRS09", event_date=date(2021, 9, 1),
    )  # fmt: skip
    index = MatchIndex()
    index.add_many([BASE, curp, *_others(60)])
    assert _compared(index, "a", "b")
