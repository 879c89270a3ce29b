"""The body's condition is weighed against the time since the person was last seen."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from matching.condition import (
    CONDITIONS,
    SMOOTHING_PAIRS,
    condition_code,
    condition_shares,
    estimate_condition_weights,
)
from matching.index import MatchIndex
from matching.levels import EventDateLevel
from matching.parameters import MatchParameters, default_parameters
from matching.records import MatchRecord

WEEK, FAR = EventDateLevel.WITHIN_WEEK, EventDateLevel.FAR
CODE = {name: condition_code(name) for name in CONDITIONS}


def _pairs(*groups: tuple[str, int, int, float]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(condition, event level, how many pairs, match probability) groups as the three arrays."""
    codes = np.concatenate([np.full(n, CODE[c], dtype=np.int8) for c, _, n, _ in groups])
    levels = np.concatenate([np.full(n, level, dtype=np.int8) for _, level, n, _ in groups])
    match = np.concatenate([np.full(n, p) for _, _, n, p in groups])
    return codes, levels, match


SHARES = condition_shares(np.array([CODE[c] for c in ("complete", "decomposed", "skeletonised", "burned")] * 25))


def test_an_intact_body_fits_a_recent_sighting_and_a_skeleton_an_old_one() -> None:
    codes, levels, match = _pairs(
        ("complete", WEEK, 120, 1.0), ("decomposed", WEEK, 80, 1.0),
        ("skeletonised", FAR, 210, 1.0), ("burned", FAR, 90, 1.0), ("complete", FAR, 3, 1.0),
    )  # fmt: skip
    weights = estimate_condition_weights(codes, levels, match, SHARES)
    assert weights["complete"][WEEK] > 1.0
    assert weights["complete"][FAR] < -1.0
    assert weights["skeletonised"][FAR] > 0.5
    assert weights["skeletonised"][WEEK] < -1.0
    assert all(row[EventDateLevel.EXCLUDED] == 0.0 for row in weights.values())
    assert "partial" not in weights  # never recorded among the remains: nothing to weigh


def test_pairs_that_are_not_matches_teach_nothing() -> None:
    matched = _pairs(("complete", WEEK, 50, 1.0), ("skeletonised", FAR, 50, 1.0))
    strangers = _pairs(("skeletonised", WEEK, 500, 0.0), ("complete", FAR, 500, 0.0))
    together = [np.concatenate([x, y]) for x, y in zip(matched, strangers, strict=True)]
    assert estimate_condition_weights(*together, SHARES) == estimate_condition_weights(*matched, SHARES)


def test_a_cell_seen_in_a_couple_of_pairs_stays_near_no_evidence() -> None:
    weights = estimate_condition_weights(*_pairs(("complete", WEEK, 2, 1.0)), SHARES)
    assert SMOOTHING_PAIRS >= 10
    assert 0 < weights["complete"][WEEK] < 1.0


def test_conditions_are_read_as_the_registry_writes_them() -> None:
    assert condition_code(" Skeletonised") == CODE["skeletonised"] > 0
    assert condition_code("unknown") == condition_code(None) == condition_code("") == 0


PARAMETERS = replace(
    default_parameters(),
    link=replace(
        default_parameters().link,
        condition_weights={
            "skeletonised": (0.0, 0.5, -0.5, -0.5, -1.5, -3.0),
            "burned": (0.0, 0.01, 0.3, 0.3, 0.2, -0.02),
        },
    ),
)
REPORT = MatchRecord(key="r", sex="male", event_date=date(2023, 5, 1), state="GRO", age_years=30, height_cm=170)


def _remains(condition: str | None) -> MatchRecord:
    return MatchRecord(
        key=f"x-{condition}", kind="remains", sex="male", event_date=date(2023, 5, 4), state="GRO",
        age_min=25, age_max=35, condition=condition,
    )  # fmt: skip


def test_a_skeleton_found_three_days_after_the_sighting_weighs_against_the_report() -> None:
    index = MatchIndex(PARAMETERS)
    index.add_many([REPORT, _remains("skeletonised"), _remains(None)])
    skeleton, unknown = index.explain("x-skeletonised", "r"), index.explain("x-None", "r")
    assert skeleton.match_weight == pytest.approx(unknown.match_weight - 3.0)
    said = {e.comparison: e for e in skeleton.evidence}["condition_time"]
    assert said.weight == -3.0
    assert said.text == "body skeletonised, found within a week of the last sighting: unusual"
    assert "condition_time" not in {e.comparison for e in unknown.evidence}
    assert index.explain("r", "x-skeletonised").match_weight == skeleton.match_weight  # symmetric
    ranked = [c.key for c in index.candidates_for(_remains("skeletonised"), against="report")]
    assert ranked == ["r"]


def test_parameters_without_a_condition_table_keep_their_stored_fingerprint() -> None:
    stored = default_parameters().to_dict()
    assert "condition_weights" not in stored["link"]
    assert MatchParameters.from_dict(stored).to_dict() == stored
    learned = PARAMETERS.to_dict()
    assert MatchParameters.from_dict(learned) == PARAMETERS
    assert learned["fingerprint"] != stored["fingerprint"]


def test_a_condition_that_says_next_to_nothing_is_said_so_or_left_out() -> None:
    index = MatchIndex(PARAMETERS)
    index.add_many([REPORT, _remains("burned")])  # found within a week: -0.02 bits
    assert "condition_time" not in {e.comparison for e in index.explain("x-burned", "r").evidence}
    later = replace(REPORT, key="r2", event_date=date(2023, 4, 20))  # within a month: +0.2 bits
    index.add(later)
    said = {e.comparison: e for e in index.explain("x-burned", "r2").evidence}["condition_time"]
    assert said.text == "body burned, found within a month of the last sighting: tells little"
