"""Turning comparison levels into match weights, probabilities and explanations a clerk can read.

The weight of a pair is the prior log-odds plus, per comparison, log2(m/u) at its level, with
names and marks adjusted by how common the agreeing value is (HERNANDEZ agreeing is weak
evidence, XOLALPA agreeing is strong). Sex contradictions and remains found before the person
was last seen exclude the pair: probability 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matching.batch import TF_COMPARISONS
from matching.condition import SHOWN_BITS, describe_condition, weight_matrix
from matching.levels import COMPARISON_NAMES, LEVEL_TYPES, EventDateLevel, PlaceLevel, describe
from matching.parameters import TF_ADJUSTMENT_MAX, TF_ADJUSTMENT_MIN, TF_LEVELS, ModelParameters

Floats = npt.NDArray[np.float64]
_SEX = COMPARISON_NAMES.index("sex")
_EVENT = COMPARISON_NAMES.index("event_date")
_SURNAMES = COMPARISON_NAMES.index("surnames")
_PLACE = COMPARISON_NAMES.index("place")
# Terms beyond the comparisons, each an extra weight column after them: the correction for
# relatives last seen together, and the body's condition against the time since the sighting.
KIN_TOGETHER = "kin_together"
CONDITION_TIME = "condition_time"
EXTRA_TERMS = (KIN_TOGETHER, CONDITION_TIME)
_TF_COLUMNS = [COMPARISON_NAMES.index(name) for name in TF_COMPARISONS]
_WIDTH = 1 + max(len(t) for t in LEVEL_TYPES.values())
# The place level a municipality's frequency adjusts (indexed as the weight table: level + 1).
_SAME_MUNICIPALITY = np.zeros(_WIDTH, dtype=bool)
_SAME_MUNICIPALITY[PlaceLevel.SAME_MUNICIPALITY + 1] = True


@dataclass(frozen=True, slots=True)
class Evidence:
    """One comparison's contribution to a score."""

    comparison: str
    level: str  # the level's name, e.g. "SWAPPED"
    weight: float  # bits of evidence for (+) or against (-) a match
    text: str  # the level in a clerk's words, e.g. "surnames swapped"


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a pair scored what it did: each comparison's level and weight, strongest first."""

    probability: float
    match_weight: float
    evidence: tuple[Evidence, ...]
    excluded_by: str | None = None  # the contradiction that excludes the pair, if any

    def summary(self) -> str:
        """The explanation as one line, e.g. "same CURP (+14.2); surnames swapped (+9.1)"."""
        if self.excluded_by:
            return f"excluded: {self.excluded_by}"
        return "; ".join(f"{e.text} ({e.weight:+.1f})" for e in self.evidence)


class WeightTable:
    """A model's weights laid out for lookup by (comparison, level); level -1 weighs 0."""

    def __init__(self, model: ModelParameters) -> None:
        self.model = model
        self.table = np.zeros((len(COMPARISON_NAMES), _WIDTH))
        self.log_u = np.zeros((len(COMPARISON_NAMES), _WIDTH))
        self.log_m = np.zeros((len(COMPARISON_NAMES), _WIDTH))
        self.tf_mask = np.zeros((len(COMPARISON_NAMES), _WIDTH), dtype=bool)
        for c, name in enumerate(COMPARISON_NAMES):
            for level in range(len(LEVEL_TYPES[name])):
                self.table[c, level + 1] = model.weight(name, level)
                self.log_u[c, level + 1] = np.log2(model.u[name][level])
                self.log_m[c, level + 1] = np.log2(model.m[name][level])
                self.tf_mask[c, level + 1] = level in TF_LEVELS.get(name, ())
        self.prior = model.prior_weight
        self.condition = weight_matrix(model.condition_weights)

    def weights(self, levels: npt.NDArray[np.int8], log_tf: Floats, place_log_share: Floats | None = None) -> Floats:
        """Per pair and comparison, the weight in bits (n x comparisons), term frequency included.

        `place_log_share` (links) is log2 of the shared municipality's share of reports, NaN where
        unknown: "same municipality" is adjusted by it as names are by their frequency.
        """
        index = levels.astype(np.intp) + 1
        cols = np.arange(levels.shape[1])
        weights = self.table[cols, index]
        adjusted = [(c, log_tf[:, j], self.tf_mask[c]) for j, c in enumerate(_TF_COLUMNS)]
        if place_log_share is not None:
            adjusted.append((_PLACE, place_log_share, _SAME_MUNICIPALITY))
        for c, log_frequency, at_levels in adjusted:
            lvl = index[:, c]
            use = at_levels[lvl] & ~np.isnan(log_frequency)
            if use.any():
                adjust = np.clip(self.log_u[c, lvl[use]] - log_frequency[use], TF_ADJUSTMENT_MIN, TF_ADJUSTMENT_MAX)
                weights[use, c] += adjust
        return np.asarray(weights)

    def kin_together_correction(self, levels: npt.NDArray[np.int8], weights: Floats) -> Floats:
        """Per pair, the bits that bring surnames, date and place together down to their joint evidence.

        Relatives who vanished together share all three, so among different people they are not
        independent: their joint weight is log2(m_surnames * m_date * m_place / u_together), with
        u_together how often different people share them (estimated with the model).
        """
        correction = np.zeros(len(levels))
        if self.model.kin_together >= 0:
            return correction
        rows = np.flatnonzero(kin_together(levels))
        if len(rows) == 0:
            return correction
        cols = np.array([_SURNAMES, _EVENT, _PLACE])
        index = levels[rows][:, cols].astype(np.intp) + 1
        joint = weights[rows][:, cols].sum(axis=1)
        cap = self.log_m[cols, index].sum(axis=1) - self.model.kin_together
        correction[rows] = np.minimum(0.0, cap - joint)
        return correction

    def condition_time(self, levels: npt.NDArray[np.int8], conditions: npt.NDArray[np.int8] | None) -> Floats:
        """Per pair, the bits the body's condition adds to the time since the last sighting (0 without one)."""
        if conditions is None or not self.condition.any():
            return np.zeros(len(levels))
        event = np.maximum(levels[:, _EVENT], 0).astype(np.intp)
        return np.asarray(self.condition[conditions.astype(np.intp), event])

    def score(
        self,
        levels: npt.NDArray[np.int8],
        log_tf: Floats,
        conditions: npt.NDArray[np.int8] | None = None,
        place_log_share: Floats | None = None,
    ) -> tuple[Floats, Floats, Floats]:
        """Per pair: comparison weights (plus one column per extra term), total match weight, and probability.

        For links, `conditions` is each pair's condition code of the remains (0: none recorded) and
        `place_log_share` the frequency of a shared municipality (see `weights`).
        """
        weights = self.weights(levels, log_tf, place_log_share)
        extra = [self.kin_together_correction(levels, weights), self.condition_time(levels, conditions)]
        weights = np.concatenate([weights, np.stack(extra, axis=1)], axis=1)
        total = self.prior + weights.sum(axis=1)
        excluded = (levels[:, _SEX] == 0) | (levels[:, _EVENT] == 0)
        probability = np.where(excluded, 0.0, 1.0 / (1.0 + np.exp2(-np.clip(total, -60, 60))))
        return weights, np.where(excluded, -np.inf, total), probability


def kin_together(levels: npt.NDArray[np.int8]) -> npt.NDArray[np.bool_]:
    """Per pair: the surnames agree (alike or better) and both were last seen the same week in the same state."""
    return np.asarray(
        (levels[:, _SURNAMES] >= 2) & (levels[:, _EVENT] == EventDateLevel.WITHIN_WEEK) & (levels[:, _PLACE] >= 2)
    )


def explain(
    levels: npt.NDArray[np.int8], weights: Floats, total: float, probability: float, condition: int = 0
) -> Explanation:
    """The explanation of one pair from its levels and weights (one row of `WeightTable.score`),
    and the condition code of the remains (0: none)."""
    evidence: list[Evidence] = []
    excluded_by = None
    for c, name in enumerate(COMPARISON_NAMES):
        level = int(levels[c])
        if level < 0:
            continue
        text = describe(name, level)
        if (name == "sex" and level == 0) or (name == "event_date" and level == 0):
            excluded_by = text
        evidence.append(Evidence(name, LEVEL_TYPES[name](level).name, round(float(weights[c]), 2), text))
    for term, weight in zip(EXTRA_TERMS, weights[len(COMPARISON_NAMES) :], strict=False):
        if term == KIN_TOGETHER:
            if weight == 0:
                continue
            text = describe(KIN_TOGETHER, 1)
        else:
            if abs(weight) < SHOWN_BITS:
                continue
            text = describe_condition(condition, int(levels[_EVENT]), float(weight))
        evidence.append(Evidence(term, term.upper(), round(float(weight), 2), text))
    evidence.sort(key=lambda e: -abs(e.weight))
    return Explanation(
        probability=float(probability),
        match_weight=float(total) if np.isfinite(total) else float("-inf"),
        evidence=tuple(evidence),
        excluded_by=excluded_by,
    )
