"""How common a municipality is among reports: sharing a big city is weaker evidence than a town.

"Same municipality" weighs log2(m/u), u being the chance that unrelated records share one,
averaged over every municipality. Remains found in the municipality where a fifth of a state's
reports were filed share it with many; remains found in a small town, with few. As term
frequencies do for names, the link model replaces the level's u by the municipality's share of
reports: the weight moves by log2(u / share), within the same bounds (`scoring.WeightTable`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

from matching.columns import RecordColumns
from matching.states import STATES

Slots = npt.NDArray[np.intp]

# Shares are stored with this many significant digits (the table is part of the stored parameters).
SHARE_DIGITS = 4


def municipality_key(state: str, municipality: str) -> str:
    """The key of a municipality in the shares table: state code and folded name, e.g. "JAL|ZAPOPAN"."""
    return f"{state}|{municipality}"


def shares_from_counts(counts: Mapping[str, int]) -> dict[str, float]:
    """Each municipality's share of the reports that name one (keys as `municipality_key`)."""
    total = sum(counts.values())
    if total == 0:
        return {}
    return {key: float(f"{count / total:.{SHARE_DIGITS}g}") for key, count in sorted(counts.items())}


_SHIFT = 1 << 32  # municipality ids (vocabulary ids) stay below it


def _codes(columns: RecordColumns, slots: Slots) -> npt.NDArray[np.int64]:
    """One integer per record: its state index and municipality id together."""
    states = np.asarray(columns["state"][slots], dtype=np.int64)
    return states * _SHIFT + np.asarray(columns["municipality"][slots], dtype=np.int64)


def _key_of(code: int, strings: list[str]) -> str:
    state, municipality = divmod(code, _SHIFT)
    return municipality_key(STATES[state].code, strings[municipality])


def shares_of(columns: RecordColumns, reports: Slots) -> dict[str, float]:
    """Each municipality's share of these reports, among those that name one."""
    named = reports[(columns["state"][reports] >= 0) & (columns["municipality"][reports] != 0)]
    codes, counts = np.unique(_codes(columns, named), return_counts=True)
    strings = columns.vocabulary.strings
    return shares_from_counts(
        {_key_of(code, strings): count for code, count in zip(codes.tolist(), counts.tolist(), strict=True)}
    )


def log_shares(
    columns: RecordColumns, b: Slots, same_municipality: npt.NDArray[np.bool_], shares: Mapping[str, float],
    cache: dict[int, float],
) -> npt.NDArray[np.float64] | None:  # fmt: skip
    """Per pair, log2 of the shared municipality's share of reports: NaN where the pair shares none
    or the municipality is not in `shares`; None when no pair needs one.

    `b` are the pairs' indexed slots (both sides name the same municipality where
    `same_municipality`); `cache` keeps each municipality's value for these shares.
    """
    rows = np.flatnonzero(same_municipality)
    if not shares or len(rows) == 0:
        return None
    unique, inverse = np.unique(_codes(columns, b[rows]), return_inverse=True)
    values = np.empty(len(unique))
    for i, code in enumerate(unique.tolist()):
        found = cache.get(code)
        if found is None:
            share = shares.get(_key_of(code, columns.vocabulary.strings), 0.0)
            found = cache[code] = math.log2(share) if share > 0 else math.nan
        values[i] = found
    result = np.full(len(same_municipality), np.nan)
    result[rows] = values[inverse]
    return result
