"""The ordered levels each comparison returns, and how a clerk reads each one.

A comparison returns one of its levels, or None when a value is missing (no evidence). Higher
levels are closer agreement; level 0 is always a disagreement.
"""

from __future__ import annotations

from enum import IntEnum


class GivenNameLevel(IntEnum):
    DISAGREE = 0
    INITIAL = 1
    SIMILAR = 2
    SHARED = 3
    EQUIVALENT = 4
    EXACT = 5


class SurnameLevel(IntEnum):
    DISAGREE = 0
    ONE_SHARED = 1
    SIMILAR = 2
    ONE_MISSING = 3
    SWAPPED = 4
    EXACT = 5


class DateOfBirthLevel(IntEnum):
    DISAGREE = 0
    YEAR_NEAR = 1
    YEAR = 2
    ONE_DIGIT = 3
    SWAPPED = 4
    EXACT = 5


class AgeLevel(IntEnum):
    DISAGREE = 0
    NEAR = 1
    CONSISTENT = 2
    SAME = 3


class SexLevel(IntEnum):
    DISAGREE = 0  # excludes the pair
    SAME = 1


class CurpLevel(IntEnum):
    DISAGREE = 0
    ONE_TYPO = 1
    EXACT = 2


class EventDateLevel(IntEnum):
    EXCLUDED = 0  # remains found before the person went missing
    FAR = 1
    WITHIN_YEAR = 2
    WITHIN_QUARTER = 3  # months apart (a relative remembering "about a month ago")
    WITHIN_MONTH = 4  # weeks apart
    WITHIN_WEEK = 5


class PlaceLevel(IntEnum):
    FAR = 0
    NEIGHBOUR_STATE = 1
    SAME_STATE = 2
    SAME_MUNICIPALITY = 3


class HeightLevel(IntEnum):
    DISAGREE = 0
    NEAR = 1
    CLOSE = 2
    EXACT = 3


class MarksLevel(IntEnum):
    DISAGREE = 0
    SAME_PLACE = 1
    SIMILAR = 2
    SAME_MARK = 3


class AliasLevel(IntEnum):
    DISAGREE = 0
    SAME = 1


# The comparisons in the order the scorer evaluates them, with their level types.
COMPARISONS: tuple[tuple[str, type[IntEnum]], ...] = (
    ("given_names", GivenNameLevel),
    ("surnames", SurnameLevel),
    ("date_of_birth", DateOfBirthLevel),
    ("age", AgeLevel),
    ("sex", SexLevel),
    ("curp", CurpLevel),
    ("event_date", EventDateLevel),
    ("place", PlaceLevel),
    ("height", HeightLevel),
    ("marks", MarksLevel),
    ("aliases", AliasLevel),
)
COMPARISON_NAMES: tuple[str, ...] = tuple(name for name, _ in COMPARISONS)
LEVEL_TYPES: dict[str, type[IntEnum]] = dict(COMPARISONS)

DESCRIPTIONS: dict[tuple[str, int], str] = {
    ("given_names", 5): "same given names",
    ("given_names", 4): "same given names once nicknames and abbreviations are read",
    ("given_names", 3): "one given name in common (another dropped or added)",
    ("given_names", 2): "given names spelled differently but alike",
    ("given_names", 1): "given name written as an initial that fits",
    ("given_names", 0): "different given names",
    ("surnames", 5): "same surnames",
    ("surnames", 4): "surnames swapped",
    ("surnames", 3): "surname agrees, the other is missing on one report",
    ("surnames", 2): "surnames spelled differently but sound or look alike",
    ("surnames", 1): "one surname in common, the other differs",
    ("surnames", 0): "different surnames",
    ("date_of_birth", 5): "same date of birth",
    ("date_of_birth", 4): "date of birth with day and month swapped",
    ("date_of_birth", 3): "date of birth differs in one digit",
    ("date_of_birth", 2): "same year of birth, different day or month",
    ("date_of_birth", 1): "year of birth one apart",
    ("date_of_birth", 0): "different dates of birth",
    ("age", 3): "same age (or near the middle of the estimated range)",
    ("age", 2): "age within the estimated range",
    ("age", 1): "age a few years off",
    ("age", 0): "ages far apart",
    ("sex", 1): "same sex",
    ("sex", 0): "different sex",
    ("curp", 2): "same CURP",
    ("curp", 1): "CURP differs in one character (a typo)",
    ("curp", 0): "different CURP",
    ("event_date", 5): "dates within a week",
    ("event_date", 4): "dates weeks apart (within a month)",
    ("event_date", 3): "dates one to three months apart",
    ("event_date", 2): "dates months apart (within a year)",
    ("event_date", 1): "dates more than a year apart",
    ("event_date", 0): "remains found before the person was last seen",
    ("place", 3): "same municipality",
    ("place", 2): "same state",
    ("place", 1): "neighbouring states",
    ("place", 0): "distant states",
    ("height", 3): "same height (or near the middle of the estimated range)",
    ("height", 2): "height close or within the estimated range",
    ("height", 1): "height a little off",
    ("height", 0): "heights far apart",
    ("marks", 3): "same distinguishing mark (kind, motif and body part)",
    ("marks", 2): "similar distinguishing mark",
    ("marks", 1): "a mark of the same kind on the same part of the body",
    ("marks", 0): "distinguishing marks do not match",
    ("aliases", 1): "same alias",
    ("aliases", 0): "different aliases",
    ("kin_together", 1): "shared surnames and last sighting, as relatives who vanished together also have",
}


def describe(comparison: str, level: int) -> str:
    """The words a clerk reads for one comparison's level."""
    return DESCRIPTIONS.get((comparison, level), f"{comparison}: level {level}")
