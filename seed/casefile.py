"""What a report's case file adds: the carpeta de investigación and the circumstances (restricted).

Drawn from streams of their own (`Stream.REPORTER` per report, `Stream.CARPETAS` per person
and registry, `Stream.STORIES` per person), never from the person's stream, so that adding them
changed no other value of any report. What happened is decided once per person (once per family
when brothers and sisters vanished together); each report words it in its own way, with the day
and the place that report gives.
"""

from __future__ import annotations

import bisect
import functools
import re
from datetime import date

from matching.states import FEDERAL_SOURCE, SOURCE_CODES, STATES
from seed.data.casefile import (
    CARPETA_LAW_YEAR,
    CARPETA_SHARE_BEFORE,
    CARPETA_SHARE_FROM_2018,
    CIRCUMSTANCES_SHARE,
    DEFAULT_PROSECUTOR,
    FEDERAL_CARPETA_PREFIX,
    MONTHS,
    PROSECUTORS,
    SPECIALISED_OFFICE,
    STORIES,
    STORY_AGE_GROUPS,
    Story,
)
from seed.persons import Person
from seed.rng import HashDice, Stream, Weighted, chance, choice, randint
from seed.spelling import drop_accents, in_case_of

_SOURCE_INDEX = {source: i for i, source in enumerate(sorted(SOURCE_CODES))}
_STATE_NAMES = {state.code: state.name for state in STATES}
_MIGRANT_GROUP = len(STORY_AGE_GROUPS)
_STORIES = tuple(
    Weighted(list(STORIES.values()), [story.weights[group] for story in STORIES.values()])
    for group in range(_MIGRANT_GROUP + 1)
)
_PARTICLES = frozenset({"DE", "DEL", "LA", "LAS", "LOS", "Y"})
_NOT_LETTERS = re.compile(r"[^A-Z]")


def draw_story(seed: int, person: Person) -> Story:
    """What happened to the person, the same in each of their reports."""
    plan = person.plan
    member = -1 if plan.family.together is not None else plan.member
    dice = HashDice(seed, Stream.STORIES, plan.family.unit, member)
    migrant = "migrant" in person.vulnerability
    group = _MIGRANT_GROUP if migrant else bisect.bisect_right(STORY_AGE_GROUPS, plan.age) - 1
    return _STORIES[group].draw(dice)


def _in_words(day: str) -> str:
    when = date.fromisoformat(day)
    return f"{when.day} de {MONTHS[when.month - 1]} de {when.year}"


def _circumstances(dice: HashDice, seed: int, person: Person, row: dict[str, str]) -> str:
    if not chance(dice, CIRCUMSTANCES_SHARE):
        return ""
    municipality = row["last_seen_municipality"]
    wordings = draw_story(seed, person).wordings
    if not municipality:
        wordings = tuple(w for w in wordings if "{municipio}" not in w)
    female = person.plan.sex == "female"
    text = choice(dice, wordings).format(
        fecha=_in_words(row["last_seen_date"]),
        municipio=municipality,
        estado=_STATE_NAMES[row["last_seen_state"]],
        o="a" if female else "o",
        lo="la" if female else "lo",
        el="ella" if female else "él",
    )
    return in_case_of(text, row["first_surname"] or row["given_names"])


@functools.lru_cache(maxsize=1024)
def _abbreviation(municipality: str) -> str:
    """GUA for Guadalajara, SPT for San Pedro Tlaquepaque: how a prosecutor's office is cited."""
    name = drop_accents(municipality, keep_enye=False).upper()
    words = [_NOT_LETTERS.sub("", w) for w in name.split() if w not in _PARTICLES]
    words = [w for w in words if w]
    if not words:
        return SPECIALISED_OFFICE
    return "".join(w[0] for w in words[:3]) if len(words) > 1 else words[0][:3]


def _office(person: Person, source: str) -> str:
    """The prosecutor's office that opened the carpeta: where the person was last seen, or the
    specialised one when that is in another state."""
    place = person.plan.last_seen.place
    if place.state != source:
        return SPECIALISED_OFFICE
    return _abbreviation(place.municipality_short or place.municipality)


def carpeta(seed: int, person: Person, source: str) -> str:
    """The number of the carpeta a registry's prosecutor opened for the person: one per person
    and registry, so two reports filed with the same registry cite the same carpeta."""
    plan = person.plan
    dice = HashDice(seed, Stream.CARPETAS, plan.family.unit, plan.member, _SOURCE_INDEX[source])
    year = min(filing.filed.year for filing in plan.filings if filing.source == source)
    number = randint(dice, 1, 99_999)
    if source == FEDERAL_SOURCE:
        return f"{FEDERAL_CARPETA_PREFIX}/{year}/{number:07d}"
    prosecutor = PROSECUTORS.get(source, DEFAULT_PROSECUTOR)
    return f"{prosecutor}/{source}/{_office(person, source)}/{year}/{number:06d}"


def case_file_fields(dice: HashDice, seed: int, person: Person, index: int, row: dict[str, str]) -> dict[str, str]:
    """The carpeta and circumstances columns of the person's report number `index`; `dice` is
    that report's own stream (`Stream.REPORTER`)."""
    plan = person.plan
    filed = plan.filings[index].filed
    share = CARPETA_SHARE_FROM_2018 if filed.year >= CARPETA_LAW_YEAR else CARPETA_SHARE_BEFORE
    number = carpeta(seed, person, row["source"]) if chance(dice, share) else ""
    return {"circumstances": _circumstances(dice, seed, person, row), "investigation_file_number": number}
