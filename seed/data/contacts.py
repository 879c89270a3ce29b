"""Who reports a missing person, and how they can be reached.

The relationship weights are an assumption, not a statistic: in Mexico most searches are led
by women (the *madres buscadoras* collectives), so mothers report most often, then wives and
sisters; fathers and brothers less; children report older persons; grandmothers and aunts,
children raised by them. Weights are per age of the missing person when last seen.
"""

from __future__ import annotations

from typing import NamedTuple

# Age bands of the missing person (lowest age of each), matching the weight columns below.
AGE_BANDS: tuple[int, ...] = (0, 18, 35, 60)


class Kinship(NamedTuple):
    """How a relative stands to the missing person: enough to name them plausibly."""

    sex: str  # "female", "male", or "spouse" (the other sex from the missing person's)
    surnames: str  # "mother", "father", "sibling", "child", "aunt", "own": whose surnames they carry
    years_older: tuple[int, int]  # born this many years before the missing person (negative: after)
    shared: bool  # the same person for brothers and sisters reported missing together


KINSHIP: dict[str, Kinship] = {
    "madre": Kinship("female", "mother", (17, 42), shared=True),
    "padre": Kinship("male", "father", (18, 48), shared=True),
    "esposa": Kinship("female", "own", (-8, 8), shared=False),
    "esposo": Kinship("male", "own", (-8, 8), shared=False),
    "pareja": Kinship("spouse", "own", (-8, 8), shared=False),
    "hermana": Kinship("female", "sibling", (-12, 12), shared=True),
    "hermano": Kinship("male", "sibling", (-12, 12), shared=True),
    "hija": Kinship("female", "child", (-38, -18), shared=False),
    "hijo": Kinship("male", "child", (-38, -18), shared=False),
    "tía": Kinship("female", "aunt", (10, 40), shared=True),
    "tío": Kinship("male", "aunt", (10, 40), shared=True),
    "abuela": Kinship("female", "own", (36, 70), shared=True),
}

# Weights for a missing person aged (0–17, 18–34, 35–59, 60+). "cónyuge" stands for esposa
# when the missing person is a man and esposo when a woman: three in four missing persons are
# men, so wives report far more often than husbands.
RELATIONSHIP_WEIGHTS: dict[str, tuple[float, float, float, float]] = {
    "madre": (55, 38, 18, 2),
    "padre": (18, 10, 5, 0),
    "cónyuge": (0, 16, 26, 20),
    "pareja": (1, 8, 7, 3),
    "hermana": (5, 12, 14, 10),
    "hermano": (3, 7, 8, 6),
    "hija": (0, 0, 9, 28),
    "hijo": (0, 0, 6, 20),
    "tía": (6, 3, 1, 0),
    "tío": (3, 2, 1, 0),
    "abuela": (9, 2, 0, 0),
}

# Nobody younger than this (on the day last seen) files a report.
YOUNGEST_REPORTER = 16

# Shares per report (assumptions, see docs/seed.md): a relative is named, and if so their phone
# is written down; a relative has an e-mail address at all (the same in each of their reports).
CONTACT_SHARE = 0.90
PHONE_SHARE = 0.85
EMAIL_SHARE = 0.25

# RFC 2606 reserves these second-level domains for examples: mail to them can reach nobody.
EMAIL_DOMAINS: tuple[str, ...] = ("example.com", "example.org")
