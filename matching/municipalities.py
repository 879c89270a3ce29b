"""How common a municipality is among reports: sharing a big city is weaker evidence than a town.

"Same municipality" weighs log2(m/u), u being the chance that unrelated records share one,
averaged over every municipality. Remains found in the municipality where a fifth of a state's
reports were filed share it with many; remains found in a small town, with few. As term
frequencies do for names, the link model replaces the level's u by the municipality's share of
reports: the weight moves by log2(u / share), within the same bounds.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

from matching.parameters import TF_ADJUSTMENT_MAX, TF_ADJUSTMENT_MIN

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


def share_adjustment(u_level: float, share: float | None) -> float:
    """The bits that sharing this municipality adds to "same municipality" (0 when its share is unknown)."""
    if share is None or share <= 0 or u_level <= 0:
        return 0.0
    return min(TF_ADJUSTMENT_MAX, max(TF_ADJUSTMENT_MIN, math.log2(u_level / share)))


def combined_codes(states: npt.NDArray[np.int16], municipalities: npt.NDArray[np.int32]) -> npt.NDArray[np.int64]:
    """One integer per (state index, municipality id), for counting and caching."""
    return np.asarray(states, dtype=np.int64) * (1 << 32) + np.asarray(municipalities, dtype=np.int64)
