"""Noise profiles: the same persons, written by clerks of another registry.

`default` is the noise model of `seed.noise` as it is (its output does not change). The other
profiles change some rates of `NOISE_RULES` and switch on rules of their own (`PROFILE_RULES`),
which `default` never rolls, so that the default dataset stays byte for byte what it was:

- `harsh`: last-seen dates off by weeks or months in a share of reports, ages instead of dates of
  birth, both surnames mistyped, given names reordered, surnames swapped, municipalities
  misspelled, second surnames missing, and a clerk who writes everything in capitals without
  accents;
- `sparse`: most optional fields left empty;
- `remains`: the reports of `default`, and remains estimated and found as a harder forensic
  service would: age ranges with a biased centre, more remains in a neighbouring state, longer
  delays, and marks written in a terse register.

docs/seed.md renders these tables; a test keeps them in step.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from seed.noise import NOISE_RULES, NoiseRule

# Rules only non-default profiles roll (rate 0 in `default`, where they are never rolled at all).
PROFILE_RULES: tuple[NoiseRule, ...] = (
    NoiseRule("last_seen_date_weeks_off", 0.0, 0.0, "every report", "a week to four months off"),
    NoiseRule("given_names_reordered", 0.0, 0.0, "given names of two or more words", "José Luis → Luis José"),
    NoiseRule("both_surnames_mistyped", 0.0, 0.0, "every report", "Hernández García → Hernádez Garcai"),
    NoiseRule("municipality_misspelled", 0.0, 0.0, "reports with a municipality", "Zapopan → Zapopna"),
    NoiseRule("clerk_capitals", 0.0, 0.0, "every report", "José Peña → JOSE PENA (names and municipality)"),
)


@dataclass(frozen=True, slots=True)
class RemainsNoise:
    """How the forensic service of a profile estimates and writes remains (default: `seed.remains`)."""

    age_centre_bias: int = 0  # the estimated range's centre is off by up to this many years
    neighbour_state: float = 0.2  # share of remains found in a neighbouring state
    long_delay: float = 0.0  # extra share of remains found 1–10 years after the last sighting
    terse_marks: float = 0.0  # share of marks written in a terse register ("tatuado rosa brazo der")


DEFAULT_REMAINS = RemainsNoise()


@dataclass(frozen=True, slots=True)
class NoiseProfile:
    """A named set of noise rates (first report, later reports), and how its remains are written."""

    name: str
    rates: dict[str, tuple[float, float]] = field(default_factory=dict)  # rule -> (first, later)
    remains: RemainsNoise = DEFAULT_REMAINS

    def rate_tables(self) -> tuple[dict[str, float], dict[str, float]]:
        """The probability of every rule in a first and in a later report under this profile."""
        first = {rule.name: rule.first for rule in (*NOISE_RULES, *PROFILE_RULES)}
        later = {rule.name: rule.later for rule in (*NOISE_RULES, *PROFILE_RULES)}
        for name, (a, b) in self.rates.items():
            first[name], later[name] = a, b
        return first, later


PROFILES: dict[str, NoiseProfile] = {
    "default": NoiseProfile("default"),
    "harsh": NoiseProfile(
        "harsh",
        {
            "last_seen_date_weeks_off": (0.05, 0.30),
            "birth_date_as_age": (0.30, 0.50),
            "age_misestimated": (0.25, 0.35),
            "both_surnames_mistyped": (0.03, 0.10),
            "given_names_reordered": (0.05, 0.15),
            "surnames_swapped": (0.03, 0.10),
            "municipality_misspelled": (0.05, 0.15),
            "second_surname_missing": (0.10, 0.25),
            "clerk_capitals": (0.20, 0.30),
            "typo": (0.06, 0.15),
        },
    ),
    "sparse": NoiseProfile(
        "sparse",
        {
            "birth_date_as_age": (0.30, 0.40),
            "birth_date_missing": (0.15, 0.25),
            "curp_omitted": (0.85, 0.90),
            "municipality_missing": (0.30, 0.40),
            "height_missing": (0.80, 0.85),
            "weight_missing": (0.90, 0.90),
            "birth_state_missing": (0.60, 0.70),
            "description_missing": (0.70, 0.80),
            "clothing_missing": (0.60, 0.70),
            "mark_omitted": (0.50, 0.60),
            "nickname_in_aliases": (0.20, 0.20),
            "street_alias_in_aliases": (0.30, 0.20),
        },
    ),
    "remains": NoiseProfile(
        "remains", remains=RemainsNoise(age_centre_bias=4, neighbour_state=0.4, long_delay=0.2, terse_marks=0.5)
    ),
}
DEFAULT_PROFILE = PROFILES["default"]


def profile_named(name: str) -> NoiseProfile:
    """The profile of that name; ValueError naming the known ones otherwise."""
    try:
        return PROFILES[name]
    except KeyError:
        raise ValueError(f"unknown noise profile {name!r} (known: {', '.join(PROFILES)})") from None
