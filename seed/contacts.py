"""The relative who files a report: relationship, name, phone and e-mail (restricted fields).

Drawn from streams of their own (`Stream.REPORTER` per report, `Stream.RELATIVES` per relative),
never from the person's stream, so that adding them changed no other value of any report. A
relative is drawn the same way in each report that names them: a mother who files twice gives
the same name and number twice; brothers and sisters reported missing share parents,
grandmother, aunts and siblings.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date

from seed.data.contacts import (
    AGE_BANDS,
    CONTACT_SHARE,
    EMAIL_DOMAINS,
    EMAIL_SHARE,
    KINSHIP,
    PHONE_SHARE,
    RELATIONSHIP_WEIGHTS,
    YOUNGEST_REPORTER,
    Kinship,
)
from seed.data.surnames import SURNAMES
from seed.persons import Names, Person, draw_given_names
from seed.rng import HashDice, Stream, Weighted, chance, choice, randint
from seed.spelling import drop_accents, in_case_of

_SURNAMES = Weighted.of(SURNAMES)
_BY_BAND = tuple(
    Weighted(list(RELATIONSHIP_WEIGHTS), [weights[band] for weights in RELATIONSHIP_WEIGHTS.values()])
    for band in range(len(AGE_BANDS))
)
_KINSHIP_INDEX = {relationship: i for i, relationship in enumerate(KINSHIP)}
_NOT_IN_ADDRESS = re.compile(r"[^a-z]")
# Every Mexican number has ten digits and the first names one of eight regions, 2 to 9 (IFT,
# Plan Técnico Fundamental de Numeración, in force since 3 August 2019); before that 0 opened
# the long-distance prefixes (01, 044, 045). So a ten-digit number opening with 0 has never been
# anyone's. The second digit is never 0, so that it does not read as 00, the international prefix.
FICTITIOUS_PHONE = re.compile(r"0[1-9][0-9]{8}")


@dataclass(frozen=True, slots=True)
class Relative:
    """A relative of a missing person as they give their details to the registry."""

    relationship: str  # as the form words it: madre, esposa, hermano…
    names: Names
    phone: str  # ten digits, never a real subscriber's (see FICTITIOUS_PHONE)
    email: str  # "" when they have none; always at a reserved domain


def _band(age: int) -> int:
    return bisect.bisect_right(AGE_BANDS, age) - 1


def _relationship(dice: HashDice, person: Person) -> str:
    relationship = _BY_BAND[_band(person.plan.age)].draw(dice)
    if relationship == "cónyuge":
        return "esposa" if person.plan.sex == "male" else "esposo"
    return relationship


def _surnames(dice: HashDice, kin: Kinship, person: Person) -> tuple[str, str]:
    """A Mexican takes the father's first surname, then the mother's: so relatives share them."""
    first, second = person.names.first_surname, person.names.second_surname
    own = _SURNAMES.draw(dice)
    if kin.surnames == "mother":
        # A person with one surname usually carries only the mother's.
        return (second or first), own
    if kin.surnames == "father":
        return (first, own) if second else (_SURNAMES.draw(dice), own)
    if kin.surnames == "sibling":
        return first, second
    if kin.surnames == "child":
        # A man passes his first surname on first; a woman hers second.
        return (first, own) if person.plan.sex == "male" else (own, first)
    if kin.surnames == "aunt":
        # The father's sister carries the person's first surname, the mother's the second.
        paternal = chance(dice, 0.5) or not second
        return (first if paternal else second), own
    return own, _SURNAMES.draw(dice)


def _address(dice: HashDice, given: str, surname: str, born: int) -> str:
    """An e-mail address made up as people make them up, at a domain no mail ever reaches."""
    name = _NOT_IN_ADDRESS.sub("", drop_accents(given.split()[0], keep_enye=False).lower())
    family = _NOT_IN_ADDRESS.sub("", drop_accents(surname, keep_enye=False).lower())
    style = randint(dice, 0, 3)
    if style == 0:
        local = f"{name}.{family}"
    elif style == 1:
        local = f"{name}{family}{born % 100:02d}"
    elif style == 2:
        local = f"{name[:1]}{family}{randint(dice, 1, 99)}"
    else:
        local = f"{name}_{born}"
    return f"{local}@{choice(dice, EMAIL_DOMAINS)}"


def draw_relative(seed: int, person: Person, relationship: str) -> Relative:
    """A relative of the person, the same whichever report asks for them."""
    kin = KINSHIP[relationship]
    plan = person.plan
    member = -1 if kin.shared else plan.member
    dice = HashDice(seed, Stream.RELATIVES, plan.family.unit, member, _KINSHIP_INDEX[relationship])
    low, high = kin.years_older
    older = randint(dice, min(high, max(low, YOUNGEST_REPORTER - plan.age)), high)
    born = plan.date_of_birth.year - older
    sex = kin.sex if kin.sex != "spouse" else ("female" if plan.sex == "male" else "male")
    given = draw_given_names(dice, sex, date(born, 7, 1))
    first, second = _surnames(dice, kin, person)
    phone = f"0{randint(dice, 1, 9)}{randint(dice, 0, 9999):04d}{randint(dice, 0, 9999):04d}"
    email = _address(dice, given, first or second, born) if chance(dice, EMAIL_SHARE) else ""
    return Relative(relationship, Names(given, first, second), phone, email)


def contact_fields(dice: HashDice, seed: int, person: Person, row: dict[str, str]) -> dict[str, str]:
    """The contact columns of a report of the person, given its other columns; `dice` is that
    report's own stream (`Stream.REPORTER`)."""
    if not chance(dice, CONTACT_SHARE):
        return {"contact_name": "", "contact_relationship": "", "contact_phone": "", "contact_email": ""}
    relative = draw_relative(seed, person, _relationship(dice, person))
    names = relative.names
    name = " ".join(part for part in (names.given_names, names.first_surname, names.second_surname) if part)
    return {
        "contact_name": in_case_of(name, row["first_surname"] or row["given_names"]),
        "contact_relationship": relative.relationship,
        "contact_phone": relative.phone if chance(dice, PHONE_SHARE) else "",
        "contact_email": relative.email,
    }
