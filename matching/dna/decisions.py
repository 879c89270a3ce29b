"""What a likelihood ratio decides: exclusion, undisputed match, indistinguishable siblings,
the proposal threshold, and the posterior that combines DNA with the registry's other evidence.

- Exclusion: more than two loci incompatible beyond what mutation explains (DVI practice;
  one or two inconsistencies are what mutation in a true relative produces).
- Undisputed (dvir, Vigeland & Egeland): LR ≥ 10⁴ and ≥ 10⁴ × every other LR in its row (the
  remains' other candidates) and its column (the missing person's other remains).
- Proposal threshold: under "unrelated", E[LR] = 1, so P(LR ≥ t) ≤ 1/t (Turing's bound);
  against n candidates the expected false proposals per remains are at most n/t. The threshold
  is max(10⁴, n / allowed), `allowed` the expected false proposals per remains (10⁻³).
- Posterior: prior odds × non-genetic LR × DNA LR, the prior 1/(number of missing persons with
  references), each candidate equally likely before any evidence.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from matching.dna.pedigree import KinshipLR

EXCLUSION_MIN_INCOMPATIBLE = 3
UNDISPUTED_LOG10 = 4.0
ALLOWED_FALSE_PROPOSALS = 1e-3


class Decision(StrEnum):
    """What the DNA says of one remains–missing person pair."""

    EXCLUDED = "excluded"
    UNDISPUTED = "undisputed"
    INDISTINGUISHABLE_SIBLINGS = "indistinguishable_siblings"
    PROPOSED = "proposed"
    INCONCLUSIVE = "inconclusive"


def is_exclusion(result: KinshipLR) -> bool:
    """Excluded: more than two loci inconsistent with the references unless by mutation."""
    return len(result.loci_incompatible) >= EXCLUSION_MIN_INCOMPATIBLE


def undisputed(log10_lr: npt.ArrayLike, threshold: float = UNDISPUTED_LOG10) -> list[tuple[int, int]]:
    """dvir's rule on a remains × missing matrix of log10 LRs: the (row, column) pairs with LR ≥ 10⁴
    and ≥ 10⁴ times every other entry of their row and of their column."""
    matrix = np.asarray(log10_lr, dtype=np.float64)
    pairs = []
    for i, j in zip(*np.nonzero(matrix >= threshold), strict=True):
        row = np.delete(matrix[i], j)
        column = np.delete(matrix[:, j], i)
        others = np.concatenate([row, column])
        if others.size == 0 or matrix[i, j] - others.max() >= threshold:
            pairs.append((int(i), int(j)))
    return pairs


def indistinguishable_siblings(
    log10_row: Sequence[float],
    family_keys: Sequence[Hashable | None],
    threshold: float,
    margin: float = UNDISPUTED_LOG10,
) -> list[tuple[int, ...]]:
    """Groups of candidates for one remains who share their references (siblings of the same parents),
    all at or above the threshold and within `margin` (log10) of each other: DNA cannot tell them apart."""
    groups: dict[Hashable, list[int]] = {}
    for j, key in enumerate(family_keys):
        if key is not None and log10_row[j] >= threshold:
            groups.setdefault(key, []).append(j)
    result = []
    for members in groups.values():
        best = max(log10_row[j] for j in members)
        close = tuple(j for j in members if best - log10_row[j] < margin)
        if len(close) > 1:
            result.append(close)
    return result


def proposal_threshold(candidates: int, allowed_false: float = ALLOWED_FALSE_PROPOSALS) -> float:
    """The LR to propose an identification among n candidates: max(10⁴, n / allowed), so that at most
    `allowed` false proposals are expected per remains (Turing's bound P(LR ≥ t | unrelated) ≤ 1/t)."""
    return max(float(10.0**UNDISPUTED_LOG10), candidates / allowed_false)


def expected_false_proposals(candidates: int, threshold: float) -> float:
    """The bound on false proposals expected per remains against n unrelated candidates: n / t."""
    return candidates / threshold


def prior_probability(missing_with_references: int) -> float:
    """The prior that a remains is a given missing person: 1 over the missing persons with references."""
    if missing_with_references < 1:
        raise ValueError("the prior needs at least one missing person with references")
    return 1.0 / missing_with_references


def posterior_probability(log10_dna_lr: float, prior: float, log10_non_genetic_lr: float = 0.0) -> float:
    """posterior odds = prior odds × non-genetic LR × DNA LR, returned as a probability (computed in log space)."""
    if log10_dna_lr == -math.inf or prior == 0.0:
        return 0.0
    if prior >= 1.0:
        return 1.0
    log10_odds = math.log10(prior) - math.log10(1 - prior) + log10_non_genetic_lr + log10_dna_lr
    if log10_odds > 300:
        return 1.0
    odds = float(10.0**log10_odds)
    return odds / (1 + odds)


def decide(
    log10_lr: npt.ArrayLike,
    excluded: npt.ArrayLike,
    family_keys: Sequence[Hashable | None],
    threshold: float,
) -> list[list[Decision]]:
    """The decision for every pair of a remains × missing matrix, the first that holds of: excluded,
    indistinguishable siblings, undisputed, proposed (LR ≥ threshold), inconclusive."""
    matrix = np.asarray(log10_lr, dtype=np.float64)
    out = np.asarray(excluded, dtype=bool)
    clear = set(undisputed(np.where(out, -np.inf, matrix)))
    log10_threshold = math.log10(threshold)
    decisions = []
    for i, row in enumerate(matrix):
        live = [(-math.inf if out[i, j] else float(v)) for j, v in enumerate(row)]
        twins = {j for group in indistinguishable_siblings(live, family_keys, log10_threshold) for j in group}
        line = []
        for j, value in enumerate(live):
            if out[i, j]:
                line.append(Decision.EXCLUDED)
            elif j in twins:
                line.append(Decision.INDISTINGUISHABLE_SIBLINGS)
            elif (i, j) in clear:
                line.append(Decision.UNDISPUTED)
            elif value >= log10_threshold:
                line.append(Decision.PROPOSED)
            else:
                line.append(Decision.INCONCLUSIVE)
        decisions.append(line)
    return decisions


def decide_sparse(
    entries: Sequence[tuple[Hashable, Hashable, float, bool]],
    family_keys: Mapping[Hashable, Hashable | None],
    threshold: float,
) -> list[Decision]:
    """`decide` on the entries of a sparse remains × missing matrix, (row, column, log10 LR, excluded),
    every entry not given counting as an LR of 0: the same decisions, in the entries' order, without a
    dense matrix (20,000 remains × 60,000 families would not fit in memory)."""
    live = [-math.inf if excluded else float(value) for _row, _column, value, excluded in entries]
    rows: dict[Hashable, list[int]] = {}
    columns: dict[Hashable, list[int]] = {}
    for position, (row, column, _value, _excluded) in enumerate(entries):
        rows.setdefault(row, []).append(position)
        columns.setdefault(column, []).append(position)
    twins: set[int] = set()
    log10_threshold = math.log10(threshold)
    for members in rows.values():
        keys = [family_keys.get(entries[p][1]) for p in members]
        for group in indistinguishable_siblings([live[p] for p in members], keys, log10_threshold):
            twins.update(members[j] for j in group)
    decisions = []
    for position, (row, column, _value, excluded) in enumerate(entries):
        value = live[position]
        others = [live[p] for p in (*rows[row], *columns[column]) if p != position]
        # A row or column of one entry has the absent entries (LR 0) as its others, as in the dense matrix.
        best_other = max(others, default=-math.inf)
        if excluded:
            decisions.append(Decision.EXCLUDED)
        elif position in twins:
            decisions.append(Decision.INDISTINGUISHABLE_SIBLINGS)
        elif value >= UNDISPUTED_LOG10 and value - best_other >= UNDISPUTED_LOG10:
            decisions.append(Decision.UNDISPUTED)
        elif value >= log10_threshold:
            decisions.append(Decision.PROPOSED)
        else:
            decisions.append(Decision.INCONCLUSIVE)
    return decisions
