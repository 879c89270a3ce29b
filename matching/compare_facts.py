"""Comparisons of dates, ages, sex, CURP, places, heights and marks.

Each returns an ordered level, or None when one side has no value (no evidence either way).
Two levels exclude a pair outright: a contradiction on sex, and remains found before the
person was last seen (beyond `FOUND_BEFORE_TOLERANCE_DAYS`).
"""

from __future__ import annotations

from datetime import date

from matching.levels import (
    AgeLevel,
    CurpLevel,
    DateOfBirthLevel,
    EventDateLevel,
    HeightLevel,
    MarksLevel,
    PlaceLevel,
    SexLevel,
)
from matching.states import are_neighbours

# Dates are often entered a few days off; remains "found" that little before are not excluded.
FOUND_BEFORE_TOLERANCE_DAYS = 7
# The last-seen (or found) dates' gap in days up to which each event_date level holds.
WEEK_DAYS, MONTH_DAYS, QUARTER_DAYS, YEAR_DAYS = 7, 31, 92, 366
# How close to the middle of an estimated range (remains) an age or a height counts as the same:
# at least this, and within the central half of the wider range (an examiner who writes 20–36
# is as sure of 28 ± 4 as one who writes 26–30 is of 28 ± 1). Ages this many years outside, or
# half the wider range's width if more, are "near": a wide estimate misses by more.
AGE_CENTRE_YEARS = 2
AGE_NEAR_YEARS = 3
HEIGHT_CENTRE_CM = 3


def _digits(d: date) -> str:
    return f"{d.year:04d}{d.month:02d}{d.day:02d}"


def compare_dates_of_birth(a: date | None, b: date | None) -> DateOfBirthLevel | None:
    """The birth dates agree exactly, up to a day/month swap, in all but one digit, or by year."""
    if a is None or b is None:
        return None
    if a == b:
        return DateOfBirthLevel.EXACT
    if a.year == b.year and a.month == b.day and a.day == b.month:
        return DateOfBirthLevel.SWAPPED
    if sum(x != y for x, y in zip(_digits(a), _digits(b), strict=True)) == 1:
        return DateOfBirthLevel.ONE_DIGIT
    if a.year == b.year:
        return DateOfBirthLevel.YEAR
    if abs(a.year - b.year) == 1:
        return DateOfBirthLevel.YEAR_NEAR
    return DateOfBirthLevel.DISAGREE


def compare_ages(a: tuple[int, int] | None, b: tuple[int, int] | None, *, both_dated: bool = False) -> AgeLevel | None:
    """The plausible birth years implied by ages, ranges or birth dates agree, overlap or nearly do.

    "Same" and "near" grow with the wider estimate: near its middle (its central half), and
    outside it by up to half its width (at least `AGE_NEAR_YEARS`).

    `a` and `b` are (earliest, latest) birth years. When both records have a date of birth the
    date comparison already says it all, so there is no evidence here.
    """
    if a is None or b is None or both_dated:
        return None
    gap = max(0, b[0] - a[1], a[0] - b[1])
    width = max(a[1] - a[0], b[1] - b[0])
    if gap == 0:
        narrow = a[1] - a[0] <= 1 and b[1] - b[0] <= 1
        # An estimated range is centred on the examiner's best guess: near its middle is "same".
        centred = abs((a[0] + a[1]) - (b[0] + b[1])) <= max(2 * AGE_CENTRE_YEARS, width // 2) and not narrow
        return AgeLevel.SAME if narrow or centred else AgeLevel.CONSISTENT
    if gap <= max(AGE_NEAR_YEARS, width // 2):
        return AgeLevel.NEAR
    return AgeLevel.DISAGREE


def compare_sex(a: str, b: str) -> SexLevel | None:
    """Both records give the same sex; a contradiction excludes the pair, unknown says nothing."""
    if a not in ("female", "male") or b not in ("female", "male"):
        return None
    return SexLevel.SAME if a == b else SexLevel.DISAGREE


def curp_typo_distance(a: str, b: str) -> int:
    """How many typos separate two CURPs of the same length, an adjacent transposition being one."""
    diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(diffs) == 2 and diffs[1] == diffs[0] + 1:
        i = diffs[0]
        if a[i] == b[i + 1] and a[i + 1] == b[i]:
            return 1
    return len(diffs)


def compare_curps(a: str | None, b: str | None) -> CurpLevel | None:
    """The two CURPs are the same, differ by one typo, or are different."""
    if not a or not b or len(a) != 18 or len(b) != 18:
        return None
    distance = curp_typo_distance(a, b)
    if distance == 0:
        return CurpLevel.EXACT
    return CurpLevel.ONE_TYPO if distance == 1 else CurpLevel.DISAGREE


def compare_event_dates(
    a: date | None, b: date | None, *, a_is_remains: bool = False, b_is_remains: bool = False
) -> EventDateLevel | None:
    """The last-seen (or found) dates are within a week, weeks, months or a year apart, or further;
    remains found before the person vanished are excluded. Dates far apart weigh against a match,
    they never stop the comparison."""
    if a is None or b is None:
        return None
    days = (b - a).days
    if a_is_remains != b_is_remains:
        found_after = days if b_is_remains else -days
        if found_after < -FOUND_BEFORE_TOLERANCE_DAYS:
            return EventDateLevel.EXCLUDED
        days = max(found_after, 0)
    days = abs(days)
    if days <= WEEK_DAYS:
        return EventDateLevel.WITHIN_WEEK
    if days <= MONTH_DAYS:
        return EventDateLevel.WITHIN_MONTH
    if days <= QUARTER_DAYS:
        return EventDateLevel.WITHIN_QUARTER
    if days <= YEAR_DAYS:
        return EventDateLevel.WITHIN_YEAR
    return EventDateLevel.FAR


def compare_places(a: tuple[str, str] | None, b: tuple[str, str] | None) -> PlaceLevel | None:
    """The two places are the same municipality, the same state, neighbouring states, or far."""
    if a is None or b is None:
        return None
    if a[0] == b[0]:
        if a[1] and a[1] == b[1]:
            return PlaceLevel.SAME_MUNICIPALITY
        return PlaceLevel.SAME_STATE
    return PlaceLevel.NEIGHBOUR_STATE if are_neighbours(a[0], b[0]) else PlaceLevel.FAR


def compare_heights(a: tuple[int, int] | None, b: tuple[int, int] | None) -> HeightLevel | None:
    """The heights (or estimated height ranges) agree within a few centimetres."""
    if a is None or b is None:
        return None
    gap = max(0, b[0] - a[1], a[0] - b[1])
    narrow = a[1] - a[0] <= 4 and b[1] - b[0] <= 4
    if gap <= 2 and narrow:
        return HeightLevel.EXACT
    width = max(a[1] - a[0], b[1] - b[0])
    if not narrow and abs((a[0] + a[1]) - (b[0] + b[1])) <= max(2 * HEIGHT_CENTRE_CM, width // 2):
        return HeightLevel.EXACT
    if gap <= 5:
        return HeightLevel.CLOSE
    if gap <= 10:
        return HeightLevel.NEAR
    return HeightLevel.DISAGREE


def compare_marks(a: dict[str, int], b: dict[str, int]) -> MarksLevel | None:
    """The distinguishing marks describe the same mark, a similar one, one on the same body part, or none alike."""
    if not a or not b:
        return None
    best = 0
    for feature in a.keys() & b.keys():
        best = max(best, min(a[feature], b[feature]))
    return MarksLevel(best)
