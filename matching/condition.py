"""The body's condition against the time since the person was last seen.

An intact body found a year after the last sighting is unlikely to be that person; a skeleton
found three days after is very unlikely; a skeleton found two years after fits, but so does
almost everyone reported two years before. The evidence is the interaction of condition and
time: log2 P(condition | time since sighting, same person) / P(condition), added to what the
time alone says (the `event_date` comparison). Because the condition of remains says nothing
about an unrelated report, P(condition) is its share among remains, and the two terms together
are exactly the evidence of (time, condition) jointly: nothing is counted twice.

The table is learned from the registry's data (remains found with documents, weighed by how
surely they match), not written by hand: how fast bodies decompose depends on climate and on
where they lie.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from matching.levels import EventDateLevel

# Conditions as the registry records them; code 0 is "not recorded" (no evidence).
CONDITIONS: tuple[str, ...] = ("complete", "decomposed", "partial", "skeletonised", "burned", "fragmented")
CONDITION_CODE: dict[str, int] = {name: code for code, name in enumerate(CONDITIONS, start=1)}
# How many pairs of pseudo-evidence pull each estimate toward "no evidence" (the condition's
# share among all remains): a cell learned from a handful of pairs stays near 0 bits.
SMOOTHING_PAIRS = 20.0
# Bounds in bits: the table is learned from a few hundred pairs at most.
WEIGHT_MIN, WEIGHT_MAX = -6.0, 3.0
_LEVELS = len(EventDateLevel)
# Below this many bits either way the condition is said to tell little; below SHOWN_BITS the
# explanation leaves it out (it would read "±0.0").
TELLING_BITS = 0.5
SHOWN_BITS = 0.05
# The time since the last sighting as a clerk reads it, by event_date level.
_TIME_WORDS = {
    EventDateLevel.WITHIN_WEEK: "within a week of",
    EventDateLevel.WITHIN_MONTH: "within a month of",
    EventDateLevel.WITHIN_QUARTER: "within three months of",
    EventDateLevel.WITHIN_YEAR: "within a year of",
    EventDateLevel.FAR: "more than a year after",
}

ConditionWeights = dict[str, tuple[float, ...]]  # condition -> bits by event_date level


def condition_code(condition: str | None) -> int:
    """The code of a recorded condition; 0 when none is recorded or it is not one of CONDITIONS."""
    return CONDITION_CODE.get((condition or "").strip().lower(), 0)


def weight_matrix(weights: ConditionWeights) -> npt.NDArray[np.float64]:
    """The weights laid out by (condition code, event_date level); row 0 and unknown conditions weigh 0."""
    matrix = np.zeros((len(CONDITIONS) + 1, _LEVELS))
    for name, row in weights.items():
        code = CONDITION_CODE.get(name)
        if code is not None:
            matrix[code, : len(row)] = row
    return matrix


def estimate_condition_weights(
    codes: npt.NDArray[np.int8],
    event_levels: npt.NDArray[np.int8],
    match: npt.NDArray[np.float64],
    shares: npt.NDArray[np.float64],
) -> ConditionWeights:
    """The table of bits, learned from remains–report pairs weighed by their match probability.

    `codes` and `event_levels` are each pair's condition code and event_date level, `match` its
    probability of being a match, `shares` the share of each condition code among remains with
    one recorded (index 0 unused). Each cell is P(condition | time level, match), smoothed toward
    the condition's share, over that share.
    """
    known = (codes > 0) & (event_levels > EventDateLevel.EXCLUDED)
    counts = np.zeros((len(CONDITIONS) + 1, _LEVELS))
    np.add.at(counts, (codes[known].astype(np.intp), event_levels[known].astype(np.intp)), match[known])
    per_level = counts.sum(axis=0)
    smoothed = (counts + SMOOTHING_PAIRS * shares[:, None]) / (per_level + SMOOTHING_PAIRS)[None, :]
    weights: ConditionWeights = {}
    for code, name in enumerate(CONDITIONS, start=1):
        if shares[code] <= 0:
            continue
        bits = np.clip(np.log2(smoothed[code] / shares[code]), WEIGHT_MIN, WEIGHT_MAX)
        bits[EventDateLevel.EXCLUDED] = 0.0
        weights[name] = tuple(round(float(b), 4) for b in bits)
    return weights


def condition_shares(codes: npt.NDArray[np.int8]) -> npt.NDArray[np.float64]:
    """The share of each condition code among records with one recorded (index 0 is 0)."""
    counts = np.bincount(codes[codes > 0].astype(np.intp), minlength=len(CONDITIONS) + 1).astype(np.float64)
    counts[0] = 0.0
    total = counts.sum()
    return counts / total if total else counts


def describe_condition(code: int, event_level: int, weight: float) -> str:
    """The condition term in a clerk's words, e.g. "body complete, found more than a year after the
    last sighting: unusual"."""
    name = CONDITIONS[code - 1] if 0 < code <= len(CONDITIONS) else "of unknown condition"
    time = _TIME_WORDS.get(EventDateLevel(event_level), "after") if 0 <= event_level < _LEVELS else "after"
    verdict = "as expected" if weight >= TELLING_BITS else "unusual" if weight <= -TELLING_BITS else "tells little"
    return f"body {name}, found {time} the last sighting: {verdict}"
