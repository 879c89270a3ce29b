"""A clerk writing one missing-person report of a person, with the variations of `seed.noise`.

`write_report` turns the true `Person` into an interchange row (plus the richer extras). Every
variation goes through `Noise.roll`, so the rates in `NOISE_RULES` are what the data shows.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from seed.casefile import case_file_fields
from seed.contacts import contact_fields
from seed.data.given_names import NICKNAMES
from seed.data.marks import VAGUE_BODY_PART
from seed.description import SKIN_ORDER
from seed.marks import SIDES, WrittenMark, plain_wording, to_json
from seed.noise import Noise
from seed.persons import Person
from seed.plans import age_on, neighbour_or_self
from seed.profiles import DEFAULT_PROFILE, NoiseProfile
from seed.rng import HashDice, Stream, below, choice, randint
from seed.spelling import (
    abbreviate_first,
    drop_accents,
    given_name_units,
    particle_variant,
    respell,
    typo,
    without_leading_particles,
)


@dataclass(frozen=True, slots=True)
class ReportRecord:
    """A generated report: its row, whose it is, and which variations its clerk rolled."""

    row: dict[str, str]
    person_id: str
    index: int  # 0 for the person's first report
    rolled: tuple[str, ...]  # every noise rule rolled while writing it (once per roll)
    applied: tuple[str, ...]  # the rolls that came up


_WordChange = Callable[[str, random.Random], "str | None"]


@dataclass(slots=True)
class _Name:
    given: str
    first: str
    second: str


def _given_names(person: Person, noise: Noise) -> str:
    given = person.names.given_names
    rng = noise.rng
    units = given_name_units(given)
    if len(units) > 1 and noise.roll("given_name_dropped"):
        # People go by the second name when the first is María or José; else either one.
        first_common = units[0].split()[0].upper() in ("MARÍA", "JOSÉ", "MA.")
        keep = units[1] if first_common or rng.random() < 0.4 else units[0]
        return without_leading_particles(keep)
    nicknames = [n for word in given.split() for n in NICKNAMES.get(word, ())]
    if person.nickname:
        nicknames = [person.nickname]
    if nicknames and noise.roll("nickname_as_given"):
        return choice(rng, nicknames)
    if abbreviate_first(given, rng) is not None and noise.roll("given_abbreviated"):
        return abbreviate_first(given, rng) or given
    return given


def _names(person: Person, noise: Noise) -> _Name:
    rng = noise.rng
    name = _Name(_given_names(person, noise), person.names.first_surname, person.names.second_surname)
    if name.second:
        if noise.roll("second_surname_missing"):
            name.second = ""
        elif noise.roll("surnames_swapped"):
            name.first, name.second = name.second, name.first
    for attr in ("first", "second"):
        value = getattr(name, attr)
        variant = particle_variant(value, rng) if value else None
        if variant is not None and noise.roll("particle_variant"):
            setattr(name, attr, variant)
    for rule, change in (("phonetic_respelling", respell), ("typo", typo)):
        if noise.roll(rule):
            _change_one_word(name, rng, change)
    if len(name.given.split()) > 1 and noise.maybe("given_names_reordered"):
        words = name.given.split()
        name.given = " ".join([*words[1:], words[0]])
    if noise.maybe("both_surnames_mistyped"):
        name.first = typo(name.first, rng) or name.first
        name.second = (typo(name.second, rng) or name.second) if name.second else ""
    return name


def _change_one_word(name: _Name, rng: random.Random, change: _WordChange) -> None:
    """Apply a word-level change to one word of the name that it fits (left as is if none)."""
    slots = [
        (attr, i)
        for attr in ("given", "first", "second")
        for i, word in enumerate(getattr(name, attr).split())
        if len(word) > 2
    ]
    rng.shuffle(slots)
    for attr, index in slots:
        words = getattr(name, attr).split()
        changed = change(words[index], rng)
        if changed:
            words[index] = changed
            setattr(name, attr, " ".join(words))
            return


def _apply_case(values: list[str], noise: Noise) -> list[str]:
    if noise.roll("upper_case"):
        return [v.upper() for v in values]
    if noise.roll("lower_case"):
        return [v.lower() for v in values]
    return values


def _written_text(values: list[str], noise: Noise) -> list[str]:
    """Accents and case of the free-text fields a clerk types: names and municipality."""
    if noise.maybe("clerk_capitals"):
        return [drop_accents(v, keep_enye=False).upper() for v in values]
    if noise.roll("accents_dropped"):
        keep_enye = True
        if any("ñ" in v.lower() for v in values) and noise.roll("enye_lost"):
            keep_enye = False
        values = [drop_accents(v, keep_enye=keep_enye) for v in values]
    return _apply_case(values, noise)


def _wrong_digit(born: date, rng: random.Random, seen: date) -> date | None:
    """The birth date with one digit mistyped, if that still gives a date of a person aged 0 to 120."""
    text = born.isoformat()
    positions = [2, 3, 5, 6, 8, 9]
    for _ in range(6):
        position = choice(rng, positions)
        digit = str((int(text[position]) + choice(rng, (1, 9, 2, 8))) % 10)
        candidate = text[:position] + digit + text[position + 1 :]
        try:
            changed = date.fromisoformat(candidate)
        except ValueError:
            continue
        if changed != born and changed < seen and changed.year > seen.year - 120:
            return changed
    return None


def _birth(person: Person, noise: Noise, seen: date) -> tuple[str, str]:
    """(date_of_birth, age_years) as the report gives them."""
    rng = noise.rng
    plan = person.plan
    if noise.roll("birth_date_as_age"):
        age = plan.age
        if noise.roll("age_misestimated"):
            age = max(0, age + choice(rng, (-2, -1, 1, 1, 2)))
        return "", str(age)
    if noise.roll("birth_date_missing"):
        return "", ""
    born = plan.date_of_birth
    if born.day <= 12 and born.day != born.month and noise.roll("birth_day_month_swapped"):
        born = date(born.year, born.day, born.month)
    elif noise.roll("birth_date_digit_wrong"):
        born = _wrong_digit(born, rng, seen) or born
    if born >= seen:
        return "", str(age_on(plan.date_of_birth, seen))
    return born.isoformat(), ""


def _curp(person: Person, noise: Noise) -> str:
    if not person.curp_differentiator or noise.roll("curp_omitted"):
        return ""
    curp = person.curp
    if not noise.roll("curp_mistyped"):
        return curp
    rng = noise.rng
    position = below(rng, 18)
    old = curp[position]
    pool = "0123456789" if old.isdigit() else "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    new = "0" if old == "O" else choice(rng, pool.replace(old, ""))
    return curp[:position] + new + curp[position + 1 :]


def _height(person: Person, noise: Noise) -> str:
    if noise.roll("height_missing"):
        return ""
    rng = noise.rng
    height = person.description.height_cm + rng.gauss(0, 3.0 if noise.later else 2.0)
    if noise.roll("height_misjudged"):
        height += choice(rng, (-1, 1)) * randint(rng, 5, 12)
    value = round(height)
    if noise.roll("height_rounded"):
        value = 5 * round(value / 5)
    return str(max(30, min(250, value)))


def _marks(person: Person, noise: Noise) -> list[WrittenMark]:
    rng = noise.rng
    style = below(rng, 4)
    written: list[WrittenMark] = []
    for mark in person.marks:
        if noise.roll("mark_omitted"):
            continue
        part = mark.body_part
        if part in VAGUE_BODY_PART and noise.roll("mark_part_vague"):
            part = VAGUE_BODY_PART[part]
        side = mark.side
        if side in SIDES:
            if noise.roll("mark_side_flipped"):
                side = "left" if side == "right" else "right"
            elif noise.roll("mark_side_omitted"):
                side = ""
        text = plain_wording(mark.kind, mark.plain, part, side, style).replace(";", ",")
        written.append(WrittenMark(mark.kind, part, side, text))
    return written


def _aliases(person: Person, noise: Noise) -> str:
    aliases: list[str] = []
    if person.nickname and noise.roll("nickname_in_aliases"):
        aliases.append(person.nickname)
    if person.street_alias and noise.roll("street_alias_in_aliases"):
        aliases.append(person.street_alias)
    return ";".join(aliases)


def _sex(person: Person, noise: Noise) -> str:
    if noise.roll("sex_unknown"):
        return "unknown"
    if noise.roll("sex_wrong"):
        return "female" if person.plan.sex == "male" else "male"
    return person.plan.sex


def _described(value: str, noise: Noise) -> str:
    return "" if noise.roll("description_missing") else value


def _skin_tone(value: str, noise: Noise) -> str:
    value = _described(value, noise)
    if value and noise.roll("skin_tone_shifted"):
        index = SKIN_ORDER.index(value) + choice(noise.rng, (-1, 1))
        value = SKIN_ORDER[max(0, min(len(SKIN_ORDER) - 1, index))]
    return value


def _status(person: Person, index: int, rng: random.Random) -> str:
    plan = person.plan
    # Registries do not talk to each other: a later report often still says "missing".
    if plan.fate.located_alive and (index == 0 or rng.random() < 0.5):
        return "located_alive"
    if plan.fate.identified and index == 0:
        return "located_dead"
    return "missing"


def write_report(
    person: Person,
    index: int,
    source: str,
    folio: str,
    today: date,
    *,
    seed: int,
    profile: NoiseProfile = DEFAULT_PROFILE,
) -> ReportRecord:
    """The report number `index` of a person, filed by `source` under `folio`.

    Draws from the person's stream, so reports must be written in order after `draw_person`.
    The restricted fields (contact, carpeta, circumstances) come from streams of their own
    derived from the dataset's `seed`, so the other fields are what they were before them.
    A noise `profile` other than the default changes rates and rolls rules of its own.
    """
    plan = person.plan
    noise = Noise(person.plan.rng, later=index > 0, rates=None if profile is DEFAULT_PROFILE else profile.rate_tables())
    rng = noise.rng
    seen = plan.last_seen.date
    if noise.roll("last_seen_date_shifted"):
        seen = min(today, seen + timedelta(days=choice(rng, (-3, -2, -1, 1, 2, 3))))
    if noise.maybe("last_seen_date_weeks_off"):  # "about a month ago", or the day the report was filed
        seen = min(today, seen + timedelta(days=choice(rng, (-1, 1)) * randint(rng, 7, 120)))
    state = plan.last_seen.place.state
    if noise.roll("last_seen_state_neighbour"):
        state = neighbour_or_self(rng, state)
    municipality = plan.last_seen.place.municipality
    short = plan.last_seen.place.municipality_short
    if short and noise.roll("municipality_short_form"):
        municipality = short
    if noise.roll("municipality_missing") or state != plan.last_seen.place.state:
        municipality = ""
    if municipality and noise.maybe("municipality_misspelled"):
        municipality = typo(municipality, rng) or municipality
    name = _names(person, noise)
    given, first, second, municipality = _written_text([name.given, name.first, name.second, municipality], noise)
    born, age = _birth(person, noise, seen)
    marks = _marks(person, noise)
    description = person.description
    weight = ""
    if not noise.roll("weight_missing"):
        weight = str(max(2, round(description.weight_kg + rng.gauss(0, 3))))
    birth_state = plan.family.birth_state
    if birth_state and noise.roll("birth_state_missing"):
        birth_state = ""
    clothing = "" if noise.roll("clothing_missing") else description.clothing
    nationality = plan.family.nationality if rng.random() < 0.9 else ""
    roll = rng.random()
    consent = "true" if roll < 0.85 else "false" if roll < 0.97 else ""
    row = {
        "source": source,
        "folio": folio,
        "given_names": given,
        "first_surname": first,
        "second_surname": second,
        "aliases": _aliases(person, noise),
        "sex": _sex(person, noise),
        "date_of_birth": born,
        "age_years": age,
        "curp": _curp(person, noise),
        "last_seen_date": seen.isoformat(),
        "last_seen_state": state,
        "last_seen_municipality": municipality,
        "height_cm": _height(person, noise),
        "distinguishing_marks": ";".join(m.description for m in marks),
        "status": _status(person, index, rng),
        "birth_state": birth_state,
        "complexion": _described(description.complexion, noise),
        "skin_tone": _skin_tone(description.skin_tone, noise),
        "hair": _described(description.hair, noise),
        "eye_colour": _described(description.eye_colour, noise),
        "weight_kg": weight,
        "nationality": nationality,
        "vulnerability": ";".join(person.vulnerability),
        "clothing": clothing,
        "marks_structured": to_json(marks),
        "publication_consent": consent,
    }
    filer = HashDice(seed, Stream.REPORTER, plan.family.unit, plan.member, index)
    row |= case_file_fields(filer, seed, person, index, row)
    row |= contact_fields(filer, seed, person, row)
    return ReportRecord(row, plan.person_id, index, tuple(noise.rolled), tuple(noise.applied))
