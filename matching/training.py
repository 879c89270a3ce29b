"""Learning the dedupe and link models from the records of an index (the sessions of EM).

u comes from random pairs. m comes from EM over blocked pairs, in sessions that are each blind
to what their pairs were blocked on (as Splink recommends): pairs last seen the same day teach
names, dates of birth, CURP, body and marks; pairs that share a name sound teach date and
place. The prior is the share of matches among *all* pairs, consistent with u from random
pairs. Remains are learned from the named remains, their names weighed by the dedupe model.

m and u are smoothed (toward the built-in m, and with half a pair per level), so no level is
ever 0 or 1; the prior cannot be smoothed that way. Where the data expect fewer than one match,
or make half of all pairs matches (one day and place, copies of one record), or give any
impossible value, the model is the built-in one, with `fallback_reason` saying why.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

import numpy as np
import numpy.typing as npt

from matching.batch import LogFrequencies
from matching.blocks import OTHER, TIME
from matching.condition import condition_shares, estimate_condition_weights
from matching.estimation import (
    MAX_PRIOR,
    MIN_PRIOR,
    expectation_maximisation,
    kin_together_log_u,
    level_frequencies,
    match_probability,
)
from matching.levels import COMPARISON_NAMES
from matching.parameters import ImpossibleParameters, ModelParameters, default_parameters, model_problems
from matching.scoring import WeightTable

Slots = npt.NDArray[np.intp]
Levels = npt.NDArray[np.int8]
Floats = npt.NDArray[np.float64]
MIN_NAMED_REMAINS_TO_ESTIMATE = 30
# Fewer matches expected than this among the pairs EM saw, and the share of matches is not learned.
MIN_EXPECTED_MATCHES = 1.0
_SEX, _EVENT = COMPARISON_NAMES.index("sex"), COMPARISON_NAMES.index("event_date")
_PLACE, _SURNAMES = COMPARISON_NAMES.index("place"), COMPARISON_NAMES.index("surnames")
_PLACE_AND_TIME = ("event_date", "place")
_NAMES = ("given_names", "surnames", "aliases")
_BIRTH = ("date_of_birth", "age", "curp")
# Comparisons the link model does not learn: names (from dedupe), sex (it excludes), and what
# remains never carry (date of birth, CURP).
_LINK_FIXED = (*_NAMES, "sex", "date_of_birth", "curp")


class PairSource(Protocol):
    """What training needs from an index: pairs, their levels, and name keys for remains."""

    @property
    def frequencies(self) -> LogFrequencies:
        """The term frequencies scores currently use."""
        ...

    def pair_levels(self, a: Slots, b: Slots) -> tuple[Levels, Floats]:
        """Levels and log2 term frequencies of pairs of slots."""
        ...

    def candidate_levels(self) -> tuple[Slots, Slots, npt.NDArray[np.uint8], Levels, Floats]:
        """Every dedupe candidate pair with its key families, levels and log2 term frequencies."""
        ...

    def identity_slots(self, slot: int, against: str) -> Slots:
        """Records of a kind that share a name, birth date or CURP block with the record in a slot."""
        ...

    def condition_codes(self, slots: Slots) -> Levels:
        """The condition code of the records in these slots (0: none recorded)."""
        ...


def masked(levels: Levels, names: tuple[str, ...]) -> Levels:
    """The levels with some comparisons turned into "no evidence"."""
    result = levels.copy()
    for name in names:
        result[:, COMPARISON_NAMES.index(name)] = -1
    return result


def _sample(n: int, rng: np.random.Generator, limit: int) -> npt.NDArray[np.intp]:
    if n <= limit:
        return np.arange(n)
    return np.sort(rng.choice(n, limit, replace=False))


def fallback_model(link: bool, reason: str) -> ModelParameters:
    """The built-in model (link or dedupe), marked as the fallback of an estimation that could not learn one."""
    return replace(default_parameters().model(link), fallback_reason=f"built-in parameters used: {reason}")


def learning_problem(model: ModelParameters, matches: float, pairs: int) -> str | None:
    """Why a model learned with `matches` expected among `pairs` candidate pairs is not to be used (None: it is)."""
    problems = model_problems(model)
    if problems:
        return "estimation gave " + "; ".join(problems) + f", from {pairs} candidate pairs"
    if matches < MIN_EXPECTED_MATCHES:
        return f"fewer than {MIN_EXPECTED_MATCHES:g} match expected among {pairs} candidate pairs"
    if model.prior >= MAX_PRIOR:
        return f"half or more of all pairs look like matches ({pairs} candidate pairs)"
    return None


def estimate_dedupe(
    source: PairSource, start: ModelParameters, reports: Slots, rng: np.random.Generator, random_pairs: int, limit: int
) -> ModelParameters:
    """The report–report model: u from random pairs, m by EM in sessions, the kin-together rate and the prior.

    The built-in model, with its `fallback_reason`, where these reports cannot teach one.
    """
    try:
        model, matches, pairs = _learn_dedupe(source, start, reports, rng, random_pairs, limit)
    except ImpossibleParameters as exc:
        return fallback_model(False, f"estimation from {len(reports)} reports gave {exc}")
    problem = learning_problem(model, matches, pairs)
    return model if problem is None else fallback_model(False, f"{problem} of {len(reports)} reports")


def _learn_dedupe(
    source: PairSource, start: ModelParameters, reports: Slots, rng: np.random.Generator, random_pairs: int, limit: int
) -> tuple[ModelParameters, float, int]:
    """The dedupe model as learned, the matches expected among the candidate pairs, and how many those are."""
    a, b = rng.choice(reports, random_pairs), rng.choice(reports, random_pairs)
    random_levels = source.pair_levels(a[a != b], b[a != b])[0]
    u = level_frequencies(random_levels)
    m = dict(start.m)
    _, _, families, levels, _ = source.candidate_levels()
    n = float(len(reports))
    population = n * (n - 1) / 2

    # Session 1: pairs last seen the same day in the same state teach everything but time and
    # place. Surnames are left out at first: siblings who vanished together share them and would
    # be learned as matches; then surnames are learned with the rest held fixed.
    together = np.flatnonzero(families & TIME)
    chosen = together[_sample(len(together), rng, limit)]
    session = levels[chosen]
    blind = masked(session, (*_PLACE_AND_TIME, "surnames"))
    learned = expectation_maximisation(blind, start, u)
    non_match = 1.0 - match_probability(blind, learned)
    kin = kin_together_log_u(session, non_match, len(together) / max(len(chosen), 1), population)
    m.update({name: learned.m[name] for name in COMPARISON_NAMES if name not in _PLACE_AND_TIME})
    others = tuple(name for name in COMPARISON_NAMES if name != "surnames")
    learned = expectation_maximisation(masked(session, _PLACE_AND_TIME), replace(start, m=m), u, fixed=others)
    m["surnames"] = learned.m["surnames"]

    # Session 2: pairs that share a date of birth or most of a CURP teach time and place, with
    # what they were blocked on left out and the rest held at what session 1 learned.
    born = np.flatnonzero(families & OTHER)
    session = levels[born[_sample(len(born), rng, limit)]]
    others = tuple(name for name in COMPARISON_NAMES if name not in _PLACE_AND_TIME)
    learned = expectation_maximisation(masked(session, _BIRTH), replace(start, m=m), u, fixed=others)
    m.update({name: learned.m[name] for name in _PLACE_AND_TIME})

    # The prior: the matches expected among the candidate pairs (by EM with m and u fixed) over
    # every pair, as u comes from random pairs.
    every = _sample(len(levels), rng, limit)
    final = expectation_maximisation(levels[every], replace(start, m=m), u, fixed=COMPARISON_NAMES)
    matches = final.prior * len(levels)
    prior = round(float(np.clip(matches / max(population, 1.0), MIN_PRIOR, MAX_PRIOR)), 12)
    return replace(final, prior=prior, kin_together=kin), matches, len(levels)


def estimate_link(
    source: PairSource,
    start: ModelParameters,
    names_m: dict[str, tuple[float, ...]],
    remains: Slots,
    named: Slots,
    reports: Slots,
    rng: np.random.Generator,
    random_pairs: int,
    limit: int,
) -> ModelParameters:
    """The remains–report model: u from random pairs; m by EM over named remains and the reports sharing a name key.

    Most remains carry no name, and among the broad candidates of one set of remains a match
    is one in thousands: too rare for EM. Remains found with documents (`named`) are paired with
    the reports that share a name key, where names tell matches apart: weighed as the dedupe
    model weighs them, term frequencies included, and held fixed. What is learned there about
    age, height, dates, place and marks holds for the nameless too. With too few named remains,
    the m and prior of `start` with u from the data; the built-in model, with its
    `fallback_reason`, where the named remains cannot teach one.
    """
    a, b = rng.choice(remains, random_pairs), rng.choice(reports, random_pairs)
    u = level_frequencies(source.pair_levels(a, b)[0])
    if len(named) < MIN_NAMED_REMAINS_TO_ESTIMATE:
        return replace(start, u=u)
    of = f"{len(named)} named remains and {len(reports)} reports"
    try:
        model, matches, pairs = _learn_link(source, start, names_m, u, remains, named, reports, rng, limit)
    except ImpossibleParameters as exc:
        return fallback_model(True, f"estimation from {of} gave {exc}")
    problem = learning_problem(model, matches, pairs)
    return model if problem is None else fallback_model(True, f"{problem} of {of}")


def _learn_link(
    source: PairSource,
    start: ModelParameters,
    names_m: dict[str, tuple[float, ...]],
    u: dict[str, tuple[float, ...]],
    remains: Slots,
    named: Slots,
    reports: Slots,
    rng: np.random.Generator,
    limit: int,
) -> tuple[ModelParameters, float, int]:
    """The link model as learned, the matches expected among the pairs of named remains, and how many those are."""
    named = rng.choice(named, min(len(named), 5000), replace=False)
    found = [source.identity_slots(int(slot), "report") for slot in named]
    a = np.repeat(named, [len(f) for f in found]).astype(np.intp)
    b = np.concatenate(found).astype(np.intp) if found else np.zeros(0, dtype=np.intp)
    pick = _sample(len(a), rng, limit)
    levels, log_tf = source.pair_levels(a[pick], b[pick])
    model = replace(start, m={**start.m, **{name: names_m[name] for name in _NAMES}}, u=u)
    columns = [COMPARISON_NAMES.index(name) for name in _NAMES]
    offset = WeightTable(model).weights(levels, log_tf)[:, columns].sum(axis=1)
    # The name weights are relative to random pairs, so the prior is the share of matches among
    # all pairs: at first one report per set of remains, then what EM finds. Excluded pairs
    # (sex, found before last seen) teach nothing.
    keep = (levels[:, _SEX] != 0) & (levels[:, _EVENT] != 0)
    blind, offset = masked(levels, _NAMES)[keep], offset[keep]
    learned = replace(model, prior=0.5 / len(reports))
    for _ in range(4):
        # Each round starts from (and is smoothed toward) the built-in m, with the new prior.
        learned = expectation_maximisation(
            blind, replace(model, prior=learned.prior), u, fixed=_LINK_FIXED, offset=offset, learn_prior=False
        )
        matches = float(match_probability(blind, learned, offset).sum()) * len(a) / max(len(pick), 1)
        prior = matches / len(named) / len(reports)
        learned = replace(learned, prior=round(float(np.clip(prior, MIN_PRIOR, MAX_PRIOR)), 12))
    if learning_problem(learned, matches, len(a)) is not None:
        return learned, matches, len(a)  # not worth weighing the condition: the caller falls back
    # The body's condition against the time since the sighting, from the same pairs weighed by
    # how surely they match, against the condition's share among all remains.
    conditions = estimate_condition_weights(
        source.condition_codes(a[pick][keep]),
        blind[:, _EVENT],
        match_probability(blind, learned, offset),
        condition_shares(source.condition_codes(remains)),
    )
    model = replace(learned, m={**learned.m, **{name: names_m[name] for name in _NAMES}}, condition_weights=conditions)
    return model, matches, len(a)
