"""A forensic service recording unidentified remains: what an examiner can still tell.

The remains are those of a true person (reported missing or not). Time and condition erase
what the examiner sees: sex is sometimes undeterminable, age and height become ranges, soft
tissue marks vanish from skeletons while implants and amputations stay. Now and then documents
found with the body carry a name.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from matching.states import FEDERAL_SOURCE, STATE_BY_CODE
from seed.folios import forensic_service
from seed.marks import SIDES, WrittenMark, forensic_wording, to_json
from seed.persons import Person
from seed.plans import Place, age_on, draw_place, neighbour_or_self
from seed.profiles import DEFAULT_REMAINS, RemainsNoise
from seed.rng import choice, pick, randint
from seed.spelling import drop_accents, given_name_units, without_leading_particles

CONDITIONS = ("complete", "decomposed", "partial", "skeletonised", "burned")
# Days between the last sighting and the finding: (share, first day, last day) of each band,
# each day of a band equally likely (seed.likelihood reads these too).
FOUND_DELAY_BANDS: tuple[tuple[float, int, int], ...] = ((0.30, 0, 30), (0.30, 31, 365), (0.40, 366, 3650))
FOUND_IN_STATE_LAST_SEEN = 0.8  # otherwise in a neighbouring state (or the same, if it has none)
FOUND_WHERE_LAST_SEEN = 0.5  # of those found in the state: in the municipality last seen
# Condition by time between last sighting and finding: (up to days, weights of CONDITIONS).
_CONDITION_BY_DELAY: tuple[tuple[int, tuple[float, ...]], ...] = (
    (15, (55, 30, 7, 0, 8)),
    (180, (10, 40, 20, 20, 10)),
    (1 << 30, (2, 10, 23, 55, 10)),
)


# Words of an examiner's sentence and their jotted form (see `terse_wording`).
_TERSE = (
    (" tatuaje ", " tatuado "), (" en region ", " "), (" en región ", " "), (" en ", " "),
    (" con figura de ", " "), (" con la leyenda ", " "), (" derecho ", " der "), (" derecha ", " der "),
    (" izquierdo ", " izq "), (" izquierda ", " izq "), (" de ", " "),
)  # fmt: skip


def condition_weights(delay_days: int) -> tuple[float, ...]:
    """Weights of CONDITIONS for remains found this many days after the last sighting."""
    return next(w for limit, w in _CONDITION_BY_DELAY if delay_days <= limit)


SEX_UNKNOWN_BY_CONDITION = {
    "complete": 0.01,
    "decomposed": 0.03,
    "partial": 0.08,
    "skeletonised": 0.10,
    "burned": 0.15,
}
# Half-width in years of the estimated age range, by condition.
AGE_HALF_WIDTH = {"complete": 4, "decomposed": 5, "partial": 7, "skeletonised": 8, "burned": 9}
HEIGHT_KNOWN = {
    "complete": 0.95,
    "decomposed": 0.9,
    "partial": 0.5,
    "skeletonised": 0.8,
    "burned": 0.4,
}
HEIGHT_HALF_WIDTH = {"complete": 3, "decomposed": 5, "partial": 8, "skeletonised": 7, "burned": 8}
# Chance that a soft-tissue mark (tattoo, scar, mole) is still seen, by condition.
SKIN_MARK_SEEN = {
    "complete": 0.85,
    "decomposed": 0.55,
    "partial": 0.35,
    "skeletonised": 0.0,
    "burned": 0.15,
}
BONE_MARK_SEEN = 0.8  # implants, amputations, dental work
RANGE_CONTAINS_TRUTH = 0.9  # estimated ranges that contain the true value
DOCUMENT_NAME_SHARE = {"linked": 0.10, "unlinked": 0.03}
SEX_WRONG_SHARE = 0.005  # of skeletonised or burned remains


@dataclass(frozen=True, slots=True)
class Finding:
    """Where, when and in what state remains were found, and which service holds them."""

    source: str
    found_date: date
    intake_date: date
    place: Place
    condition: str


def draw_finding(rng: random.Random, person: Person, today: date, noise: RemainsNoise = DEFAULT_REMAINS) -> Finding:
    """Where and when a person's remains are found: never before they were last seen.

    A profile's `noise` may make long delays and neighbouring states more common (the default
    rolls nothing more)."""
    seen = person.plan.last_seen
    roll = rng.random()
    cumulative = 0.0
    for share, first_day, last_day in FOUND_DELAY_BANDS:
        cumulative += share
        if roll < cumulative or last_day == FOUND_DELAY_BANDS[-1][2]:
            delay = randint(rng, first_day, last_day)
            break
    if noise.long_delay and rng.random() < noise.long_delay:
        delay = randint(rng, *FOUND_DELAY_BANDS[-1][1:])
    found = min(today, seen.date + timedelta(days=delay))
    delay = (found - seen.date).days
    condition = pick(rng, CONDITIONS, condition_weights(delay))
    in_state = FOUND_IN_STATE_LAST_SEEN if noise is DEFAULT_REMAINS else 1.0 - noise.neighbour_state
    if rng.random() < in_state:
        state = seen.place.state
        place = seen.place if rng.random() < FOUND_WHERE_LAST_SEEN else draw_place(rng, state)
    else:
        place = draw_place(rng, neighbour_or_self(rng, seen.place.state))
    source = FEDERAL_SOURCE if rng.random() < 0.07 else place.state
    intake = min(today, found + timedelta(days=choice(rng, (0, 0, 0, 1, 2))))
    return Finding(source, found, intake, place, condition)


def _range(rng: random.Random, truth: float, half: int, low: int, high: int) -> tuple[int, int]:
    """An examiner's estimated range: usually around the truth, sometimes beside it."""
    centre = truth + rng.uniform(-half / 2, half / 2)
    if rng.random() >= RANGE_CONTAINS_TRUTH:
        centre = truth + choice(rng, (-1, 1)) * (half + randint(rng, 1, 6))
    lo = max(low, round(centre - half))
    hi = min(high, max(lo, round(centre + half)))
    return lo, hi


def _sex(rng: random.Random, person: Person, condition: str) -> str:
    if rng.random() < SEX_UNKNOWN_BY_CONDITION[condition]:
        return "unknown"
    if condition in ("skeletonised", "burned") and rng.random() < SEX_WRONG_SHARE:
        return "female" if person.plan.sex == "male" else "male"
    return person.plan.sex


def _observed_marks(rng: random.Random, person: Person, condition: str) -> list[WrittenMark]:
    observed: list[WrittenMark] = []
    for mark in person.marks:
        seen_share = BONE_MARK_SEEN if mark.visible_in_bones else SKIN_MARK_SEEN[condition]
        if rng.random() >= seen_share:
            continue
        side = mark.side
        if side in SIDES and rng.random() < 0.02:
            side = "left" if side == "right" else "right"
        text = forensic_wording(mark, side).replace(";", ",")
        observed.append(WrittenMark(mark.kind, mark.body_part, side, text))
    return observed


def _document_name(rng: random.Random, person: Person) -> tuple[str, str, str]:
    """A name as read from an ID, a letter or a bank card found with the body."""
    names = person.names
    given = names.given_names
    units = given_name_units(given)
    if len(units) > 1 and rng.random() < 0.2:
        given = without_leading_particles(units[0])
    second = names.second_surname if rng.random() >= 0.2 else ""
    parts = [given, names.first_surname, second]
    if rng.random() < 0.6:
        parts = [drop_accents(p) for p in parts]
    return parts[0].upper(), parts[1].upper(), parts[2].upper()


def _storage(rng: random.Random, finding: Finding, today: date) -> tuple[str, str]:
    """(storage location, grave reference): older remains often lie in a common grave."""
    municipality = finding.place.municipality
    if (today - finding.intake_date).days > 365 and rng.random() < 0.6:
        grave = (
            f"Fosa común, panteón municipal de {municipality}, lote {randint(rng, 1, 40)}, "
            f"fila {randint(rng, 1, 30)}, fosa {randint(rng, 1, 400)}"
        )
        return f"Panteón municipal de {municipality}", grave
    if rng.random() < 0.3:
        return f"Centro de Identificación Humana, {finding.place.state}", ""
    return f"Cámara frigorífica {randint(rng, 1, 12)}", ""


def terse_wording(description: str) -> str:
    """A mark as a hurried examiner jots it: "TATUAJE EN ANTEBRAZO DERECHO CON FIGURA DE ROSA" →
    "tatuado antebrazo der rosa"."""
    text = f" {description.lower()} "
    for long, short in _TERSE:
        text = text.replace(long, short)
    return " ".join(text.split())


def write_remains(
    rng: random.Random,
    person: Person,
    finding: Finding,
    folio: str,
    *,
    linked: bool,
    today: date,
    noise: RemainsNoise = DEFAULT_REMAINS,
) -> dict[str, str]:
    """The forensic record of a person's remains, as the service at `finding.source` keeps it
    (with a profile's `noise`: a biased age estimate, marks in a terse register)."""
    condition = finding.condition
    age_now = age_on(person.plan.date_of_birth, finding.found_date)
    age_min = age_max = ""
    if rng.random() < 0.95:
        lo, hi = _range(rng, age_now, AGE_HALF_WIDTH[condition], 0, 110)
        if noise.age_centre_bias:
            shift = randint(rng, -noise.age_centre_bias, noise.age_centre_bias)
            lo, hi = max(0, lo + shift), max(0, hi + shift)
        age_min, age_max = str(lo), str(hi)
    height_min = height_max = ""
    if rng.random() < HEIGHT_KNOWN[condition]:
        truth = person.description.height_cm
        lo, hi = _range(rng, truth, HEIGHT_HALF_WIDTH[condition], 30, 250)
        height_min, height_max = str(lo), str(hi)
    marks = _observed_marks(rng, person, condition)
    if noise.terse_marks:
        marks = [m._replace(description=terse_wording(m.description)) if rng.random() < noise.terse_marks else m
                 for m in marks]  # fmt: skip
    given = first = second = ""
    if rng.random() < DOCUMENT_NAME_SHARE["linked" if linked else "unlinked"]:
        given, first, second = _document_name(rng, person)
    storage, grave = _storage(rng, finding, today)
    state_name = STATE_BY_CODE[finding.place.state].name
    municipality = finding.place.municipality if rng.random() >= 0.05 else ""
    identified = linked and person.plan.fate.identified
    return {
        "source": finding.source,
        "folio": folio,
        "found_date": finding.found_date.isoformat(),
        "found_state": finding.place.state,
        "found_municipality": municipality.upper() if rng.random() < 0.5 else municipality,
        "sex": _sex(rng, person, condition),
        "age_min": age_min,
        "age_max": age_max,
        "height_min_cm": height_min,
        "height_max_cm": height_max,
        "distinguishing_marks": ";".join(m.description for m in marks),
        "given_names": given,
        "first_surname": first,
        "second_surname": second,
        "status": "identified" if identified else "unidentified",
        "condition": condition,
        "forensic_service": forensic_service(finding.source, state_name),
        "storage_location": storage,
        "intake_date": finding.intake_date.isoformat(),
        "grave_reference": grave,
        "marks_structured": to_json(marks),
    }
