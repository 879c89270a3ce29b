"""Persons as they truly are: names, CURP, body, marks, clothing, nicknames, vulnerability.

Drawn from the person's own stream right after its plan (`seed.plans`), so a person is the
same whichever generator (reports, remains, truth) asks for it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from matching.curp import CurpFacts, build
from matching.states import STATE_BY_CODE
from seed.data.demographics import CURP_SHARE
from seed.data.descriptions import OTHER_VULNERABILITY_SHARE
from seed.data.given_names import (
    COHORT_BOUNDS,
    FEMALE_GIVEN_NAMES,
    MALE_GIVEN_NAMES,
    NICKNAMES,
    STREET_ALIASES_FEMALE,
    STREET_ALIASES_MALE,
)
from seed.data.surnames import SURNAMES
from seed.description import Description, draw_description
from seed.marks import Mark, draw_marks
from seed.plans import MEXICAN, PersonPlan
from seed.rng import HashDice, Stream, Weighted, chance, choice, derive, randint


def _cohort_tables(
    table: tuple[tuple[str, tuple[float, float, float]], ...],
) -> tuple[Weighted[str], Weighted[str], Weighted[str]]:
    names = [name for name, _ in table]
    old, mid, young = ([weights[i] for _, weights in table] for i in range(3))
    return Weighted(names, old), Weighted(names, mid), Weighted(names, young)


_GIVEN = {"female": _cohort_tables(FEMALE_GIVEN_NAMES), "male": _cohort_tables(MALE_GIVEN_NAMES)}


@dataclass(frozen=True, slots=True)
class Names:
    """A person's registered names."""

    given_names: str
    first_surname: str
    second_surname: str


def draw_given_names(rng: random.Random | HashDice, sex: str, born: date) -> str:
    """Given names as fashionable in the person's birth cohort."""
    old, mid, young = _GIVEN[sex]
    if born.year < COHORT_BOUNDS[0]:
        return old.draw(rng)
    return mid.draw(rng) if born.year < COHORT_BOUNDS[1] else young.draw(rng)


class Namesakes:
    """A small pool of very common full names that unrelated persons share (homonyms).

    Real registries hold many different persons called José Luis Hernández García; this pool
    makes sure the synthetic one does too, so that precision is tested.
    """

    def __init__(self, seed: int) -> None:
        rng = derive(seed, Stream.NAMESAKES)
        born = date(1985, 1, 1)
        top = [name for name, _ in SURNAMES[:12]]
        self._pool = {
            sex: [Names(draw_given_names(rng, sex, born), choice(rng, top), choice(rng, top)) for _ in range(size)]
            for sex, size in (("male", 40), ("female", 20))
        }

    def names(self, sex: str, index: int) -> Names:
        """The pool's full name at an index (any non-negative integer)."""
        pool = self._pool[sex]
        return pool[index % len(pool)]


def draw_names(plan: PersonPlan, namesakes: Namesakes) -> Names:
    """The registered names of a person; draws from the person's stream."""
    given = draw_given_names(plan.rng, plan.sex, plan.date_of_birth)
    family = plan.family
    if family.namesake is not None:
        return namesakes.names(plan.sex, family.namesake)
    return Names(given, family.first_surname, family.second_surname)


def draw_curp_differentiator(rng: random.Random, plan: PersonPlan) -> str:
    """The 17th CURP character RENAPO gave the person, or "" for a person with no CURP on
    record (all foreigners): 0 / A mostly, a later digit or letter to tell holders apart."""
    if plan.family.nationality != MEXICAN or not chance(rng, CURP_SHARE):
        return ""
    if plan.date_of_birth.year < 2000:
        return "0" if chance(rng, 0.9) else str(randint(rng, 1, 9))
    return "A" if chance(rng, 0.9) else choice(rng, "BCDEFGH")


@dataclass(frozen=True, slots=True)
class Person:
    """A reported person as they truly are; reports and remains are written from this."""

    plan: PersonPlan
    names: Names
    curp_differentiator: str  # "" when the person has no CURP on record
    description: Description
    marks: tuple[Mark, ...]
    nickname: str  # what the family calls them, "" if nothing
    street_alias: str  # "El Güero", "" if none
    vulnerability: tuple[str, ...]

    @property
    def curp(self) -> str:
        """The person's true CURP ("" if none), built when asked: most reports omit it."""
        if not self.curp_differentiator:
            return ""
        plan = self.plan
        facts = CurpFacts(
            self.names.given_names,
            self.names.first_surname,
            self.names.second_surname,
            plan.date_of_birth,
            plan.sex,
            STATE_BY_CODE[plan.family.birth_state].curp_code,
        )
        return build(facts, self.curp_differentiator) or ""


def _nickname(rng: random.Random, given_names: str) -> str:
    options = [nick for word in given_names.split() for nick in NICKNAMES.get(word, ())]
    return choice(rng, options) if options and chance(rng, 0.5) else ""


def _street_alias(rng: random.Random, sex: str, age: int) -> str:
    if age < 15 or not chance(rng, 0.12 if sex == "male" else 0.05):
        return ""
    return choice(rng, STREET_ALIASES_MALE if sex == "male" else STREET_ALIASES_FEMALE)


def _vulnerability(rng: random.Random, plan: PersonPlan) -> tuple[str, ...]:
    groups: list[str] = []
    if plan.age < 18:
        groups.append("minor")
    if plan.age >= 20 and chance(rng, 0.0008):
        groups.append("journalist")
    if plan.age >= 25 and chance(rng, 0.002):
        groups.append("human_rights_defender")
    if plan.family.nationality != MEXICAN:
        groups.append("migrant")
    if chance(rng, OTHER_VULNERABILITY_SHARE):
        groups.append("other")
    return tuple(groups)


def draw_person(plan: PersonPlan, namesakes: Namesakes) -> Person:
    """The whole person behind a plan; continues the plan's stream, so call it once per plan."""
    rng = plan.rng
    names = draw_names(plan, namesakes)
    differentiator = draw_curp_differentiator(rng, plan)
    description = draw_description(rng, plan.sex, plan.age)
    marks = draw_marks(rng, plan.sex, plan.age)
    return Person(
        plan=plan,
        names=names,
        curp_differentiator=differentiator,
        description=description,
        marks=marks,
        nickname=_nickname(rng, names.given_names),
        street_alias=_street_alias(rng, plan.sex, plan.age),
        vulnerability=_vulnerability(rng, plan),
    )
