"""How likely the generator is to write given anonymous remains for each of many persons.

The probabilities of `seed.remains`, written out, so that the best any matcher could do on
seeded data can be measured. Who is found dead does not depend on who they are, so ranking the
candidates by this likelihood is the ranking that puts the true person in the top k most often
(Bayes-optimal). Given the persons' true attributes it is an upper bound for any matcher, which
only reads reports; given what the reports say, it estimates the best a matcher could do with
them (values a report leaves out are averaged over the others, an approximation).

Only anonymous remains are scored: no name from documents and no mark observed, which is what
the examiner writes for most remains. Remains with a name or a mark are ranked by text the
generator writes in many ways, and are left to the matcher.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from matching.states import STATE_CODES
from matching.text import fold
from seed.data.municipalities import MUNICIPALITIES
from seed.persons import Person
from seed.plans import SORTED_NEIGHBOURS, municipality_shares
from seed.remains import (
    AGE_HALF_WIDTH,
    BONE_MARK_SEEN,
    CONDITIONS,
    FOUND_DELAY_BANDS,
    FOUND_IN_STATE_LAST_SEEN,
    FOUND_WHERE_LAST_SEEN,
    HEIGHT_HALF_WIDTH,
    RANGE_CONTAINS_TRUTH,
    SEX_UNKNOWN_BY_CONDITION,
    SEX_WRONG_SHARE,
    SKIN_MARK_SEEN,
    condition_weights,
)

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

UNKNOWN = -1
STATES: tuple[str, ...] = tuple(sorted(STATE_CODES))
_STATE_INDEX = {code: i for i, code in enumerate(STATES)}
_SEXES = {"female": 0, "male": 1}
# (state, folded name) -> index of the municipality; official and everyday names alike.
_MUNICIPALITY_INDEX: dict[tuple[str, str], int] = {}
_SHARE_BY_INDEX: list[float] = []


def _build_municipalities() -> None:
    for state in STATES:
        shares = municipality_shares(state)
        for official, short in MUNICIPALITIES[state]:
            index = _MUNICIPALITY_INDEX.setdefault((state, fold(official)), len(_SHARE_BY_INDEX))
            if index == len(_SHARE_BY_INDEX):
                _SHARE_BY_INDEX.append(shares[official])
            if short:
                _MUNICIPALITY_INDEX.setdefault((state, fold(short)), index)


_build_municipalities()
# Chance that remains are found in state `to` when the person was last seen in state `from`,
# by the neighbour rule alone: NEIGHBOUR_SHARE[from, to].
NEIGHBOUR_SHARE = np.zeros((len(STATES), len(STATES)))
for _code in STATES:
    _others = SORTED_NEIGHBOURS.get(_code, ())
    for _other in _others or (_code,):
        NEIGHBOUR_SHARE[_STATE_INDEX[_code], _STATE_INDEX[_other]] = 1 / max(1, len(_others))


def municipality_index(state: str, text: str) -> int:
    """The municipality a place name written in a record means, or UNKNOWN."""
    return _MUNICIPALITY_INDEX.get((state, fold(text)), UNKNOWN) if text.strip() else UNKNOWN


def state_index(code: str) -> int:
    """The position of a state code in STATES."""
    return _STATE_INDEX[code]


@dataclass(frozen=True, slots=True)
class Candidates:
    """The persons (or reports) remains are ranked against, one column per attribute.

    Unknown values: municipality and sex UNKNOWN, birth year 0, age and height NaN.
    `unmarked` gives, per condition, the log chance that none of a candidate's marks is seen.
    """

    seen_day: Ints  # date.toordinal() of the last sighting
    seen_state: Ints
    seen_municipality: Ints
    sex: Ints
    birth_year: Ints
    birth_month_day: Ints  # month * 100 + day
    age_seen: Floats  # completed years when last seen, where the date of birth is unknown
    height_cm: Floats
    unmarked: Mapping[str, Floats]
    excluded: Bools  # known to be alive: not a candidate

    def __len__(self) -> int:
        return len(self.seen_day)


def _unmarked(visible_in_bones: Sequence[bool], condition: str) -> float:
    log_p = 0.0
    for in_bones in visible_in_bones:
        log_p += math.log1p(-(BONE_MARK_SEEN if in_bones else SKIN_MARK_SEEN[condition]))
    return log_p


@dataclass(slots=True)
class _Columns:
    seen_day: list[int]
    seen_state: list[int]
    seen_municipality: list[int]
    sex: list[int]
    birth_year: list[int]
    birth_month_day: list[int]
    age_seen: list[float]
    height_cm: list[float]
    unmarked: dict[str, list[float]]
    excluded: list[bool]

    @classmethod
    def empty(cls) -> _Columns:
        return cls([], [], [], [], [], [], [], [], {c: [] for c in CONDITIONS}, [])

    def freeze(self) -> Candidates:
        return Candidates(
            np.array(self.seen_day, dtype=np.int64),
            np.array(self.seen_state, dtype=np.int64),
            np.array(self.seen_municipality, dtype=np.int64),
            np.array(self.sex, dtype=np.int64),
            np.array(self.birth_year, dtype=np.int64),
            np.array(self.birth_month_day, dtype=np.int64),
            np.array(self.age_seen, dtype=np.float64),
            np.array(self.height_cm, dtype=np.float64),
            {c: np.array(v, dtype=np.float64) for c, v in self.unmarked.items()},
            np.array(self.excluded, dtype=np.bool_),
        )


def candidates_from_persons(persons: Iterable[Person]) -> Candidates:
    """Persons as they truly are (what no report fully says)."""
    columns = _Columns.empty()
    for person in persons:
        plan = person.plan
        seen = plan.last_seen
        columns.seen_day.append(seen.date.toordinal())
        columns.seen_state.append(_STATE_INDEX[seen.place.state])
        columns.seen_municipality.append(municipality_index(seen.place.state, seen.place.municipality))
        columns.sex.append(_SEXES[plan.sex])
        born = plan.date_of_birth
        columns.birth_year.append(born.year)
        columns.birth_month_day.append(born.month * 100 + born.day)
        columns.age_seen.append(math.nan)
        columns.height_cm.append(float(person.description.height_cm))
        in_bones = [mark.visible_in_bones for mark in person.marks]
        for condition in CONDITIONS:
            columns.unmarked[condition].append(_unmarked(in_bones, condition))
        columns.excluded.append(plan.fate.located_alive)
    return columns.freeze()


def candidates_from_reports(rows: Iterable[Mapping[str, str]]) -> Candidates:
    """Reports as written (interchange columns); each listed mark is taken for a skin mark."""
    columns = _Columns.empty()
    for row in rows:
        state = row["last_seen_state"]
        columns.seen_day.append(date.fromisoformat(row["last_seen_date"]).toordinal())
        columns.seen_state.append(_STATE_INDEX[state])
        columns.seen_municipality.append(municipality_index(state, row.get("last_seen_municipality", "")))
        columns.sex.append(_SEXES.get(row["sex"], UNKNOWN))
        born = date.fromisoformat(row["date_of_birth"]) if row.get("date_of_birth") else None
        columns.birth_year.append(born.year if born else 0)
        columns.birth_month_day.append(born.month * 100 + born.day if born else 0)
        age = row.get("age_years", "")
        columns.age_seen.append(float(age) if age and born is None else math.nan)
        height = row.get("height_cm", "")
        columns.height_cm.append(float(height) if height else math.nan)
        in_bones = [False] * sum(1 for part in row.get("distinguishing_marks", "").split(";") if part.strip())
        for condition in CONDITIONS:
            columns.unmarked[condition].append(_unmarked(in_bones, condition))
        columns.excluded.append(row.get("status", "missing") != "missing")
    return columns.freeze()


def delay_probability(days: Ints, *, clipped: bool = False) -> Floats:
    """Chance that remains are found exactly `days` after the last sighting (or, `clipped`,
    at least that many: the generator never dates a finding after its "today")."""
    p = np.zeros(days.shape)
    for share, first, last in FOUND_DELAY_BANDS:
        per_day = share / (last - first + 1)
        if clipped:
            p += per_day * np.clip(last - np.maximum(days, first) + 1, 0, None)
        else:
            p[(days >= first) & (days <= last)] += per_day
    return p


def condition_probability(days: Ints, condition: str) -> Floats:
    """Chance of the body's condition for remains found `days` after the last sighting."""
    column = CONDITIONS.index(condition)
    by_delay = {d: (w := condition_weights(d))[column] / sum(w) for d in (0, 16, 181)}
    return np.where(days <= 15, by_delay[0], np.where(days <= 180, by_delay[16], by_delay[181]))


def place_probability(c: Candidates, found_state: str, found_municipality: str) -> Floats:
    """Chance of the place the remains were found, for each candidate's last-seen place."""
    state = _STATE_INDEX[found_state]
    same_state = (c.seen_state == state).astype(np.float64)
    neighbour: Floats = NEIGHBOUR_SHARE[c.seen_state, state]
    found = municipality_index(found_state, found_municipality)
    if found == UNKNOWN:  # left blank: only the state tells
        by_state: Floats = FOUND_IN_STATE_LAST_SEEN * same_state + (1 - FOUND_IN_STATE_LAST_SEEN) * neighbour
        return by_state
    share = _SHARE_BY_INDEX[found]
    # A candidate whose municipality is not known was last seen there as often as anyone is.
    where_seen = np.where(c.seen_municipality == UNKNOWN, share, (c.seen_municipality == found).astype(np.float64))
    in_state = FOUND_WHERE_LAST_SEEN * where_seen + (1 - FOUND_WHERE_LAST_SEEN) * share
    elsewhere = (1 - FOUND_IN_STATE_LAST_SEEN) * neighbour * share
    by_place: Floats = FOUND_IN_STATE_LAST_SEEN * same_state * in_state + elsewhere
    return by_place


def range_probability(low: int, high: int, truth: Floats, half: int, floor: int, ceiling: int) -> Floats:
    """Chance that an examiner writes the range `low`..`high` for each true value (see
    `seed.remains._range`: a centre near the truth, now and then beside it, clipped to
    `floor`..`ceiling`)."""
    start, end = -math.inf, math.inf  # the centres that give this range
    if low > floor:
        start, end = low + half - 0.5, low + half + 0.5
    else:
        end = floor + half + 0.5
    if high == low == floor:  # the whole range fell below the floor
        end = min(end, high - half + 0.5)
    elif high < ceiling:
        start, end = max(start, high - half - 0.5), min(end, high - half + 0.5)
    else:
        start = max(start, ceiling - half - 0.5)
    near: Floats = np.clip(np.minimum(end, truth + half / 2) - np.maximum(start, truth - half / 2), 0, None) / half
    beside = np.zeros(truth.shape)
    for sign in (-1, 1):
        for k in range(1, 7):
            centre = truth + sign * (half + k)
            beside += ((centre >= start) & (centre < end)) / 12
    return RANGE_CONTAINS_TRUTH * near + (1 - RANGE_CONTAINS_TRUTH) * beside


def _age_on(c: Candidates, found: date) -> Floats:
    dated = c.birth_year > 0
    birthday_passed = found.month * 100 + found.day >= c.birth_month_day
    return np.where(dated, found.year - c.birth_year - 1 + birthday_passed, np.nan)


def _averaged_where_unknown(p: Floats, known: Bools) -> Floats:
    fill = float(p[known].mean()) if known.any() else 1.0
    return np.where(known, p, fill)


def age_probability(c: Candidates, found: date, low: int, high: int, condition: str) -> Floats:
    """Chance of the estimated age range, for each candidate's age on the day found."""
    half = AGE_HALF_WIDTH[condition]
    age = _age_on(c, found)
    p = range_probability(low, high, np.nan_to_num(age), half, 0, 110)
    # An age when last seen: the birthday since then falls anywhere in the year.
    years = (found.toordinal() - c.seen_day) / 365.2425
    aged = c.age_seen + np.floor(years)
    late = years - np.floor(years)
    undated = np.isnan(age) & ~np.isnan(c.age_seen)
    before_birthday = range_probability(low, high, np.nan_to_num(aged), half, 0, 110)
    after_birthday = range_probability(low, high, np.nan_to_num(aged + 1), half, 0, 110)
    from_age = (1 - late) * before_birthday + late * after_birthday
    p = np.where(undated, from_age, p)
    return _averaged_where_unknown(p, ~np.isnan(age) | undated)


def height_probability(c: Candidates, low: int, high: int, condition: str) -> Floats:
    """Chance of the estimated height range, for each candidate's height."""
    known = ~np.isnan(c.height_cm)
    p = range_probability(low, high, np.nan_to_num(c.height_cm), HEIGHT_HALF_WIDTH[condition], 30, 250)
    return _averaged_where_unknown(p, known)


def sex_probability(c: Candidates, written: str, condition: str) -> Floats:
    """Chance that the examiner writes this sex, for each candidate's sex."""
    unknown = SEX_UNKNOWN_BY_CONDITION[condition]
    if written not in _SEXES:
        return np.full(len(c), unknown)
    wrong = SEX_WRONG_SHARE if condition in ("skeletonised", "burned") else 0.0
    same = np.where(c.sex == _SEXES[written], 1 - wrong, wrong)
    return (1 - unknown) * np.where(c.sex == UNKNOWN, 0.5, same)


def is_anonymous(row: Mapping[str, str]) -> bool:
    """The remains carry no name from documents and no observed mark."""
    names = ("given_names", "first_surname", "second_surname", "distinguishing_marks")
    return not any(row.get(column, "").strip() for column in names)


def log_likelihood(row: Mapping[str, str], c: Candidates, today: date) -> Floats:
    """log P(these anonymous remains | candidate) for every candidate (-inf: impossible or excluded).

    Factors that are the same for every candidate (is an age or height written at all, is the
    municipality left blank, the folio, the service) are left out: they do not change a ranking.
    """
    if not is_anonymous(row):
        raise ValueError("only remains without a name or a mark are scored")
    condition = row["condition"]
    found = date.fromisoformat(row["found_date"])
    days = found.toordinal() - c.seen_day
    p = delay_probability(days, clipped=found >= today) * condition_probability(days, condition)
    p *= place_probability(c, row["found_state"], row.get("found_municipality", ""))
    p *= sex_probability(c, row["sex"], condition)
    if row.get("age_min"):
        p *= age_probability(c, found, int(row["age_min"]), int(row["age_max"]), condition)
    if row.get("height_min_cm"):
        p *= height_probability(c, int(row["height_min_cm"]), int(row["height_max_cm"]), condition)
    with np.errstate(divide="ignore"):
        log_p = np.log(p) + c.unmarked[condition]
    log_p[c.excluded] = -np.inf
    return log_p


def chance_in_top(log_p: Floats, truth: Sequence[int], k: int) -> float:
    """Chance that one of the true candidates is among the k best, ties broken at random."""
    best = max(log_p[i] for i in truth)
    if best == -math.inf:
        return 0.0
    ahead = int((log_p > best).sum())
    tied = int((log_p == best).sum())
    return min(1.0, max(0, k - ahead) / tied)
