"""The sparse form of the decisions agrees with the dense one on every matrix (absent entries: LR 0)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.dna.decisions import decide, decide_sparse, proposal_threshold

CELL = st.one_of(st.none(), st.tuples(st.sampled_from([-3.0, 0.0, 2.0, 4.0, 5.5, 8.0, 9.0, 13.0]), st.booleans()))


@settings(max_examples=300, deadline=None)
@given(
    cells=st.integers(1, 4).flatmap(
        lambda rows: st.integers(1, 5).flatmap(
            lambda columns: st.lists(st.lists(CELL, min_size=columns, max_size=columns), min_size=rows, max_size=rows)
        )
    ),
    keys=st.lists(st.sampled_from([None, "parents-1", "parents-2"]), min_size=5, max_size=5),
    candidates=st.sampled_from([1, 10, 100_000]),
)
def test_sparse_decisions_equal_dense_ones(
    cells: list[list[tuple[float, bool] | None]], keys: list[str | None], candidates: int
) -> None:
    threshold = proposal_threshold(candidates)
    columns = len(cells[0])
    matrix = np.array([[c[0] if c else -math.inf for c in row] for row in cells])
    excluded = np.array([[bool(c and c[1]) for c in row] for row in cells])
    dense = decide(matrix, excluded, keys[:columns], threshold)
    entries = [(i, j, c[0], c[1]) for i, row in enumerate(cells) for j, c in enumerate(row) if c is not None]
    sparse = decide_sparse(entries, dict(enumerate(keys[:columns])), threshold)
    assert sparse == [dense[i][j] for i, j, _value, _excluded in entries]
