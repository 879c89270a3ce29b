"""Plans of persons who go missing: family, last sighting, the reports filed, their fate.

A person is drawn in two steps from its own random stream. The *plan* (sex, age, last sighting,
the registries that filed reports, whether the person is later found dead) is cheap and is all
that folios and ground truth need. The person's details (`seed.persons`: names, CURP, body,
marks, clothing) continue the same stream, so they are identical whether or not the plan was
drawn before on its own.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from matching.states import FEDERAL_SOURCE, NEIGHBOURS
from seed.config import SeedConfig
from seed.data.demographics import (
    AGE_BANDS,
    EARLY_FIRST_YEAR,
    EARLY_SHARE,
    FAMILY_SIZES,
    FOREIGN_SHARE,
    MALE_SHARE,
    NAMESAKE_SHARE,
    SIBLINGS_TOGETHER_SHARE,
    SINGLE_SURNAME_SHARE,
    YEAR_WEIGHTS,
)
from seed.data.municipalities import MUNICIPALITIES, MUNICIPALITY_RANK_EXPONENT
from seed.data.states import FOREIGN_NATIONALITIES, MIGRANT_ROUTE_STATES, REPORT_SHARE
from seed.data.surnames import SURNAMES
from seed.rng import HashDice, Stream, Weighted, below, chance, choice, derive, randint

MEXICAN = "mexicana"
IDENTIFIED_SHARE = 0.05  # of persons found dead, those whose remains were since identified
LOCATED_ALIVE_SHARE = 0.05  # of the others, those since located alive
EARLIEST_BIRTH_YEAR = 1906

_STATES = Weighted.of(list(REPORT_SHARE.items()))
_ROUTE_STATES = Weighted.of(list(MIGRANT_ROUTE_STATES.items()))
_NATIONALITIES = Weighted.of(list(FOREIGN_NATIONALITIES.items()))
_SURNAMES = Weighted.of(SURNAMES)
_FAMILY_SIZES = Weighted.of(FAMILY_SIZES)
_YEARS = Weighted.of(list(YEAR_WEIGHTS.items()))
_AGE_BANDS = {
    sex: Weighted([(low, high) for low, high, _ in bands], [w for _, _, w in bands]) for sex, bands in AGE_BANDS.items()
}
_MUNICIPALITIES = {
    state: Weighted(entries, [1.0 / (rank + 1) ** MUNICIPALITY_RANK_EXPONENT for rank in range(len(entries))])
    for state, entries in MUNICIPALITIES.items()
}
# Sorted, because iterating a frozenset of strings depends on the process's hash seed.
SORTED_NEIGHBOURS: dict[str, tuple[str, ...]] = {code: tuple(sorted(others)) for code, others in NEIGHBOURS.items()}


class Place(NamedTuple):
    """A state and one of its municipalities (official name, and the everyday one if any)."""

    state: str
    municipality: str
    municipality_short: str | None


class Sighting(NamedTuple):
    """When and where a person was last seen."""

    date: date
    place: Place


@dataclass(frozen=True, slots=True)
class Family:
    """What siblings share: surnames, where they live and were born, a nationality, and
    sometimes the day they disappeared together."""

    unit: int
    size: int
    first_surname: str
    second_surname: str
    home_state: str
    birth_state: str  # "" for persons born abroad
    nationality: str
    together: Sighting | None
    namesake: int | None  # index into the homonym pool, for one-person families


class Filing(NamedTuple):
    """One report of a person: the registry that filed it and when."""

    source: str
    filed: date


class Fate(NamedTuple):
    """How many reports a person gets and what becomes of them: the census of one member."""

    reports: int
    found_dead: bool
    identified: bool  # found dead and since identified (the first report's status says so)
    located_alive: bool


class Census(NamedTuple):
    """A family unit counted before it is drawn: its size and each member's fate.

    The census has its own cheap hashed stream, so a pass that only needs to count reports or
    find the persons later found dead never builds the unit's full random stream.
    """

    unit: int
    fates: tuple[Fate, ...]


# Every fate there can be, built once: a census only looks them up.
_FATES = {
    (reports, dead, identified, alive): Fate(reports, dead, identified, alive)
    for reports in (1, 2, 3)
    for dead in (False, True)
    for identified in (False, True)
    for alive in (False, True)
}


def take_census(config: SeedConfig, unit: int) -> Census:
    """The census of one family unit, from the dataset seed alone."""
    rng = HashDice(config.seed, Stream.CENSUS, unit)
    fates = []
    for _ in range(_FAMILY_SIZES.draw(rng)):
        reports = 1
        if rng.random() < config.duplicate_rate:
            reports = 2 if rng.random() < 0.8 else 3
        found_dead = rng.random() < config.found_dead_rate
        identified = found_dead and rng.random() < IDENTIFIED_SHARE
        located_alive = not found_dead and rng.random() < LOCATED_ALIVE_SHARE
        fates.append(_FATES[reports, found_dead, identified, located_alive])
    return Census(unit, tuple(fates))


@dataclass(slots=True, eq=False)
class PersonPlan:
    """What folios and ground truth need to know of a person; `rng` continues to the details."""

    family: Family
    member: int
    sex: str
    age: int  # completed years when last seen
    date_of_birth: date
    last_seen: Sighting
    filings: tuple[Filing, ...]
    fate: Fate
    rng: random.Random

    @property
    def person_id(self) -> str:
        """A stable identifier of the true person, for ground truth and debugging."""
        return f"P{self.family.unit:07d}-{self.member}"


def age_on(born: date, day: date) -> int:
    """Completed years between a date of birth and a day."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier (28 February for a 29 February that has none)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def uniform_date(rng: random.Random, earliest: date, latest: date) -> date:
    """A day drawn evenly between two days, both included."""
    if latest <= earliest:
        return earliest
    return date.fromordinal(randint(rng, earliest.toordinal(), latest.toordinal()))


def municipality_shares(state: str) -> dict[str, float]:
    """How often `draw_place` picks each municipality of a state (official names)."""
    table = _MUNICIPALITIES[state]
    shares: dict[str, float] = {}
    for (official, _), share in zip(table.items, table.shares(), strict=True):
        shares[official] = shares.get(official, 0.0) + share
    return shares


def draw_place(rng: random.Random, state: str) -> Place:
    """A municipality of a state, the populous ones more often."""
    official, short = _MUNICIPALITIES[state].draw(rng)
    return Place(state, official, short)


def neighbour_or_self(rng: random.Random, state: str) -> str:
    """A state that borders this one (the state itself when it has no neighbours)."""
    others = SORTED_NEIGHBOURS.get(state, ())
    return choice(rng, others) if others else state


def draw_state(rng: random.Random) -> str:
    """A state, weighted by its share of reports of missing persons."""
    return _STATES.draw(rng)


def _sighting_date(rng: random.Random, today: date) -> date:
    year = randint(rng, EARLY_FIRST_YEAR, 2005) if chance(rng, EARLY_SHARE) else _YEARS.draw(rng)
    return uniform_date(rng, date(year, 1, 1), min(date(year, 12, 31), today))


def draw_family(rng: random.Random, unit: int, size: int, today: date) -> Family:
    """The family of one unit of reported persons (usually a single person)."""
    foreign = chance(rng, FOREIGN_SHARE)
    home = _ROUTE_STATES.draw(rng) if foreign else draw_state(rng)
    if foreign:
        birth_state, nationality = "", _NATIONALITIES.draw(rng)
    else:
        roll = rng.random()
        if roll < 0.75:
            birth_state = home
        elif roll < 0.85:
            birth_state = neighbour_or_self(rng, home)
        else:
            birth_state = draw_state(rng)
        nationality = MEXICAN
    first = _SURNAMES.draw(rng)
    second = "" if chance(rng, SINGLE_SURNAME_SHARE) else _SURNAMES.draw(rng)
    together = None
    if size > 1 and chance(rng, SIBLINGS_TOGETHER_SHARE):
        together = Sighting(_sighting_date(rng, today), draw_place(rng, home))
    namesake = below(rng, 1 << 16) if size == 1 and chance(rng, NAMESAKE_SHARE) else None
    return Family(unit, size, first, second, home, birth_state, nationality, together, namesake)


def _birth_date(rng: random.Random, last_seen: date, age: int) -> date:
    latest = years_before(last_seen, age) if age > 0 else last_seen - timedelta(days=1)
    earliest = years_before(last_seen, age + 1) + timedelta(days=1)
    born = uniform_date(rng, earliest, latest)
    return born if age_on(born, last_seen) == age else latest


def _first_filing(rng: random.Random, family: Family, seen: Sighting, today: date) -> Filing:
    roll = rng.random()
    if roll < 0.85:
        source = seen.place.state
    elif roll < 0.95:
        source = family.home_state
    else:
        source = FEDERAL_SOURCE
    roll = rng.random()
    if roll < 0.55:
        delay = randint(rng, 0, 3)
    elif roll < 0.85:
        delay = randint(rng, 4, 30)
    elif roll < 0.97:
        delay = randint(rng, 31, 365)
    else:
        delay = randint(rng, 366, 2000)
    return Filing(source, min(seen.date + timedelta(days=delay), today))


def _later_filing(rng: random.Random, first: Filing, seen: Sighting, today: date) -> Filing:
    """Another report of the same person: the same registry, a neighbour's, the federal one."""
    roll = rng.random()
    if roll < 0.40:
        source = first.source
    elif roll < 0.60:
        source = neighbour_or_self(rng, seen.place.state)
    elif roll < 0.85:
        source = FEDERAL_SOURCE
    else:
        source = draw_state(rng)
    delay = int(rng.expovariate(1 / 300))
    return Filing(source, min(first.filed + timedelta(days=delay), today))


def _sibling_birth_date(rng: random.Random, eldest: date, seen: date) -> date | None:
    """A brother's or sister's date of birth, one to ten years from the first sibling's
    (None when no such date falls before the day this one was last seen)."""
    gap = timedelta(days=randint(rng, 300, 3650))
    for born in (eldest + gap, eldest - gap) if rng.random() < 0.5 else (eldest - gap,):
        if born < seen and born.year >= EARLIEST_BIRTH_YEAR:
            return born
    return None


def draw_plan(
    rng: random.Random,
    family: Family,
    member: int,
    fate: Fate,
    today: date,
    siblings: list[PersonPlan] | None = None,
) -> PersonPlan:
    """The plan of one member of a family; `rng` is that person's own stream.

    Siblings drawn before this one (`siblings`) set its date of birth a few years apart.
    """
    sex = "male" if chance(rng, MALE_SHARE) else "female"
    low, high = _AGE_BANDS[sex].draw(rng)
    age = randint(rng, low, high)
    if family.together is not None:
        seen = family.together
    else:
        roll = rng.random()
        if roll < 0.85:
            state = family.home_state
        elif roll < 0.95:
            state = neighbour_or_self(rng, family.home_state)
        else:
            state = draw_state(rng)
        seen = Sighting(_sighting_date(rng, today), draw_place(rng, state))
    # Nobody born before 1906: a CURP's two-digit year could not tell 1899 from 1999.
    age = min(age, seen.date.year - EARLIEST_BIRTH_YEAR - 1)
    born = _birth_date(rng, seen.date, age)
    if siblings:
        sibling_born = _sibling_birth_date(rng, siblings[0].date_of_birth, seen.date)
        if sibling_born is not None:
            born, age = sibling_born, age_on(sibling_born, seen.date)
    first = _first_filing(rng, family, seen, today)
    filings = [first]
    for _ in range(fate.reports - 1):
        filings.append(_later_filing(rng, first, seen, today))
    return PersonPlan(family, member, sex, age, born, seen, tuple(filings), fate, rng)


def plan_family(config: SeedConfig, census: Census) -> list[PersonPlan]:
    """The plans of every member of a counted family unit.

    Plans come from the unit's stream. Details then continue that stream for the first member
    and use a stream of their own for brothers and sisters, so that any one member's details
    can be drawn without drawing the others'.
    """
    rng = derive(config.seed, Stream.UNIT, census.unit)
    family = draw_family(rng, census.unit, len(census.fates), config.today)
    plans: list[PersonPlan] = []
    for member, fate in enumerate(census.fates):
        plans.append(draw_plan(rng, family, member, fate, config.today, plans))
    for plan in plans[1:]:
        plan.rng = derive(config.seed, Stream.PERSON, census.unit, plan.member)
    return plans
