"""Estimating the model from the data itself, as Splink and fastLink do.

u (how often a level occurs between two different people) comes from random pairs; m (how
often it occurs between two records of the same person) and the share of matches among
candidate pairs come from expectation maximisation over the blocked candidate pairs with u
held fixed. Term frequencies of names and marks are counted over all records.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import replace

import numpy as np
import numpy.typing as npt

from matching.levels import COMPARISON_NAMES, LEVEL_TYPES
from matching.parameters import ModelParameters
from matching.records import PreparedRecord
from matching.scoring import kin_together

Levels = npt.NDArray[np.int8]
# Comparisons whose disagreement excludes a pair: their m is not learned (it would be ~0).
_FIXED = ("sex",)
_SMOOTHING = 0.5
MIN_FREQUENCY_COUNT = 2
MAX_TABLE_SIZE = 30_000
# The range an estimated prior is kept in: at either end, the data held (next to) no matches or
# nothing but matches, and the prior was not learned (see `training`, which then falls back).
MIN_PRIOR, MAX_PRIOR = 1e-12, 0.5


def _stored(x: float) -> float:
    """A probability rounded for storage (9 decimals) without ever rounding it to 0 or to 1."""
    kept = round(x, 9)
    if 0.0 < kept < 1.0:
        return kept
    return float(np.clip(round(x, 15), MIN_PRIOR, 1.0 - 1e-9))


def _table(counts: Counter[str], total: int) -> dict[str, float]:
    kept = [(v, c) for v, c in counts.most_common(MAX_TABLE_SIZE) if c >= MIN_FREQUENCY_COUNT]
    return {v: round(c / total, 9) for v, c in kept}


def term_frequencies(records: Iterable[PreparedRecord]) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
    """How common each given-name set, given name, surname and mark feature is, with a floor for unseen values."""
    given_set: Counter[str] = Counter()
    given_name: Counter[str] = Counter()
    surname: Counter[str] = Counter()
    mark: Counter[str] = Counter()
    n_given = n_surname = n_marks = 0
    for p in records:
        if p.given is not None and p.given.canonical:
            n_given += 1
            given_set[" ".join(sorted(set(p.given.canonical)))] += 1
            given_name.update(p.given.forms)
        if p.surnames is not None:
            n_surname += 1
            surname.update({p.surnames.first, p.surnames.second} - {""})
        if p.marks:
            n_marks += 1
            mark.update(p.marks.keys())
    totals = {"given_set": n_given, "given_name": n_given, "surname": n_surname, "mark": n_marks}
    counters = {"given_set": given_set, "given_name": given_name, "surname": surname, "mark": mark}
    tables = {name: _table(counters[name], max(totals[name], 1)) for name in counters}
    floors = {name: round(0.5 / max(totals[name], 1000), 12) for name in counters}
    return tables, floors


def term_frequencies_from_counts(
    counts: dict[str, tuple[npt.NDArray[np.int64], int]], strings: list[str]
) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
    """The tables of `term_frequencies` from per-table counts by interned id and the number of records counted."""
    tables: dict[str, dict[str, float]] = {}
    floors: dict[str, float] = {}
    for name, (by_id, total) in counts.items():
        ids = np.flatnonzero(by_id >= MIN_FREQUENCY_COUNT)
        ids = ids[np.argsort(-by_id[ids], kind="stable")][:MAX_TABLE_SIZE]
        tables[name] = {strings[i]: round(int(by_id[i]) / max(total, 1), 9) for i in ids.tolist()}
        floors[name] = round(0.5 / max(total, 1000), 12)
    return tables, floors


def level_frequencies(levels: Levels) -> dict[str, tuple[float, ...]]:
    """Per comparison, how often each level occurs among the pairs that have evidence (smoothed)."""
    result: dict[str, tuple[float, ...]] = {}
    for c, name in enumerate(COMPARISON_NAMES):
        width = len(LEVEL_TYPES[name])
        column = levels[:, c]
        counts = np.bincount(column[column >= 0].astype(np.intp), minlength=width)[:width].astype(float)
        counts += _SMOOTHING
        result[name] = tuple(float(x) for x in counts / counts.sum())
    return result


def _patterns(levels: Levels) -> tuple[Levels, npt.NDArray[np.float64]]:
    """The distinct rows of a level matrix and how many times each occurs."""
    if len(levels) == 0:
        return levels, np.zeros(0)
    shifted = levels.astype(np.int64) + 1  # -1 (no evidence) becomes 0
    code = np.zeros(len(levels), dtype=np.int64)
    for c in range(levels.shape[1]):
        code = code * 8 + shifted[:, c]
    _, first, counts = np.unique(code, return_index=True, return_counts=True)
    return levels[first], counts.astype(float)


def expectation_maximisation(
    levels: Levels,
    start: ModelParameters,
    u: dict[str, tuple[float, ...]],
    *,
    iterations: int = 25,
    prior_strength: float = 20.0,
    fixed: tuple[str, ...] = _FIXED,
    offset: npt.NDArray[np.float64] | None = None,
    learn_prior: bool = True,
) -> ModelParameters:
    """m per level and the share of matches learned by EM over candidate pairs, u held fixed.

    The classic Fellegi–Sunter EM (as Splink and fastLink run it): the E step gives each
    candidate pair its probability of being a match from the current m, u and prior; the M
    step sets m to the match-weighted level frequencies and the prior to the mean probability.
    `offset` adds fixed per-pair evidence (bits) from comparisons left out of `levels`;
    `learn_prior=False` keeps the prior of `start` (e.g. the share of matches among all pairs,
    when the offset's weights are relative to random pairs).
    m is smoothed toward `start` with `prior_strength` pseudo-pairs (a Dirichlet prior), so a
    level seen by few matches keeps a sane value. Pairs are grouped by their level pattern
    first, so each iteration costs the number of distinct patterns, not of pairs.
    """
    if offset is None:
        patterns, counts = _patterns(levels)
        shift = np.zeros(len(patterns))
    else:  # per-pair evidence from elsewhere (e.g. names with term frequencies): no grouping
        patterns, counts, shift = levels, np.ones(len(levels)), offset
    if len(patterns) == 0:
        return replace(start, u={name: tuple(u[name]) for name in COMPARISON_NAMES})
    widths = [len(LEVEL_TYPES[name]) for name in COMPARISON_NAMES]
    index = patterns.astype(np.intp)
    present = index >= 0
    m = {name: np.asarray(start.m[name], dtype=float) for name in COMPARISON_NAMES}
    log_u = np.zeros(len(patterns))
    for c, name in enumerate(COMPARISON_NAMES):
        lu = np.log2(np.asarray(u[name], dtype=float))
        log_u += np.where(present[:, c], lu[np.maximum(index[:, c], 0)], 0.0)
    prior = float(start.prior)
    for _ in range(iterations):
        log_m = np.zeros(len(patterns))
        for c, name in enumerate(COMPARISON_NAMES):
            log_m += np.where(present[:, c], np.log2(m[name])[np.maximum(index[:, c], 0)], 0.0)
        odds = np.clip(np.log2(prior / (1 - prior)) + log_m - log_u + shift, -60, 60)
        posterior = counts / (1.0 + np.exp2(-odds))
        if learn_prior:
            prior = float(np.clip(posterior.sum() / counts.sum(), MIN_PRIOR, MAX_PRIOR))
        for c, name in enumerate(COMPARISON_NAMES):
            if name in fixed:
                continue
            rows = present[:, c]
            mass = np.bincount(index[rows, c], weights=posterior[rows], minlength=widths[c])[: widths[c]].astype(float)
            mass += prior_strength * np.asarray(start.m[name])
            m[name] = mass / mass.sum()
    return ModelParameters(
        prior=_stored(prior),
        m={name: tuple(_stored(float(x)) for x in m[name]) for name in COMPARISON_NAMES},
        u={name: tuple(_stored(float(x)) for x in u[name]) for name in COMPARISON_NAMES},
    )


def match_probability(
    levels: Levels, model: ModelParameters, offset: npt.NDArray[np.float64] | None = None
) -> npt.NDArray[np.float64]:
    """Per pair, the probability of a match from its levels (no term frequencies) and any fixed offset in bits."""
    index = levels.astype(np.intp)
    total = np.full(len(levels), model.prior_weight) + (0.0 if offset is None else offset)
    for c, name in enumerate(COMPARISON_NAMES):
        weight = np.log2(np.asarray(model.m[name])) - np.log2(np.asarray(model.u[name]))
        total += np.where(index[:, c] >= 0, weight[np.maximum(index[:, c], 0)], 0.0)
    return np.asarray(1.0 / (1.0 + np.exp2(-np.clip(total, -60, 60))))


def kin_together_log_u(
    levels: Levels, non_match: npt.NDArray[np.float64], pairs_scale: float, population_pairs: float
) -> float:
    """log2 of how often two different people share surnames and were last seen together, over all pairs.

    `levels` are pairs last seen the same day in the same state (which enumerate all such
    pairs, sampled at 1/`pairs_scale`) and `non_match` their probability of being different
    people judged without surnames, date and place (so that relatives are not taken for
    duplicates): the expected count of such non-matches over all `population_pairs`.
    """
    observed = float((non_match * kin_together(levels)).sum()) * pairs_scale + 1.0
    return round(float(np.log2(observed / max(population_pairs, 1.0))), 6)
