"""Last-seen dates weeks or months apart are evidence, and sets stored with the old date levels still load."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from typing import Any

import pytest

from matching import MatchParameters
from matching.levels import EventDateLevel
from matching.parameters import default_parameters

_OLD = (EventDateLevel.EXCLUDED, EventDateLevel.FAR, EventDateLevel.WITHIN_YEAR, EventDateLevel.WITHIN_MONTH,
        EventDateLevel.WITHIN_WEEK)  # fmt: skip


def _five_levels(values: list[float]) -> list[float]:
    """A distribution over today's six event_date levels written as the earlier releases wrote it (five)."""
    excluded, far, year, quarter, month, week = values
    return [excluded, far, year + quarter, month, week]


def _old_release_set() -> dict[str, Any]:
    """A stored parameter set as the release before the WITHIN_QUARTER level wrote it, fingerprint included."""
    current = default_parameters()
    link = replace(current.link, condition_weights={"complete": (0.0, -2.0, -1.4, -1.4, 0.9, 1.8)})
    body = {k: v for k, v in replace(current, link=link).to_dict().items() if k != "fingerprint"}
    for model in ("dedupe", "link"):
        for table in ("m", "u"):
            body[model][table]["event_date"] = _five_levels(body[model][table]["event_date"])
    body["link"]["condition_weights"] = {"complete": [0.0, -2.0, -1.4, 0.9, 1.8]}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return {**body, "fingerprint": hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]}


def test_a_set_stored_with_five_date_levels_loads_onto_six_with_the_same_weights() -> None:
    stored = _old_release_set()
    loaded = MatchParameters.from_dict(stored)
    for name in ("dedupe", "link"):
        model = loaded.model(name == "link")
        assert len(model.m["event_date"]) == len(EventDateLevel)
        old_m, old_u = stored[name]["m"]["event_date"], stored[name]["u"]["event_date"]
        for old_level, level in enumerate(_OLD):
            expected = (old_m[old_level] / old_u[old_level]) if level != EventDateLevel.EXCLUDED else None
            if expected is not None:
                assert 2 ** model.weight("event_date", level) == pytest.approx(expected)
        # Months apart weigh what "within a year" weighed before.
        assert model.weight("event_date", EventDateLevel.WITHIN_QUARTER) == pytest.approx(
            model.weight("event_date", EventDateLevel.WITHIN_YEAR)
        )
        assert sum(model.m["event_date"]) == pytest.approx(1.0)
    row = loaded.link.condition_weights["complete"]
    assert row[EventDateLevel.WITHIN_QUARTER] == row[EventDateLevel.WITHIN_YEAR] == -1.4
    assert row[EventDateLevel.WITHIN_WEEK] == 1.8


def test_a_set_stored_with_five_date_levels_keeps_its_fingerprint_check() -> None:
    stored = _old_release_set()
    stored["dedupe"]["prior"] = 0.3
    with pytest.raises(ValueError, match="fingerprint"):
        MatchParameters.from_dict(stored)
