"""The noise model: how often each kind of clerical variation enters a report, and a log of it.

Each report of a person is written independently by a different clerk. A person's first report
is lightly noisy; every later report (a duplicate) more so. `NOISE_RULES` is the whole model as
data: one row per kind of variation with its probability in a first and in a later report,
and when it can apply. docs/seed.md renders the same table; a test keeps them in step.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class NoiseRule:
    """One kind of variation: its probability in a first and in a later report."""

    name: str
    first: float
    later: float
    applies_to: str
    example: str


NOISE_RULES: tuple[NoiseRule, ...] = (
    # Names
    NoiseRule("given_name_dropped", 0.08, 0.25, "given names of two or more words", "María Guadalupe → Guadalupe"),
    NoiseRule("nickname_as_given", 0.02, 0.06, "known nickname, both given names kept", "Jesús → Chuy"),
    NoiseRule(
        "given_abbreviated", 0.05, 0.15, "compound given names opening María/José/Juan", "María de Jesús → Ma. de Jesús"
    ),
    NoiseRule("second_surname_missing", 0.05, 0.15, "persons with two surnames", "Hernández García → Hernández"),
    NoiseRule("surnames_swapped", 0.01, 0.05, "two surnames, the second kept", "Hernández García → García Hernández"),
    NoiseRule("particle_variant", 0.05, 0.20, "surnames with de/del/de la/de los", "de la Cruz → Delacruz, Cruz"),
    NoiseRule(
        "phonetic_respelling",
        0.04,
        0.12,
        "every report (one name word)",
        "Vázquez → Bázquez, Reyes → Relles, Hernández → Ernández",
    ),
    NoiseRule("typo", 0.04, 0.12, "every report (one name word)", "Martínez → Martniez"),
    NoiseRule("accents_dropped", 0.30, 0.45, "every report (names and municipality)", "Pérez → Perez"),
    NoiseRule("enye_lost", 0.05, 0.10, "reports whose accents were dropped, names with Ñ", "Peña → Pena"),
    NoiseRule("upper_case", 0.40, 0.45, "every report", "José Luis → JOSE LUIS"),
    NoiseRule("lower_case", 0.02, 0.04, "reports not in upper case", "José Luis → josé luis"),
    # Dates
    NoiseRule("birth_date_as_age", 0.10, 0.20, "every report", "date of birth → age 23"),
    NoiseRule("age_misestimated", 0.15, 0.25, "reports that give an age", "23 → 25"),
    NoiseRule(
        "birth_date_missing", 0.02, 0.06, "reports that do not give an age instead", "no date of birth and no age"
    ),
    NoiseRule("birth_day_month_swapped", 0.02, 0.05, "dates of birth with day ≤ 12 ≠ month", "1990-04-09 → 1990-09-04"),
    NoiseRule("birth_date_digit_wrong", 0.02, 0.05, "dates of birth not swapped", "1990-04-09 → 1980-04-09"),
    NoiseRule("last_seen_date_shifted", 0.02, 0.08, "every report", "one to three days off"),
    # Places
    NoiseRule(
        "last_seen_state_neighbour", 0.00, 0.05, "every report", "the family's state instead of a neighbouring one"
    ),
    NoiseRule("municipality_missing", 0.04, 0.10, "every report", "municipality left blank"),
    NoiseRule(
        "municipality_short_form", 0.30, 0.40, "municipalities with an everyday name", "Acapulco de Juárez → Acapulco"
    ),
    # Identity
    NoiseRule("curp_omitted", 0.45, 0.55, "persons with a CURP", "CURP left blank"),
    NoiseRule("curp_mistyped", 0.03, 0.06, "reports that give a CURP", "one character wrong (check digit fails)"),
    NoiseRule("sex_unknown", 0.005, 0.01, "every report", "sex recorded as unknown"),
    NoiseRule("sex_wrong", 0.001, 0.003, "reports whose sex is not unknown", "male ↔ female"),
    # Body
    NoiseRule("height_missing", 0.30, 0.35, "every report", "no height"),
    NoiseRule("height_misjudged", 0.05, 0.12, "reports with a height", "5 to 12 cm off"),
    NoiseRule("height_rounded", 0.50, 0.50, "reports with a height", "172 → 170"),
    NoiseRule("weight_missing", 0.40, 0.50, "every report", "no weight"),
    NoiseRule("birth_state_missing", 0.20, 0.35, "persons born in Mexico", "no birth state"),
    NoiseRule("description_missing", 0.15, 0.30, "each of complexion, skin, hair, eyes", "left blank"),
    NoiseRule("skin_tone_shifted", 0.05, 0.15, "reports with a skin tone", "morena → morena clara"),
    NoiseRule("clothing_missing", 0.10, 0.30, "every report", "no clothing"),
    # Marks (rates are per mark)
    NoiseRule("mark_omitted", 0.15, 0.25, "each mark the person bears", "mark not mentioned"),
    NoiseRule("mark_part_vague", 0.10, 0.25, "marks kept, on a part with a vaguer name", "antebrazo → brazo"),
    NoiseRule("mark_side_flipped", 0.02, 0.05, "marks on a sided part", "derecho → izquierdo"),
    NoiseRule("mark_side_omitted", 0.08, 0.15, "marks on a sided part, side not flipped", "side not said"),
    # Aliases
    NoiseRule("nickname_in_aliases", 0.50, 0.40, "persons with a nickname", "aliases: Chuy"),
    NoiseRule("street_alias_in_aliases", 0.70, 0.50, "persons with a street alias", "aliases: El Güero"),
)
RULES: dict[str, NoiseRule] = {rule.name: rule for rule in NOISE_RULES}


_FIRST_RATES: dict[str, float] = {rule.name: rule.first for rule in NOISE_RULES}
_LATER_RATES: dict[str, float] = {rule.name: rule.later for rule in NOISE_RULES}


class Noise:
    """The dice one clerk rolls while writing one report, with a log of what was rolled.

    `rolled` lists every roll (each time a rule could apply), `applied` those that came up;
    per rule, their ratio is what the rule's rate promises, which is how tests check the model.
    """

    __slots__ = ("_random", "_rates", "applied", "later", "rng", "rolled")

    def __init__(
        self, rng: random.Random, *, later: bool, rates: tuple[dict[str, float], dict[str, float]] | None = None
    ) -> None:
        self.rng = rng
        self.later = later
        self.rolled: list[str] = []
        self.applied: list[str] = []
        first, then = rates if rates is not None else (_FIRST_RATES, _LATER_RATES)
        self._rates = then if later else first
        self._random = rng.random

    def roll(self, name: str) -> bool:
        """Whether the named variation happens this time (and log the roll)."""
        self.rolled.append(name)
        if self._random() < self._rates[name]:
            self.applied.append(name)
            return True
        return False

    def maybe(self, name: str) -> bool:
        """Like `roll`, for a rule of a noise profile: never rolled (no dice used) where its rate is 0."""
        if not self._rates.get(name, 0.0):
            return False
        return self.roll(name)
